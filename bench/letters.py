"""Letters/second, HTML and PDF (1 and 2 workers): .venv/bin/python -m bench.letters."""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from annual_review.letters import render_letters
from tests.letters.rows import LETTER_DATE, RELEASE_DATE, YEAR, frame, northampton


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
            northampton(
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
    authority_year = frame(*synthetic_rows(count))
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
