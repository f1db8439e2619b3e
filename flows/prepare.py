"""The yearly run: exports → validated tables → figures → letters → staging/<year>/ in the store.

Before any work the settings are checked and the store is written to once (a probe); then the run
takes the year's lease in the store and holds it until it has staged, so two runs never both stage.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from annual_review import steps
from annual_review.clock import Clock, current_clock
from annual_review.errors import PipelineError
from annual_review.extract.specs import check_may_be_empty
from annual_review.publish.lease import Lease, holding_lease
from annual_review.settings import Settings, load_settings
from annual_review.store.probe import open_checked_store
from annual_review.years import BusinessYear
from flows.caching import (
    IO_RETRIES,
    IO_RETRY_DELAYS,
    RENDER_CACHE,
    STEP_CACHE,
    code_version,
    retry_transient,
)
from flows.orphans import record_process
from flows.outcome import fail_cleanly, resolve_year
from flows.progress import letter_progress
from flows.report import (
    publish_peer_figures,
    publish_population_report,
    publish_run_report,
    publish_staged_links,
)

FORMATS = ("html", "pdf")
R = TypeVar("R")


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
    known_codes: list[str] | None,
    work: str,
    code: str,
) -> steps.Extracted:
    """Read and validate one export (`fingerprint`, its sha256, keys the cache to its content)."""
    return steps.extract_export(name, Path(path), year, known_codes, Path(work))


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
    code: str,
    previous: steps.PreviousYear,
) -> steps.Built:
    """Figures, fact tables and website JSON; `code` is the pipeline's source digest (caching.py).

    `previous` names the release of the year before by its sha256: a new release of it (or a
    correction) misses the cache.
    """
    return steps.build_tables(year, peer_method, formats, extracted, Path(work), previous)


@task(cache_policy=RENDER_CACHE)
def render(
    authority_year: str,
    year: BusinessYear,
    formats: tuple[str, ...],
    letter_date: date,
    release_date: date,
    content_dir: str | None,
    content_digest: str,
    workers: int,
    work: str,
    code: str,
) -> steps.Rendered:
    """The letters, the slowest step by far (PDF): the one a retry must not redo, and shows its progress."""
    return steps.render_letter_files(
        authority_year,
        year,
        formats,
        letter_date,
        release_date,
        Path(content_dir) if content_dir else None,
        content_digest,
        workers,
        Path(work),
        progress=letter_progress(year.label) if "pdf" in formats else None,
    )


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


def _fresh(step: Task[..., R], result: R, files: Iterable[str], *args: Any) -> R:
    """A cached result whose work files were cleaned away (var/work deleted) is computed again."""
    if all(Path(file).is_file() for file in files):
        return result
    return step.with_options(refresh_cache=True)(*args)


def _files(folder: str, keys: Iterable[str]) -> list[str]:
    return [str(Path(folder) / key) for key in keys]


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
) -> dict[str, Any]:
    """Extract, validate, transform, render and stage one business year.

    A scheduled run gives no year: it is the one that ended the last 31 March, read when the run
    starts (not when the deployment was served), from <exports_dir>/<year>/ unless input_dir says.
    `allow_empty` names exports that may have no rows for the year; `break_lease` takes over the
    lease of another run of the year that is known to be dead.
    """
    record_process()
    settings = load_settings()
    clock = current_clock()
    by = resolve_year(year, clock)
    allowed = check_may_be_empty(allow_empty or ())
    store_url = store or settings.store
    target = open_checked_store(store_url, endpoint_url=settings.s3_endpoint_url)
    with holding_lease(target, by, clock, break_existing=break_lease) as lease:
        return _prepare(
            settings,
            lease,
            by,
            Path(input_dir or settings.exports_dir / by.label),
            store_url,
            peer_method or settings.peer_method,
            tuple(f for f in FORMATS if f in (formats if formats is not None else FORMATS)),
            allowed,
        )


def _prepare(
    settings: Settings,
    lease: Lease,
    by: BusinessYear,
    input_dir: Path,
    store_url: str,
    method: str,
    letter_formats: tuple[str, ...],
    allowed: tuple[str, ...],
) -> dict[str, Any]:
    """The run under the lease, renewed between steps: exports → checks → build → render → stage."""
    log = get_run_logger()
    if lease.broken is not None:
        log.warning(f"took over the year's lease in the store from {lease.broken} (ended or broken)")
    work = str(_work_folder(settings.work_dir / by.label))
    code = code_version()

    extracted = _extract_all(input_dir, by, work, code)
    empty = steps.empty_exports(extracted.values())
    publish_run_report(by.label, list(extracted.values()), [n for n in empty if n in allowed])
    steps.check_empty(extracted.values(), empty, by, allowed)
    steps.check_reject_rates(extracted.values(), settings.max_reject_rate)
    lease.renew()

    previous = read_previous_year(store_url, settings.s3_endpoint_url, by, work)
    log.info(f"previous year {previous.label}: " + ("as released" if previous.path else "not released"))
    args = (by, method, letter_formats, extracted, work, code, previous)
    built = build(*args)
    built = _fresh(build, built, _files(built.folder, built.keys), *args)
    log.info(f"built {len(built.keys)} data and JSON files: {built.row_counts}")
    authority_year = str(Path(built.folder) / "data" / "authority_year.parquet")
    publish_peer_figures(by.label, str(Path(built.folder) / "data" / "peer_averages.parquet"))
    population = publish_population_report(by.label, authority_year, extracted.get("population"))
    lease.renew()

    rendered = _render_letters(built, by, letter_formats, settings, work, code) if letter_formats else None
    lease.renew()

    candidate = stage(store_url, settings.s3_endpoint_url, by, built, rendered, previous, lease.clock, empty)
    staged_keys = [entry["key"] for entry in candidate["files"]]
    log.info(f"staged {len(staged_keys)} files to {store_url}/staging/{by.label}/")
    publish_staged_links(by.label, store_url, staged_keys, settings.s3_endpoint_url)
    return {
        "year": by.label,
        "store": store_url,
        "peer_method": method,
        "files": {r.file: asdict(r) for r in (e.report for e in extracted.values())},
        "empty_exports": list(empty),
        "row_counts": built.row_counts,
        "staged": len(staged_keys),
        "letters": len(rendered.keys) if rendered else 0,
        "authority_year": authority_year,
        "population": population,
        "previous_year": previous.record(),
    }


def _work_folder(folder: Path) -> Path:
    """The year's work folder, made: one line if ANNUAL_REVIEW_WORK_DIR cannot hold it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        where = f" ({error.filename})" if error.filename and error.filename != str(folder) else ""
        problem = f"{error.strerror or error}{where}"
        raise PipelineError(
            f"work folder {folder} cannot be used: {problem}; check ANNUAL_REVIEW_WORK_DIR"
        ) from None
    return folder.resolve()


def _extract_all(input_dir: Path, by: BusinessYear, work: str, code: str) -> dict[str, steps.Extracted]:
    """Authorities first (the other exports are checked against them), then the others, side by side."""
    log = get_run_logger()
    paths = steps.locate_exports(input_dir)
    prints = {name: steps.export_sha256(path) for name, path in paths.items()}

    def args(name: str, codes: list[str] | None) -> tuple[Any, ...]:
        return (name, str(paths[name]), prints[name], by, codes, work, code)

    def fresh(result: steps.Extracted, name: str, codes: list[str] | None) -> steps.Extracted:
        return _fresh(extract, result, [result.accepted, result.rejects], *args(name, codes))

    authorities = fresh(extract(*args("authorities", None)), "authorities", None)
    codes = sorted(steps.read_table(authorities.accepted)["authority_code"])
    futures = {name: extract.submit(*args(name, codes)) for name in paths if name != "authorities"}
    extracted: dict[str, steps.Extracted] = {"authorities": authorities}
    extracted |= {n: fresh(f.result(), n, codes) for n, f in futures.items()}
    for e in extracted.values():
        r = e.report
        log.info(f"{r.file}: {r.rows_read} read, {r.rows_accepted} accepted, {r.rows_rejected} rejected")
    return extracted


def _render_letters(
    built: steps.Built,
    by: BusinessYear,
    letter_formats: tuple[str, ...],
    settings: Settings,
    work: str,
    code: str,
) -> steps.Rendered:
    """Letters from the built authority_year table; templates and content are part of the cache key."""
    args = (
        str(Path(built.folder) / "data" / "authority_year.parquet"),
        by,
        letter_formats,
        settings.letter_date(by),
        settings.release_time(by).date(),
        str(settings.content_dir) if settings.content_dir else None,
        steps.letter_sources_digest(settings.content_dir),
        settings.workers,
        work,
        code,
    )
    rendered: steps.Rendered = render(*args)
    rendered = _fresh(render, rendered, _files(rendered.folder, rendered.keys), *args)
    get_run_logger().info(f"rendered {len(rendered.keys)} letter files")
    return rendered
