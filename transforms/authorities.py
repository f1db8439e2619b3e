"""Which authorities exist in a year: councils are created and abolished (valid_from/valid_to)."""

from __future__ import annotations

import pandas as pd


def authorities_in_year(authorities: pd.DataFrame, year: str) -> pd.DataFrame:
    """The rows valid in `year`; open-ended bounds are null. Year labels compare as strings."""
    starts_by = authorities["valid_from"].isna() | (authorities["valid_from"] <= year)
    ends_after = authorities["valid_to"].isna() | (authorities["valid_to"] >= year)
    valid = authorities[starts_by & ends_after]
    return (
        valid.assign(year=year)
        .loc[:, ["year", *(c for c in valid.columns if c != "year")]]
        .sort_values("authority_code", kind="stable")
        .reset_index(drop=True)
    )
