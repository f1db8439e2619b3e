"""Serve the deployments to the Prefect API in PREFECT_API_URL (`make ui` starts one with its UI)."""

from __future__ import annotations

from flows.runtime.prefect_env import configure_prefect


def main() -> None:
    """Runs until stopped; each scheduled or triggered run executes in a subprocess of this one."""
    configure_prefect()
    from prefect import serve

    from deployments.schedules import build_deployments
    from flows.runtime.orphans import crash_orphaned_runs, crashed_note

    for run in crash_orphaned_runs():  # a run this machine was running when it was killed or lost
        print(crashed_note(run), flush=True)
    serve(*build_deployments(), limit=1)


if __name__ == "__main__":
    main()
