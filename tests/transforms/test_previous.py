"""The previous year beside this one, as released: found, not released, or the authority not in it."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from transforms.figures import authority_figures
from transforms.previous import PREVIOUS_COLUMNS, with_previous_year

from .frames import authorities, compliance, decisions, received

OLD, NEW = "E07000154", "E06000061"  # a district abolished, and the unitary that replaced it
BOTH = "E07000151"
THIS_YEAR = authority_figures(
    authorities((BOTH, "District Council"), (NEW, "Unitary Council")),
    received(),
    decisions((BOTH, "Upheld", None), (NEW, "Advice given", None)),
    compliance(),
)
# Last year's authority_year as released: BOTH and OLD, counted from hand-made cases.
RELEASED = authority_figures(
    authorities((BOTH, "District Council"), (OLD, "District Council")),
    received(),
    decisions(
        (BOTH, "Upheld", True),
        (BOTH, "Not upheld", None),
        (BOTH, "Closed after initial enquiries", None),
        (BOTH, "Referred back for local resolution", None),
        (BOTH, "Incomplete/invalid", None),
        (OLD, "Upheld", None),
    ),
    compliance((BOTH, "Complied"), (BOTH, "Not complied"), (BOTH, "Complied late")),
    pd.DataFrame({"authority_code": [BOTH], "residents": pd.array([80_000], "Int64"), "source": ["ONS"]}),
)


def test_figures_as_released_for_an_authority_in_both_years() -> None:
    result = with_previous_year(THIS_YEAR, RELEASED, "2018-19").set_index("authority_code")
    both = result.loc[BOTH]
    assert both.previous_year == "2018-19"
    assert (both.previous_uphold_rate, both.previous_uphold_rate_pct) == (0.5, 50)
    assert both.previous_compliance_rate == pytest.approx(2 / 3) and both.previous_compliance_rate_pct == 67
    assert (both.previous_satisfactory_remedy_rate, both.previous_satisfactory_remedy_rate_pct) == (1.0, 100)
    assert (
        both.previous_upheld_per_100k == pytest.approx(1.25)
        and both.previous_upheld_per_100k_display == "1.3"
    )
    counts = ["decisions_made", "not_for_us", "assessed_and_closed", "investigated"]
    assert [both[f"previous_{c}"] for c in counts] == [5, 2, 1, 2]


def test_an_authority_new_this_year_has_the_year_but_no_figures() -> None:
    new = with_previous_year(THIS_YEAR, RELEASED, "2018-19").set_index("authority_code").loc[NEW]
    assert new.previous_year == "2018-19"  # the year was released; this authority was not in it
    figures = [c for c in PREVIOUS_COLUMNS if c != "previous_year"]
    assert new[figures].isna().all()


def test_a_year_not_released_leaves_everything_null() -> None:
    result = with_previous_year(THIS_YEAR, None, "2018-19")
    assert result[list(PREVIOUS_COLUMNS)].isna().all().all()
    assert len(result) == len(THIS_YEAR)
    assert result["previous_decisions_made"].dtype == "Int64" and result["previous_year"].dtype == "str"


def test_a_release_made_before_the_per_100k_figure_existed_is_read_too() -> None:
    old_schema = RELEASED.drop(
        columns=[
            "upheld_per_100k",
            "upheld_per_100k_display",
            "not_for_us",
            "assessed_and_closed",
            "investigated",
        ]
    )
    both = with_previous_year(THIS_YEAR, old_schema, "2018-19").set_index("authority_code").loc[BOTH]
    assert pd.isna(both.previous_upheld_per_100k) and pd.isna(both.previous_upheld_per_100k_display)
    assert (both.previous_not_for_us, both.previous_investigated) == (2, 2)  # summed from decided_* counts


def test_inputs_are_not_mutated() -> None:
    this_year, released = THIS_YEAR.copy(), RELEASED.copy()
    with_previous_year(THIS_YEAR, RELEASED, "2018-19")
    assert_frame_equal(THIS_YEAR, this_year)
    assert_frame_equal(RELEASED, released)
