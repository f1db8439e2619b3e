"""Run `python -m flows.cli` as an operator does, in a subprocess, and read what it printed.

The commands share the session's Prefect API (PREFECT_API_URL, as with a team's server): each
would otherwise start a temporary one of its own, which doubles its time (tests/test_cli.py
covers that path).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

FAULTS = Path(__file__).resolve().parents[1] / "faults"


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[str]:
        """The `error:` lines; a traceback anywhere fails the test that reads them."""
        assert "Traceback" not in self.stderr + self.stdout, self.stderr
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]

    @property
    def error(self) -> str:
        """The one error line of a failed command."""
        assert self.returncode == 1, (self.returncode, self.stderr[-3000:])
        lines = self.errors
        assert len(lines) == 1, self.stderr[-3000:]
        return lines[0].removeprefix("error: ")


def environment(fault: str | None = None, **env: str | None) -> dict[str, str]:
    """This process's environment with `env` on top (None removes a variable), and the fault if any."""
    path = os.pathsep.join(p for p in (str(FAULTS), os.environ.get("PYTHONPATH")) if p)
    extra = {"TEST_FAULT": fault, "PYTHONPATH": path} if fault else {}
    merged = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING", "COLUMNS": "250", **extra, **env}
    return {name: value for name, value in merged.items() if value is not None}


def start(*args: str, cwd: Path, fault: str | None = None, **env: str | None) -> subprocess.Popen[str]:
    """The command in its own session (so a test can kill it and its Prefect server together)."""
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=environment(fault, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 300) -> Outcome:
    stdout, stderr = process.communicate(timeout=timeout)
    return Outcome(process.returncode, stdout, stderr)


def cli(*args: str, cwd: Path, fault: str | None = None, **env: str | None) -> Outcome:
    return finish(start(*args, cwd=cwd, fault=fault, **env))


@pytest.fixture(scope="session")
def api_url(prefect_api: None) -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


Command = Callable[..., Outcome]


@pytest.fixture
def command(api_url: str) -> Command:
    """`cli`, against the session's Prefect API."""
    return functools.partial(cli, PREFECT_API_URL=api_url)
