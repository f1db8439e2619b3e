"""bench/retry.py times a UI Retry after a store failure that the pipeline retries, as a real outage is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.retry import retry_after_store_failure
from flows import prepare
from flows.prepare import prepare_year
from tests.flows.exports import write_exports


@pytest.mark.usefixtures("prefect_api")
def test_the_bench_s_store_failure_is_retried_then_the_ui_retry_stages(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_exports(workdir / "in")
    monkeypatch.setattr(prepare.stage, "retry_delay_seconds", [0, 0, 0])  # as the bench does
    deployment_id = prepare_year.to_deployment(name="bench-retry-test").apply()
    store = workdir / "store"
    parameters = {
        "year": "2019-20",
        "input_dir": str(workdir / "in"),
        "store": str(store),
        "formats": ["html"],
    }

    retried = retry_after_store_failure(deployment_id, parameters, "html")  # asserts stage ran 1 + 3 times

    assert retried.run_count == 2  # the same flow run, run again by the Retry
    assert (store / "staging" / "2019-20" / "candidate.json").is_file()
