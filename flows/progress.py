"""Progress of the PDF letters, the longest step: an artifact in the Prefect UI, and any watcher here."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

from prefect import get_run_logger
from prefect.artifacts import create_progress_artifact, update_progress_artifact

from annual_review.letters.pdf import Progress

ARTIFACT_EVERY = 2.0  # seconds: chunks of letters end every few seconds; the UI needs no more than this
LOG_EVERY = 5.0  # seconds between plain log lines (what a run whose output goes to a file shows)

_watchers: list[Progress] = []


@contextmanager
def watching(watcher: Progress) -> Iterator[None]:
    """Tell `watcher` (e.g. the command line's progress bar) of the letters rendered in this process."""
    _watchers.append(watcher)
    try:
        yield
    finally:
        _watchers.remove(watcher)


def letter_progress(
    year: str, clock: Callable[[], float] = time.monotonic, log: Callable[[str], None] | None = None
) -> Progress:
    """A progress artifact `pdf-letters-<year>` at 0 %, and the function that moves it (and the watchers),
    with a log line every few seconds: the count and an estimate of the time left."""
    artifact = create_progress_artifact(
        progress=0.0, key=f"pdf-letters-{year}", description=f"PDF letters of {year} rendered so far"
    )
    if not isinstance(artifact, UUID):  # a coroutine when called from async code, which the tasks are not
        raise TypeError(f"create_progress_artifact gave {type(artifact).__name__}, not an artifact id")
    say = log or get_run_logger().info
    started = last = logged = clock()

    def report(done: int, total: int) -> None:
        nonlocal last, logged
        for watcher in list(_watchers):
            watcher(done, total)
        now = clock()
        if done == total or now - last >= ARTIFACT_EVERY:
            update_progress_artifact(artifact, progress=100.0 * done / total)
            last = now
        if done == total or now - logged >= LOG_EVERY:
            say(f"PDF letters of {year}: {done} of {total}{_time_left(done, total, now - started)}")
            logged = now

    return report


def _time_left(done: int, total: int, elapsed: float) -> str:
    if done == total:
        return f", done in {elapsed:.0f} s"
    if done == 0 or elapsed <= 0:
        return ""
    return f", about {(total - done) * elapsed / done:.0f} s left"
