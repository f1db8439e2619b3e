"""Authorities with a population, and upheld decisions to put per 100,000 residents: computed by hand in
test_per_100k, shown on the website JSON in tests/outputs."""

from __future__ import annotations

import pandas as pd

from transforms.figures import authority_figures

from .frames import authorities, compliance, decisions, received

A, B, C, D, U1, U2, FIRE, LONDON = (
    "E07000001",
    "E07000002",
    "E07000003",
    "E07000004",
    "E06000001",
    "E06000002",
    "E31000001",
    "E09000002",
)
AUTHORITIES = authorities(
    (A, "District Council"),
    (B, "District Council"),
    (C, "District Council"),
    (D, "District Council"),
    (U1, "Unitary Council"),
    (U2, "Unitary Council"),
    (FIRE, "Fire and rescue authority"),
    (LONDON, "London Borough"),
)
DECISIONS = decisions(
    *[(A, "Upheld", None)] * 17,
    (B, "Not upheld", None),  # investigated, nothing upheld: 0.0, which counts towards the mean
    *[(C, "Upheld", None)] * 3,  # no population: null, and left out of both averages
    *[(D, "Upheld", None)] * 97,
    *[(U1, "Upheld", None)] * 48,
    *[(U2, "Upheld", None)] * 49,
    *[(FIRE, "Upheld", None)] * 2,
    (LONDON, "Upheld", None),
)
POPULATION = pd.DataFrame(
    {
        "authority_code": [A, B, D, U1, U2, FIRE],
        "residents": pd.array([350_000, 100_000, 2_000_000, 1_000_000, 1_000_000, 700_000], dtype="Int64"),
        "source": ["ONS mid-2022", "ONS mid-2022", None, "ONS mid-2022", "ONS mid-2022", "ONS mid-2022"],
    }
)
NO_CASES = (received(), compliance())


def figures(population: pd.DataFrame | None = POPULATION) -> pd.DataFrame:
    return authority_figures(AUTHORITIES, NO_CASES[0], DECISIONS, NO_CASES[1], population)
