"""Parameters typed into the UI's Custom run: a mistake is one clear line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.prepare import prepare_year
from tests.helpers.exports import write_exports


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


@pytest.mark.usefixtures("prefect_api")
@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {
                "formats": ["HTML", "PDF"]
            },  # completed with 0 letters, and release published a year without any
            "formats takes html, pdf or both (html,pdf), or none; not HTML, PDF",
        ),
        ({"peer_method": "Pooled"}, "peer_method must be mean or pooled, not 'Pooled'"),
        ({"allow_empty": ["Compliance"]}, "--allow-empty takes received, decisions, compliance, population"),
    ],
)
def test_a_custom_run_s_parameters_are_checked_as_the_command_s_options(
    workdir: Path, parameters: dict[str, object], message: str
) -> None:
    write_exports(workdir / "in")
    state = prepare_year(year="2019-20", input_dir="in", store="store", **parameters, return_state=True)
    assert state.is_failed()
    assert str(state.message).startswith(message), state.message
    assert not (workdir / "store" / "staging").exists()  # before any work: nothing staged, no lease
    assert not (workdir / "var" / "work").exists()
