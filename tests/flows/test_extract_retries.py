"""A file's content is never retried (one line, at once); an I/O error while reading it is."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from bench.prefect_runs import task_runs_of
from flows import prepare
from flows.prepare import prepare_year
from tests.helpers.exports import write_exports

pytestmark = pytest.mark.usefixtures("prefect_api")


def run(workdir: Path):  # type: ignore[no-untyped-def]
    return prepare_year(
        year="2019-20",
        input_dir=str(workdir / "in"),
        store=str(workdir / "store"),
        formats=[],
        return_state=True,
    )


def extract_runs(state) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many times each extract task ran in the flow run."""
    runs = task_runs_of(state.state_details.flow_run_id)
    return {run.name: run.run_count for run in runs if run.name.startswith("extract-")}


@pytest.fixture(autouse=True)
def no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepare.extract, "retry_delay_seconds", [0, 0, 0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 8, "decisions.csv: is not CSV text (byte 0 is NUL"),
        (b'"case_ref,authority_code\n', "decisions.csv: line 1 (the header) cannot be split into columns"),
    ],
)
def test_a_broken_file_fails_once_with_one_line(workdir: Path, content: bytes, message: str) -> None:
    write_exports(workdir / "in")
    (workdir / "in" / "decisions.csv").write_bytes(content)

    state = run(workdir)

    assert state.is_failed() and message in (state.message or ""), state.message
    assert "\n" not in (state.message or "")
    assert extract_runs(state)["extract-decisions"] == 1  # before: 4 runs, 42 s of waits


def test_an_io_error_while_reading_is_retried(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_exports(workdir / "in")
    real_read = Path.read_bytes
    failures = []

    def flaky(self: Path) -> bytes:
        if self.name == "decisions.csv" and not failures:
            failures.append(self)
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", flaky)

    state = run(workdir)

    assert state.is_completed(), state.message
    assert failures and extract_runs(state)["extract-decisions"] == 2
