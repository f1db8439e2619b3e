"""Parsing per distinct value gives what parsing every row would, NA and repeats included."""

import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from annual_review.extract.parse import canonical, parse_dates, repeated, split_detail

INDEX = pd.Index([10, 11, 12, 13, 14])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["a", "b", "a", "c", "b"], [False, False, True, False, True]),
        (["", "", "x", "", "x"], [False, True, False, True, True]),
        (["a", None, None, "a", "b"], [False, False, True, True, False]),
    ],
)
def test_repeated_marks_every_repeat_after_the_first(values: list[str | None], expected: list[bool]) -> None:
    assert_series_equal(
        repeated(pd.Series(values, index=INDEX, dtype="str")), pd.Series(expected, index=INDEX)
    )


def test_repeated_of_nothing() -> None:
    assert repeated(pd.Series([], dtype="str")).empty


def test_per_value_parsers_keep_the_rows_index() -> None:
    raw = pd.Series(
        ["2019-04-01", " 01/04/2019", "TBC", "2019-04-01", "31/02/2020"], index=INDEX, dtype="str"
    )
    day = pd.Timestamp("2019-04-01")
    expected = pd.Series([day, day, pd.NaT, day, pd.NaT], index=INDEX, dtype="datetime64[us]")
    assert_series_equal(parse_dates(raw), expected)
    words = pd.Series(["upheld", "Upheld: fault", "UPHELD", "no", "upheld"], index=INDEX, dtype="str")
    head, detail = split_detail(words)
    decision = canonical(head, ("Upheld",))
    assert decision.index.equals(INDEX)
    assert decision.isna().tolist() == [False, False, False, True, False]
    assert detail.index.equals(INDEX) and detail.iloc[1] == "fault" and detail.isna().sum() == 4


@pytest.mark.parametrize(
    "value",
    [
        "2020-03-31 23:59:00",  # a case system's date-time
        "2020-03-31 23:59:59.500000",  # an Excel date-time cell, as calamine gives it
        "31/03/2020 23:59",  # Excel's UK display of a date-time, saved as CSV
        "31/03/2020 23:59:59",
        "2020-03-31T23:59:59",  # ISO with T
        "2020-03-31T23:59:00Z",
        "2020-03-31T23:30:00-01:00",  # the date as written counts, not the UTC one (1 April)
        " 2020-03-31  23:59 ",
    ],
)
def test_a_value_with_a_time_of_day_counts_by_its_date(value: str) -> None:
    parsed = parse_dates(pd.Series([value], dtype="str"))
    assert parsed.tolist() == [pd.Timestamp("2020-03-31")]


@pytest.mark.parametrize(
    "value",
    [
        "2020-03-31 24:00",
        "2020-03-31 23:60",
        "2020-03-31 noon",
        "2020-03-31Z",
        "43921",
        "31/03/2020 11:59 PM",
    ],
)
def test_a_time_that_is_not_one_leaves_the_value_unreadable(value: str) -> None:
    assert parse_dates(pd.Series([value], dtype="str")).isna().all()


def test_split_detail_of_no_rows() -> None:
    """A header-only decisions export: no rows, no KeyError."""
    head, detail = split_detail(pd.Series([], dtype="str"))
    assert head.empty and detail.empty
