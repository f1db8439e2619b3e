"""`python -m tests.flows.runtime.api_probe [--run-flow]`: start the CLI's temporary Prefect API; report it.

Run in a process of its own (PREFECT_HOME from the environment): the API must start before Prefect imports.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any

from flows.runtime.prefect_env import configure_prefect, start_local_api


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    configure_prefect()
    start_local_api()()
    from prefect import flow, get_client, task
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL

    @task
    def one() -> int:
        return 1

    @flow(name="probe")
    def probe() -> int:
        return one()

    if "--run-flow" in sys.argv:
        probe()
    api = str(PREFECT_API_URL.value())
    report: dict[str, Any] = {"api": api, "ui": _status(api.removesuffix("/api") + "/"), "flow_runs": []}
    with urllib.request.urlopen(f"{api}/admin/version", timeout=10) as answer:
        report["version"] = json.loads(answer.read())
    with get_client(sync_client=True) as client:
        flows = {f.id: f.name for f in client.read_flows()}
        for run in client.read_flow_runs():
            tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
            report["flow_runs"].append(
                {
                    "flow": flows[run.flow_id],
                    "state": run.state.name if run.state else None,
                    "infrastructure_pid": run.infrastructure_pid,
                    "tasks": sorted(t.state.name for t in tasks if t.state),
                }
            )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
