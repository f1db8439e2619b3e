"""The small values a run reports (run report, Prefect artifacts, the command's tables), taken from the
tables a step holds in memory, so that nothing above the steps opens their files again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from annual_review.tables import RATES
from transforms.population import PER_100K_PARTS


@dataclass(frozen=True)
class AuthorityRef:
    code: str
    name: str
    has_letter: bool


@dataclass(frozen=True)
class BuildReport:
    """The peer averages as an operator reads them, and who the per-100k figures leave out."""

    peer_rows: tuple[dict[str, Any], ...]
    authorities: int
    with_letter: int
    without_population: tuple[AuthorityRef, ...]


def build_report(authority_year: pa.Table, peer_averages: pa.Table) -> BuildReport:
    rows = authority_year.select(["authority_code", "authority_name", "has_letter", "residents"]).to_pylist()
    averages = sorted(peer_averages.to_pylist(), key=lambda r: str(r["authority_type"]))
    return BuildReport(
        peer_rows=tuple(peer_row(row) for row in averages),
        authorities=len(rows),
        with_letter=sum(bool(r["has_letter"]) for r in rows),
        without_population=tuple(
            AuthorityRef(r["authority_code"], r["authority_name"], bool(r["has_letter"]))
            for r in rows
            if r["residents"] is None
        ),
    )


def peer_row(row: dict[str, Any]) -> dict[str, Any]:
    """One type's averages as shown: the displayed percentage and the counts it is made of."""
    shown: dict[str, Any] = {
        "type": row["authority_type"],
        "method": row["peer_method"],
        "authorities": row["authorities"],
    }
    for rate in RATES:
        pct = row[f"{rate}_pct"]
        shown[rate.replace("_", " ")] = "–" if pct is None else f"{pct}%"
        shown[f"{rate.replace('_', ' ')} (of)"] = f"{row[f'{rate}_numerator']}/{row[f'{rate}_denominator']}"
    for figure, count in PER_100K_PARTS.items():
        label = f"{count} per 100,000"
        shown[f"{label} residents"] = row[f"{figure}_display"] or "–"
        shown[f"{label} (of)"] = (
            f"{row[f'{figure}_numerator']} {count}, {row[f'{figure}_denominator']:,} residents, "
            f"{row[f'{figure}_authorities']} authorities"
        )
    return shown
