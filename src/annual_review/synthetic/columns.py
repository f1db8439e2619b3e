"""The files as the case system writes them: every column the extract step reads, in contract order."""

from __future__ import annotations

from annual_review.extract import specs

COLUMNS: dict[str, tuple[str, ...]] = {
    spec.name: spec.required + spec.optional
    for spec in (*specs.CASE_EXPORTS, specs.AUTHORITIES, specs.POPULATION)
}
DATE_COLUMN = {spec.name: str(spec.date_column) for spec in specs.CASE_EXPORTS}
