"""Vectorised parsing of export cells: dates, closed vocabularies, yes/no flags. Unparseable → NA."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
TRUE = ("y", "yes", "true")
FALSE = ("n", "no", "false")


def parse_dates(raw: pd.Series) -> pd.Series:
    """ISO (2019-11-04) or UK (04/11/2019); XLSX date cells arrive as '2019-11-04 00:00:00'."""
    text = raw.str.strip()
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed = parsed.fillna(pd.to_datetime(text[todo], format=fmt, errors="coerce"))
    return parsed


def _fold(text: pd.Series) -> pd.Series:
    """Case, surrounding space and typographic apostrophes don't matter when matching values."""
    return text.str.strip().str.replace("\u2019", "'", regex=False).str.casefold()


def canonical(raw: pd.Series, allowed: Iterable[str]) -> pd.Series:
    """Each value as spelled in `allowed`, matched case-insensitively; anything else → NA."""
    lookup = {value.casefold(): value for value in allowed}
    return _fold(raw).map(lookup).astype("str")


def split_detail(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'Upheld: maladministration and injustice' → ('Upheld', 'maladministration and injustice')."""
    parts = raw.str.split(":", n=1, expand=True)
    head = parts[0]
    detail = parts[1].str.strip() if 1 in parts.columns else pd.Series(pd.NA, index=raw.index)
    detail = detail.astype("str").where(detail.fillna("") != "")
    return head, detail


def parse_flag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Y/N/yes/no/true/false/blank → boolean with NA for blank; and a mask of unreadable values."""
    folded = _fold(raw)
    value = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    value = value.mask(folded.isin(TRUE), True).mask(folded.isin(FALSE), False)
    unreadable = ~(folded.isin(TRUE) | folded.isin(FALSE) | (folded == ""))
    return value, unreadable
