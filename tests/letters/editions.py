"""Rows and rendering for the 2024 edition tests: a recent year, with a population and last year."""

from __future__ import annotations

from datetime import date
from typing import Any

from annual_review.letters import LetterContent, letter_context, load_content, render_letter_html
from annual_review.years import BusinessYear

from .rows import frame, northampton
from .text import html_to_text

RECENT = BusinessYear(2024)
RECENT_DATES = (date(2025, 7, 22), date(2025, 7, 29))
WEST_NORTHAMPTONSHIRE = {
    "year": "2024-25",
    "authority_code": "E06000062",
    "authority_name": "West Northamptonshire Council",
    "authority_type": "Unitary Council",
    "chief_executive": "Ms Hughes",
}
# 7 upheld over 144,000 residents is 4.861… per 100,000, shown as 4.9; the unitary average 5.03… as 5.0
POPULATION = {
    "residents": 144_000,
    "population_source": "ONS mid-2023 population estimates",
    "upheld_per_100k": 7e5 / 144_000,
    "upheld_per_100k_display": "4.9",
    "peer_upheld_per_100k": 5.0312,
    "peer_upheld_per_100k_display": "5.0",
}
LAST_YEAR = {
    "previous_year": "2023-24",
    "previous_uphold_rate": 0.5,
    "previous_uphold_rate_pct": 50,
    "previous_compliance_rate": 1.0,
    "previous_compliance_rate_pct": 100,
    "previous_satisfactory_remedy_rate": 0.2,
    "previous_satisfactory_remedy_rate_pct": 20,
    "previous_upheld_per_100k": 3.5,
    "previous_upheld_per_100k_display": "3.5",
    "previous_decisions_made": 1027,
    "previous_not_for_us": 8,
    "previous_assessed_and_closed": 1009,
    "previous_investigated": 10,
}


def recent(**overrides: Any) -> dict[str, Any]:
    """A 2024-25 authority_year row, through the table's schema: population and last year as given."""
    row = northampton(**{**WEST_NORTHAMPTONSHIRE, **overrides})
    record: dict[str, Any] = frame(row).to_dict("records")[0]
    return record


def render_recent(row: dict[str, Any], content: LetterContent | None = None) -> str:
    """The 2024-25 letter's HTML, in the edition of the shipped content (2024) unless given another."""
    context = letter_context(row, RECENT, *RECENT_DATES, content or load_content(RECENT))
    return render_letter_html(context)


def statistics_text(html: str) -> str:
    """The statistics pages as text: from after the signatory to the appendix."""
    text = html_to_text(html)
    return text[text.index("Chair, Commission for Local Administration in England") : text.index("Appendix:")]
