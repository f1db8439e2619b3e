"""Hand-built authority_year rows: Northampton with the reference letter's figures, and variants."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa

from annual_review.letters import LetterContent, letter_context, render_letter_html
from annual_review.tables import AUTHORITY_YEAR
from annual_review.years import BusinessYear
from transforms.previous import PREVIOUS_COLUMNS
from transforms.vocab import DECIDED_BY_DECISION, RECEIVED_BY_CATEGORY

YEAR = BusinessYear(2019)
LETTER_DATE = date(2020, 7, 22)
RELEASE_DATE = date(2020, 7, 29)

RECEIVED = dict(zip(RECEIVED_BY_CATEGORY, (0, 4, 5, 0, 6, 3, 8, 5, 1), strict=True))
DECIDED = dict(zip(DECIDED_BY_DECISION, (7, 4, 10, 1, 3, 5), strict=True))

# variants shared by the panel and PDF tests
NO_PEER = {
    "authority_type": "Fire and rescue authority",
    "peer_group": False,
    "peer_uphold_rate": None,
    "peer_uphold_rate_pct": None,
    "peer_compliance_rate": None,
    "peer_compliance_rate_pct": None,
    "peer_satisfactory_remedy_rate": None,
    "peer_satisfactory_remedy_rate_pct": None,
}
NO_INVESTIGATIONS = {
    "decided_upheld": 0,
    "decided_not_upheld": 0,
    "decisions_made": 19,
    "investigations": 0,
    "upheld": 0,
    "uphold_rate": None,
    "uphold_rate_pct": None,
    "satisfactory_remedies": 0,
    "satisfactory_remedy_rate": None,
    "satisfactory_remedy_rate_pct": None,
}


def northampton(**overrides: Any) -> dict[str, Any]:
    """The reference letter's authority and figures (2019-20), as one authority_year row."""
    row: dict[str, Any] = {
        "year": "2019-20",
        "authority_code": "E07000154",
        "authority_name": "Northampton Borough Council",
        "authority_type": "District Council",
        "peer_group": True,
        "chief_executive": "Mr Candler",
        "chief_executive_role": "Chief Executive",
        "complaints_received": sum(RECEIVED.values()),
        **RECEIVED,
        "decisions_made": sum(DECIDED.values()),
        **DECIDED,
        "investigations": 11,
        "upheld": 7,
        "uphold_rate": 7 / 11,
        "uphold_rate_pct": 64,
        "compliance_outcomes": 5,
        "complied": 5,
        "compliance_rate": 1.0,
        "compliance_rate_pct": 100,
        "satisfactory_remedies": 1,
        "satisfactory_remedy_rate": 1 / 7,
        "satisfactory_remedy_rate_pct": 14,
        "peer_uphold_rate": 0.4512,
        "peer_uphold_rate_pct": 45,
        "peer_compliance_rate": 0.9921,
        "peer_compliance_rate_pct": 99,
        "peer_satisfactory_remedy_rate": 0.1988,
        "peer_satisfactory_remedy_rate_pct": 20,
        "peer_method": "mean",
        "has_letter": True,
        # contract section 7; no population and no previous year unless a test says so
        "not_for_us": 9,
        "assessed_and_closed": 10,
        "investigated": 11,
        "residents": None,
        "population_source": None,
        "upheld_per_100k": None,
        "upheld_per_100k_display": None,
        "peer_upheld_per_100k": None,
        "peer_upheld_per_100k_display": None,
        **{column: None for column in PREVIOUS_COLUMNS},
    }
    unknown = set(overrides) - set(row)
    assert not unknown, f"not authority_year columns: {unknown}"
    return {**row, **overrides}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Rows as the pipeline hands them over: through the AUTHORITY_YEAR schema to pandas."""
    return pa.Table.from_pylist(list(rows), schema=AUTHORITY_YEAR).to_pandas()


def render(row: dict[str, Any], content: LetterContent) -> str:
    """One letter's HTML for a row of 2019-20, dated as the reference letter."""
    return render_letter_html(letter_context(row, YEAR, LETTER_DATE, RELEASE_DATE, content))
