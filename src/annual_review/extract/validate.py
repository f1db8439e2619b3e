"""Validate every row of an export with a pandera schema; failures become rejects with reasons."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from annual_review.extract.parse import canonical, parse_cases, parse_positive_whole, per_value, repeated
from annual_review.extract.readers import RawExport
from annual_review.extract.rejects import Validated, failure_reasons, reject_rows, without_rows
from annual_review.extract.specs import ExportSpec
from annual_review.years import BusinessYear
from transforms.vocab import AUTHORITY_CODE_PATTERN, PEER_TYPES, YEAR_PATTERN, near_peer_type

DEFAULT_ROLE = "Chief Executive"
# Residents a council can have: the smallest, the Isles of Scilly, has about 2,100 (the City of London
# about 8,600); the largest, Kent County Council, about 1.6 million. Outside this is a slip in the export.
FEWEST_RESIDENTS, MOST_RESIDENTS = 1_000, 10_000_000


def _not_blank(message: str) -> pa.Check:
    return pa.Check(lambda s: s.notna() & (s.astype("str").str.strip() != ""), ignore_na=False, error=message)


def _present(message: str) -> pa.Check:
    return pa.Check(lambda s: s.notna(), ignore_na=False, error=message)


def _code_like() -> pa.Check:
    return pa.Check.str_matches(AUTHORITY_CODE_PATTERN, error="not a code like E07000154")


def _known_code(year: BusinessYear, known_codes: pd.Index) -> pa.Column:
    """A case's or a population row's authority: a code like E07000154 of the year's authorities."""
    return pa.Column(
        checks=[
            _code_like(),
            pa.Check.isin(known_codes, error=f"not an authority of {year} in the authorities file"),
        ]
    )


def _case_schema(spec: ExportSpec, year: BusinessYear, known_codes: pd.Index) -> pa.DataFrameSchema:
    """The rules of contract section 2, one column at a time."""
    first, last = pd.Timestamp(year.first_day), pd.Timestamp(year.last_day)
    columns: dict[str, pa.Column] = {
        # before case_ref, so a row's reasons keep the order pandera's own uniqueness check gave them
        "case_ref_repeated": pa.Column(checks=pa.Check(lambda s: ~s, error="duplicate of an earlier row")),
        "case_ref": pa.Column(checks=_not_blank("empty"), nullable=True),
        "authority_code": _known_code(year, known_codes),
    }
    if spec.date_column:
        columns[spec.date_column] = pa.Column(
            nullable=True,
            checks=[
                _present("not a date (use 2019-11-04 or 04/11/2019)"),
                pa.Check.in_range(first, last, error=f"outside {year} ({year.period_text})"),
            ],
        )
    if "category" in spec.required:
        columns["category"] = pa.Column(nullable=True, checks=_present("unknown category"))
    if "decision" in spec.required:
        columns["decision"] = pa.Column(nullable=True, checks=_present("unknown decision"))
        columns["remedy_unreadable"] = pa.Column(checks=pa.Check(lambda s: ~s, error="not Y, N or blank"))
    if "outcome" in spec.required:
        columns["outcome"] = pa.Column(nullable=True, checks=_present("unknown outcome"))
    return pa.DataFrameSchema(columns)


def validate_cases(raw: RawExport, spec: ExportSpec, year: BusinessYear, known_codes: pd.Index) -> Validated:
    """Accepted rows typed as the fact table; every other row in rejects with all its reasons."""
    parsed = parse_cases(raw)
    rejected = failure_reasons(
        _case_schema(spec, year, known_codes),
        parsed,
        raw,
        raw_column={"remedy_unreadable": "remedy_before_ombudsman", "case_ref_repeated": "case_ref"},
    )
    accepted = (
        without_rows(parsed, rejected.index)
        .drop(columns=["remedy_unreadable", "case_ref_repeated"], errors="ignore")
        .assign(year=year.label)
    )
    accepted = accepted[["year", *(c for c in accepted.columns if c != "year")]]
    return reject_rows(raw, accepted.reset_index(drop=True), rejected, year)


def _business_year(labels: pd.Series) -> pd.Series:
    """'2019-20' yes, '2019-21' no; what is not of the form YYYY-YY is the pattern check's to report."""
    parts = labels.str.extract(
        YEAR_PATTERN.replace("[0-9]{4}", "([0-9]{4})").replace("[0-9]{2}", "([0-9]{2})")
    )
    start, end = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
    return (parts[0].isna() | ((start + 1) % 100 == end)).astype("bool")


def _authority_schema() -> pa.DataFrameSchema:
    year_label = [
        pa.Check.str_matches(YEAR_PATTERN, error="not a year like 2019-20"),
        pa.Check(
            _business_year,
            error="not a business year (the second part must be the year after the first, as in 2019-20)",
        ),
    ]
    near_miss = [
        pa.Check(
            lambda s, peer=peer: s != peer,
            error=f"not a peer type, but close to {peer!r}: "
            "spell it so, or the authority has no peer average",
        )
        for peer in PEER_TYPES
    ]
    return pa.DataFrameSchema(
        {
            "authority_code": pa.Column(checks=_code_like()),
            "authority_name": pa.Column(checks=_not_blank("empty")),
            "authority_type": pa.Column(checks=_not_blank("empty")),
            "near_peer_type": pa.Column(nullable=True, checks=near_miss),
            "chief_executive": pa.Column(checks=_not_blank("empty")),
            "valid_from": pa.Column(nullable=True, checks=year_label),
            "valid_to": pa.Column(nullable=True, checks=year_label),
            "overlaps": pa.Column(
                checks=pa.Check(lambda s: ~s, error="same code as an earlier row with overlapping years")
            ),
            "years_reversed": pa.Column(checks=pa.Check(lambda s: ~s, error="before valid_from")),
        }
    )


def validate_authorities(raw: RawExport, year: BusinessYear) -> Validated:
    """The reference covers many years; every row is checked, all valid rows are kept."""
    cells = raw.frame
    blank_to_na = {"": pd.NA}
    parsed = pd.DataFrame(
        {
            "authority_code": cells["authority_code"].str.strip(),
            "authority_name": cells["authority_name"].str.strip(),
            "authority_type": cells["authority_type"].str.strip(),
            "chief_executive": cells["chief_executive"].str.strip(),
            "chief_executive_role": cells.get(
                "chief_executive_role", pd.Series("", index=cells.index, dtype="str")
            ).str.strip(),
            "valid_from": cells.get("valid_from", pd.Series("", index=cells.index, dtype="str"))
            .str.strip()
            .replace(blank_to_na),
            "valid_to": cells.get("valid_to", pd.Series("", index=cells.index, dtype="str"))
            .str.strip()
            .replace(blank_to_na),
        }
    )
    peer_type = canonical(parsed["authority_type"], PEER_TYPES)
    parsed = parsed.assign(
        authority_type=peer_type.fillna(parsed["authority_type"]),
        peer_group=peer_type.notna(),
        near_peer_type=per_value(
            lambda types: types.map(near_peer_type).astype("str"), parsed["authority_type"]
        ).where(peer_type.isna()),
        chief_executive_role=parsed["chief_executive_role"].replace({"": DEFAULT_ROLE}),
        overlaps=_overlapping(parsed),
        years_reversed=(parsed["valid_from"] > parsed["valid_to"]).fillna(False).astype("bool"),
    )
    reasons = failure_reasons(
        _authority_schema(),
        parsed,
        raw,
        raw_column={
            "overlaps": "authority_code",
            "years_reversed": "valid_to",
            "near_peer_type": "authority_type",
        },
    )
    accepted = (
        without_rows(parsed, reasons.index)
        .drop(columns=["overlaps", "years_reversed", "near_peer_type"])
        .reset_index(drop=True)
    )
    return reject_rows(raw, accepted, reasons, year)


def _overlapping(authorities: pd.DataFrame) -> pd.Series:
    """A code may repeat only for years that don't overlap (e.g. a type change at reorganisation)."""
    start = authorities["valid_from"].fillna("0000-00")
    end = authorities["valid_to"].fillna("9999-99")
    ordered = pd.DataFrame({"code": authorities["authority_code"], "start": start, "end": end})
    ordered = ordered.sort_values(["code", "start"], kind="stable")
    latest_end = ordered.groupby("code")["end"].transform(lambda s: s.shift().cummax())
    return (latest_end.notna() & (latest_end >= ordered["start"])).reindex(authorities.index)


def _population_schema(year: BusinessYear, known_codes: pd.Index) -> pa.DataFrameSchema:
    """One row per authority of the year, with a positive whole number of residents."""
    return pa.DataFrameSchema(
        {
            "code_repeated": pa.Column(checks=pa.Check(lambda s: ~s, error="duplicate of an earlier row")),
            "authority_code": _known_code(year, known_codes),
            "residents": pa.Column(
                nullable=True,
                checks=[
                    _present("not a positive whole number"),
                    pa.Check.ge(
                        FEWEST_RESIDENTS,
                        error=f"fewer than {FEWEST_RESIDENTS:,} residents: not plausible for an authority "
                        "(the Isles of Scilly have about 2,100)",
                    ),
                    pa.Check.le(
                        MOST_RESIDENTS,
                        error=f"more than {MOST_RESIDENTS:,} residents: not plausible for an authority "
                        "(Kent, the largest council, has about 1.6 million)",
                    ),
                ],
            ),
        }
    )


def validate_population(raw: RawExport, year: BusinessYear, known_codes: pd.Index) -> Validated:
    """Residents per authority (the optional population export); a code's second row is rejected."""
    cells = raw.frame
    code = per_value(lambda codes: codes.str.strip(), cells["authority_code"])
    source = cells.get("source", pd.Series("", index=cells.index, dtype="str")).str.strip()
    parsed = pd.DataFrame(
        {
            "code_repeated": repeated(code),
            "authority_code": code,
            "residents": parse_positive_whole(cells["residents"]),
            "source": source.where(source != ""),
        }
    )
    rejected = failure_reasons(
        _population_schema(year, known_codes), parsed, raw, raw_column={"code_repeated": "authority_code"}
    )
    accepted = without_rows(parsed, rejected.index).assign(year=year.label)
    accepted = accepted[["year", "authority_code", "residents", "source"]].reset_index(drop=True)
    return reject_rows(raw, accepted, rejected, year)
