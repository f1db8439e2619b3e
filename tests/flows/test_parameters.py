"""Parameters typed into the UI's Custom run: a mistake is one clear line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.prepare import prepare_year


@pytest.mark.usefixtures("prefect_api")
def test_a_bad_year_label_fails_with_one_line(workdir: Path) -> None:
    state = prepare_year(year="2019-2020", input_dir="in", store="store", return_state=True)
    assert state.is_failed()
    assert state.message == "business year '2019-2020' is not of the form YYYY-YY, e.g. 2019-20"


def test_a_scheduled_run_is_for_the_year_that_ended_last_31_march() -> None:
    from datetime import datetime

    from annual_review.clock import fixed_clock
    from annual_review.years import LONDON
    from flows.runtime.outcome import resolve_year

    release_day = fixed_clock(datetime(2027, 7, 29, 9, 30, tzinfo=LONDON))
    assert resolve_year(None, release_day).label == "2026-27"
    assert resolve_year("2019-20", release_day).label == "2019-20"


@pytest.mark.usefixtures("prefect_api")
def test_without_input_dir_the_exports_folder_of_the_year_is_read(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_EXPORTS_DIR", str(workdir / "exports"))
    state = prepare_year(year="2019-20", store="store", return_state=True)
    assert state.is_failed()
    assert state.message == f"input folder {workdir / 'exports' / '2019-20'} does not exist"
