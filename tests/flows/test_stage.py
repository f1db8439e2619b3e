"""The tasks that look at the store run every time they are called, whatever Prefect's defaults say."""

from __future__ import annotations

import shutil
from pathlib import Path

from prefect import flow
from prefect.settings import PREFECT_RESULTS_PERSIST_BY_DEFAULT, temporary_settings
from prefect.states import State

from annual_review import steps
from annual_review.years import BusinessYear
from flows.prepare import read_previous_year, stage

YEAR = BusinessYear(2019)


@flow
def stage_twice(store: str, built: steps.Built) -> list[State]:
    """Stage, lose the staged files, stage again with the same inputs in the same flow run (a UI Retry)."""
    first = stage(store, None, YEAR, built, None, return_state=True)
    shutil.rmtree(Path(store) / "staging")
    second = stage(store, None, YEAR, built, None, return_state=True)
    return [first, second]


def test_stage_runs_again_with_the_same_inputs_even_when_results_persist_by_default(
    prefect_api: None, tmp_path: Path
) -> None:
    folder = steps.write_files(tmp_path / "built", {"json/index.json": b'{"authorities": []}\n'})
    report = steps.BuildReport(peer_rows=(), authorities=0, with_letter=0, without_population=())
    built = steps.Built(str(folder), ("json/index.json",), {}, "mean", "digest", report)
    store = tmp_path / "store"
    with temporary_settings({PREFECT_RESULTS_PERSIST_BY_DEFAULT: True}):
        first, second = stage_twice(str(store), built)
    assert (first.name, second.name) == ("Completed", "Completed")
    staged = store / "staging" / YEAR.label
    assert (staged / "json" / "index.json").read_bytes() == b'{"authorities": []}\n'
    assert (staged / "candidate.json").is_file()


@flow
def read_previous_twice(store: str, work: str) -> list[State]:
    """The previous year read twice with the same inputs in one flow run (a UI Retry after a release)."""
    return [read_previous_year(store, None, YEAR, work, return_state=True) for _ in range(2)]


def test_the_previous_year_is_read_again_even_when_results_persist_by_default(
    prefect_api: None, tmp_path: Path
) -> None:
    with temporary_settings({PREFECT_RESULTS_PERSIST_BY_DEFAULT: True}):
        states = read_previous_twice(str(tmp_path / "store"), str(tmp_path / "work"))
    assert [state.name for state in states] == ["Completed", "Completed"]
