"""How tasks are cached, so that a retried run skips the steps that already succeeded."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.client.schemas.objects import State

from annual_review.errors import PipelineError

# A step is skipped when the same code already ran on the same inputs (file digests, not paths
# alone) and its persisted result is still there. Writes to the store are never cached.
# Results (and so the cache records) go to Prefect's result storage: PREFECT_RESULTS_LOCAL_STORAGE_PATH,
# ./var/prefect/results by default (prefect_env.py), or a storage block in production (docs/operations.md).
STEP_CACHE = INPUTS + TASK_SOURCE

# Arguments that change how a step runs but not what it makes: left out of the cache key.
RENDER_CACHE = STEP_CACHE - "workers"

# Retries for reading exports and talking to the store; pure computation is not retried.
# Below these, botocore retries each S3 request itself (store/s3.py: standard mode, 5 attempts).
IO_RETRIES = 3
IO_RETRY_DELAYS: list[float] = [2, 10, 30]

_PACKAGE = Path(__file__).resolve().parents[1]


def retry_transient(task: object, task_run: object, state: State[Any]) -> bool:
    """Retry a failed read or write, but not a bad input: trying again cannot fix a missing column."""
    return not isinstance(state.data, PipelineError)


@cache
def code_version(package: Path = _PACKAGE) -> str:
    """TASK_SOURCE sees only a task's own body: a fix in steps or transforms must also miss the cache."""
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith("flows/"):
            continue  # the tasks' own source is TASK_SOURCE's part; the flow body computes nothing
        sha.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()
