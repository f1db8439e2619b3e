"""What the operator sees in the Prefect UI about a run: counts, rejects, peer figures, staged files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.parquet as pq
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from annual_review.layout import staging_prefix
from annual_review.steps import Extracted
from annual_review.store import Presigner, open_store
from annual_review.tables import RATES
from annual_review.years import BusinessYear

REJECTS_SHOWN = 100
OPERATOR_LINK_SECONDS = 24 * 3600  # presigned links in the UI: long enough for a day's checks, no more


def publish_run_report(year: str, extracted: Sequence[Extracted], allowed_empty: Sequence[str] = ()) -> None:
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
    rejects = [
        row
        for e in extracted
        for row in pq.read_table(e.rejects, columns=["file", "line", "reason", "raw"])
        .slice(0, REJECTS_SHOWN)
        .to_pylist()
    ][:REJECTS_SHOWN]
    if rejects:
        create_table_artifact(
            key=f"rejects-{year}",
            table=rejects,
            description=f"The first {REJECTS_SHOWN} rejected rows of {year}, with their reasons",
        )


def publish_peer_figures(year: str, peer_averages_path: str) -> None:
    """The peer averages the letters will quote, to check against last year's before anything goes out."""
    rows = pq.read_table(peer_averages_path).to_pylist()
    create_table_artifact(
        key=f"peer-averages-{year}",
        table=[_peer_row(row) for row in sorted(rows, key=lambda r: str(r["authority_type"]))],
        description=f"Peer-group averages of {year} (displayed %, and the counts behind them)",
    )


def _peer_row(row: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "type": row["authority_type"],
        "method": row["peer_method"],
        "authorities": row["authorities"],
    }
    for rate in RATES:
        pct = row[f"{rate}_pct"]
        shown[rate.replace("_", " ")] = "–" if pct is None else f"{pct}%"
        shown[f"{rate.replace('_', ' ')} (of)"] = f"{row[f'{rate}_numerator']}/{row[f'{rate}_denominator']}"
    shown["upheld per 100,000 residents"] = row["upheld_per_100k_display"] or "–"
    shown["upheld per 100,000 (of)"] = (
        f"{row['upheld_per_100k_numerator']} upheld, {row['upheld_per_100k_denominator']:,} residents, "
        f"{row['upheld_per_100k_authorities']} authorities"
    )
    return shown


def publish_population_report(
    year: str, authority_year_path: str, population: Extracted | None
) -> dict[str, Any]:
    """Whether the per-100k figures exist, and which authorities of the year have no population."""
    rows = pq.read_table(
        authority_year_path, columns=["authority_code", "authority_name", "has_letter", "residents"]
    ).to_pylist()
    without = [r for r in rows if r["residents"] is None]
    report: dict[str, Any] = {
        "file": population.report.file if population else None,
        "authorities": len(rows),
        "without_population": [r["authority_code"] for r in without],
    }
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
            f"- {len(rows) - len(without)} of {len(rows)} authorities have a population; "
            f"{len(without)} have none (their per-100k figure is null and their letter leaves it out).",
        ]
        if without:
            lines += ["", "| authority | name | letter |", "|---|---|---|"]
            lines += [
                f"| {r['authority_code']} | {r['authority_name']} | {'yes' if r['has_letter'] else 'no'} |"
                for r in without
            ]
    create_markdown_artifact(
        key=f"population-{year}",
        markdown="\n".join(lines),
        description=f"Population export of {year} and the authorities without one",
    )
    return report


def staged_location(store_url: str, year: str, key: str = "") -> str:
    """Where a staged file is: a file path on the local store, an s3:// URI on S3."""
    prefix = staging_prefix(BusinessYear.parse(year))
    if store_url.startswith("s3://"):
        return f"{store_url.rstrip('/')}/{prefix}{key}".rstrip("/")
    return str(Path(store_url).resolve() / prefix / key)


def staged_links(store_url: str, endpoint_url: str | None, year: str, keys: Iterable[str]) -> dict[str, str]:
    """Per staged key, what opens it from the Prefect UI: on S3 a presigned https link, as `share` makes."""
    store = open_store(store_url, endpoint_url=endpoint_url)
    if not isinstance(store, Presigner):
        return {key: staged_location(store_url, year, key) for key in keys}
    prefix = staging_prefix(BusinessYear.parse(year))
    return {key: store.presign_get(prefix + key, OPERATOR_LINK_SECONDS) for key in keys}


def publish_staged_links(
    year: str, store_url: str, staged_keys: Iterable[str], endpoint_url: str | None = None
) -> None:
    """Where to open the candidate's manifest and each staged letter before they go to councils."""
    letter_keys = [k for k in sorted(staged_keys) if PurePosixPath(k).parts[0] == "letters"]
    links = staged_links(store_url, endpoint_url, year, ["candidate.json", *letter_keys])
    candidate = links["candidate.json"]
    create_link_artifact(
        key=f"candidate-{year}",
        link=candidate,
        link_text=f"candidate manifest of {year}",
        description="staging/<year>/candidate.json: every staged file with its sha256 and size",
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
        lines += ["| authority | html | pdf |", "|---|---|---|"]
        lines += [
            f"| {code} | {_cell(files.get('html'))} | {_cell(files.get('pdf'))} |"
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
