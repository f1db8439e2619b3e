"""A user's error ends a flow run as Failed with its one-line message, not as a crash with a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from prefect import get_run_logger
from prefect.states import Failed

from annual_review.clock import Clock
from annual_review.errors import PipelineError
from annual_review.years import BusinessYear
from flows.runtime.prefect_env import drop_user_error_tracebacks

R = TypeVar("R")


def fail_cleanly(body: Callable[..., R]) -> Callable[..., R]:
    """Wrap a flow body: PipelineError → a Failed state carrying the message (shown in the UI and CLI).

    Its tasks' PipelineErrors are logged without a traceback too, in whichever process imports the flow.
    """
    drop_user_error_tracebacks()

    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> R:
        try:
            return body(*args, **kwargs)
        except PipelineError as error:
            get_run_logger().error(str(error))
            return Failed(message=str(error))  # type: ignore[return-value]

    return run


def resolve_year(label: str | None, clock: Clock) -> BusinessYear:
    """The year a run is for: as given, or (a scheduled run) the one that ended the last 31 March."""
    if label is None:
        return BusinessYear.ended_before(clock())
    try:
        return BusinessYear.parse(label)
    except ValueError as error:  # typed into the UI's Custom run: one line, not a traceback
        raise PipelineError(str(error)) from None
