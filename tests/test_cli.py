"""The command line: a user's mistake exits non-zero with one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from annual_review.years import LONDON, BusinessYear
from tests.flows.exports import write_exports

CLI = [sys.executable, "-m", "flows.cli"]


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING", "COLUMNS": "200", **env},
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "--year", "2019-2020", "--input", "in"],
            "business year '2019-2020' is not of the form YYYY-YY",
        ),
        (["run", "--year", "2019-21", "--input", "in"], "the second part must be the year after 2019"),
        (
            ["run", "--year", "2019-20", "--input", "in", "--peer-method", "median"],
            "--peer-method must be mean",
        ),
        (["run", "--year", "2019-20", "--input", "in", "--formats", "docx"], "--formats takes html, pdf"),
        (["generate", "--year", "2019-20", "--out", "x", "--format", "ods"], "--format must be csv or xlsx"),
        (  # raised inside the generator, caught once in main()
            ["generate", "--year", "2019-20", "--out", "x", "--scale", "2000", "--format", "xlsx"],
            "more than an XLSX sheet holds",
        ),
    ],
)
def test_bad_argument_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    lines = error_lines(result)
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_missing_column_exits_naming_it(tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "in")
    text = (folder / "received.csv").read_text().replace("category,", "kind,")
    (folder / "received.csv").write_text(text)
    result = cli("run", "--year", "2019-20", "--input", "in", "--store", "store", cwd=tmp_path)
    assert result.returncode == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].endswith("received.csv: missing required column category"), (
        result.stderr
    )
    assert not (tmp_path / "store").exists()


def test_release_before_its_time_is_refused(tmp_path: Path) -> None:
    """The year running now, by the real clock: its release (29 July after it ends) is always months away."""
    running = BusinessYear.containing(datetime.now(LONDON).date())
    result = cli("release", "--year", running.label, "--store", "store", cwd=tmp_path)
    assert result.returncode == 1
    lines = error_lines(result)
    assert len(lines) == 1 and f"{running.end_year}-07-29" in lines[0], result.stderr
    assert not (tmp_path / "store" / "public").exists()
