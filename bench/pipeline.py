"""The pipeline's stages, timed through the real functions of steps.py, letters and publish."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from annual_review import steps
from annual_review.clock import fixed_clock
from annual_review.publish.staging import stage_release
from annual_review.steps import build as build_step
from annual_review.store import open_store
from bench.data import YEAR
from bench.figures import Figures, normalise

CASE_EXPORTS = ("received", "decisions", "compliance")
WRITERS = ("to_arrow", "parquet_bytes", "website_json", "write_files")  # what build_tables writes with
LETTER_DATE = YEAR.default_letter_date()
RELEASE_DATE = YEAR.default_release_time().date()
STAGED_AT = datetime(2020, 7, 1, tzinfo=UTC)


def extract_all(folder: Path, work: Path) -> dict[str, steps.Extracted]:
    """The flow's extract step: authorities first (for the known codes), then the three case exports."""
    paths = steps.locate_exports(folder)
    authorities = steps.extract_export("authorities", paths["authorities"], YEAR, None, work)
    cases = {name: steps.extract_export(name, paths[name], YEAR, authorities, work) for name in CASE_EXPORTS}
    return {"authorities": authorities, **cases}


@contextmanager
def _timing(module: Any, names: tuple[str, ...]) -> Iterator[list[float]]:
    """Time every call of `names` inside `module` (the real functions, wrapped, then put back)."""
    spent = [0.0]
    originals = {name: getattr(module, name) for name in names}

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return wrapper

    for name, function in originals.items():
        setattr(module, name, timed(function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def build(extracted: Mapping[str, steps.Extracted], work: Path) -> tuple[steps.Built, float, float]:
    """build_tables, split into its transform part and its Parquet+JSON part (seconds each)."""
    start = time.perf_counter()
    with _timing(build_step, WRITERS) as writing:
        built = steps.build_tables(YEAR, "mean", ("html", "pdf"), extracted, work)
    total = time.perf_counter() - start
    return built, total - writing[0], writing[0]


def figures(extracted: Mapping[str, steps.Extracted], built: steps.Built) -> Figures:
    """The pipeline's figures as published: the run report's counts and the two Parquet tables."""
    files = {e.report.file: (e.report.rows_accepted, e.report.rows_rejected) for e in extracted.values()}
    authority_year = pq.read_table(built.authority_year).to_pandas()
    peers = pq.read_table(built.peer_averages).to_pandas()
    return normalise(files, authority_year, peers)


def letters(
    built: steps.Built, formats: tuple[str, ...], workers: int, work: Path, content_dir: Path | None = None
) -> steps.Rendered:
    """The render step for `formats`; `workers` PDF processes (0: one per core); the shipped content
    unless `content_dir` is given (the 2024 edition's letters for this year, say)."""
    job = steps.RenderJob(
        built.authority_year,
        YEAR,
        formats,
        LETTER_DATE,
        RELEASE_DATE,
        content_dir,
        steps.letter_sources_digest(content_dir),
    )
    return steps.render_letter_files(job, workers, work)


def stage(built: steps.Built, rendered: list[steps.Rendered], store: Path) -> dict[str, Any]:
    """The stage step into a fresh local store: every file is written."""
    files = steps.read_files(built.folder, built.keys)
    for r in rendered:
        files |= steps.read_files(r.folder, r.keys)
    document: dict[str, Any] = stage_release(
        open_store(str(store)),
        YEAR,
        files,
        row_counts=built.row_counts,
        peer_method=built.peer_method,
        clock=fixed_clock(STAGED_AT),
    )
    return document
