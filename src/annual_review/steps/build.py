"""The build step: figures, peer averages, every fact table as Parquet and the website JSON; and the
previous year as released, which the figures are compared with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from annual_review.layout import table_key
from annual_review.outputs.json_schemas import check_website_json
from annual_review.outputs.parquet import parquet_bytes, to_arrow
from annual_review.outputs.website import website_json
from annual_review.publish.released import read_released_part
from annual_review.steps.digests import digest_of
from annual_review.steps.extract import Extracted
from annual_review.steps.files import read_table, write_files
from annual_review.steps.report import BuildReport, build_report
from annual_review.store import Store
from annual_review.tables import POPULATION
from annual_review.years import BusinessYear
from transforms.figures import authority_figures
from transforms.peers import peer_averages, with_peer_averages
from transforms.previous import with_previous_year


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
class Built:
    """The year's candidate data and JSON (relative key → file under `folder`), the row counts per
    table, and what the run reports of them."""

    folder: str
    keys: tuple[str, ...]
    row_counts: dict[str, int]
    peer_method: str
    digest: str
    report: BuildReport

    def file(self, key: str) -> str:
        return str(Path(self.folder) / key)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.file(key) for key in self.keys)

    @property
    def authority_year(self) -> str:
        return self.file(table_key("authority_year"))

    @property
    def peer_averages(self) -> str:
        return self.file(table_key("peer_averages"))


def fetch_previous_year(store: Store, year: BusinessYear, work: Path) -> PreviousYear:
    """The previous year's authority_year as released, copied under `work` (named by its sha256)."""
    before = year.previous()
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
    previous = previous or PreviousYear(year.previous().label)
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
    row_counts = {name: e.rows for name, e in extracted.items()}
    row_counts |= {name: table.num_rows for name, table in built.items()}
    return Built(
        str(folder),
        tuple(sorted(files)),
        dict(sorted(row_counts.items())),
        peer_method,
        digest,
        build_report(built["authority_year"], built["peer_averages"]),
    )
