"""The one way the pipeline learns the time, so that tests can set it.

A command or flow takes its clock from the settings (Settings.clock): ANNUAL_REVIEW_NOW fixes it,
even for the command run in a subprocess.
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
