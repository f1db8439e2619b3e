"""Drive and read flow runs the way the UI and a serving process do, through the Prefect API."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from prefect import Flow, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun, State, TaskRun
from prefect.flow_engine import run_flow
from prefect.states import AwaitingRetry


def start_from_deployment(flow: Flow[..., Any], deployment_id: UUID, parameters: dict[str, Any]) -> FlowRun:
    """A run of the deployment, executed here as the serving process would (run_flow on that run)."""
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run_from_deployment(deployment_id, parameters=parameters)
    execute(flow, flow_run.id)
    return read_flow_run(flow_run.id)


def retry_as_the_ui_does(flow: Flow[..., Any], flow_run_id: UUID) -> FlowRun:
    """The UI's Retry: the same run back to Scheduled 'AwaitingRetry', then executed again."""
    with get_client(sync_client=True) as client:
        result = client.set_flow_run_state(flow_run_id, AwaitingRetry(message="Retry from the UI"))
    assert result.state is not None and result.state.name == "AwaitingRetry", result.details
    execute(flow, flow_run_id)
    return read_flow_run(flow_run_id)


def execute(flow: Flow[..., Any], flow_run_id: UUID) -> State[Any]:
    flow_run = read_flow_run(flow_run_id)
    state = run_flow(flow, flow_run=flow_run, parameters=flow_run.parameters, return_type="state")
    assert isinstance(state, State)
    return state


def read_flow_run(flow_run_id: UUID) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def task_runs_of(flow_run_id: UUID, settle: float = 30.0) -> list[TaskRun]:
    """The flow run's task runs as the API has recorded them. The server records task runs from events,
    a moment after they happen (a busy machine: seconds), so wait until two reads agree and every run
    has ended, for `settle` seconds at most."""
    deadline, seen = time.monotonic() + settle, None
    while True:
        with get_client(sync_client=True) as client:
            found = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
        runs = sorted(found, key=lambda run: str(run.created))
        now = [(run.id, run.state.name if run.state else None) for run in runs]
        ended = bool(runs) and all(run.state is not None and run.state.is_final() for run in runs)
        if (ended and now == seen) or time.monotonic() > deadline:
            return runs
        seen = now
        time.sleep(0.5)


def states_by_name(runs: list[TaskRun]) -> dict[str, str]:
    """Task run name (extract-compliance, build-1a2, ...) without a random suffix → its state's name."""
    named: dict[str, str] = {}
    for run in runs:
        name = run.name if run.name.startswith("extract-") else run.name.rsplit("-", 1)[0]
        assert name not in named, f"two runs of {name} in one attempt"
        named[name] = run.state.name if run.state else "?"
    return named
