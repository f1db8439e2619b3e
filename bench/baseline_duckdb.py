"""Baseline (a): the same validation, figures and mean peer averages as DuckDB SQL on the CSVs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from annual_review.tables import RATES
from annual_review.years import BusinessYear
from bench.figures import COUNTS, Figures, normalise
from transforms.vocab import (
    AUTHORITY_CODE_PATTERN,
    CATEGORIES,
    DECIDED_BY_DECISION,
    DECISIONS,
    OUTCOMES,
    PEER_TYPES,
    RECEIVED_BY_CATEGORY,
    YEAR_PATTERN,
)

CODE_RE = AUTHORITY_CODE_PATTERN.strip("^$")
YEAR_RE = YEAR_PATTERN.strip("^$")
FILES = {"received": "received.csv", "decided": "decisions.csv", "complied": "compliance.csv"}


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _lookup(name: str, values: tuple[str, ...]) -> str:
    """A table of folded → canonical spelling."""
    rows = ", ".join(f"({_text(v.casefold())}, {_text(v)})" for v in values)
    return f"CREATE TEMP TABLE {name}(folded VARCHAR, canon VARCHAR); INSERT INTO {name} VALUES {rows};"


def _fold(column: str) -> str:
    """Case, surrounding space and typographic apostrophes don't matter (as in the pipeline)."""
    return f"lower(replace(trim(coalesce({column}, '')), '\u2019', ''''))"


def _canon(table: str, column: str) -> str:
    return f"(SELECT canon FROM {table} WHERE folded = {_fold(column)})"


def _date(column: str) -> str:
    text = f"trim({column})"
    formats = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
    return "coalesce(" + ", ".join(f"try_strptime({text}, '{f}')" for f in formats) + ")::DATE"


def _csv(path: Path) -> str:
    return f"read_csv({_text(str(path))}, header = true, all_varchar = true)"


def _authorities(path: Path, year: BusinessYear) -> str:
    """Every row checked; `known` holds the valid ones of the year with their peer type."""
    label = _text(year.label)
    return f"""
    CREATE TEMP TABLE authorities AS
    WITH raw AS (
      SELECT trim(coalesce(authority_code, '')) AS code, trim(coalesce(authority_name, '')) AS name,
        trim(coalesce(authority_type, '')) AS type, trim(coalesce(chief_executive, '')) AS chief,
        nullif(trim(coalesce(valid_from, '')), '') AS valid_from,
        nullif(trim(coalesce(valid_to, '')), '') AS valid_to
      FROM {_csv(path)})
    SELECT *, coalesce(regexp_full_match(code, '{CODE_RE}') AND name <> '' AND type <> '' AND chief <> ''
      AND (valid_from IS NULL OR regexp_full_match(valid_from, '{YEAR_RE}'))
      AND (valid_to IS NULL OR regexp_full_match(valid_to, '{YEAR_RE}'))
      AND NOT coalesce(valid_from > valid_to, false), false) AS ok
    FROM raw;
    CREATE TEMP TABLE known AS
    SELECT code, coalesce({_canon("peer_types", "type")}, type) AS type,
      {_fold("type")} IN (SELECT folded FROM peer_types) AS peer_group
    FROM authorities
    WHERE ok AND (valid_from IS NULL OR valid_from <= {label}) AND (valid_to IS NULL OR valid_to >= {label});
    """


def _cases(name: str, path: Path, year: BusinessYear, date: str, values: dict[str, str]) -> str:
    """One case export: parsed values, and `ok` when every rule of contract section 2 holds.

    The raw table keeps the file's order in its rowid (DuckDB preserves insertion order of a plain
    scan; a join would not), so "a duplicate after the first" means what it means in the file.
    """
    parsed = "".join(f", {expr} AS {alias}" for alias, expr in values.items())
    known_values = "".join(f" AND {alias} IS NOT NULL" for alias in values if alias != "remedy")
    return f"""
    CREATE TEMP TABLE {name}_raw AS
      SELECT *, trim(coalesce(case_ref, '')) AS ref, trim(coalesce(authority_code, '')) AS code,
        {_date(date)} AS day
      FROM {_csv(path)};
    CREATE TEMP TABLE {name} AS
    SELECT code{"".join(f", {alias}" for alias in values)},
      coalesce(ref <> '' AND row_number() OVER (PARTITION BY ref ORDER BY n) = 1
      AND regexp_full_match(code, '{CODE_RE}') AND code IN (SELECT code FROM known)
      AND day BETWEEN DATE '{year.first_day}' AND DATE '{year.last_day}'{known_values}, false) AS ok
    FROM (SELECT rowid AS n, ref, code, day{parsed} FROM {name}_raw);
    """


def validation(folder: Path, year: BusinessYear) -> str:
    """The validated tables: authorities, known, received, decided, complied (each with `ok`)."""
    remedy = _fold("remedy_before_ombudsman")
    flag = (
        f"CASE WHEN {remedy} IN ('y', 'yes', 'true') THEN true"
        f" WHEN {remedy} IN ('n', 'no', 'false', '') THEN false END"
    )
    decision = _canon("decision_values", "split_part(decision, ':', 1)")
    return "".join(
        (
            _lookup("categories", CATEGORIES),
            _lookup("decision_values", DECISIONS),
            _lookup("outcomes", OUTCOMES),
            _lookup("peer_types", PEER_TYPES),
            _authorities(folder / "authorities.csv", year),
            _cases(
                "received",
                folder / FILES["received"],
                year,
                "received_date",
                {"cat": _canon("categories", "category")},
            ),
            _cases(
                "decided",
                folder / FILES["decided"],
                year,
                "decision_date",
                {
                    "cat": _canon("categories", "category"),
                    "dec": decision,
                    "remedy": flag,
                    "remedy_known": f"({flag}) IS NOT NULL OR NULL",
                },
            ),
            _cases(
                "complied",
                folder / FILES["complied"],
                year,
                "recorded_date",
                {"outcome": _canon("outcomes", "outcome")},
            ),
        )
    )


def figures_query() -> str:
    """Per-authority counts and rates over the accepted rows; every authority of the year appears."""
    by_category = "".join(
        f", count(*) FILTER (WHERE cat = {_text(c)}) AS {col}"
        for c, col in zip(CATEGORIES, RECEIVED_BY_CATEGORY, strict=True)
    )
    by_decision = "".join(
        f", count(*) FILTER (WHERE dec = {_text(d)}) AS {col}"
        for d, col in zip(DECISIONS, DECIDED_BY_DECISION, strict=True)
    )
    return f"""
    WITH r AS (
      SELECT code, count(*) AS complaints_received{by_category} FROM received WHERE ok GROUP BY code),
    d AS (
      SELECT code, count(*) AS decisions_made{by_decision},
        count(*) FILTER (WHERE dec IN ('Upheld', 'Not upheld')) AS investigations,
        count(*) FILTER (WHERE dec = 'Upheld') AS upheld,
        count(*) FILTER (WHERE dec = 'Upheld' AND remedy) AS satisfactory_remedies
      FROM decided WHERE ok GROUP BY code),
    c AS (
      SELECT code, count(*) AS compliance_outcomes,
        count(*) FILTER (WHERE outcome IN ('Complied', 'Complied late')) AS complied
      FROM complied WHERE ok GROUP BY code),
    f AS (
      SELECT known.code AS authority_code, known.type AS authority_type, known.peer_group
        {"".join(f", coalesce({c}, 0) AS {c}" for c in COUNTS)}
      FROM known LEFT JOIN r USING (code) LEFT JOIN d USING (code) LEFT JOIN c USING (code))
    SELECT *,
      upheld::DOUBLE / nullif(investigations, 0) AS uphold_rate,
      complied::DOUBLE / nullif(compliance_outcomes, 0) AS compliance_rate,
      satisfactory_remedies::DOUBLE / nullif(upheld, 0) AS satisfactory_remedy_rate
    FROM f
    """


PEERS = (
    "SELECT authority_type, "
    + ", ".join(f"avg({r}) AS {r}" for r in RATES)
    + " FROM authority_year WHERE peer_group GROUP BY authority_type"
)


def run(folder: Path, year: BusinessYear) -> Figures:
    """Validate and count with DuckDB at its default threads, into pandas only for the small results."""
    con = duckdb.connect()
    try:
        con.execute(validation(folder, year))
        con.execute(f"CREATE TEMP TABLE authority_year AS {figures_query()}")
        authority_year = con.execute("SELECT * FROM authority_year").df()
        peers = con.execute(PEERS).df()
        files = {}
        for table, file in (*FILES.items(), ("authorities", "authorities.csv")):
            row = con.execute(
                f"SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok) FROM {table}"
            )
            ok, bad = row.fetchone() or (0, 0)
            files[file] = (int(ok), int(bad))
    finally:
        con.close()
    return normalise(files, authority_year, peers)
