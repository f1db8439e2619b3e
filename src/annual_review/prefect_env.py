"""Prefect's defaults for this project, set before Prefect is imported: local, quiet, offline."""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(home: Path | None = None) -> None:
    """Embedded API with its SQLite under ./var/prefect unless PREFECT_* says otherwise."""
    home = (home or Path("var/prefect")).resolve()
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(home / "results"))
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "true")
