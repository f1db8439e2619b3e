"""Hand-built frames for the transform tests: a few authorities, a few cases each."""

from __future__ import annotations

import pandas as pd

YEAR = "2019-20"


def authorities(*rows: tuple[str, str]) -> pd.DataFrame:
    """(code, type) pairs → the year's authorities table."""
    peer_types = {
        "County Council",
        "District Council",
        "Metropolitan Borough",
        "Unitary Council",
        "London Borough",
    }
    return pd.DataFrame(
        {
            "year": YEAR,
            "authority_code": [c for c, _ in rows],
            "authority_name": [f"Council {c}" for c, _ in rows],
            "authority_type": [t for _, t in rows],
            "peer_group": [t in peer_types for _, t in rows],
            "chief_executive": "Ms Example",
            "chief_executive_role": "Chief Executive",
        }
    )


def decisions(*rows: tuple[str, str, bool | None]) -> pd.DataFrame:
    """(code, decision, remedy before ombudsman) triples."""
    return pd.DataFrame(
        {
            "year": YEAR,
            "case_ref": [f"D{i}" for i in range(len(rows))],
            "authority_code": pd.Series([c for c, _, _ in rows], dtype="str"),
            "category": "Housing",
            "decision": pd.Series([d for _, d, _ in rows], dtype="str"),
            "decision_detail": pd.Series([None] * len(rows), dtype="str"),
            "remedy_before_ombudsman": pd.array([r for _, _, r in rows], dtype="boolean"),
        }
    )


def received(*rows: tuple[str, str]) -> pd.DataFrame:
    """(code, category) pairs."""
    return pd.DataFrame(
        {
            "year": YEAR,
            "case_ref": [f"R{i}" for i in range(len(rows))],
            "authority_code": pd.Series([c for c, _ in rows], dtype="str"),
            "category": pd.Series([k for _, k in rows], dtype="str"),
        }
    )


def compliance(*rows: tuple[str, str]) -> pd.DataFrame:
    """(code, outcome) pairs."""
    return pd.DataFrame(
        {
            "year": YEAR,
            "case_ref": [f"C{i}" for i in range(len(rows))],
            "authority_code": pd.Series([c for c, _ in rows], dtype="str"),
            "outcome": pd.Series([o for _, o in rows], dtype="str"),
        }
    )


def northampton_decisions(code: str = "E07000154") -> list[tuple[str, str, bool | None]]:
    """The reference letter: 11 investigations, 7 upheld (1 remedied before us), 4 not upheld,
    plus decisions that are not investigations."""
    return [
        (code, "Upheld", True),
        *[(code, "Upheld", False)] * 6,
        *[(code, "Not upheld", None)] * 4,
        *[(code, "Closed after initial enquiries", None)] * 3,
        (code, "Referred back for local resolution", None),
        (code, "Incomplete/invalid", True),  # a remedy flag off an upheld row counts for nothing
    ]


# Five authorities whose figures are counted by hand in test_figures (and used by test_peers and the
# website JSON tests): Northampton (A) as in the reference letter, two districts, a fire authority, a
# London borough without cases.
A, B, C, FIRE, LONDON = "E07000154", "E07000001", "E07000002", "E31000001", "E09000001"

AUTHORITIES = authorities(
    (A, "District Council"),
    (B, "District Council"),
    (C, "District Council"),
    (FIRE, "Fire and rescue authority"),
    (LONDON, "London Borough"),
)
DECISIONS = decisions(
    *northampton_decisions(A),
    (B, "Upheld", True),
    *[(B, "Not upheld", None)] * 3,
    (C, "Advice given", None),
    (FIRE, "Upheld", False),
    (FIRE, "Upheld", None),
)
RECEIVED = received((A, "Housing"), (A, "Housing"), (A, "Planning and development"), (B, "Other"))
COMPLIANCE = compliance(
    *[(A, "Complied")] * 4,
    (A, "Complied late"),  # late compliance counts as complied
    (B, "Complied"),
    (B, "Not complied"),
)
