"""Progress of the PDF letters, the longest step: an artifact in the Prefect UI, and any watcher here."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact

from annual_review.letters.pdf import Progress

ARTIFACT_EVERY = 2.0  # seconds: chunks of letters end every few seconds; the UI needs no more than this

_watchers: list[Progress] = []


@contextmanager
def watching(watcher: Progress) -> Iterator[None]:
    """Tell `watcher` (e.g. the command line's progress bar) of the letters rendered in this process."""
    _watchers.append(watcher)
    try:
        yield
    finally:
        _watchers.remove(watcher)


def letter_progress(year: str, clock: Callable[[], float] = time.monotonic) -> Progress:
    """A progress artifact `pdf-letters-<year>` at 0 %, and the function that moves it (and the watchers)."""
    artifact = create_progress_artifact(
        progress=0.0, key=f"pdf-letters-{year}", description=f"PDF letters of {year} rendered so far"
    )
    if not isinstance(artifact, UUID):  # a coroutine when called from async code, which the tasks are not
        raise TypeError(f"create_progress_artifact gave {type(artifact).__name__}, not an artifact id")
    last = clock()

    def report(done: int, total: int) -> None:
        nonlocal last
        for watcher in list(_watchers):
            watcher(done, total)
        if done == total or clock() - last >= ARTIFACT_EVERY:
            update_progress_artifact(artifact, progress=100.0 * done / total)
            last = clock()

    return report
