"""The extract step: one export read and validated; accepted rows and rejects as Parquet work files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from annual_review.errors import InputError
from annual_review.extract import specs
from annual_review.extract.readers import find_export, find_optional_export, read_export, unreadable
from annual_review.extract.rejects import FileReport
from annual_review.extract.specs import MAY_BE_EMPTY
from annual_review.extract.validate import validate_authorities, validate_cases, validate_population
from annual_review.outputs.parquet import parquet_bytes, to_arrow
from annual_review.steps.digests import digest_of, file_sha256
from annual_review.steps.files import read_table, write_files
from annual_review.years import BusinessYear
from transforms.authorities import authorities_in_year

SPECS = {s.name: s for s in (specs.AUTHORITIES, *specs.CASE_EXPORTS, specs.POPULATION)}
OPTIONAL_EXPORTS = (specs.POPULATION.name,)
REJECTS_SHOWN = 100  # the first rejected rows an operator reads in the run report


@dataclass(frozen=True)
class Extracted:
    """One export after validation: accepted rows and rejects as Parquet, the counts, and the first
    rejected rows with their reasons (for the run report, which then opens no file)."""

    name: str
    accepted: str
    rejects: str
    digest: str
    report: FileReport
    rows: int  # rows of the year's table (authorities: those valid in the year, so not rows_accepted)
    first_rejects: tuple[dict[str, Any], ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return (self.accepted, self.rejects)


def locate_exports(folder: Path) -> dict[str, Path]:
    """All four exports, or stop at once naming the first that is missing; and population if there."""
    found = {name: find_export(folder, name) for name in SPECS if name not in OPTIONAL_EXPORTS}
    optional = {name: find_optional_export(folder, name) for name in OPTIONAL_EXPORTS}
    return found | {name: path for name, path in optional.items() if path is not None}


def export_sha256(path: Path) -> str:
    """An export's digest (its cache key), or one line saying why it cannot be read."""
    try:
        return file_sha256(path)
    except OSError as error:
        raise unreadable(path, error) from None


def known_codes(authorities: Extracted | None) -> pd.Index:
    """The year's authority codes, which every other export is checked against."""
    if authorities is None:
        return pd.Index([], dtype="str")
    codes: pd.Index = pd.Index(read_table(authorities.accepted, ["authority_code"])["authority_code"])
    return codes


def extract_export(
    name: str, path: Path, year: BusinessYear, authorities: Extracted | None, work: Path
) -> Extracted:
    """Read and validate one export against the year's `authorities` (their own extract step's result);
    accepted rows and rejects go to Parquet under `work`."""
    spec = SPECS[name]
    raw = read_export(path, name, spec.required, spec.optional)
    if name == "authorities":
        validated = validate_authorities(raw, year)
    elif name == "population":
        validated = validate_population(raw, year, known_codes(authorities))
    else:
        validated = validate_cases(raw, spec, year, known_codes(authorities))
    accepted_table = _accepted_table(name, validated.accepted, year)
    rejects_table = to_arrow("rejects", validated.rejects)
    accepted, rejects = parquet_bytes(accepted_table), parquet_bytes(rejects_table)
    digest = digest_of(hashlib.sha256(accepted).hexdigest(), hashlib.sha256(rejects).hexdigest())
    out = write_files(
        work / "extract" / f"{name}-{digest[:16]}", {"accepted.parquet": accepted, "rejects.parquet": rejects}
    )
    shown = rejects_table.select(["file", "line", "reason", "raw"]).slice(0, REJECTS_SHOWN)
    return Extracted(
        name,
        str(out / "accepted.parquet"),
        str(out / "rejects.parquet"),
        digest,
        validated.report,
        accepted_table.num_rows,
        tuple(shown.to_pylist()),
    )


def _accepted_table(name: str, accepted: pd.DataFrame, year: BusinessYear) -> pa.Table:
    """Authorities: the reference covers many years; the year's table holds those valid in it."""
    if name == "authorities":
        return to_arrow(name, authorities_in_year(accepted, year.label))
    return to_arrow(name, accepted)


def empty_exports(extracted: Iterable[Extracted]) -> tuple[str, ...]:
    """The exports with no rows for the year (for the authorities: none valid in the year)."""
    return tuple(sorted(e.name for e in extracted if e.rows == 0))


def check_empty(
    extracted: Iterable[Extracted], empty: Iterable[str], year: BusinessYear, allowed: Iterable[str]
) -> None:
    """An export with no rows for the year (`empty`, from empty_exports) stops the run, naming it, unless
    the operator allowed it."""
    reports = {e.name: e.report for e in extracted}
    refused = [name for name in empty if name not in allowed]
    if not refused:
        return
    problems = [
        f"{reports[name].file} has no rows for {year} "
        + (f"(none of its {n} rows accepted)" if (n := reports[name].rows_read) else "(only its header)")
        for name in refused
    ]
    may = [name for name in refused if name in MAY_BE_EMPTY]
    hint = f"; if that is meant, run with --allow-empty {','.join(may)}" if may == refused else ""
    raise InputError("; ".join(problems) + hint)


def check_reject_rates(extracted: Iterable[Extracted], max_rate: float) -> None:
    """Over `max_rate` rejected in any file, the run stops before anything is staged."""
    over = [e.report for e in extracted if e.report.reject_rate > max_rate]
    if over:
        detail = "; ".join(
            f"{r.file}: {r.rows_rejected} of {r.rows_read} rows rejected ({r.reject_rate:.2%})" for r in over
        )
        raise InputError(f"too many rejected rows (limit {max_rate:.2%} per file): {detail}")
