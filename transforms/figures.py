"""Per-authority figures of a year (contract section 3), counted from the validated case tables."""

from __future__ import annotations

import pandas as pd

from transforms.display import percent_half_up
from transforms.population import with_population
from transforms.vocab import (
    CATEGORIES,
    COMPLIED_OUTCOMES,
    DECIDED_BY_DECISION,
    DECIDED_BY_GROUP,
    DECISION_GROUPS,
    DECISIONS,
    NOT_UPHELD,
    RECEIVED_BY_CATEGORY,
    UPHELD,
)

# rate: (numerator, denominator). Satisfactory remedies are a share of *upheld* decisions.
RATE_PARTS: dict[str, tuple[str, str]] = {
    "uphold_rate": ("upheld", "investigations"),
    "compliance_rate": ("complied", "compliance_outcomes"),
    "satisfactory_remedy_rate": ("satisfactory_remedies", "upheld"),
}

AUTHORITY_COLUMNS = [
    "year",
    "authority_code",
    "authority_name",
    "authority_type",
    "peer_group",
    "chief_executive",
    "chief_executive_role",
]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, null (NaN) where the denominator is 0."""
    return (numerator / denominator.where(denominator != 0)).astype("float64")


def _count_by(
    frame: pd.DataFrame, column: str, values: tuple[str, ...], names: tuple[str, ...]
) -> pd.DataFrame:
    """Rows per authority and value, one column per allowed value (zeros included)."""
    counts = frame.groupby(["authority_code", column], observed=True).size().unstack(fill_value=0)
    return counts.reindex(columns=list(values), fill_value=0).set_axis(list(names), axis=1)


def decision_groups(counts: pd.DataFrame) -> pd.DataFrame:
    """Decisions per outcome group (Not for us, Assessed and closed, Investigated) from decided_* counts."""
    return pd.DataFrame(
        {
            column: counts[[_decided(d) for d in decisions]].sum(axis=1)
            for column, decisions in zip(DECIDED_BY_GROUP, DECISION_GROUPS.values(), strict=True)
        },
        index=counts.index,
    )


def authority_figures(
    authorities: pd.DataFrame,
    received: pd.DataFrame,
    decisions: pd.DataFrame,
    compliance: pd.DataFrame,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per authority of the year (those with no cases too), counts and unrounded rates.

    `population` (authority_code, residents, source) gives upheld_per_100k; without it, or for an
    authority it lacks, that figure is null.
    """
    by_category = _count_by(received, "category", CATEGORIES, RECEIVED_BY_CATEGORY)
    by_decision = _count_by(decisions, "decision", DECISIONS, DECIDED_BY_DECISION)
    upheld = decisions["decision"] == UPHELD
    remedied = upheld & decisions["remedy_before_ombudsman"].fillna(False).astype("bool")
    satisfactory = decisions[remedied].groupby("authority_code").size().rename("satisfactory_remedies")
    outcomes = (
        compliance.assign(complied=compliance["outcome"].isin(COMPLIED_OUTCOMES))
        .groupby("authority_code")
        .agg(compliance_outcomes=("outcome", "size"), complied=("complied", "sum"))
    )

    counts = (
        pd.concat([by_category, by_decision, satisfactory, outcomes], axis=1)
        .reindex(authorities["authority_code"])
        .fillna(0)
        .astype("int64")
    )
    decided = counts[list(DECIDED_BY_DECISION)]
    counts = counts.assign(
        complaints_received=counts[list(RECEIVED_BY_CATEGORY)].sum(axis=1),
        decisions_made=decided.sum(axis=1),
        upheld=counts[_decided(UPHELD)],
        investigations=counts[_decided(UPHELD)] + counts[_decided(NOT_UPHELD)],
    )
    counts = pd.concat([counts, decision_groups(counts)], axis=1)
    figures = authorities[AUTHORITY_COLUMNS].merge(
        counts, left_on="authority_code", right_index=True, how="left", validate="one_to_one"
    )
    for rate, (numerator, denominator) in RATE_PARTS.items():
        figures[rate] = ratio(figures[numerator], figures[denominator])
        figures[f"{rate}_pct"] = percent_half_up(figures[rate])
    return with_population(
        figures.assign(has_letter=(figures["complaints_received"] > 0) | (figures["decisions_made"] > 0)),
        population,
    ).reset_index(drop=True)


def _decided(decision: str) -> str:
    return DECIDED_BY_DECISION[DECISIONS.index(decision)]
