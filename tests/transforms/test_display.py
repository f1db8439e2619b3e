import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from transforms.display import one_decimal_half_up, percent_half_up


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (7 / 11, 64),
        (1 / 8, 13),  # half up; round() would give 12
        (33 / 40, 83),  # 82.49999999999999 in binary
        (0.425, 43),  # f"{0.425:.0%}" prints 42%
        (0.005, 1),
        (0.0049999, 0),
        (1 / 7, 14),
        (0.0, 0),
        (1.0, 100),
        (0.995, 100),
        (0.994999, 99),
    ],
)
def test_half_up(rate: float, shown: int) -> None:
    assert percent_half_up(pd.Series([rate])).iloc[0] == shown


def test_null_stays_null() -> None:
    result = percent_half_up(pd.Series([0.5, None, float("nan")]))
    assert_series_equal(result, pd.Series([50, pd.NA, pd.NA], dtype="Int64"))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (17 * 100_000 / 350_000, "4.9"),  # 4.857…
        (4.85, "4.9"),  # half up; 4.85 is 4.8499999… in binary and round(4.85, 1) gives 4.8
        (97 * 100_000 / 2_000_000, "4.9"),  # 4.85 computed as the pipeline does
        (4.849, "4.8"),
        (0.25, "0.3"),  # an exact half in binary: round(0.25, 1) gives 0.2 (half to even)
        (4.65, "4.7"),
        (0.0, "0.0"),
        (0.05, "0.1"),
        (0.0499999, "0.0"),
        (99.95, "100.0"),
        (123.45, "123.5"),
    ],
)
def test_one_decimal_half_up(value: float, shown: str) -> None:
    assert one_decimal_half_up(pd.Series([value])).iloc[0] == shown


def test_one_decimal_null_stays_null() -> None:
    result = one_decimal_half_up(pd.Series([4.85, None, float("nan")]))
    assert result.iloc[0] == "4.9" and result.iloc[1:].isna().all()
    assert result.dtype == "str"
