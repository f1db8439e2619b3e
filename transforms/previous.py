"""The previous year's figures beside this year's, as that year was released (contract section 7)."""

from __future__ import annotations

import pandas as pd

from transforms.display import one_decimal_half_up
from transforms.figures import RATE_PARTS, decision_groups
from transforms.population import PER_100K_PARTS
from transforms.vocab import DECIDED_BY_DECISION, DECIDED_BY_GROUP

PREVIOUS_RATES: tuple[str, ...] = tuple(c for rate in RATE_PARTS for c in (rate, f"{rate}_pct"))
PREVIOUS_COUNTS: tuple[str, ...] = ("decisions_made", *DECIDED_BY_GROUP)
PREVIOUS_PER_100K: tuple[str, ...] = tuple(c for f in PER_100K_PARTS for c in (f, f"{f}_display"))
PREVIOUS_COLUMNS: tuple[str, ...] = (
    "previous_year",
    *(f"previous_{c}" for c in (*PREVIOUS_RATES, *PREVIOUS_PER_100K, *PREVIOUS_COUNTS)),
)


def with_previous_year(
    authority_year: pd.DataFrame, released: pd.DataFrame | None, previous_label: str
) -> pd.DataFrame:
    """previous_* columns from the previous year's released authority_year.

    previous_year holds the year's label when it was released (`released` is not None), else null;
    the figures are null where it was not released or the authority was not in it (e.g. created since).

    The groups are summed from the released decided_* counts, and a year released before the
    per-100k figure existed has none: so any release since the first can be read.
    """
    figures = _released_figures(released if released is not None else _nothing())
    beside = figures.rename(columns={c: f"previous_{c}" for c in figures.columns if c != "authority_code"})
    merged = authority_year.merge(beside, on="authority_code", how="left", validate="one_to_one")
    label = pd.Series(previous_label if released is not None else None, index=merged.index, dtype="str")
    return merged.assign(previous_year=label)


def _released_figures(released: pd.DataFrame) -> pd.DataFrame:
    """The columns kept from a release, typed for nulls (Int64 counts) whatever its schema version."""
    return pd.DataFrame(
        {
            "authority_code": released["authority_code"].astype("str"),
            **{c: released[c].astype("float64" if c in RATE_PARTS else "Int64") for c in PREVIOUS_RATES},
            **{c: s for figure in PER_100K_PARTS for c, s in _released_per_100k(released, figure).items()},
            "decisions_made": released["decisions_made"].astype("Int64"),
            **decision_groups(released[list(DECIDED_BY_DECISION)]).astype("Int64"),
        }
    )


def _released_per_100k(released: pd.DataFrame, figure: str) -> dict[str, pd.Series]:
    """A figure and its display; null in a year released before the figure existed."""
    rate = released.get(figure, pd.Series(float("nan"), index=released.index)).astype("float64")
    shown = released.get(f"{figure}_display")
    display = shown if shown is not None else one_decimal_half_up(rate)
    return {figure: rate, f"{figure}_display": display.astype("str")}


def _nothing() -> pd.DataFrame:
    """A release with no rows: every previous_* column null."""
    columns = ["authority_code", *PREVIOUS_RATES, "decisions_made", *DECIDED_BY_DECISION]
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "authority_code" else "float64") for c in columns})
