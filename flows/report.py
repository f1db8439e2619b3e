"""What the operator sees in the Prefect UI about a run: counts, rejects, peer figures, staged files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from annual_review.layout import CANDIDATE, LETTER_FORMATS, LETTERS, STAGING, staging_prefix
from annual_review.steps import REJECTS_SHOWN, BuildReport, Extracted
from annual_review.years import BusinessYear


@dataclass(frozen=True)
class PopulationReport:
    """Whether the per-100k figures exist (the population export's file, or None) and who has none."""

    file: str | None
    authorities: int
    without_population: tuple[str, ...]


def report_rows(year: str, extracted: Sequence[Extracted], allowed_empty: Sequence[str] = ()) -> None:
    """Rows read = accepted + rejected, per file; and the first rejected rows with their reasons.

    An export with no rows for the year that the operator allowed (--allow-empty) says so here.
    """
    create_table_artifact(
        key=f"rows-{year}",
        table=[
            {
                "file": e.report.file,
                "rows read": e.report.rows_read,
                "accepted": e.report.rows_accepted,
                "rejected": e.report.rows_rejected,
                "blank lines": e.report.blank_lines,
                "warnings": "; ".join(
                    (
                        *e.report.warnings,
                        *(["no rows for the year: allowed"] if e.name in allowed_empty else []),
                    )
                ),
            }
            for e in extracted
        ],
        description=f"Rows read, accepted and rejected per export for {year}",
    )
    rejects = [row for e in extracted for row in e.first_rejects][:REJECTS_SHOWN]
    if rejects:
        create_table_artifact(
            key=f"rejects-{year}",
            table=rejects,
            description=f"The first {REJECTS_SHOWN} rejected rows of {year}, with their reasons",
        )


def report_peer_figures(year: str, report: BuildReport) -> None:
    """The peer averages the letters will quote, to check against last year's before anything goes out."""
    create_table_artifact(
        key=f"peer-averages-{year}",
        table=list(report.peer_rows),
        description=f"Peer-group averages of {year} (displayed %, and the counts behind them)",
    )


def report_population(year: str, report: BuildReport, population: Extracted | None) -> PopulationReport:
    """Whether the per-100k figures exist, and which authorities of the year have no population."""
    without = report.without_population
    if population is None:
        lines = [
            f"# Population {year}: no population export",
            "",
            "No `population.csv` or `.xlsx` in the input folder: upheld decisions per 100,000 residents "
            "are null for every authority, and the letters leave that sentence out.",
        ]
    else:
        lines = [
            f"# Population {year}: {population.report.file}",
            "",
            f"- {report.authorities - len(without)} of {report.authorities} authorities have a population; "
            f"{len(without)} have none (their per-100k figure is null and their letter leaves it out).",
        ]
        if without:
            lines += ["", "| authority | name | letter |", "|---|---|---|"]
            lines += [f"| {a.code} | {a.name} | {'yes' if a.has_letter else 'no'} |" for a in without]
    create_markdown_artifact(
        key=f"population-{year}",
        markdown="\n".join(lines),
        description=f"Population export of {year} and the authorities without one",
    )
    return PopulationReport(
        population.report.file if population else None, report.authorities, tuple(a.code for a in without)
    )


def staged_location(store_url: str, year: str, key: str = "") -> str:
    """Where a staged file is: a file path on the local store, an s3:// URI on S3."""
    prefix = staging_prefix(BusinessYear.parse(year))
    if store_url.startswith("s3://"):
        return f"{store_url.rstrip('/')}/{prefix}{key}".rstrip("/")
    return str(Path(store_url).resolve() / prefix / key)


def report_staged_links(year: str, store_url: str, staged_keys: Iterable[str]) -> None:
    """Where the candidate's manifest and each staged letter are, to check before they go to councils.

    Never a presigned link: that would be pre-release access no access log records (the UI keeps artifacts
    for ever); the operator opens the files with their own keys."""
    letter_keys = [k for k in sorted(staged_keys) if k.startswith(LETTERS)]
    links = {key: staged_location(store_url, year, key) for key in [CANDIDATE, *letter_keys]}
    candidate = links[CANDIDATE]
    create_link_artifact(
        key=f"candidate-{year}",
        link=candidate,
        link_text=f"candidate manifest of {year}",
        description=f"{STAGING}<year>/{CANDIDATE}: every staged file with its sha256 and size",
    )
    letters: dict[str, dict[str, str]] = {}
    for key in letter_keys:
        path = PurePosixPath(key)
        letters.setdefault(path.stem, {})[path.suffix.lstrip(".")] = links[key]
    lines = [
        f"# Staged release candidate {year}",
        "",
        f"- candidate manifest: `{candidate}`",
        f"- staged folder: `{staged_location(store_url, year)}`",
        f"- letters: {len(letters)} authorities",
        "",
    ]
    if letters:
        lines += [f"| authority | {' | '.join(LETTER_FORMATS)} |", "|---" * (1 + len(LETTER_FORMATS)) + "|"]
        lines += [
            f"| {code} | {' | '.join(_cell(files.get(fmt)) for fmt in LETTER_FORMATS)} |"
            for code, files in letters.items()
        ]
    create_markdown_artifact(
        key=f"staged-{year}",
        markdown="\n".join(lines),
        description=f"The staged letters and candidate manifest of {year}",
    )


def _cell(location: str | None) -> str:
    if not location:
        return "–"
    return f"[open]({location})" if location.startswith(("https://", "http://")) else f"`{location}`"
