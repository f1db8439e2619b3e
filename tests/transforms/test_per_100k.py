"""Upheld decisions per 100,000 residents and their peer averages, against values computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from transforms.peers import peer_averages, with_peer_averages

from .per_100k_frames import (
    FIRE,
    LONDON,
    POPULATION,
    U1,
    U2,
    A,
    B,
    C,
    D,
    figures,
)


def test_each_authority_by_hand() -> None:
    result = figures().set_index("authority_code")
    nan = np.nan
    expected = pd.DataFrame(
        {
            "upheld": [17, 0, 3, 97, 48, 49, 2, 1],
            "residents": pd.array(
                [350_000, 100_000, None, 2_000_000, 1_000_000, 1_000_000, 700_000, None], "Int64"
            ),
            "upheld_per_100k": [17e5 / 350_000, 0.0, nan, 4.85, 4.8, 4.9, 2e5 / 700_000, nan],
            "upheld_per_100k_display": pd.array(
                ["4.9", "0.0", None, "4.9", "4.8", "4.9", "0.3", None], dtype="str"
            ),
        },
        index=pd.Index([A, B, C, D, U1, U2, FIRE, LONDON], name="authority_code"),
    )
    assert_frame_equal(result[expected.columns], expected, check_exact=False, rtol=1e-12)
    assert result.loc[A, "upheld_per_100k"] == pytest.approx(4.857142857142857)
    assert result.loc[A, "population_source"] == "ONS mid-2022" and pd.isna(
        result.loc[D, "population_source"]
    )


def test_without_a_population_file_every_figure_is_null() -> None:
    result = figures(None)
    assert result["residents"].isna().all() and result["upheld_per_100k"].isna().all()
    assert result["upheld_per_100k_display"].isna().all()
    averages = peer_averages(result, "mean")
    assert averages["upheld_per_100k"].isna().all() and (averages["upheld_per_100k_authorities"] == 0).all()


# District Council: A 17/350,000, B 0/100,000, D 97/2,000,000 have a population; C (3 upheld) has none.
DISTRICT = {
    "mean": ((17e5 / 350_000 + 0.0 + 4.85) / 3, "3.2"),  # 3.2357…
    "pooled": ((17 + 0 + 97) * 1e5 / (350_000 + 100_000 + 2_000_000), "4.7"),  # 4.6530…
}
# Unitary Council: 4.8 and 4.9 average to 4.85 by either method, shown half up as 4.9 (round() gives 4.8).
UNITARY = {"mean": ((4.8 + 4.9) / 2, "4.9"), "pooled": (97e5 / 2_000_000, "4.9")}


@pytest.mark.parametrize("method", ["mean", "pooled"])
def test_peer_averages_by_both_methods(method: str) -> None:
    averages = peer_averages(figures(), method).set_index("authority_type")
    district, unitary = averages.loc["District Council"], averages.loc["Unitary Council"]
    assert district.upheld_per_100k == pytest.approx(DISTRICT[method][0])
    assert district.upheld_per_100k_display == DISTRICT[method][1]
    assert (district.upheld_per_100k_authorities, district.authorities) == (3, 4)
    assert (district.upheld_per_100k_numerator, district.upheld_per_100k_denominator) == (114, 2_450_000)
    assert unitary.upheld_per_100k == pytest.approx(UNITARY[method][0])
    assert unitary.upheld_per_100k_display == UNITARY[method][1]


@pytest.mark.parametrize("method", ["mean", "pooled"])
def test_a_type_where_no_authority_has_a_population_has_no_average(method: str) -> None:
    london = peer_averages(figures(), method).set_index("authority_type").loc["London Borough"]
    assert pd.isna(london.upheld_per_100k) and pd.isna(london.upheld_per_100k_display)
    assert (london.upheld_per_100k_authorities, london.upheld_per_100k_numerator) == (0, 0)


def test_beside_each_authority_and_none_without_a_peer_group() -> None:
    table = figures()
    averages = peer_averages(table, "mean")
    result = with_peer_averages(table, averages, "mean").set_index("authority_code")
    assert result.loc[A, "peer_upheld_per_100k_display"] == "3.2"
    assert result.loc[C, "peer_upheld_per_100k_display"] == "3.2"  # its own figure is null, its type's is not
    assert result.loc[FIRE, "upheld_per_100k_display"] == "0.3"
    assert pd.isna(result.loc[FIRE, "peer_upheld_per_100k"])  # fire authorities have no peer group
    assert "Fire and rescue authority" not in set(averages["authority_type"])


def test_population_is_not_mutated() -> None:
    before = POPULATION.copy()
    figures()
    assert_frame_equal(POPULATION, before)
