"""PDF letters with Typst, in threads that set up a compiler once each and take chunks of letters."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import typst

from annual_review.letters import typeset as typeset_module
from annual_review.letters.typeset import TypesetError, letter_style, typeset

CHUNKS_PER_WORKER = 4  # small enough to balance the load, few enough that progress is not per letter

Progress = Callable[[int, int], None]  # told (letters done, letters in all) as rendering goes


class PdfCache(Protocol):
    """PDFs already rendered, by pdf_key: a letter whose HTML has not changed is not rendered again."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, pdfs: Mapping[str, bytes]) -> None: ...


class PdfError(RuntimeError):
    """Typst could not make a letter's PDF; names the letter."""


@cache
def _engine() -> str:
    """The engine and everything that shapes a PDF besides the HTML: Typst's version, the letter's style
    (templates/letter.typ) and the code that maps the HTML onto it."""
    shaping = hashlib.sha256(letter_style().encode() + Path(typeset_module.__file__).read_bytes()).hexdigest()
    return f"typst {version('typst')} {shaping[:16]}"


def pdf_key(html: str, day: date) -> str:
    """What a letter's PDF is made of: its HTML (figures, averages, content, templates and CSS, all
    inline), the day its metadata carries, and the engine (see _engine)."""
    return hashlib.sha256(f"{_engine()}\n{day.isoformat()}\n{html}".encode()).hexdigest()


_THREAD = threading.local()


def _compiler() -> typst.Compiler:
    """One compiler a thread (a compiler serves one compile at a time): fonts are found once, and
    Typst's caches stay warm between letters."""
    compiler: typst.Compiler | None = getattr(_THREAD, "compiler", None)
    if compiler is None:
        compiler = _THREAD.compiler = typst.Compiler()
    return compiler


def html_to_pdf(html: str) -> bytes:
    """One A4 letter, tagged for screen readers (PDF/UA-1: Typst refuses a letter that is not, e.g. a
    chart without its text alternative); fonts embedded; the same bytes for the same HTML. The PDF's
    dates are the HTML's dcterms meta tags; Typst's clock is pinned at 0, so no "now" gets in.

    A warning (a font missing, so another drawn in its place) stops the letter: nothing is sent that
    looks other than it should."""
    pdf, warnings = _compiler().compile_with_warnings(
        typeset(html).encode(), format="pdf", pdf_standards=["ua-1"], timestamp=0
    )
    if warnings:
        raise PdfError("; ".join(str(warning.message) for warning in warnings))
    if not isinstance(pdf, bytes):  # compile returns bytes when given no output; an upgrade that changes it
        raise PdfError("Typst returned no PDF bytes")
    return pdf


def _render_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    done = []
    for key, html in chunk:
        try:
            done.append((key, html_to_pdf(html)))
        except (typst.TypstError, TypesetError, PdfError) as error:
            raise PdfError(f"{key}: {error}") from None
    return done


def _chunks(items: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Interleaved slices, so long and short letters spread evenly over the workers."""
    return [chunk for chunk in (items[i::count] for i in range(count)) if chunk]


def usable_cpus() -> int:
    """CPUs this process may use (its affinity: `taskset`, a container's cpuset), not all the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(workers: int) -> int:
    """0 means one PDF thread per usable CPU."""
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
    threads = min(worker_count(workers), len(items))
    chunks = _chunks(items, max(threads, 1) * CHUNKS_PER_WORKER)
    total = len(htmls)

    def finished(pairs: list[tuple[str, bytes]]) -> None:
        done.update(pairs)
        if cache is not None:
            cache.put({keys[name]: pdf for name, pdf in pairs})
        if progress is not None:
            progress(len(done), total)

    if threads <= 1:
        for chunk in chunks:
            finished(_render_chunk(chunk))
        return dict(sorted(done.items()))
    # Threads, not processes: Typst compiles without the GIL, so two threads take 2 cores with no start-up
    # (a spawned process paid 1.5 s and more of imports, and outlived a run killed with SIGKILL).
    with ThreadPoolExecutor(threads, thread_name_prefix="pdf") as pool:
        futures = [pool.submit(_render_chunk, chunk) for chunk in chunks]
        try:
            for future in as_completed(futures):
                finished(future.result())
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the first failure stops what has not started
            raise
    return dict(sorted(done.items()))
