"""Prefect's defaults for this project, set before Prefect is imported: local, quiet, offline."""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(home: Path | None = None) -> None:
    """Embedded API with its SQLite under ./var/prefect unless PREFECT_* says otherwise."""
    home = Path(os.environ.get("PREFECT_HOME") or home or "var/prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)  # Prefect makes only the last level itself
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(home / "results"))
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "true")
    # A fresh home runs database migrations first; on a busy 2-core machine that can pass 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
