"""Letters/second, HTML and PDF (1 and 2 workers): .venv/bin/python -m bench.letters."""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from typing import Any

import pyarrow as pa

from annual_review.letters import render_letters
from annual_review.tables import AUTHORITY_YEAR
from annual_review.years import BusinessYear
from transforms.vocab import DECIDED_BY_DECISION, RECEIVED_BY_CATEGORY

YEAR = BusinessYear(2019)
LETTER_DATE, RELEASE_DATE = date(2020, 7, 22), date(2020, 7, 29)
# The figures the rows do not vary: the reference letter's Northampton (tests/letters/rows.py has it
# for the letter tests; bench/ does not import tests/).
_RECEIVED = dict(zip(RECEIVED_BY_CATEGORY, (0, 4, 5, 0, 6, 3, 8, 5, 1), strict=True))
_DECIDED = dict(zip(DECIDED_BY_DECISION, (7, 4, 10, 1, 3, 5), strict=True))
# fmt: off
_FIXED: dict[str, Any] = {
    "year": "2019-20", "authority_type": "District Council", "chief_executive": "Mr Candler",
    "chief_executive_role": "Chief Executive", "complaints_received": 32, **_RECEIVED,
    "decisions_made": 30, **_DECIDED, "uphold_rate": 7 / 11, "compliance_rate": 1.0,
    "satisfactory_remedy_rate": 1 / 7, "peer_uphold_rate": 0.4512, "peer_uphold_rate_pct": 45,
    "peer_compliance_rate": 0.9921, "peer_compliance_rate_pct": 99, "peer_satisfactory_remedy_rate": 0.1988,
    "peer_satisfactory_remedy_rate_pct": 20, "peer_method": "mean", "has_letter": True, "not_for_us": 9,
    "assessed_and_closed": 10, "investigated": 11,
}
# fmt: on


def _row(**figures: Any) -> dict[str, Any]:
    """An authority_year row: the fixed figures, these, and no population or previous year."""
    return {field.name: None for field in AUTHORITY_YEAR} | _FIXED | figures


def synthetic_rows(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """Northampton-shaped rows with varied figures, including null and no-peer variants."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        investigations = rng.randint(0, 40)
        upheld = rng.randint(0, investigations)
        remedies = rng.randint(0, upheld)
        outcomes = rng.randint(0, 12)
        peer = i % 10 != 0
        rows.append(
            _row(
                authority_code=f"E{i:08d}",
                authority_name=f"Council {i} & District",
                peer_group=peer,
                investigations=investigations,
                upheld=upheld,
                uphold_rate_pct=round(100 * upheld / investigations) if investigations else None,
                satisfactory_remedies=remedies,
                satisfactory_remedy_rate_pct=round(100 * remedies / upheld) if upheld else None,
                compliance_outcomes=outcomes,
                complied=outcomes,
                compliance_rate_pct=100 if outcomes else None,
                **(
                    {}
                    if peer
                    else {
                        "peer_uphold_rate_pct": None,
                        "peer_compliance_rate_pct": None,
                        "peer_satisfactory_remedy_rate_pct": None,
                    }
                ),
            )
        )
    return rows


def main(count: int = 350) -> None:
    authority_year = pa.Table.from_pylist(synthetic_rows(count), schema=AUTHORITY_YEAR).to_pandas()
    start = time.perf_counter()
    render_letters(
        authority_year, YEAR, letter_date=LETTER_DATE, release_date=RELEASE_DATE, formats=("html",)
    )
    took = time.perf_counter() - start
    print(f"html: {count} letters in {took:.2f} s = {count / took:.0f} letters/s")
    for workers in (1, 2):
        start = time.perf_counter()
        render_letters(
            authority_year,
            YEAR,
            letter_date=LETTER_DATE,
            release_date=RELEASE_DATE,
            formats=("pdf",),
            workers=workers,
        )
        took = time.perf_counter() - start
        rate = count / took
        print(f"pdf, {workers} worker(s): {count} letters in {took:.1f} s = {rate:.1f} letters/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 350)
