"""Test-wide set-up: Prefect runs against a throwaway home, so no test sees another run's cache."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="annual-review-prefect-"))
# Before anything imports Prefect: its settings are read once, at import.
os.environ["PREFECT_HOME"] = str(_HOME)
os.environ["PREFECT_RESULTS_LOCAL_STORAGE_PATH"] = str(_HOME / "results")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
for _name in list(os.environ):
    if _name.startswith("ANNUAL_REVIEW_"):
        del os.environ[_name]  # a developer's own settings must not leak into the tests


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One temporary Prefect server for the whole session (it costs several seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder, so the default ./var/... lands in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
