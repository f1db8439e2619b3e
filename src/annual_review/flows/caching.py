"""How tasks are cached, so that a retried run skips the steps that already succeeded."""

from __future__ import annotations

from prefect.cache_policies import INPUTS, TASK_SOURCE

# A step is skipped when the same code already ran on the same inputs (file digests, not paths
# alone) and its persisted result is still there. Writes to the store are never cached.
STEP_CACHE = INPUTS + TASK_SOURCE

# Retries for reading exports and talking to the store; pure computation is not retried.
IO_RETRIES = 3
IO_RETRY_DELAYS = [2, 10, 30]
