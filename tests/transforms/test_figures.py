"""Per-authority figures, against values computed by hand (contract section 3)."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from transforms import vocab
from transforms.figures import authority_figures

from .frames import AUTHORITIES, COMPLIANCE, DECISIONS, FIRE, LONDON, RECEIVED, A, B, C


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return authority_figures(AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE).set_index("authority_code")


def test_reference_letter_figures(figures: pd.DataFrame) -> None:
    """Northampton 2019-20: 11 investigations, 7 upheld (64%); 5 outcomes (100%); 1 of 7 remedied (14%)."""
    a = figures.loc[A]
    assert (a.decisions_made, a.investigations, a.upheld) == (16, 11, 7)
    assert a.uphold_rate == pytest.approx(7 / 11) and a.uphold_rate_pct == 64
    assert (a.compliance_outcomes, a.complied, a.compliance_rate, a.compliance_rate_pct) == (5, 5, 1.0, 100)
    assert a.satisfactory_remedies == 1
    assert a.satisfactory_remedy_rate == pytest.approx(1 / 7) and a.satisfactory_remedy_rate_pct == 14


def test_all_counts(figures: pd.DataFrame) -> None:
    expected = pd.DataFrame(
        {
            "complaints_received": [3, 1, 0, 0, 0],
            "received_housing": [2, 0, 0, 0, 0],
            "received_planning_and_development": [1, 0, 0, 0, 0],
            "received_other": [0, 1, 0, 0, 0],
            "decisions_made": [16, 4, 1, 2, 0],
            "decided_upheld": [7, 1, 0, 2, 0],
            "decided_not_upheld": [4, 3, 0, 0, 0],
            "decided_closed_after_initial_enquiries": [3, 0, 0, 0, 0],
            "decided_advice_given": [0, 0, 1, 0, 0],
            "decided_incomplete_invalid": [1, 0, 0, 0, 0],
            "decided_referred_back_for_local_resolution": [1, 0, 0, 0, 0],
            "investigations": [11, 4, 0, 2, 0],
            "upheld": [7, 1, 0, 2, 0],
            "compliance_outcomes": [5, 2, 0, 0, 0],
            "complied": [5, 1, 0, 0, 0],
            "satisfactory_remedies": [1, 1, 0, 0, 0],
        },
        index=pd.Index([A, B, C, FIRE, LONDON], name="authority_code"),
    ).astype("int64")
    assert_frame_equal(figures[expected.columns], expected)


def test_outcome_groups_add_up_to_decisions_made(figures: pd.DataFrame) -> None:
    """Not for us = incomplete + advice + referred back; assessed and closed; investigated = upheld + not."""
    expected = pd.DataFrame(
        {
            "not_for_us": [2, 0, 1, 0, 0],  # A: 1 incomplete/invalid + 1 referred back; C: advice given
            "assessed_and_closed": [3, 0, 0, 0, 0],
            "investigated": [11, 4, 0, 2, 0],
        },
        index=pd.Index([A, B, C, FIRE, LONDON], name="authority_code"),
    ).astype("int64")
    assert_frame_equal(figures[expected.columns], expected)
    assert (expected.sum(axis=1) == figures["decisions_made"]).all()


def test_rates_and_nulls(figures: pd.DataFrame) -> None:
    nan = np.nan
    expected = pd.DataFrame(
        {
            "uphold_rate": [7 / 11, 1 / 4, nan, 1.0, nan],
            "compliance_rate": [1.0, 0.5, nan, nan, nan],
            "satisfactory_remedy_rate": [1 / 7, 1.0, nan, 0.0, nan],
        },
        index=pd.Index([A, B, C, FIRE, LONDON], name="authority_code"),
    )
    assert_frame_equal(figures[expected.columns], expected)
    shown = figures[["uphold_rate_pct", "compliance_rate_pct", "satisfactory_remedy_rate_pct"]]
    assert shown.loc[B].tolist() == [25, 50, 100]
    assert shown.loc[C].isna().all()


def test_letter_due_only_with_cases(figures: pd.DataFrame) -> None:
    assert figures["has_letter"].to_dict() == {A: True, B: True, C: True, FIRE: True, LONDON: False}


def test_no_cases_at_all() -> None:
    empty = authority_figures(AUTHORITIES, RECEIVED.iloc[:0], DECISIONS.iloc[:0], COMPLIANCE.iloc[:0])
    assert len(empty) == len(AUTHORITIES)
    assert (empty["decisions_made"] == 0).all() and empty["uphold_rate"].isna().all()
    assert not empty["has_letter"].any()


def test_does_not_mutate_inputs() -> None:
    before = [f.copy() for f in (AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE)]
    authority_figures(AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE)
    for frame, copy in zip((AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE), before, strict=True):
        assert_frame_equal(frame, copy)


def test_every_decision_is_in_exactly_one_outcome_group() -> None:
    grouped = [decision for members in vocab.DECISION_GROUPS.values() for decision in members]
    assert sorted(grouped) == sorted(vocab.DECISIONS)
