"""Parameters typed into the UI's Custom run: a mistake is one clear line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from annual_review.flows.prepare import prepare_year


@pytest.mark.usefixtures("prefect_api")
def test_a_bad_year_label_fails_with_one_line(workdir: Path) -> None:
    state = prepare_year(year="2019-2020", input_dir="in", store="store", return_state=True)
    assert state.is_failed()
    assert state.message == "business year '2019-2020' is not of the form YYYY-YY, e.g. 2019-20"
