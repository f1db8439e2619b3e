"""The yearly run: exports → validated tables → figures → letters → staging/<year>/ in the store.

Before any work the settings are checked and the store is written to once (a probe); then the run
takes the year's lease in the store and holds it until it has staged, so two runs never both stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from annual_review import steps
from annual_review.clock import Clock, current_clock
from annual_review.extract.rejects import FileReport
from annual_review.extract.specs import check_may_be_empty
from annual_review.layout import LETTER_FORMATS, staging_prefix
from annual_review.parameters import check_letter_formats, check_peer_method
from annual_review.publish.lease import Lease, holding_lease
from annual_review.settings import Settings, load_settings
from annual_review.store.probe import open_checked_store
from annual_review.years import BusinessYear
from flows.progress import letter_progress
from flows.report import (
    PopulationReport,
    report_peer_figures,
    report_population,
    report_rows,
    report_staged_links,
)
from flows.runtime.caching import (
    IO_RETRIES,
    IO_RETRY_DELAYS,
    RENDER_CACHE,
    STEP_CACHE,
    code_version,
    retry_transient,
)
from flows.runtime.orphans import record_process
from flows.runtime.outcome import fail_cleanly, resolve_year


@dataclass(frozen=True)
class RunSummary:
    """What a run did, for the command to print: the counts per export, the peer figures as shown, what
    the per-100k and last year's figures rest on, and what was staged."""

    year: str
    store: str
    peer_method: str
    files: dict[str, FileReport]  # by file name
    empty_exports: tuple[str, ...]
    row_counts: dict[str, int]
    report: steps.BuildReport
    population: PopulationReport
    previous_year: dict[str, Any]
    letters: int
    staged: int


@task(
    task_run_name="extract-{name}",
    cache_policy=STEP_CACHE,
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAYS,
    retry_condition_fn=retry_transient,
)
def extract(
    name: str,
    path: str,
    fingerprint: str,
    year: BusinessYear,
    authorities: steps.Extracted | None,
    work: str,
    code_version: str,
) -> steps.Extracted:
    """Read and validate one export (`fingerprint`, its sha256, keys the cache to its content) against
    the year's authorities (their own extract's result: None for the authorities themselves)."""
    return steps.extract_export(name, Path(path), year, authorities, Path(work))


# A step that looks at the store: retried on I/O failures, and run every time it is called (never
# Cached, no result kept), whatever Prefect's defaults say: the store may have changed since.
store_step = task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAYS,
    retry_condition_fn=retry_transient,
    cache_policy=NO_CACHE,
    persist_result=False,
)


@store_step
def read_previous_year(
    store_url: str, endpoint_url: str | None, year: BusinessYear, work: str
) -> steps.PreviousYear:
    """The year before as released (public/ of the store); never cached: it may be released meanwhile."""
    from annual_review.store import open_store

    store = open_store(store_url, endpoint_url=endpoint_url)
    return steps.fetch_previous_year(store, year, Path(work))


@task(cache_policy=STEP_CACHE)
def build(
    year: BusinessYear,
    peer_method: str,
    formats: tuple[str, ...],
    extracted: dict[str, steps.Extracted],
    work: str,
    code_version: str,
    previous: steps.PreviousYear,
) -> steps.Built:
    """Figures, fact tables and website JSON; `code_version` is the pipeline's source digest (caching.py).

    `previous` names the release of the year before by its sha256: a new release of it (or a
    correction) misses the cache.
    """
    return steps.build_tables(year, peer_method, formats, extracted, Path(work), previous)


@task(cache_policy=RENDER_CACHE)
def render(job: steps.RenderJob, workers: int, work: str, code_version: str) -> steps.Rendered:
    """The letters, the slowest step by far (PDF): the one a retry must not redo, and shows its progress."""
    progress = letter_progress(job.year.label) if "pdf" in job.formats else None
    return steps.render_letter_files(job, workers, Path(work), progress)


@store_step
def stage(
    store_url: str,
    endpoint_url: str | None,
    year: BusinessYear,
    built: steps.Built,
    rendered: steps.Rendered | None,
    previous: steps.PreviousYear | None = None,
    clock: Clock | None = None,
    empty_exports: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Write the release candidate to staging/<year>/; never cached, since the store may have changed."""
    from annual_review.outputs.site import site_files
    from annual_review.publish.staging import stage_release
    from annual_review.store import open_store

    files = steps.read_files(built.folder, built.keys) | site_files()
    if rendered:
        files |= steps.read_files(rendered.folder, rendered.keys)
    return stage_release(
        open_store(store_url, endpoint_url=endpoint_url),
        year,
        files,
        row_counts=built.row_counts,
        peer_method=built.peer_method,
        clock=clock or current_clock(),
        previous_year=previous.record() if previous else None,
        empty_exports=empty_exports,
    )


class _WorkFiles(Protocol):
    """A step's result: it names the work files it wrote."""

    @property
    def files(self) -> tuple[str, ...]: ...


W = TypeVar("W", bound=_WorkFiles)


def _rerun_if_files_gone(step: Task[..., W], result: W, *args: Any) -> W:
    """A cached result whose work files were cleaned away (var/work deleted) is computed again."""
    if steps.all_present(result.files):
        return result
    return step.with_options(refresh_cache=True)(*args)


def _run_step(step: Task[..., W], *args: Any) -> W:
    return _rerun_if_files_gone(step, step(*args), *args)


@flow(name="prepare-year")
@fail_cleanly
def prepare_year(
    year: str | None = None,
    input_dir: str | None = None,
    store: str | None = None,
    peer_method: str | None = None,
    formats: list[str] | None = None,
    allow_empty: list[str] | None = None,
    break_lease: bool = False,
) -> RunSummary:
    """Extract, validate, transform, render and stage one business year.

    A scheduled run gives no year: it is the one that ended the last 31 March, read when the run
    starts (not when the deployment was served), from <exports_dir>/<year>/ unless input_dir says.
    `allow_empty` names exports that may have no rows for the year; `break_lease` takes over the
    lease of another run of the year that is known to be dead.
    """
    record_process()
    settings = load_settings()
    clock = current_clock()
    business_year = resolve_year(year, clock)
    allowed = check_may_be_empty(allow_empty or ())
    letter_formats = LETTER_FORMATS if formats is None else check_letter_formats(formats)
    method = check_peer_method(peer_method or settings.peer_method)
    store_url = store or settings.store
    target = open_checked_store(store_url, endpoint_url=settings.s3_endpoint_url)
    with holding_lease(target, business_year, clock, break_existing=break_lease) as lease:
        return _prepare(
            settings,
            lease,
            business_year,
            Path(input_dir or settings.exports_dir / business_year.label),
            store_url,
            method,
            letter_formats,
            allowed,
        )


def _prepare(
    settings: Settings,
    lease: Lease,
    year: BusinessYear,
    input_dir: Path,
    store_url: str,
    method: str,
    letter_formats: tuple[str, ...],
    allowed: tuple[str, ...],
) -> RunSummary:
    """The run under the lease, renewed between steps: exports → checks → build → render → stage."""
    log = get_run_logger()
    if lease.broken is not None:
        log.warning(f"took over the year's lease in the store from {lease.broken} (ended or broken)")
    work = str(steps.make_work_folder(settings.work_dir / year.label))
    code = code_version()

    extracted = _extract_all(input_dir, year, work, code)
    empty = steps.empty_exports(extracted.values())
    report_rows(year.label, list(extracted.values()), [n for n in empty if n in allowed])
    steps.check_empty(extracted.values(), empty, year, allowed)
    steps.check_reject_rates(extracted.values(), settings.max_reject_rate)
    lease.renew()

    previous = read_previous_year(store_url, settings.s3_endpoint_url, year, work)
    log.info(f"previous year {previous.label}: " + ("as released" if previous.path else "not released"))
    built = _run_step(build, year, method, letter_formats, extracted, work, code, previous)
    log.info(f"built {len(built.keys)} data and JSON files: {built.row_counts}")
    report_peer_figures(year.label, built.report)
    population = report_population(year.label, built.report, extracted.get("population"))
    lease.renew()

    rendered = None
    if letter_formats:
        job = steps.render_job(built, year, letter_formats, settings)
        rendered = _run_step(render, job, settings.workers, work, code)
        log.info(f"rendered {rendered.describe()}")
    lease.renew()

    candidate = stage(
        store_url, settings.s3_endpoint_url, year, built, rendered, previous, lease.clock, empty
    )
    staged_keys = [entry["key"] for entry in candidate["files"]]
    log.info(f"staged {len(staged_keys)} files to {store_url}/{staging_prefix(year)}")
    report_staged_links(year.label, store_url, staged_keys)
    return RunSummary(
        year=year.label,
        store=store_url,
        peer_method=method,
        files={e.report.file: e.report for e in extracted.values()},
        empty_exports=empty,
        row_counts=built.row_counts,
        report=built.report,
        population=population,
        previous_year=previous.record(),
        letters=len(rendered.keys) if rendered else 0,
        staged=len(staged_keys),
    )


def _extract_all(input_dir: Path, year: BusinessYear, work: str, code: str) -> dict[str, steps.Extracted]:
    """Authorities first (the other exports are checked against them), then the others, side by side."""
    log = get_run_logger()
    paths = steps.locate_exports(input_dir)
    fingerprints = {name: steps.export_sha256(path) for name, path in paths.items()}

    def args(name: str, authorities: steps.Extracted | None) -> tuple[Any, ...]:
        return (name, str(paths[name]), fingerprints[name], year, authorities, work, code)

    authorities = _run_step(extract, *args("authorities", None))
    futures = {name: extract.submit(*args(name, authorities)) for name in paths if name != "authorities"}
    extracted: dict[str, steps.Extracted] = {"authorities": authorities}
    extracted |= {
        name: _rerun_if_files_gone(extract, future.result(), *args(name, authorities))
        for name, future in futures.items()
    }
    for e in extracted.values():
        r = e.report
        log.info(f"{r.file}: {r.rows_read} read, {r.rows_accepted} accepted, {r.rows_rejected} rejected")
    return extracted
