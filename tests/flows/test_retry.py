"""The operator's path: a run whose staging fails, retried from the UI, redoes only the staging."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from uuid import UUID

import pytest

from bench.prefect_runs import states_by_name, task_runs_of
from bench.retry import retry_after_store_failure
from flows import prepare
from flows.prepare import prepare_year
from tests.helpers.exports import DAVENTRY, NORTHAMPTON, write_exports

pytestmark = pytest.mark.usefixtures("prefect_api")
YEAR = "2019-20"
STEPS_CACHED = {
    "extract-authorities": "Cached",
    "extract-received": "Cached",
    "extract-decisions": "Cached",
    "extract-compliance": "Cached",
    "build": "Cached",
    "render": "Cached",
}


@pytest.fixture(scope="module")
def deployment_id(prefect_api: None) -> UUID:
    """The prepare flow as a deployment: the server lets only a deployment's run be retried."""
    deployment = prepare_year.to_deployment(name="operator-path-test")
    return deployment.apply()  # type: ignore[union-attr, return-value]


def parameters(workdir: Path) -> dict[str, object]:
    return {
        "year": YEAR,
        "input_dir": str(workdir / "in"),
        "store": str(workdir / "store"),
        "formats": ["html"],
    }


def staged_files_match_candidate(store: Path) -> list[str]:
    """Every file the candidate lists is there with its sha256: the staged year is complete."""
    root = store / "staging" / YEAR
    candidate = json.loads((root / "candidate.json").read_bytes())
    for entry in candidate["files"]:
        assert hashlib.sha256((root / entry["key"]).read_bytes()).hexdigest() == entry["sha256"], entry
    return [entry["key"] for entry in candidate["files"]]


def test_retry_after_a_store_failure_restages_from_cache(
    workdir: Path, deployment_id: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_exports(workdir / "in")
    monkeypatch.setattr(prepare.stage, "retry_delay_seconds", [0, 0, 0])  # the same 3 retries, no waits
    store = workdir / "store"

    # The store fails as a failing disk or network share does (worth another try), then the UI's Retry:
    # bench/retry.py's scenario, which checks the failed run, stage's 1 + 3 tries and the Retry's success.
    first_tasks, retried = retry_after_store_failure(deployment_id, parameters(workdir), "test")

    assert states_by_name(first_tasks) == {
        **{name: "Completed" for name in STEPS_CACHED},
        "read_previous_year": "Completed",
        "stage": "Failed",
    }
    assert next(t for t in first_tasks if t.name.startswith("stage")).run_count == 4  # retried on I/O
    assert retried.run_count == 2  # the same flow run, run again
    seen = {t.id for t in first_tasks}
    assert states_by_name([t for t in task_runs_of(retried.id) if t.id not in seen]) == {
        **STEPS_CACHED,
        "read_previous_year": "Completed",  # never cached: the previous year may be released meanwhile
        "stage": "Completed",
    }
    keys = staged_files_match_candidate(store)
    assert {f"letters/{NORTHAMPTON}.html", "data/authority_year.parquet", "json/index.json"} <= set(keys)


def test_an_edited_export_reruns_only_what_depends_on_it(workdir: Path) -> None:
    write_exports(workdir / "in")
    kwargs = {**parameters(workdir), "return_state": True}
    assert prepare_year(**kwargs).is_completed()  # type: ignore[arg-type]
    with (workdir / "in" / "compliance.csv").open("a", newline="") as out:
        csv.writer(out).writerow(["18 102", DAVENTRY, "2019-10-01", "Complied"])

    state = prepare_year(**kwargs)  # type: ignore[arg-type]

    assert state.is_completed(), state.message
    assert states_by_name(task_runs_of(state.state_details.flow_run_id)) == {
        "extract-authorities": "Cached",
        "extract-received": "Cached",
        "extract-decisions": "Cached",
        "extract-compliance": "Completed",
        "read_previous_year": "Completed",
        "build": "Completed",
        "render": "Completed",
        "stage": "Completed",
    }
    staged_files_match_candidate(workdir / "store")
