"""Flow runs whose process died without a word (kill -9, a lost machine) stay Running in Prefect's database.

Each of our flow runs records the process that runs it ("host:pid", Prefect's infrastructure_pid, as its
process worker writes it). The next start of the command or of the deployments marks our runs that are
still Running but whose process is gone as Crashed, with their unfinished task runs.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

import psutil
from prefect import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
    TaskRunFilter,
    TaskRunFilterState,
    TaskRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.context import FlowRunContext
from prefect.states import Crashed

OUR_FLOWS = ["prepare-year", "release"]
UNFINISHED = [StateType.RUNNING, StateType.PENDING]


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record_process() -> None:
    """Say which process runs this flow run (unless a worker already said where it runs it)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.infrastructure_pid:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(context.flow_run.id, infrastructure_pid=this_process())


def process_gone(infrastructure_pid: str | None, started: datetime | None, host: str) -> bool:
    """True only for a run recorded on this host whose process no longer exists (or is another one now)."""
    recorded_host, _, pid = (infrastructure_pid or "").rpartition(":")
    if recorded_host != host or not pid.isdigit() or started is None:
        return False  # not ours to judge: another machine, a worker's container, or nothing recorded
    try:
        process = psutil.Process(int(pid))
        zombie: bool = process.status() == psutil.STATUS_ZOMBIE
        created: float = process.create_time()
    except psutil.NoSuchProcess:
        return True
    # a process created after the run started is the pid reused by another, not the run's process
    return zombie or created > started.timestamp()


def crashed_note(run: FlowRun) -> str:
    """What the command says about a run it marked Crashed."""
    started = f", started {run.start_time:%Y-%m-%d %H:%M}" if run.start_time else ""
    return f"flow run {run.name}{started} was still Running but its process is gone: marked Crashed"


def crash_orphaned_runs() -> list[FlowRun]:
    """Mark our Running flow runs whose process is gone as Crashed; returns them, for the caller to say so."""
    host = socket.gethostname()
    crashed: list[FlowRun] = []
    with get_client(sync_client=True) as client:
        running = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=OUR_FLOWS)),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING]))
            ),
        )
        for run in running:
            if not process_gone(run.infrastructure_pid, run.start_time, host):
                continue
            message = f"its process ({run.infrastructure_pid}) ended without a word; found at a later start"
            client.set_flow_run_state(run.id, Crashed(message=message), force=True)
            tasks = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])),
                task_run_filter=TaskRunFilter(
                    state=TaskRunFilterState(type=TaskRunFilterStateType(any_=UNFINISHED))
                ),
            )
            for task in tasks:
                client.set_task_run_state(task.id, Crashed(message=message), force=True)
            crashed.append(run)
    return crashed
