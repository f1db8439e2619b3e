"""The Makefile's front doors: the demo installs what the pipeline runs on, the tests what they need too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def planned(target: str) -> list[str]:
    """The commands `make <target>` would run from a fresh clone (-B: as if nothing were installed yet)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def syncs(commands: list[str]) -> list[str]:
    return [command for command in commands if "uv sync" in command]


def test_the_demo_installs_the_runtime_dependencies_only() -> None:
    """No mypy, ruff, pytest, SeaweedFS or DuckDB for someone who only wants to see the pipeline run."""
    commands = planned("demo")
    assert syncs(commands) and all("--no-dev" in command for command in syncs(commands))
    assert not any("poppler-utils" in command for command in commands)  # only the tests read PDFs back


def test_the_tests_get_the_development_dependencies() -> None:
    commands = planned("pytest")
    assert syncs(commands) and not any("--no-dev" in command for command in syncs(commands))
    assert any("poppler-utils" in command for command in commands)
