"""Upheld decisions per 100,000 residents (contract section 7): the size of the authority taken out."""

from __future__ import annotations

import pandas as pd

from transforms.display import one_decimal_half_up

PER_RESIDENTS = 100_000

# figure: the count it takes per 100,000 residents. Every figure here is computed, averaged over a peer
# group, carried from the previous year and published from this table: a second one is one more row.
PER_100K_PARTS: dict[str, str] = {"upheld_per_100k": "upheld"}


def per_100k(upheld: pd.Series, residents: pd.Series) -> pd.Series:
    """upheld × 100,000 / residents in one division of exact integers; null (NaN) without residents."""
    valid = residents.astype("Float64").where(residents.fillna(0) > 0)
    return (upheld.astype("Float64") * PER_RESIDENTS / valid).astype("float64")


def with_population(figures: pd.DataFrame, population: pd.DataFrame | None) -> pd.DataFrame:
    """The figures with each authority's residents and its figures per 100,000 residents (upheld_per_100k);
    null where it has none."""
    table = population if population is not None else pd.DataFrame(columns=["authority_code"])
    residents = pd.DataFrame(
        {
            "authority_code": table["authority_code"].astype("str"),
            "residents": table.get("residents", pd.Series(dtype="Int64")).astype("Int64"),
            "population_source": table.get("source", pd.Series(dtype="str")).astype("str"),
        }
    )
    merged = figures.merge(residents, on="authority_code", how="left", validate="one_to_one")
    columns: dict[str, pd.Series] = {}
    for figure, count in PER_100K_PARTS.items():
        rate = per_100k(merged[count], merged["residents"])
        columns |= {figure: rate, f"{figure}_display": one_decimal_half_up(rate)}
    return merged.assign(**columns)
