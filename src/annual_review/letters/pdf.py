"""PDF letters with WeasyPrint, in worker processes that import it once and take chunks."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

CHUNKS_PER_WORKER = 4  # small enough to balance the load, large enough to keep pickling cheap


@contextmanager
def source_date(day: date) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH: fontTools stamps subset fonts with it instead of the time now."""
    epoch = str(int(datetime.combine(day, time(), tzinfo=UTC).timestamp()))
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def html_to_pdf(html: str) -> bytes:
    """One A4 letter; the PDF's own dates come from the page's dcterms meta tags."""
    from weasyprint import HTML  # imported here: only PDF work pays for it

    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)


def _warm_up() -> None:
    """Pay WeasyPrint's import and font set-up once per worker, not per letter."""
    import weasyprint  # noqa: F401


def _render_chunk(chunk: list[tuple[str, str]], day: date) -> list[tuple[str, bytes]]:
    with source_date(day):
        return [(key, html_to_pdf(html)) for key, html in chunk]


def _chunks(items: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Interleaved slices, so long and short letters spread evenly over the workers."""
    return [chunk for chunk in (items[i::count] for i in range(count)) if chunk]


def worker_count(workers: int) -> int:
    """0 means one process per core."""
    if workers < 0:
        raise ValueError("workers must be 0 (one per core) or more")
    return workers or os.cpu_count() or 1


def render_pdfs(htmls: Mapping[str, str], day: date, workers: int = 0) -> dict[str, bytes]:
    """Every HTML letter as PDF, keyed as given; the same bytes for the same `day`."""
    items = sorted(htmls.items())
    processes = min(worker_count(workers), len(items))
    if processes <= 1:
        return dict(_render_chunk(items, day))
    # spawn, not fork: a Prefect flow has threads running, which fork does not survive
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_warm_up) as pool:
        chunks = _chunks(items, processes * CHUNKS_PER_WORKER)
        results = pool.map(_render_chunk, chunks, [day] * len(chunks))
        return dict(sorted(pair for chunk in results for pair in chunk))
