"""The repository's top level as designed: flows → library → transforms, and a wheel that carries it all."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL = ("annual_review", "flows", "transforms", "templates", "deployments")
# Which of our top-level packages each one may import: use runs one way, top to bottom.
MAY_IMPORT = {
    "transforms": {"transforms"},
    "templates": {"templates"},
    "annual_review": {"annual_review", "transforms", "templates"},
    "flows": {"flows", "annual_review", "transforms", "templates"},
    "deployments": {"deployments", "flows", "annual_review"},
}
FOLDERS = {"annual_review": ROOT / "src" / "annual_review"} | {
    name: ROOT / name for name in TOP_LEVEL if name != "annual_review"
}


def imported_names(path: Path, *, for_types: bool = True) -> set[str]:
    """Every top-level name a module imports, lazily or not (relative imports stay inside).

    for_types=False leaves out what is imported only for mypy, under `if TYPE_CHECKING:`.
    """
    names: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif not for_types and isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return names


def imported_top_levels(path: Path) -> set[str]:
    return imported_names(path) & set(TOP_LEVEL)


@pytest.mark.parametrize("package", TOP_LEVEL)
def test_imports_run_one_way(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {sorted(found - MAY_IMPORT[package])}"
        for path in FOLDERS[package].rglob("*.py")
        if (found := imported_top_levels(path)) - MAY_IMPORT[package]
    }
    assert not wrong


def test_the_design_folders_are_at_the_top_and_hold_the_code() -> None:
    assert (ROOT / "flows" / "prepare.py").is_file()
    assert (ROOT / "transforms" / "figures.py").is_file()
    assert (ROOT / "templates" / "letter.html.j2").is_file()
    assert (ROOT / "templates" / "content" / "default" / "letter.toml").is_file()
    assert not (ROOT / "src" / "annual_review" / "flows").exists()


def test_no_other_installed_distribution_owns_our_top_level_names() -> None:
    """`flows`, `transforms` and `templates` are common words: no dependency may ship one of them."""
    owners = packages_distributions()  # an editable install of ours lists none; the wheel test covers it
    others = {name: owners[name] for name in TOP_LEVEL if set(owners.get(name, [])) - {"annual-review"}}
    assert not others


def _uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.exists():
        return str(found)
    which = shutil.which("uv")
    if which is None:
        pytest.skip("uv is not installed (make setup installs it under .tools/)")
    return which


@pytest.mark.slow
def test_the_wheel_carries_every_package_with_its_templates_and_the_command(tmp_path: Path) -> None:
    subprocess.run(
        [_uv(), "build", "--wheel", "--offline", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("annual_review-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "annual_review/steps.py",
        "annual_review/schemas/authority.schema.json",
        "flows/prepare.py",
        "flows/cli.py",
        "transforms/peers.py",
        "templates/__init__.py",
        "templates/letter.html.j2",
        "templates/letter.css",
        "templates/content/README.md",
        "templates/content/default/narrative.md",
        "templates/content/2019-20/letter.toml",
        "templates/website/council.html",
        "templates/website/vendor/plot.umd.min.js",
        "annual_review/access/preview.py",
        "annual_review/outputs/site.py",
        "deployments/schedules.py",
    ):
        assert expected in names
    assert not any(name.startswith(("tests/", "bench/", "src/")) for name in names)
    (entry_points,) = (n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "annual-review = flows.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_command_starts_from_its_new_home() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "release" in result.stdout


def _distribution(requirement: str) -> str:
    """'boto3==1.43.*' → 'boto3', 'Foo_Bar[x]' → 'foo-bar' (PEP 503 names)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name[0]).lower()


def test_what_the_code_imports_it_declares() -> None:
    """A package reached only through another's dependencies can vanish with that one's next release."""
    declared = {
        _distribution(r)
        for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    owners = packages_distributions()
    undeclared = {
        f"{path.relative_to(ROOT)}: {name}"
        for folder in FOLDERS.values()
        for path in folder.rglob("*.py")
        for name in imported_names(path, for_types=False) - set(TOP_LEVEL) - sys.stdlib_module_names
        if name != "__future__" and not {_distribution(d) for d in owners.get(name, [name])} & declared
    }
    assert not undeclared


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    """pytest-timeout does nothing unless told a limit: a hung server would hang the whole run."""
    assert float(pytestconfig.getini("timeout") or 0) > 0
