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


# Frames are the steps' business: a flow passes their handles and small values, and reads no table.
FRAME_LIBRARIES = {"pandas", "pyarrow", "numpy", "pandera", "duckdb"}


def test_flows_hold_no_frames() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {sorted(found)}"
        for path in FOLDERS["flows"].rglob("*.py")
        if (found := imported_names(path) & FRAME_LIBRARIES)
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
        "annual_review/steps/__init__.py",
        "annual_review/steps/render.py",
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


# Inside the library, floors: layout.py (the store's map) stands on the ground with years.py; store/,
# outputs/ and letters/ may ask the map but never reach up to publish/; publish/ never reaches up to
# access/ (who may read what, before and after release), which reads what publish/ wrote.
LIBRARY_ROOT = FOLDERS["annual_review"]
LIBRARY = {p.stem for p in LIBRARY_ROOT.glob("*.py")} | {
    p.name for p in LIBRARY_ROOT.iterdir() if (p / "__init__.py").is_file()
}
LIBRARY_MAY_NOT_IMPORT = {
    "layout": LIBRARY - {"layout", "years"},
    "store": {"publish", "access", "outputs", "letters", "extract", "steps"},
    "outputs": {"publish", "access", "letters", "store", "steps"},
    "letters": {"publish", "access", "outputs", "store", "steps"},
    "publish": {"access", "steps"},
}


def library_imports(path: Path) -> set[str]:
    """Which parts of annual_review a module imports: `publish` for annual_review.publish.release, ..."""
    parts: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        parts |= {name.split(".")[1] for name in names if name.startswith("annual_review.")}
    return parts


def test_the_library_s_floors() -> None:
    assert {"layout", "access", "publish", "outputs", "store"} <= LIBRARY
    assert (LIBRARY_ROOT / "outputs" / "site.py").is_file()
    assert not (LIBRARY_ROOT / "readers").exists()
    wrong = {
        f"{path.relative_to(ROOT)} imports {sorted(found)}"
        for part, forbidden in LIBRARY_MAY_NOT_IMPORT.items()
        for path in [LIBRARY_ROOT / f"{part}.py", *(LIBRARY_ROOT / part).rglob("*.py")]
        if path.is_file() and (found := library_imports(path) & forbidden)
    }
    assert not wrong


# What names a place in the store. Outside layout.py, a string or a piece of an f-string holding one of
# these is a second map (docstrings and comments may say where things are).
STORE_KEY_PARTS = (
    "staging/",
    "public/",
    "leases/",
    "releases.json",
    "candidate.json",
    "manifest.json",
    "manifests/",
    "data/",
    "json/",
    "letters/",
    "site/",
    "access-log",
)
KEYS_CHECKED_IN = ("annual_review", "flows", "deployments")
LAYOUT = LIBRARY_ROOT / "layout.py"


def spelled_keys(path: Path, root: Path = ROOT) -> list[str]:
    """'file:line: text' for every string outside a docstring that names a store key."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and ast.get_docstring(node, clean=False) is not None
    }
    found: list[str] = []

    def visit(node: ast.AST, line: int | None) -> None:
        if isinstance(node, ast.JoinedStr):
            line = node.lineno  # Python 3.11 gives an f-string's pieces no line of their own
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and any(part in node.value for part in STORE_KEY_PARTS)
        ):
            found.append(f"{path.relative_to(root)}:{line or node.lineno}: {node.value!r}")
        for child in ast.iter_child_nodes(node):
            visit(child, line)

    visit(tree, None)
    return found


@pytest.mark.parametrize("package", KEYS_CHECKED_IN)
def test_store_keys_are_spelled_only_in_layout(package: str) -> None:
    spelled = [
        where
        for path in sorted(FOLDERS[package].rglob("*.py"))
        if path != LAYOUT
        for where in spelled_keys(path)
    ]
    assert not spelled, "store keys spelled outside annual_review/layout.py:\n" + "\n".join(spelled)


def test_the_key_check_sees_strings_and_f_string_pieces_not_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        '"""Writes public/releases.json."""\n'
        "def stage(year):\n"
        '    """Under staging/<year>/."""\n'
        "    # json/index.json\n"
        '    note = "nothing"\n'
        '    return f"staging/{year}/" + "x/candidate.json"\n',
        encoding="utf-8",
    )
    found = spelled_keys(module, tmp_path)
    assert found == ["module.py:6: 'staging/'", "module.py:6: 'x/candidate.json'"]
