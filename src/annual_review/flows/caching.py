"""How tasks are cached, so that a retried run skips the steps that already succeeded."""

from __future__ import annotations

from typing import Any

from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.states import State

from annual_review.errors import PipelineError

# A step is skipped when the same code already ran on the same inputs (file digests, not paths
# alone) and its persisted result is still there. Writes to the store are never cached.
STEP_CACHE = INPUTS + TASK_SOURCE

# Retries for reading exports and talking to the store; pure computation is not retried.
IO_RETRIES = 3
IO_RETRY_DELAYS = [2, 10, 30]


def retry_transient(task: object, task_run: object, state: State[Any]) -> bool:
    """Retry a failed read or write, but not a bad input: trying again cannot fix a missing column."""
    return not isinstance(state.data, PipelineError)
