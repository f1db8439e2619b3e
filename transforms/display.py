"""Displayed percentages: whole numbers rounded half up, as the ombudsman publishes them."""

from __future__ import annotations

import numpy as np
import pandas as pd


def percent_half_up(rate: pd.Series) -> pd.Series:
    """0.425 → 43, 7/11 → 64, 1/8 → 13, null → null. Python's round() would give 42 for 0.425.

    Rounding to 9 decimals first removes binary noise (82.49999999999999 for 33/40) before the
    half-up step; a true rate is never that close to a half without being one.
    """
    scaled = np.round(rate.astype("Float64") * 100, 9)
    displayed: pd.Series = np.floor(scaled + 0.5).astype("Int64")
    return displayed
