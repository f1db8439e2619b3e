"""The settings: checked once, one line per mistake, every per-year key a real year."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annual_review.errors import PipelineError
from annual_review.settings import Settings, load_settings
from annual_review.years import BusinessYear
from transforms.vocab import PEER_METHODS


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LETTER_DATES", '{"2091-20": "2020-07-22"}', "the second part must be the year after 2091"),
        ("LETTER_DATES", '{"2019-20": "2019-07-22"}', "the letter date of 2019-20 (2019-07-22) is before"),
        ("RELEASE_TIMES", '{"2019-20": "2019-07-29T09:30:00+01:00"}', "release time of 2019-20 (2019-07-29"),
        ("RELEASE_TIMES", '{"2019-20": "2020-07-29T09:30:00"}', "release time of 2019-20 needs a timezone"),
        ("PEER_METHOD", "median", "Input should be 'mean' or 'pooled'"),
        ("WORKERS", "-1", ": Input should be greater than or equal to 0 (got '-1')"),
    ],
)
def test_a_mistake_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(f"ANNUAL_REVIEW_{variable}", value)
    expected = rf"^settings: ANNUAL_REVIEW_{variable}.*{re.escape(message)}"
    with pytest.raises(PipelineError, match=expected) as caught:
        load_settings()
    assert "\n" not in str(caught.value)


def test_the_peer_methods_are_the_vocabulary_s() -> None:
    assert Settings.model_fields["peer_method"].annotation is not str
    for method in PEER_METHODS:
        assert Settings(peer_method=method).peer_method == method


def test_a_letter_date_for_a_year_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_LETTER_DATES", '{"2019-20": "2020-07-20"}')
    assert str(load_settings().letter_date(BusinessYear.parse("2019-20"))) == "2020-07-20"


def test_a_content_folder_that_does_not_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_CONTENT_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(
        PipelineError, match=r"^settings: ANNUAL_REVIEW_CONTENT_DIR: .*nowhere is not a folder"
    ):
        load_settings()
