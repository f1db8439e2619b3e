"""Peer averages by both methods, against values computed by hand."""

import pandas as pd
import pytest

from transforms.figures import authority_figures
from transforms.peers import peer_averages, with_peer_averages

from .frames import AUTHORITIES, COMPLIANCE, DECISIONS, FIRE, LONDON, RECEIVED, A, C

FIGURES = authority_figures(AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE)

# District Council: A (7/11 upheld, 5/5 complied, 1/7 remedied), B (1/4, 1/2, 1/1), C (no rates).
EXPECTED = {
    "mean": {
        "uphold_rate": ((7 / 11 + 1 / 4) / 2, 44),
        "compliance_rate": ((1.0 + 0.5) / 2, 75),
        "satisfactory_remedy_rate": ((1 / 7 + 1.0) / 2, 57),
    },
    "pooled": {
        "uphold_rate": (8 / 15, 53),
        "compliance_rate": (6 / 7, 86),
        "satisfactory_remedy_rate": (2 / 8, 25),
    },
}


@pytest.mark.parametrize("method", ["mean", "pooled"])
def test_district_average(method: str) -> None:
    averages = peer_averages(FIGURES, method).set_index("authority_type")
    district = averages.loc["District Council"]
    assert district.authorities == 3
    assert district.peer_method == method
    for rate, (value, shown) in EXPECTED[method].items():
        assert district[rate] == pytest.approx(value), rate
        assert district[f"{rate}_pct"] == shown, rate
    # C has no rate at all: it counts as a district but not towards the mean of rates
    assert district.uphold_rate_authorities == 2
    assert (district.uphold_rate_numerator, district.uphold_rate_denominator) == (8, 15)


def test_only_peer_types_have_averages() -> None:
    averages = peer_averages(FIGURES, "mean")
    assert sorted(averages["authority_type"]) == ["District Council", "London Borough"]


@pytest.mark.parametrize("method", ["mean", "pooled"])
def test_group_with_no_rates_is_null(method: str) -> None:
    london = peer_averages(FIGURES, method).set_index("authority_type").loc["London Borough"]
    assert london.authorities == 1 and london.uphold_rate_authorities == 0
    assert pd.isna(london.uphold_rate) and pd.isna(london.uphold_rate_pct)


def test_beside_each_authority() -> None:
    averages = peer_averages(FIGURES, "mean")
    result = with_peer_averages(FIGURES, averages, "mean").set_index("authority_code")
    assert result.loc[A, "peer_uphold_rate_pct"] == 44
    assert result.loc[C, "peer_uphold_rate_pct"] == 44  # its own rate is null, its group's is not
    assert result.loc[FIRE, ["peer_uphold_rate", "peer_compliance_rate"]].isna().all()
    assert pd.isna(result.loc[LONDON, "peer_uphold_rate"])
    assert (result["peer_method"] == "mean").all()
    assert len(result) == len(FIGURES)


def test_unknown_method_refused() -> None:
    with pytest.raises(ValueError, match="mean' or 'pooled"):
        peer_averages(FIGURES, "median")
