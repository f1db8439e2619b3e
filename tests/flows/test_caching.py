"""The code digest in every cached step's key: a fix in the pipeline's code must miss the cache."""

from __future__ import annotations

from pathlib import Path

from annual_review.flows.caching import code_version


def package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_change_in_the_steps_changes_the_code_version(tmp_path: Path) -> None:
    before = code_version(package(tmp_path / "a", {"transforms/peers.py": "RATE = 1\n"}))
    after = code_version(package(tmp_path / "b", {"transforms/peers.py": "RATE = 2\n"}))
    assert before != after


def test_flows_and_non_python_files_leave_it_alone(tmp_path: Path) -> None:
    base = {"steps.py": "x = 1\n"}
    plain = code_version(package(tmp_path / "a", base))
    edited = package(tmp_path / "b", {**base, "flows/prepare.py": "# edited\n", "content/letter.toml": "x"})
    assert code_version(edited) == plain
