"""What the operator sees in the Prefect UI about a run: counts per file and the rejected rows."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow.parquet as pq
from prefect.artifacts import create_table_artifact

from annual_review.steps import Extracted

REJECTS_SHOWN = 100


def publish_run_report(year: str, extracted: Sequence[Extracted]) -> None:
    """Rows read = accepted + rejected, per file; and the first rejected rows with their reasons."""
    create_table_artifact(
        key=f"rows-{year}",
        table=[
            {
                "file": e.report.file,
                "rows read": e.report.rows_read,
                "accepted": e.report.rows_accepted,
                "rejected": e.report.rows_rejected,
                "blank lines": e.report.blank_lines,
                "warnings": "; ".join(e.report.warnings),
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
