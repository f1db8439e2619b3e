"""The code digest in every cached step's key: a fix in the pipeline's code must miss the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import annual_review
import transforms
from flows.runtime import caching
from flows.runtime.caching import code_version


def package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_change_in_the_statistics_changes_the_code_version(tmp_path: Path) -> None:
    library = package(tmp_path / "lib", {"steps.py": "x = 1\n"})
    before = code_version(library, package(tmp_path / "a", {"peers.py": "RATE = 1\n"}))
    after = code_version(library, package(tmp_path / "b", {"peers.py": "RATE = 2\n"}))
    assert before != after


def test_bytecode_and_non_python_files_leave_it_alone(tmp_path: Path) -> None:
    base = {"steps.py": "x = 1\n"}
    plain = code_version(package(tmp_path / "a", base))
    edited = package(
        tmp_path / "b", {**base, "__pycache__/steps.cpython-311.pyc": "junk", "content/letter.toml": "x"}
    )
    assert code_version(edited) == plain


def test_by_default_it_covers_the_library_and_the_statistics_not_the_flows() -> None:
    """After the move to top-level folders the digest must still find the code that computes."""
    library, statistics = Path(annual_review.__file__).parent, Path(transforms.__file__).parent
    caching.code_version.cache_clear()
    assert code_version() == code_version(library, statistics)
    assert (statistics / "peers.py").is_file() and (library / "steps" / "build.py").is_file()


def test_an_upgrade_of_a_computing_library_changes_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = package(tmp_path / "a", {"steps.py": "x = 1\n"})
    before = code_version(root)
    caching.code_version.cache_clear()
    monkeypatch.setattr(caching, "version", lambda name: "9.9.9" if name == "pandas" else "1")
    assert code_version(root) != before
    caching.code_version.cache_clear()
