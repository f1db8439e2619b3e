"""Messy rows: a share of the case rows swapped for rows with one known defect each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annual_review.synthetic.columns import DATE_COLUMN
from annual_review.years import BusinessYear

MESSY_KINDS = (
    "unparseable_date",
    "date_outside_year",
    "unknown_authority",
    "unknown_value",
    "duplicate_case_ref",
)
_UNKNOWN_VALUES = {
    "category": ("Parking", "Council tax", "Social housing", "N/A"),
    "decision": ("Upheld in part", "Withdrawn", "Premature", "Pending"),
    "outcome": ("Pending", "Partly complied", "Awaiting evidence"),
}


def spoil(
    frame: pd.DataFrame, name: str, year: BusinessYear, messy: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Swap round(messy * rows) rows for rows with one known defect each, a fifth of each kind."""
    n_bad = int(np.floor(messy * len(frame) + 0.5))
    if n_bad == 0:
        return frame
    cols = {c: frame[c].to_numpy(dtype=object, copy=True) for c in frame.columns}
    bad = np.sort(rng.choice(len(frame), size=n_bad, replace=False))
    kind = rng.permutation(np.arange(n_bad) % len(MESSY_KINDS))
    clean = np.setdiff1d(np.arange(len(frame)), bad)
    earlier = np.searchsorted(clean, bad)  # a duplicate repeats an earlier clean row: keep-first
    kind[(kind == 4) & (earlier == 0)] = 2
    dates = cols[DATE_COLUMN[name]]

    rows = bad[kind == 0]
    junk = [f"31/02/{year.end_year}", f"{year.start_year}-13-01", "TBC", f"32/01/{year.end_year}"]
    dates[rows] = rng.choice(np.array(junk, dtype=object), size=len(rows))

    rows = bad[kind == 1]
    n_days = (year.last_day - year.first_day).days + 1
    step = 1 + np.floor(rng.exponential(30.0, len(rows))).astype(np.int64)
    offset = np.where(rng.random(len(rows)) < 0.5, -step, n_days - 1 + step)
    when = pd.Timestamp(year.first_day) + pd.to_timedelta(offset, unit="D")
    uk = rng.random(len(rows)) < 0.5
    dates[rows] = np.where(uk, when.strftime("%d/%m/%Y"), when.strftime("%Y-%m-%d"))

    rows = bad[kind == 2]
    prefix = rng.choice(np.array(["E06", "E07", "E08", "E09"], dtype=object), size=len(rows))
    cols["authority_code"][rows] = (
        prefix
        + pd.Series(900_000 + rng.integers(0, 99_999, len(rows)), dtype=np.int64).astype(str).to_numpy()
    )

    rows = bad[kind == 3]
    field = {"received": "category", "compliance": "outcome"}.get(name)
    fields = (
        np.full(len(rows), field, dtype=object)
        if field
        else rng.choice(np.array(["decision", "category"], dtype=object), size=len(rows))
    )
    for f in np.unique(fields):
        these = rows[fields == f]
        cols[f][these] = rng.choice(np.array(_UNKNOWN_VALUES[f], dtype=object), size=len(these))

    rows = bad[kind == 4]
    source = clean[np.floor(rng.random(len(rows)) * earlier[kind == 4]).astype(np.int64)]
    cols["case_ref"][rows] = cols["case_ref"][source]
    return pd.DataFrame(cols)
