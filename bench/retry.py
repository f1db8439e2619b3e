"""Full run vs a UI retry after a failed staging, and Prefect's share: python -m bench.retry [scale].

The store fails as a disk or network share does (EIO under staging/, bench/failing_store.py): the
`stage` task retries it 3 times (without the waits here) and the run fails; the Retry then finds it back.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun, TaskRun

T = TypeVar("T")


def isolate_prefect() -> None:
    """A Prefect home of its own, set before Prefect is imported (it reads its settings once)."""
    home = Path(tempfile.mkdtemp(prefix="bench-retry-prefect-"))
    os.environ.update(
        PREFECT_HOME=str(home),
        PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(home / "results"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="CRITICAL",  # the injected failure's tracebacks would bury the timings
    )


def timed(label: str, action: Callable[..., T], *args: Any) -> T:
    start = time.perf_counter()
    result = action(*args)
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s", flush=True)
    return result


def direct_run(exports: Path, work: Path, store: Path, formats: tuple[str, ...]) -> None:
    """The flow's steps called straight from steps.py, in the flow's order, without Prefect."""
    from annual_review import steps
    from annual_review.clock import system_clock
    from annual_review.outputs.site import site_files
    from annual_review.publish.staging import stage_release
    from annual_review.settings import Settings
    from annual_review.store import open_store
    from annual_review.years import BusinessYear

    settings, year, target = Settings(), BusinessYear.parse("2019-20"), open_store(str(store))
    paths = steps.locate_exports(exports)
    _prints = {name: steps.export_sha256(path) for name, path in paths.items()}  # as the flow does
    authorities = steps.extract_export("authorities", paths["authorities"], year, None, work)
    extracted = {"authorities": authorities} | {
        name: steps.extract_export(name, path, year, authorities, work)
        for name, path in paths.items()
        if name != "authorities"  # population too, when there
    }
    steps.check_empty(extracted.values(), steps.empty_exports(extracted.values()), year, ())
    steps.check_reject_rates(extracted.values(), settings.max_reject_rate)
    previous = steps.fetch_previous_year(target, year, work)
    built = steps.build_tables(year, "mean", formats, extracted, work, previous)
    rendered = steps.render_letter_files(
        steps.render_job(built, year, formats, settings), settings.workers, work
    )
    files = steps.read_files(built.folder, built.keys) | site_files()
    files |= steps.read_files(rendered.folder, rendered.keys)
    stage_release(
        target,
        year,
        files,
        row_counts=built.row_counts,
        peer_method="mean",
        clock=system_clock,
        previous_year=previous.record(),
    )


def retry_after_store_failure(
    deployment_id: UUID, parameters: dict[str, Any], tag: str
) -> tuple[list[TaskRun], FlowRun]:
    """A run whose staging fails on an I/O error (EIO: retried by the task, then Failed), then the UI's
    Retry with the store back, timed: the failed run's task runs and the retried run (the same flow run).
    tests/flows/test_retry.py runs it. A store that refuses (a file in place of a folder) is not retried."""
    from bench.failing_store import staging_writes_fail
    from bench.prefect_runs import retry_as_the_ui_does, start_from_deployment, task_runs_of
    from flows import prepare
    from flows.prepare import prepare_year

    with staging_writes_fail():  # the store is down while the run stages, and back before the Retry
        failed = start_from_deployment(prepare_year, deployment_id, parameters)
    assert failed.state is not None and failed.state.is_failed()
    tasks = task_runs_of(failed.id)
    stage = next(t for t in tasks if t.name.startswith("stage"))
    retried = timed(f"retry after a staging failure, {tag}", retry_as_the_ui_does, prepare_year, failed.id)
    assert retried.state is not None and retried.state.is_completed(), retried.state
    assert stage.run_count == 1 + prepare.stage.retries, f"staging ran {stage.run_count} times, not retried"
    return tasks, retried


def main(scale: float = 1.0) -> None:
    isolate_prefect()
    from prefect.testing.utilities import prefect_test_harness

    from annual_review.letters.pdf import usable_cpus
    from annual_review.synthetic import generate_exports
    from annual_review.years import BusinessYear
    from bench.prefect_runs import start_from_deployment
    from flows import prepare
    from flows.prepare import prepare_year

    root = Path(tempfile.mkdtemp(prefix="bench-retry-"))
    os.chdir(root)
    exports = root / "in"
    generate_exports(BusinessYear.parse("2019-20"), exports, scale=scale, seed=0)
    print(f"scale {scale}: exports in {exports}; {usable_cpus()} CPUs for the PDF letters", flush=True)
    prepare.stage.retry_delay_seconds = [0, 0, 0]  # the failed attempt's 3 retries, without the waits

    def params(tag: str, formats: list[str]) -> dict[str, Any]:
        """A work folder of its own per run: a cold cache (the work path is part of the key)."""
        os.environ["ANNUAL_REVIEW_WORK_DIR"] = str(root / tag / "work")
        store = str(root / tag / "store")
        return {"year": "2019-20", "input_dir": str(exports), "store": store, "formats": formats}

    with prefect_test_harness(server_startup_timeout=120):
        deployment_id = prepare_year.to_deployment(name="bench").apply()  # type: ignore[union-attr]
        for formats in (["html", "pdf"], ["html"]):
            tag = "-".join(formats)
            full = params(f"full-{tag}", formats)
            timed(f"full run, {tag}, cold cache", start_from_deployment, prepare_year, deployment_id, full)
            retry_after_store_failure(deployment_id, params(f"retry-{tag}", formats), tag)

        for attempt in (1, 2):
            engine = params(f"engine-{attempt}", ["html"])
            timed(
                f"html via the engine, cold cache #{attempt}",
                start_from_deployment,
                prepare_year,
                deployment_id,
                engine,
            )
            direct = (
                exports,
                root / f"direct-{attempt}" / "work",
                root / f"direct-{attempt}" / "store",
                ("html",),
            )
            timed(f"html, steps called directly #{attempt}", direct_run, *direct)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
