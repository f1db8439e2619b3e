"""Properties of the rates over any counts (hypothesis), beside the hand-worked cases of the other tests."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.display import percent_half_up
from transforms.figures import RATE_PARTS, ratio
from transforms.peers import peer_averages
from transforms.population import per_100k

# Up to ten million: more decisions than the ombudsman makes in a century, in any pooled sum.
COUNT = 10_000_000


@st.composite
def fractions(draw: st.DrawFn) -> tuple[int, int]:
    """numerator ≤ denominator, as every rate of the contract is (upheld of investigations, ...)."""
    denominator = draw(st.integers(1, COUNT))
    return draw(st.integers(0, denominator)), denominator


def half_up(numerator: int, denominator: int) -> int:
    """The contract's display: the exact fraction as a percentage, rounded half up (Decimal, no floats)."""
    exact = Fraction(100 * numerator, denominator)
    return int((Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal(1), ROUND_HALF_UP))


@given(st.lists(fractions(), min_size=1, max_size=50))
def test_displayed_percent_is_the_exact_fraction_rounded_half_up(pairs: list[tuple[int, int]]) -> None:
    rates = pd.Series([n / d for n, d in pairs])
    assert percent_half_up(rates).tolist() == [half_up(n, d) for n, d in pairs]


@given(st.lists(st.integers(0, 99), min_size=1))
def test_a_half_percent_rounds_up(percents: list[int]) -> None:
    """(n + ½) % exactly (1/8 is 12.5 %) shows as n + 1 %; round() would go to the even neighbour."""
    rates = pd.Series([(2 * n + 1) / 200 for n in percents])
    assert percent_half_up(rates).tolist() == [n + 1 for n in percents]


Counts = tuple[int, int, int, int, int | None]


def figures(counts: list[Counts]) -> pd.DataFrame:
    """Authorities of one peer-group type from (upheld, investigations, complied, outcomes, residents)."""
    frame = pd.DataFrame(
        [row[:4] for row in counts],
        columns=["upheld", "investigations", "complied", "compliance_outcomes"],
        dtype="int64",
    ).assign(
        year="2019-20",
        authority_type="District Council",
        peer_group=True,
        satisfactory_remedies=lambda f: f["upheld"] // 3,
        residents=pd.array([row[4] for row in counts], dtype="Int64"),
    )
    for rate, (numerator, denominator) in RATE_PARTS.items():
        frame[rate] = ratio(frame[numerator], frame[denominator])
    return frame.assign(upheld_per_100k=per_100k(frame["upheld"], frame["residents"]))


@st.composite
def authorities(draw: st.DrawFn) -> list[Counts]:
    rows: list[Counts] = []
    for _ in range(draw(st.integers(1, 12))):
        investigations, outcomes = draw(st.integers(0, 60)), draw(st.integers(0, 20))
        upheld, complied = draw(st.integers(0, investigations)), draw(st.integers(0, outcomes))
        residents = draw(st.one_of(st.none(), st.integers(1, 2_000_000)))
        rows.append((upheld, investigations, complied, outcomes, residents))
    return rows


@settings(deadline=None)
@given(authorities(), st.sampled_from(["mean", "pooled"]))
def test_a_peer_average_lies_between_the_lowest_and_highest_rate(counts: list[Counts], method: str) -> None:
    """Both a mean of rates and pooled counts (a mediant) stay within the group's own rates; so does
    the per-100k average, over the authorities with a population."""
    group = figures(counts)
    (average,) = peer_averages(group, method).to_dict("records")
    assert average["authorities"] == len(counts)
    for rate in (*RATE_PARTS, "upheld_per_100k"):
        rates = group[rate].dropna()
        if rates.empty:
            assert pd.isna(average[rate])
        else:
            slack = 1e-12 * max(1.0, rates.max())  # per 100k reaches millions: float error scales with it
            assert rates.min() - slack <= average[rate] <= rates.max() + slack
