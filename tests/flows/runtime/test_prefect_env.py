"""The CLI's temporary Prefect API: what it relies on in Prefect, what it serves, and what a kill -9 leaves.

A Prefect upgrade that renames what flows/local_api.py calls, or changes what the app serves, fails here
rather than at an operator's run.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
import uvicorn
from prefect.server.api.server import create_app

from annual_review.years import LONDON, BusinessYear
from flows.runtime.orphans import process_gone, this_process

HOST = socket.gethostname()


def test_what_we_call_in_prefect_and_uvicorn_is_still_there() -> None:
    """The app factory that `prefect server start` and Prefect's temporary server call; uvicorn's sockets."""
    parameters = inspect.signature(create_app).parameters
    assert {"ephemeral", "final"} <= set(parameters)
    assert parameters["ephemeral"].default is False and parameters["final"].default is False
    assert "sockets" in inspect.signature(uvicorn.Server.run).parameters


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A process of its own: its own Prefect home, and no API given, so that it starts the temporary one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "AWS_"))}
    return {**env, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING", "COLUMNS": "200", **extra}


def probe(home: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.flows.runtime.api_probe", *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A Prefect home as the first command leaves it (migrated, one flow run), and the report on its API."""
    home = tmp_path_factory.mktemp("first") / "prefect"
    return home, probe(home, "--run-flow")


@pytest.mark.slow
def test_the_temporary_api_is_prefects_ephemeral_app_and_records_task_runs(
    first_start: tuple[Path, dict[str, Any]],
) -> None:
    _, report = first_start
    assert report["version"] == __import__("prefect").__version__
    assert report["ui"] == 404  # ephemeral: the API only, no UI
    assert report["flow_runs"] == [
        {"flow": "probe", "state": "Completed", "infrastructure_pid": None, "tasks": ["Completed"]}
    ]


@pytest.mark.slow
def test_a_killed_command_takes_its_server_along_and_its_run_is_crashed_at_the_next_start(
    tmp_path: Path, first_start: tuple[Path, dict[str, Any]]
) -> None:
    """kill -9 of `annual-review release` while it waits on the store (a socket that never answers)."""
    home = Path(shutil.copytree(first_start[0], tmp_path / "prefect"))  # migrated already: quicker
    silent_store = socket.create_server(("127.0.0.1", 0))
    silent_store.settimeout(180)
    aws = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{silent_store.getsockname()[1]}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }
    command = [sys.executable, "-m", "flows.cli", "release", "--year", "2019-20", "--store", "s3://bucket/p"]
    cli = subprocess.Popen(
        command, cwd=tmp_path, env=environment(home, **aws), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        connection, _ = silent_store.accept()  # the flow run is Running, asking the store for its candidate
    except TimeoutError:
        cli.kill()
        pytest.fail(f"the release never reached the store: {cli.communicate()[1][-3000:]!r}")
    (server,) = psutil.Process(cli.pid).children()  # the temporary Prefect API
    os.kill(cli.pid, signal.SIGKILL)
    cli.wait()
    connection.close()
    silent_store.close()

    _, alive = psutil.wait_procs([server], timeout=20)
    for left in alive:
        left.kill()
    assert not alive, "the temporary Prefect API outlived the command"

    running = BusinessYear.containing(datetime.now(LONDON).date())  # its release is months away: refused
    again = subprocess.run(
        [sys.executable, "-m", "flows.cli", "release", "--year", running.label, "--store", "store"],
        cwd=tmp_path,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert again.returncode == 1
    notes = [line for line in again.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].endswith("was still Running but its process is gone: marked Crashed")

    runs = [run for run in probe(home)["flow_runs"] if run["flow"] == "release"]
    assert sorted(r["state"] for r in runs) == ["Crashed", "Failed"]
    (killed,) = [r for r in runs if r["state"] == "Crashed"]
    assert killed["infrastructure_pid"] == f"{HOST}:{cli.pid}"
    assert "Running" not in killed["tasks"]


def _started(seconds_ago: float) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds_ago)


def test_a_live_process_is_not_gone() -> None:
    assert not process_gone(this_process(), _started(0), HOST)


def test_a_run_on_another_machine_or_unrecorded_is_not_ours_to_judge() -> None:
    assert not process_gone(f"elsewhere:{os.getpid()}", _started(0), HOST)
    assert not process_gone(None, _started(0), HOST)
    assert not process_gone("a-docker-container-id", _started(0), HOST)


def test_an_exited_process_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert process_gone(f"{HOST}:{child.pid}", _started(0), HOST)


def test_a_killed_process_not_yet_reaped_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    os.kill(child.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(f"{HOST}:{child.pid}", _started(0), HOST)
    child.wait()


def test_a_pid_reused_by_a_younger_process_is_gone() -> None:
    """The run started before this process existed: the pid it recorded now belongs to someone else."""
    created = datetime.fromtimestamp(psutil.Process().create_time(), UTC)
    assert process_gone(this_process(), created - timedelta(hours=1), HOST)
