"""letter_context: display values taken from the row as they are, nulls as None."""

from __future__ import annotations

import math

import pytest

from annual_review.letters import LetterContent, letter_context

from .rows import LETTER_DATE, RELEASE_DATE, YEAR, frame, northampton


def test_percentages_are_the_tables_not_recomputed(content: LetterContent) -> None:
    """A table that says 65 prints 65, even though 7/11 would display as 64."""
    context = letter_context(northampton(uphold_rate_pct=65), YEAR, LETTER_DATE, RELEASE_DATE, content)
    assert context["panels"]["upheld"]["rate_pct"] == 65


def test_nulls_from_the_parquet_round_trip_become_none(content: LetterContent) -> None:
    row = northampton(compliance_rate=None, compliance_rate_pct=None)
    record = frame(row).to_dict("records")[0]
    assert math.isnan(record["compliance_rate_pct"])
    context = letter_context(record, YEAR, LETTER_DATE, RELEASE_DATE, content)
    assert context["panels"]["compliance"]["rate_pct"] is None
    assert context["panels"]["upheld"]["rate_pct"] == 64
    assert isinstance(context["panels"]["upheld"]["rate_pct"], int)


def test_peer_values_are_ignored_without_a_peer_group(content: LetterContent) -> None:
    context = letter_context(northampton(peer_group=False), YEAR, LETTER_DATE, RELEASE_DATE, content)
    assert context["panels"]["upheld"]["peer_pct"] is None


def test_a_row_of_another_year_is_refused(content: LetterContent) -> None:
    with pytest.raises(ValueError, match="2020-21"):
        letter_context(northampton(year="2020-21"), YEAR, LETTER_DATE, RELEASE_DATE, content)


def test_a_null_count_is_refused(content: LetterContent) -> None:
    with pytest.raises(ValueError, match="E07000154: upheld is null"):
        letter_context(northampton(upheld=None), YEAR, LETTER_DATE, RELEASE_DATE, content)


def test_dates_are_long_form(content: LetterContent) -> None:
    context = letter_context(northampton(), YEAR, LETTER_DATE, RELEASE_DATE, content)
    assert context["letter_date"] == "22 July 2020"
    assert context["year"]["year_end"] == "31 March 2020"
    assert context["year"]["period"] == "1 April 2019 to 31 March 2020"
