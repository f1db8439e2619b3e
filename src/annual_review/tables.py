"""The published tables: one explicit pyarrow schema each, checked before anything is written."""

from __future__ import annotations

import pyarrow as pa

from transforms.figures import RATE_PARTS
from transforms.population import PER_100K_PARTS
from transforms.vocab import DECIDED_BY_DECISION, DECIDED_BY_GROUP, RECEIVED_BY_CATEGORY

RATES: tuple[str, ...] = tuple(RATE_PARTS)
PER_100K: tuple[str, ...] = tuple(PER_100K_PARTS)

_year = pa.field("year", pa.string(), nullable=False)
_code = pa.field("authority_code", pa.string(), nullable=False)


def _counts(names: tuple[str, ...] | list[str]) -> list[pa.Field]:
    return [pa.field(n, pa.int64(), nullable=False) for n in names]


def _rate(name: str) -> list[pa.Field]:
    """An unrounded rate and its displayed whole percentage (half up); both null when undefined."""
    return [pa.field(name, pa.float64()), pa.field(f"{name}_pct", pa.int64())]


def _per_100k(prefix: str = "") -> list[pa.Field]:
    """Each figure per 100,000 residents, unrounded, and as shown ('4.9', one decimal half up)."""
    return [f for name in PER_100K for f in (pa.field(prefix + name, pa.float64()), _display(prefix + name))]


def _display(name: str) -> pa.Field:
    return pa.field(f"{name}_display", pa.string())


def _nullable_counts(names: tuple[str, ...] | list[str]) -> list[pa.Field]:
    return [pa.field(n, pa.int64()) for n in names]


RECEIVED = pa.schema(
    [
        _year,
        pa.field("case_ref", pa.string(), nullable=False),
        _code,
        pa.field("category", pa.string(), nullable=False),
        pa.field("received_date", pa.date32(), nullable=False),
    ]
)

DECISIONS = pa.schema(
    [
        _year,
        pa.field("case_ref", pa.string(), nullable=False),
        _code,
        pa.field("category", pa.string(), nullable=False),
        pa.field("decision_date", pa.date32(), nullable=False),
        pa.field("decision", pa.string(), nullable=False),
        pa.field("decision_detail", pa.string()),
        pa.field("remedy_before_ombudsman", pa.bool_()),
    ]
)

COMPLIANCE = pa.schema(
    [
        _year,
        pa.field("case_ref", pa.string(), nullable=False),
        _code,
        pa.field("recorded_date", pa.date32(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
    ]
)

AUTHORITIES = pa.schema(
    [
        _year,
        _code,
        pa.field("authority_name", pa.string(), nullable=False),
        pa.field("authority_type", pa.string(), nullable=False),
        pa.field("peer_group", pa.bool_(), nullable=False),
        pa.field("chief_executive", pa.string(), nullable=False),
        pa.field("chief_executive_role", pa.string(), nullable=False),
        pa.field("valid_from", pa.string()),
        pa.field("valid_to", pa.string()),
    ]
)

AUTHORITY_YEAR = pa.schema(
    [
        _year,
        _code,
        pa.field("authority_name", pa.string(), nullable=False),
        pa.field("authority_type", pa.string(), nullable=False),
        pa.field("peer_group", pa.bool_(), nullable=False),
        pa.field("chief_executive", pa.string(), nullable=False),
        pa.field("chief_executive_role", pa.string(), nullable=False),
        *_counts(["complaints_received", *RECEIVED_BY_CATEGORY]),
        *_counts(["decisions_made", *DECIDED_BY_DECISION]),
        *_counts(["investigations", "upheld"]),
        *_rate("uphold_rate"),
        *_counts(["compliance_outcomes", "complied"]),
        *_rate("compliance_rate"),
        *_counts(["satisfactory_remedies"]),
        *_rate("satisfactory_remedy_rate"),
        *_rate("peer_uphold_rate"),
        *_rate("peer_compliance_rate"),
        *_rate("peer_satisfactory_remedy_rate"),
        pa.field("peer_method", pa.string(), nullable=False),
        pa.field("has_letter", pa.bool_(), nullable=False),
        # contract section 7: the outcome groups, per 100,000 residents, and the previous year as released
        *_counts(DECIDED_BY_GROUP),
        pa.field("residents", pa.int64()),
        pa.field("population_source", pa.string()),
        *_per_100k(),
        *_per_100k("peer_"),
        pa.field("previous_year", pa.string()),
        *[f for rate in RATES for f in _rate(f"previous_{rate}")],
        *_per_100k("previous_"),
        *_nullable_counts([f"previous_{c}" for c in ("decisions_made", *DECIDED_BY_GROUP)]),
    ]
)

PEER_AVERAGES = pa.schema(
    [
        _year,
        pa.field("authority_type", pa.string(), nullable=False),
        pa.field("peer_method", pa.string(), nullable=False),
        pa.field("authorities", pa.int64(), nullable=False),
        *[
            f
            for rate in RATES
            for f in (
                *_rate(rate),
                pa.field(f"{rate}_authorities", pa.int64(), nullable=False),
                pa.field(f"{rate}_numerator", pa.int64(), nullable=False),
                pa.field(f"{rate}_denominator", pa.int64(), nullable=False),
            )
        ],
        # over the type's authorities with a population: their counts (numerator) and residents
        *[
            f
            for name in PER_100K
            for f in (
                pa.field(name, pa.float64()),
                _display(name),
                *_counts([f"{name}_{part}" for part in ("authorities", "numerator", "denominator")]),
            )
        ],
    ]
)

POPULATION = pa.schema(
    [
        _year,
        _code,
        pa.field("residents", pa.int64(), nullable=False),
        pa.field("source", pa.string()),
    ]
)

REJECTS = pa.schema(
    [
        _year,
        pa.field("file", pa.string(), nullable=False),
        pa.field("line", pa.int64(), nullable=False),
        pa.field("case_ref", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("raw", pa.string(), nullable=False),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "decisions": DECISIONS,
    "received": RECEIVED,
    "compliance": COMPLIANCE,
    "authorities": AUTHORITIES,
    "authority_year": AUTHORITY_YEAR,
    "peer_averages": PEER_AVERAGES,
    "population": POPULATION,
    "rejects": REJECTS,
}

# The key that makes a row unique, per table (dbt's `unique` test).
KEYS: dict[str, tuple[str, ...]] = {
    "decisions": ("year", "case_ref"),
    "received": ("year", "case_ref"),
    "compliance": ("year", "case_ref"),
    "authorities": ("year", "authority_code"),
    "authority_year": ("year", "authority_code"),
    "peer_averages": ("year", "authority_type"),
    "population": ("year", "authority_code"),
    "rejects": ("year", "file", "line"),
}
