"""What each export must hold: its required and optional columns, and which column dates it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annual_review.errors import PipelineError


@dataclass(frozen=True)
class ExportSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    date_column: str | None = None


RECEIVED = ExportSpec(
    "received", ("case_ref", "authority_code", "category", "received_date"), date_column="received_date"
)
DECISIONS = ExportSpec(
    "decisions",
    ("case_ref", "authority_code", "category", "decision_date", "decision", "remedy_before_ombudsman"),
    date_column="decision_date",
)
COMPLIANCE = ExportSpec(
    "compliance", ("case_ref", "authority_code", "recorded_date", "outcome"), date_column="recorded_date"
)
AUTHORITIES = ExportSpec(
    "authorities",
    ("authority_code", "authority_name", "authority_type", "chief_executive"),
    optional=("chief_executive_role", "valid_from", "valid_to"),
)
CASE_EXPORTS: tuple[ExportSpec, ...] = (RECEIVED, DECISIONS, COMPLIANCE)
# Optional: without it the per-100k figures are null (contract section 7). One row per authority.
POPULATION = ExportSpec("population", ("authority_code", "residents"), optional=("source",))
# Exports an operator may declare empty for a year; without the authorities nothing can be read.
MAY_BE_EMPTY = tuple(spec.name for spec in (*CASE_EXPORTS, POPULATION))


def check_may_be_empty(names: Iterable[str]) -> tuple[str, ...]:
    """The operator's --allow-empty names, checked: a mistyped one must not pass silently. Here, not in
    steps.py, so that the command line checks them without importing pandas (before Prefect's API starts)."""
    chosen = tuple(sorted({name.strip() for name in names if name.strip()}))
    unknown = [name for name in chosen if name not in MAY_BE_EMPTY]
    if unknown:
        raise PipelineError(
            f"--allow-empty takes {', '.join(MAY_BE_EMPTY)}; not {', '.join(map(repr, unknown))}"
        )
    return chosen
