"""A local store whose writes under staging/ fail as a failing disk or network share does (EIO).

An I/O error may pass, so the `stage` task retries it (annual_review.errors.is_transient); used by
bench/retry.py, which times the UI's Retry after such an outage (tests/flows/test_retry.py runs it).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annual_review.store import local


@contextmanager
def staging_writes_fail() -> Iterator[None]:
    """Writes under staging/ raise EIO while inside; the store is back on leaving."""
    real_write = local.write_atomic

    def disk_failing_under_staging(path: Path, data: bytes) -> None:
        if "staging" in path.parts:
            raise OSError(errno.EIO, "Input/output error", str(path))
        real_write(path, data)

    local.write_atomic = disk_failing_under_staging
    try:
        yield
    finally:
        local.write_atomic = real_write
