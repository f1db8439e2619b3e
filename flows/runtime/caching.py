"""How tasks are cached, so that a retried run skips the steps that already succeeded."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.client.schemas.objects import State

import annual_review
import transforms
from annual_review import steps
from annual_review.errors import is_transient

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


def failure_of(state: State[Any]) -> BaseException | None:
    """The exception a failed task run ended with (in its data, or raised by its result)."""
    if isinstance(state.data, BaseException):
        return state.data
    try:
        state.result()
    except BaseException as error:
        return error
    return None


def retry_transient(task: object, task_run: object, state: State[Any]) -> bool:
    """Retry an I/O failure that may pass; never a file's content, a user's error or a bug."""
    error = failure_of(state)
    return error is not None and is_transient(error)


# What computes the steps' bytes besides our own code: an upgrade of one must miss the cache too.
COMPUTING_LIBRARIES = ("pandas", "pyarrow", "pandera", "python-calamine", "jinja2", "typst")


@cache
def code_version(*packages: Path) -> str:
    """TASK_SOURCE sees only a task's own body: a fix in the library or transforms must also miss the cache.

    Hashes the Python sources of the library (annual_review) and the statistics (transforms), not
    flows/: the tasks' own source is TASK_SOURCE's part and the flow bodies compute nothing. The letters'
    templates are keyed separately (steps.letter_sources_digest), so that an editor's change re-renders
    the letters only.
    """
    roots = packages or (Path(annual_review.__file__).parent, Path(transforms.__file__).parent)
    return steps.digest_of(
        [steps.tree_digest(root, "*.py") for root in roots],
        {name: version(name) for name in COMPUTING_LIBRARIES},
    )
