"""The pipeline's steps as plain functions (files in, files out), for the flows to orchestrate.

Each step writes its outputs under a work folder named by a digest of its inputs, and returns small
values (paths, digests, counts), so that Prefect can cache a step and pass its result on cheaply.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from annual_review.errors import InputError
from annual_review.extract import specs
from annual_review.extract.readers import find_export, find_optional_export, read_export, unreadable
from annual_review.extract.specs import MAY_BE_EMPTY
from annual_review.extract.validate import (
    FileReport,
    validate_authorities,
    validate_cases,
    validate_population,
)
from annual_review.layout import table_key
from annual_review.outputs.json_schemas import check_website_json
from annual_review.outputs.parquet import parquet_bytes, to_arrow
from annual_review.outputs.website import website_json
from annual_review.publish.released import read_released_part
from annual_review.store import Store
from annual_review.tables import POPULATION
from annual_review.years import BusinessYear
from templates import TEMPLATES_DIR, WEBSITE_DIR
from transforms.authorities import authorities_in_year
from transforms.figures import authority_figures
from transforms.peers import peer_averages, with_peer_averages
from transforms.previous import with_previous_year

if TYPE_CHECKING:
    from annual_review.letters.pdf import Progress  # the letters package imports Jinja2: only when rendering

SPECS = {s.name: s for s in (specs.AUTHORITIES, *specs.CASE_EXPORTS, specs.POPULATION)}
OPTIONAL_EXPORTS = (specs.POPULATION.name,)


@dataclass(frozen=True)
class Extracted:
    """One export after validation: accepted rows and rejects as Parquet, and the counts."""

    name: str
    accepted: str
    rejects: str
    digest: str
    report: FileReport


@dataclass(frozen=True)
class Built:
    """The year's candidate data and JSON (relative key → file), with the row counts per table."""

    folder: str
    keys: tuple[str, ...]
    row_counts: dict[str, int]
    peer_method: str
    digest: str


@dataclass(frozen=True)
class PreviousYear:
    """The year before, as released: its authority_year part under the work folder, and which
    release it was (None, both, when that year is not public)."""

    label: str
    path: str | None = None
    release: dict[str, str] | None = None

    def record(self) -> dict[str, object]:
        """What the candidate says about it: the year looked for, and the release used or null."""
        return {"year": self.label, "release": self.release}


@dataclass(frozen=True)
class Rendered:
    folder: str
    keys: tuple[str, ...]


def digest_of(*parts: object) -> str:
    """sha256 of plain data (JSON types and dates): what names a step's work folder and keys its cache."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=_iso_date).encode()).hexdigest()


def _iso_date(value: object) -> str:
    """Dates as ISO text; anything else is refused: its str() may hold an address or change with a library."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"digest_of takes plain data, not {type(value).__name__}: {value!r}")


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def tree_digest(root: Path, pattern: str = "*", skip: Path | None = None) -> str:
    """One digest for the files under `root` matching `pattern`: editing any one changes it.

    Python's bytecode caches are not sources: they come and go with the interpreter.
    """
    files = sorted(
        p
        for p in root.rglob(pattern)
        if p.is_file()
        and "__pycache__" not in p.relative_to(root).parts
        and not (skip and p.is_relative_to(skip))
    )
    return digest_of([(p.relative_to(root).as_posix(), file_sha256(p)) for p in files])


def letter_sources_digest(content_dir: Path | None) -> str:
    """Templates and per-year content: an editor's change to either must re-render the letters."""
    letters = tree_digest(TEMPLATES_DIR, skip=WEBSITE_DIR)  # the website is not part of a letter
    return digest_of(letters, tree_digest(content_dir) if content_dir else None)


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


def extract_export(
    name: str, path: Path, year: BusinessYear, known_codes: Iterable[str] | None, work: Path
) -> Extracted:
    """Read and validate one export; accepted rows and rejects go to Parquet under `work`."""
    spec = SPECS[name]
    raw = read_export(path, name, spec.required, spec.optional)
    codes = pd.Index(list(known_codes or ()), dtype="str")
    if name == "authorities":
        validated = validate_authorities(raw, year)
    elif name == "population":
        validated = validate_population(raw, year, codes)
    else:
        validated = validate_cases(raw, spec, year, codes)
    accepted = parquet_bytes(_accepted_table(name, validated.accepted, year))
    rejects = parquet_bytes(to_arrow("rejects", validated.rejects))
    digest = digest_of(hashlib.sha256(accepted).hexdigest(), hashlib.sha256(rejects).hexdigest())
    out = work / "extract" / f"{name}-{digest[:16]}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "accepted.parquet").write_bytes(accepted)
    (out / "rejects.parquet").write_bytes(rejects)
    return Extracted(
        name, str(out / "accepted.parquet"), str(out / "rejects.parquet"), digest, validated.report
    )


def _accepted_table(name: str, accepted: pd.DataFrame, year: BusinessYear) -> pa.Table:
    """Authorities: the reference covers many years; the year's table holds those valid in it."""
    if name == "authorities":
        return to_arrow(name, authorities_in_year(accepted, year.label))
    return to_arrow(name, accepted)


def read_table(path: str, columns: list[str] | None = None) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(path, columns=columns).to_pandas()
    return frame


def empty_exports(extracted: Iterable[Extracted]) -> tuple[str, ...]:
    """The exports with no rows for the year (for the authorities: none valid in the year)."""
    return tuple(sorted(e.name for e in extracted if pq.read_metadata(e.accepted).num_rows == 0))


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


def year_before(year: BusinessYear) -> BusinessYear:
    return BusinessYear(year.start_year - 1)


def fetch_previous_year(store: Store, year: BusinessYear, work: Path) -> PreviousYear:
    """The previous year's authority_year as released, copied under `work` (named by its sha256)."""
    before = year_before(year)
    part = read_released_part(store, before, "authority_year")
    if part is None:
        return PreviousYear(before.label)
    folder = write_files(
        work / "previous" / f"{before.label}-{part.sha256[:16]}", {"authority_year.parquet": part.data}
    )
    return PreviousYear(before.label, str(folder / "authority_year.parquet"), part.record())


def build_tables(
    year: BusinessYear,
    peer_method: str,
    letter_formats: tuple[str, ...],
    extracted: Mapping[str, Extracted],
    work: Path,
    previous: PreviousYear | None = None,
) -> Built:
    """Figures, peer averages, every fact table as Parquet and the website JSON, under `work`.

    The extracted tables were checked and written by their extract step: their files are
    published as they are, and only the columns the figures need are read back. Without a
    population export the population table is empty; without `previous`, no year is compared.
    """
    authorities = read_table(extracted["authorities"].accepted)
    received = read_table(extracted["received"].accepted, ["authority_code", "category"])
    decisions = read_table(
        extracted["decisions"].accepted, ["authority_code", "decision", "remedy_before_ombudsman"]
    )
    compliance = read_table(extracted["compliance"].accepted, ["authority_code", "outcome"])
    population = read_table(extracted["population"].accepted) if "population" in extracted else None
    figures = authority_figures(authorities, received, decisions, compliance, population)
    averages = peer_averages(figures, peer_method)
    previous = previous or PreviousYear(year_before(year).label)
    released = read_table(previous.path) if previous.path else None
    authority_year = with_previous_year(
        with_peer_averages(figures, averages, peer_method), released, previous.label
    )
    rejects = pd.concat([read_table(e.rejects) for e in extracted.values()], ignore_index=True)
    built = {
        "authority_year": to_arrow("authority_year", authority_year),
        "peer_averages": to_arrow("peer_averages", averages),
        "rejects": to_arrow("rejects", rejects.sort_values(["file", "line"]).reset_index(drop=True)),
    }
    if population is None:
        built["population"] = POPULATION.empty_table()
    files = {table_key(name): Path(e.accepted).read_bytes() for name, e in extracted.items()}
    files |= {table_key(name): parquet_bytes(table) for name, table in built.items()}
    documents = website_json(authority_year, averages, year, peer_method, letter_formats, previous.record())
    check_website_json(documents)
    files |= documents
    digest = digest_of(
        year.label,
        peer_method,
        letter_formats,
        sorted(e.digest for e in extracted.values()),
        previous.record(),
    )
    folder = write_files(work / "build" / digest[:16], files)
    row_counts = {name: pq.read_metadata(e.accepted).num_rows for name, e in extracted.items()}
    row_counts |= {name: table.num_rows for name, table in built.items()}
    return Built(str(folder), tuple(sorted(files)), dict(sorted(row_counts.items())), peer_method, digest)


def render_letter_files(
    authority_year_path: str,
    year: BusinessYear,
    formats: tuple[str, ...],
    letter_date: date,
    release_date: date,
    content_dir: Path | None,
    content_digest: str,
    workers: int,
    work: Path,
    progress: Progress | None = None,
) -> Rendered:
    """One letter per authority with cases, in each format, under `work`; `progress` hears of the PDFs."""
    from annual_review.letters import render_letters

    authority_year = read_table(authority_year_path)
    files = render_letters(
        authority_year,
        year,
        letter_date=letter_date,
        release_date=release_date,
        formats=formats,
        content_dir=content_dir,
        workers=workers,
        progress=progress,
    )
    digest = digest_of(
        file_sha256(Path(authority_year_path)), formats, letter_date, release_date, content_digest
    )
    folder = write_files(work / "letters" / digest[:16], files)
    return Rendered(str(folder), tuple(sorted(files)))


def write_files(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Write `files` (relative key → bytes) under `folder`, replacing what an earlier try left."""
    for key, data in files.items():
        path = folder / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def read_files(folder: str, keys: Iterable[str]) -> dict[str, bytes]:
    return {key: (Path(folder) / key).read_bytes() for key in keys}
