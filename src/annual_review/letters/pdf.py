"""PDF letters with WeasyPrint, in worker processes that import it once and take chunks."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import cache
from importlib.metadata import version
from typing import Protocol

from annual_review.processes import exit_with_parent

CHUNKS_PER_WORKER = 4  # small enough to balance the load, large enough to keep pickling cheap

Progress = Callable[[int, int], None]  # told (letters done, letters in all) as rendering goes


class PdfCache(Protocol):
    """PDFs already rendered, by pdf_key: a letter whose HTML has not changed is not rendered again."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, pdfs: Mapping[str, bytes]) -> None: ...


@cache
def _engine() -> str:
    return f"weasyprint {version('weasyprint')}"


def pdf_key(html: str, day: date) -> str:
    """What a letter's PDF is made of: its HTML (figures, averages, content, templates and CSS, all
    inline), the day its metadata carries, and the engine's version."""
    return hashlib.sha256(f"{_engine()}\n{day.isoformat()}\n{html}".encode()).hexdigest()


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
    if pdf is None:  # write_pdf returns bytes when given no target; an upgrade that changes it stops here
        raise RuntimeError("WeasyPrint returned no PDF bytes")
    return bytes(pdf)


def _warm_up(parent: int) -> None:
    """Pay WeasyPrint's import and font set-up once per worker, not per letter; and end with the run's
    process, even when it is killed with SIGKILL (the pool's own shutdown then never runs)."""
    exit_with_parent(parent)
    import weasyprint  # noqa: F401


def _render_chunk(chunk: list[tuple[str, str]], day: date) -> list[tuple[str, bytes]]:
    with source_date(day):
        return [(key, html_to_pdf(html)) for key, html in chunk]


def _chunks(items: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Interleaved slices, so long and short letters spread evenly over the workers."""
    return [chunk for chunk in (items[i::count] for i in range(count)) if chunk]


def usable_cpus() -> int:
    """CPUs this process may use (its affinity: `taskset`, a container's cpuset), not all the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(workers: int) -> int:
    """0 means one process per usable CPU."""
    if workers < 0:
        raise ValueError("workers must be 0 (one per CPU) or more")
    return workers or usable_cpus()


def render_pdfs(
    htmls: Mapping[str, str],
    day: date,
    workers: int = 0,
    progress: Progress | None = None,
    cache: PdfCache | None = None,
) -> dict[str, bytes]:
    """Every HTML letter as PDF, keyed as given; the same bytes for the same `day`.

    With a `cache`, only the letters it lacks are rendered, and each chunk is put in it as it completes,
    so a render killed halfway resumes where it stopped. `progress(done, total)` is called in this
    process as each chunk of letters completes (a few dozen letters at a time), never per letter.
    """
    keys = {name: pdf_key(html, day) for name, html in htmls.items()} if cache else {}
    done: dict[str, bytes] = {}
    if cache is not None:
        done = {name: pdf for name, key in keys.items() if (pdf := cache.get(key)) is not None}
    items = sorted((name, html) for name, html in htmls.items() if name not in done)
    processes = min(worker_count(workers), len(items))
    chunks = _chunks(items, max(processes, 1) * CHUNKS_PER_WORKER)
    total = len(htmls)

    def finished(pairs: list[tuple[str, bytes]]) -> None:
        done.update(pairs)
        if cache is not None:
            cache.put({keys[name]: pdf for name, pdf in pairs})
        if progress is not None:
            progress(len(done), total)

    if processes <= 1:
        for chunk in chunks:
            finished(_render_chunk(chunk, day))
        return dict(sorted(done.items()))
    # spawn, not fork: a Prefect flow has threads running, which fork does not survive
    context = multiprocessing.get_context("spawn")
    run = os.getpid()
    with ProcessPoolExecutor(processes, context, initializer=_warm_up, initargs=(run,)) as pool:
        futures = [pool.submit(_render_chunk, chunk, day) for chunk in chunks]
        try:
            for future in as_completed(futures):
                finished(future.result())
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the first failure stops what has not started
            raise
    return dict(sorted(done.items()))
