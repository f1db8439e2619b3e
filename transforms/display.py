"""Displayed figures, rounded half up as the ombudsman publishes them (Python's round() is half-even)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _half_up(scaled: pd.Series) -> pd.Series:
    """Whole numbers, halves rounded up; null stays null.

    Rounding to 9 decimals first removes binary noise (82.49999999999999 for 33/40, 48.49999999999999
    for 4.85) before the half-up step; a true figure is never that close to a half without being one.
    """
    rounded: pd.Series = np.floor(scaled.round(9) + 0.5).astype("Int64")
    return rounded


def percent_half_up(rate: pd.Series) -> pd.Series:
    """0.425 → 43, 7/11 → 64, 1/8 → 13, null → null. Python's round() would give 42 for 0.425."""
    return _half_up(rate.astype("Float64") * 100)


def one_decimal_half_up(value: pd.Series) -> pd.Series:
    """4.857… → '4.9', 4.85 → '4.9', 4.849 → '4.8', 0.0 → '0.0', null → null: as text, so it reads the same
    in the letter, the JSON and the Parquet table."""
    tenths = _half_up(value.astype("Float64") * 10)
    text = (tenths // 10).astype("str") + "." + (tenths % 10).astype("str")
    shown: pd.Series = text.where(tenths.notna()).astype("str")
    return shown
