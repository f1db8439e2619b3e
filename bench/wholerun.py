"""The whole `annual-review run` through the real CLI in a subprocess: wall time and its peak RSS."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.data import CACHE, YEAR, exports
from bench.measure import Sample

LAUNCHER = Path(__file__).resolve().with_name("peak.py")  # by path: it needs nothing but the stdlib
PREFECT_HOME = CACHE / "prefect"  # migrated once; a fresh home would add its migrations to every run


def _command(folder: Path, store: Path, formats: str) -> list[str]:
    cli = Path(sys.executable).with_name("annual-review")
    return [
        str(cli),
        "run",
        "--year",
        YEAR.label,
        "--input",
        str(folder),
        "--store",
        str(store),
        "--formats",
        formats,
    ]


def measured(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict[str, float]:
    """Wall seconds, peak RSS (MB) and exit code of `command`, its output to `log` (bench/peak.py: why)."""
    result = log.with_suffix(".peak.json")
    with log.open("wb") as out:
        launcher = [sys.executable, str(LAUNCHER), str(result), *command]
        subprocess.run(launcher, cwd=cwd, env=env, stdout=out, stderr=out, check=True)
    measure: dict[str, float] = json.loads(result.read_text())
    return measure


def run_once(scale: float, formats: str, api_url: str | None = None) -> tuple[float, float]:
    """One run in a fresh work folder, result store and store: nothing is cached from before. Against
    the Prefect API at `api_url` when given (a running server), else the command's own temporary one."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        root = Path(tmp)
        env = {
            **os.environ,
            "PREFECT_HOME": str(PREFECT_HOME),
            "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(root / "results"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "ANNUAL_REVIEW_WORK_DIR": str(root / "work"),
        }
        if api_url:
            env["PREFECT_API_URL"] = api_url
        log = root / "run.log"
        run = measured(_command(exports(scale), root / "store", formats), root, env, log)
        if run["returncode"]:
            sys.stderr.write(log.read_text(errors="replace")[-4000:])
            raise RuntimeError(f"annual-review run (scale {scale:g}, {formats}) exited {run['returncode']:g}")
    return run["seconds"], run["peak_mb"]


def warm_up() -> None:
    """Create and migrate the Prefect home once (a one-off on a new machine, not part of a run)."""
    if not (PREFECT_HOME / "prefect.db").exists():
        shutil.rmtree(PREFECT_HOME, ignore_errors=True)
        PREFECT_HOME.mkdir(parents=True)
        run_once(1.0, "none")


def whole_run(scale: float, formats: str, repeat: int, api_url: str | None = None) -> Sample:
    sample = Sample()
    for _ in range(repeat):
        sample.add(*run_once(scale, formats, api_url))
    return sample


@contextmanager
def running_server(timeout: float = 120.0) -> Iterator[str]:
    """`prefect server start` on a free port with a home of its own, as an operator's server runs; its
    start-up is not part of any run measured against it. Yields its API URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = CACHE / "prefect-server"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with (home / "server.log").open("ab") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start: see {home / 'server.log'}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
