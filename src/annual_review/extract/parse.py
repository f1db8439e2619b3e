"""Vectorised parsing of export cells: dates, closed vocabularies, yes/no flags. Unparseable → NA.

A column of millions of cells holds a few hundred distinct values (dates, codes, vocabularies), so
each parser works on the distinct values once and spreads its result back over the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from annual_review.extract.readers import RawExport
from transforms.vocab import CATEGORIES, DECISIONS, OUTCOMES

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# A date, ISO or UK, then perhaps a time of day (' 23:59', 'T23:59:59.5', '+01:00', 'Z'), which does
# not count: a decision at 23:59 on 31 March belongs to that day's year (contract section 2).
_DATE_AND_TIME = re.compile(
    r"^\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
    r"(?:(?:T|\s+)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?"
    r"\s*(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?\s*$"
)
TRUE = ("y", "yes", "true")
FALSE = ("n", "no", "false")


def _distinct(raw: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes into the distinct values (NA included as a value) and those values as a Series."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    return codes, pd.Series(uniques, dtype=raw.dtype)


def _spread(parsed: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The parsed distinct values back on every row, under the rows' index."""
    return parsed.take(codes).set_axis(index)


def per_value(parse: Callable[[pd.Series], pd.Series], raw: pd.Series) -> pd.Series:
    """`parse(raw)`, computed once per distinct value of `raw`."""
    codes, uniques = _distinct(raw)
    return _spread(parse(uniques), codes, raw.index)


def repeated(values: pd.Series) -> pd.Series:
    """True where a value already appeared in an earlier row (the first one stays valid).

    pyarrow numbers distinct values in order of first appearance, so a row is a first appearance
    exactly when its number exceeds every number before it: one hash pass, about 4× pandas' duplicated.
    """
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if len(array) == 0:
        return pd.Series(False, index=values.index, dtype="bool")
    numbers = pc.dictionary_encode(array, null_encoding="encode").indices.to_numpy(zero_copy_only=False)
    seen = np.maximum.accumulate(numbers)
    first = np.empty(len(numbers), dtype=bool)
    first[0] = True
    first[1:] = numbers[1:] > seen[:-1]
    return pd.Series(~first, index=values.index)


def parse_dates(raw: pd.Series) -> pd.Series:
    """ISO (2019-11-04) or UK (04/11/2019), at midnight; XLSX date cells arrive as '2019-11-04 00:00:00'."""
    return per_value(_parse_dates, raw)


def _parse_dates(raw: pd.Series) -> pd.Series:
    day = raw.str.extract(_DATE_AND_TIME, expand=False)
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & day.notna()
        if not todo.any():
            break
        parsed = parsed.fillna(pd.to_datetime(day[todo], format=fmt, errors="coerce"))
    return parsed


def _fold(text: pd.Series) -> pd.Series:
    """Case, surrounding space and typographic apostrophes don't matter when matching values."""
    return text.str.strip().str.replace("\u2019", "'", regex=False).str.casefold()


def canonical(raw: pd.Series, allowed: Iterable[str]) -> pd.Series:
    """Each value as spelled in `allowed`, matched case-insensitively; anything else → NA."""
    lookup = {value.casefold(): value for value in allowed}
    return per_value(lambda values: _fold(values).map(lookup).astype("str"), raw)


def split_detail(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'Upheld: maladministration and injustice' → ('Upheld', 'maladministration and injustice')."""
    codes, uniques = _distinct(raw)
    head, detail = _split_detail(uniques)
    return _spread(head, codes, raw.index), _spread(detail, codes, raw.index)


def _split_detail(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = raw.str.extract(r"^(?P<head>[^:]*)(?::(?P<detail>.*))?$", flags=re.DOTALL)
    detail = parts["detail"].str.strip()
    return parts["head"], detail.where(detail.fillna("") != "").astype("str")


def parse_flag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Y/N/yes/no/true/false/blank → boolean with NA for blank; and a mask of unreadable values."""
    codes, uniques = _distinct(raw)
    value, unreadable = _parse_flag(uniques)
    return _spread(value, codes, raw.index), _spread(unreadable, codes, raw.index)


def _parse_flag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    folded = _fold(raw)
    value = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    value = value.mask(folded.isin(TRUE), True).mask(folded.isin(FALSE), False)
    unreadable = ~(folded.isin(TRUE) | folded.isin(FALSE) | (folded == ""))
    return value, unreadable


_WHOLE_NUMBER = r"(?:\d{1,12}|\d{1,3}(?:,\d{3}){1,3})(?:\.0*)?"


def parse_positive_whole(raw: pd.Series) -> pd.Series:
    """'350000', '350,000', an XLSX '350000.0' → 350000 (Int64); 0, 12.5, -3, 3e5, text, blank → NA."""
    return per_value(_parse_positive_whole, raw)


def _parse_positive_whole(raw: pd.Series) -> pd.Series:
    text = raw.str.strip()
    whole = text.str.fullmatch(_WHOLE_NUMBER).fillna(False).astype("bool")
    digits = text.where(whole).str.replace(",", "", regex=False).str.replace(r"\..*$", "", regex=True)
    number = pd.to_numeric(digits, errors="coerce").astype("Int64")
    return number.where(number > 0)


def parse_cases(raw: RawExport) -> pd.DataFrame:
    """Typed columns from the raw strings; what cannot be read becomes NA for the schema to catch."""
    cells = raw.frame
    case_ref = cells["case_ref"].str.strip()
    parsed = pd.DataFrame(
        {
            "case_ref": case_ref,
            "case_ref_repeated": repeated(case_ref),
            "authority_code": per_value(lambda codes: codes.str.strip(), cells["authority_code"]),
        }
    )
    if "category" in cells:
        parsed["category"] = canonical(cells["category"], CATEGORIES)
    for column in ("received_date", "decision_date", "recorded_date"):
        if column in cells:
            parsed[column] = parse_dates(cells[column])
    if "decision" in cells:
        head, detail = split_detail(cells["decision"])
        remedy, unreadable = parse_flag(cells["remedy_before_ombudsman"])
        parsed = parsed.assign(
            decision=canonical(head, DECISIONS),
            decision_detail=detail,
            remedy_before_ombudsman=remedy,
            remedy_unreadable=unreadable,
        )
    if "outcome" in cells:
        parsed["outcome"] = canonical(cells["outcome"], OUTCOMES)
    return parsed
