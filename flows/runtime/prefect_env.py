"""Prefect's defaults for this project, set before Prefect is imported: local, quiet, offline."""

from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from annual_review.errors import PipelineError


def configure_prefect(home: Path | None = None) -> None:
    """Embedded API with its SQLite under ./var/prefect unless PREFECT_* says otherwise."""
    home = Path(os.environ.get("PREFECT_HOME") or home or "var/prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)  # Prefect makes only the last level itself
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # the client's own usage events and its notice on a terminal
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(home / "results"))
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "true")
    # For Prefect's own temporary server (e.g. `python -m deployments` without an API; the CLI starts its
    # own, start_local_api): a fresh home runs database migrations first, on a busy 2-core machine 20 s+.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    drop_user_error_tracebacks()


class _UserErrorWithoutTraceback(logging.Filter):
    """A user's mistake is its message: Prefect's engines would log it with a traceback (a task with no
    retries left, prefect/task_engine.py `handle_retry`), on the console and in the UI alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PipelineError):
            record.exc_info, record.exc_text = None, None
        return True


# The loggers of Prefect's task and flow engines (prefect/logging/loggers.py). A filter on them acts
# before any handler, the console's and the API's (the UI's log) alike; any other error keeps its traceback.
RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")


def drop_user_error_tracebacks() -> None:
    """Install the filter once per process: the command and the serving process here, each process
    that runs a flow of ours through flows.runtime.outcome (a deployment's run in its own subprocess)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _UserErrorWithoutTraceback) for f in logger.filters):
            logger.addFilter(_UserErrorWithoutTraceback())


def start_local_api(timeout: float = 120.0) -> Callable[[], None]:
    """Start a temporary Prefect API for this process, before the pipeline imports; returns `wait`.

    Without PREFECT_API_URL, Prefect starts the same server (its ephemeral app under uvicorn, SQLite under
    PREFECT_HOME) at the first flow call, after importing its server module in-process (3.4 s) and then
    waiting for it (5 s). Started here, first thing, it boots on the other core while pandas, pyarrow and
    Prefect import. Call before Prefect is imported (it reads PREFECT_API_URL once, at import), from the
    thread that lives as long as the process: the server (flows/local_api.py) exits when that thread does,
    kill -9 included. Otherwise it stops at exit, after Prefect's own exit handlers have flushed their events.
    """
    if os.environ.get("PREFECT_API_URL"):
        return lambda: None
    if "prefect" in sys.modules:  # it has read its settings: it would ignore this server and start its own
        raise RuntimeError("start_local_api() must run before anything imports Prefect")
    listening = socket.create_server(("127.0.0.1", 0))  # bound here and handed over: no port to race for
    url = f"http://127.0.0.1:{listening.getsockname()[1]}/api"
    log = (Path(os.environ["PREFECT_HOME"]) / "api.log").open("ab")
    with listening:
        server = subprocess.Popen(
            [sys.executable, "-m", "flows.runtime.local_api", str(listening.fileno()), str(os.getpid())],
            pass_fds=[listening.fileno()],
            stdout=log,
            stderr=log,
        )
    os.environ["PREFECT_API_URL"] = url
    # This API serves no UI: without this, every run printed a "View at <url>/runs/..." link that is a 404.
    os.environ.setdefault("PREFECT_UI_URL", "")

    def stop() -> None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()

    atexit.register(stop)  # registered first, so it runs after the handlers Prefect registers later

    def wait() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the temporary Prefect API exited ({server.returncode}); see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the temporary Prefect API did not answer within {timeout:.0f} s; see {log.name}")

    return wait
