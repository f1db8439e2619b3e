import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from transforms.display import percent_half_up


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
