"""The yearly run: exports → validated tables → figures → letters → staging/<year>/ in the store."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from annual_review import steps
from annual_review.clock import system_clock
from annual_review.settings import Settings
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


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAYS, retry_condition_fn=retry_transient)
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


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAYS,
    retry_condition_fn=retry_transient,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def stage(
    store_url: str,
    endpoint_url: str | None,
    year: BusinessYear,
    built: steps.Built,
    rendered: steps.Rendered | None,
    previous: steps.PreviousYear | None = None,
) -> dict[str, Any]:
    """Write the release candidate to staging/<year>/; never cached, since the store may have changed."""
    from annual_review.publish.staging import stage_release
    from annual_review.readers.website import site_files
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
        clock=system_clock,
        previous_year=previous.record() if previous else None,
    )


def _fresh(step: Any, result: Any, folder: str, keys: Any, *args: Any) -> Any:
    """A cached result whose work files were cleaned away is computed again."""
    if steps.outputs_exist(folder, keys):
        return result
    return step.with_options(refresh_cache=True)(*args)


@flow(name="prepare-year")
@fail_cleanly
def prepare_year(
    year: str | None = None,
    input_dir: str | None = None,
    store: str | None = None,
    peer_method: str | None = None,
    formats: list[str] | None = None,
) -> dict[str, Any]:
    """Extract, validate, transform, render and stage one business year.

    A scheduled run gives no year: it is the one that ended the last 31 March, read when the run
    starts (not when the deployment was served), from <exports_dir>/<year>/ unless input_dir says.
    """
    record_process()
    log = get_run_logger()
    settings = Settings()
    by = resolve_year(year, system_clock)
    input_dir = input_dir or str(settings.exports_dir / by.label)
    method = peer_method or settings.peer_method
    letter_formats = tuple(f for f in FORMATS if f in (formats if formats is not None else FORMATS))
    work = str((settings.work_dir / by.label).resolve())
    store_url = store or settings.store
    code = code_version()

    extracted = _extract_all(Path(input_dir), by, work, code)
    publish_run_report(by.label, list(extracted.values()))
    steps.check_reject_rates(extracted.values(), settings.max_reject_rate)

    previous = read_previous_year(store_url, settings.s3_endpoint_url, by, work)
    log.info(f"previous year {previous.label}: " + ("as released" if previous.path else "not released"))
    args = (by, method, letter_formats, extracted, work, code, previous)
    built = build(*args)
    built = _fresh(build, built, built.folder, built.keys, *args)
    log.info(f"built {len(built.keys)} data and JSON files: {built.row_counts}")
    authority_year = str(Path(built.folder) / "data" / "authority_year.parquet")
    publish_peer_figures(by.label, str(Path(built.folder) / "data" / "peer_averages.parquet"))
    population = publish_population_report(by.label, authority_year, extracted.get("population"))

    rendered = _render_letters(built, by, letter_formats, settings, work, code) if letter_formats else None

    candidate = stage(store_url, settings.s3_endpoint_url, by, built, rendered, previous)
    staged_keys = [entry["key"] for entry in candidate["files"]]
    log.info(f"staged {len(staged_keys)} files to {store_url}/staging/{by.label}/")
    publish_staged_links(by.label, store_url, staged_keys, settings.s3_endpoint_url)
    return {
        "year": by.label,
        "store": store_url,
        "peer_method": method,
        "files": {r.file: asdict(r) for r in (e.report for e in extracted.values())},
        "row_counts": built.row_counts,
        "staged": len(staged_keys),
        "letters": len(rendered.keys) if rendered else 0,
        "authority_year": authority_year,
        "population": population,
        "previous_year": previous.record(),
    }


def _extract_all(input_dir: Path, by: BusinessYear, work: str, code: str) -> dict[str, steps.Extracted]:
    """Authorities first (the case exports are checked against them), then the three case exports."""
    log = get_run_logger()
    paths = steps.locate_exports(input_dir)
    prints = {name: steps.file_sha256(path) for name, path in paths.items()}
    authorities = extract(
        "authorities", str(paths["authorities"]), prints["authorities"], by, None, work, code
    )
    codes = sorted(steps.read_table(authorities.accepted)["authority_code"])
    futures = {
        name: extract.submit(name, str(paths[name]), prints[name], by, codes, work, code)
        for name in ("received", "decisions", "compliance", "population")
        if name in paths
    }
    extracted: dict[str, steps.Extracted] = {"authorities": authorities}
    extracted |= {n: f.result() for n, f in futures.items()}
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
    rendered = _fresh(render, rendered, rendered.folder, rendered.keys, *args)
    get_run_logger().info(f"rendered {len(rendered.keys)} letter files")
    return rendered
