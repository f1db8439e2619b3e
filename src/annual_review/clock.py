"""The one way the pipeline learns the time, so that tests can set it.

A command or flow takes its clock once, at its start, from current_clock(). No setting or option
changes it (a way to move the clock would be a way to publish early); a test replaces
system_clock in this module, in its own process or, for the real command, in the subprocess
(tests/faults/sitecustomize.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def current_clock() -> Clock:
    """This process's clock: system_clock as this module holds it now (a test may have replaced it)."""
    return system_clock


def fixed_clock(at: datetime) -> Clock:
    """A clock that always reads `at` (timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("a fixed clock needs a timezone-aware datetime")
    return lambda: at
