"""A letter's context: an authority_year row and the year's content as display values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from annual_review.letters.content import LetterContent
from annual_review.years import BusinessYear
from transforms.vocab import (
    CATEGORIES,
    DECIDED_BY_DECISION,
    DECIDED_BY_GROUP,
    DECISION_GROUP_MEANINGS,
    DECISION_GROUPS,
    DECISIONS,
    RECEIVED_BY_CATEGORY,
)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """'22 July 2020', whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _count(row: Mapping[str, Any], column: str) -> int:
    """A count column; null here means a broken authority_year table, so say which."""
    value = row[column]
    if _missing(value):
        raise ValueError(f"authority_year {row.get('authority_code')}: {column} is null")
    return int(value)


def _optional_int(row: Mapping[str, Any], column: str) -> int | None:
    """A whole figure as the table holds it (a percentage rounded half up, a count), or None if undefined."""
    value = row[column]
    return None if _missing(value) else int(value)


def _text(row: Mapping[str, Any], column: str) -> str | None:
    """A displayed figure stored as text ('4.9'), or None when undefined."""
    value = row[column]
    return None if _missing(value) else str(value)


def _per_100k(row: Mapping[str, Any], peer_group: bool) -> dict[str, Any] | None:
    """Upheld decisions per 100,000 residents and the type's average, as displayed; None without a
    population (the letter then leaves the sentences out)."""
    shown = _text(row, "upheld_per_100k_display")
    if shown is None:
        return None
    return {
        "display": shown,
        "peer_display": _text(row, "peer_upheld_per_100k_display") if peer_group else None,
    }


def _dealt_with(row: Mapping[str, Any]) -> dict[str, Any]:
    """Decisions made in the three outcome groups, and the same of the previous year as released.

    previous_year is the year's label when it was released (None otherwise); previous is None
    when the authority was not in that release.
    """
    previous_year = _text(row, "previous_year")
    previous_total = _optional_int(row, "previous_decisions_made") if previous_year else None
    return {
        "total": _count(row, "decisions_made"),
        "groups": [
            {
                "label": label,
                "meaning": DECISION_GROUP_MEANINGS[label],
                "count": _count(row, column),
                "previous": _optional_int(row, f"previous_{column}") if previous_total is not None else None,
            }
            for label, column in zip(DECISION_GROUPS, DECIDED_BY_GROUP, strict=True)
        ],
        "previous_year": previous_year,
        "previous_total": previous_total,
    }


def _panel(row: Mapping[str, Any], rate: str, peer_group: bool) -> dict[str, Any]:
    return {
        "rate_pct": _optional_int(row, f"{rate}_pct"),
        "peer_group": peer_group,
        "peer_pct": _optional_int(row, f"peer_{rate}_pct") if peer_group else None,
    }


def letter_context(
    row: Mapping[str, Any],
    year: BusinessYear,
    letter_date: date,
    release_date: date,
    content: LetterContent,
) -> dict[str, Any]:
    """Everything the template prints, ready to print: figures taken as given, never recomputed."""
    if row["year"] != year.label:
        raise ValueError(f"authority_year row for {row['year']} given to the {year.label} letters")
    peer_group = bool(row["peer_group"])
    investigations = _count(row, "investigations")
    upheld = _count(row, "upheld")
    name = str(row["authority_name"])
    return {
        "edition": content.edition,
        "title": f"Annual Review letter {release_date.year}",
        "letter_date": long_date(letter_date),
        "release_date": long_date(release_date),
        "metadata_date": letter_date.isoformat(),
        "year": {
            "label": year.label,
            "period": year.period_text,
            "year_end": long_date(year.last_day),
        },
        "authority": {
            "code": str(row["authority_code"]),
            "name": name,
            "type": str(row["authority_type"]),
            "peer_group": peer_group,
            "peer_method": str(row["peer_method"]),
        },
        "addressee": {
            "name": str(row["chief_executive"]),
            "role": str(row["chief_executive_role"]),
            "authority": name,
        },
        "salutation": f"Dear {row['chief_executive']}",
        "panels": {
            "upheld": {
                **_panel(row, "uphold_rate", peer_group),
                "count": upheld,
                "investigations": investigations,
                "per_100k": _per_100k(row, peer_group),
            },
            "compliance": {
                **_panel(row, "compliance_rate", peer_group),
                "outcomes": _count(row, "compliance_outcomes"),
            },
            "remedies": {
                **_panel(row, "satisfactory_remedy_rate", peer_group),
                "count": _count(row, "satisfactory_remedies"),
                "upheld": upheld,
                "investigations": investigations,
            },
            "dealt_with": _dealt_with(row),
        },
        "appendix": {
            "received": [
                {"label": label, "count": _count(row, column)}
                for label, column in zip(CATEGORIES, RECEIVED_BY_CATEGORY, strict=True)
            ],
            "received_total": _count(row, "complaints_received"),
            "decisions": [
                {"label": label, "count": _count(row, column)}
                for label, column in zip(DECISIONS, DECIDED_BY_DECISION, strict=True)
            ],
            "decisions_total": _count(row, "decisions_made"),
        },
        "content": {
            "source": content.source,
            "narrative": content.narrative,
            "delivery": content.delivery,
            "sign_off": content.sign_off,
            "ombudsman_name": content.ombudsman_name,
            "ombudsman_titles": list(content.ombudsman_titles),
            "signature_src": content.signature_src,
            "signature_alt": content.signature_alt,
        },
    }
