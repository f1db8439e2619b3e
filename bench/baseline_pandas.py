"""Baseline (b): the plain pandas script an analyst would write: read_csv, masks, groupby; no pandera."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from annual_review.tables import RATES
from annual_review.years import BusinessYear
from bench.figures import COUNTS, Figures, normalise
from transforms.vocab import (
    AUTHORITY_CODE_PATTERN,
    CATEGORIES,
    COMPLIED_OUTCOMES,
    DECIDED_BY_DECISION,
    DECISIONS,
    OUTCOMES,
    PEER_TYPES,
    RECEIVED_BY_CATEGORY,
    YEAR_PATTERN,
)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def fold(column: pd.Series) -> pd.Series:
    return column.str.strip().str.replace("\u2019", "'").str.lower()


def canonical(column: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    return fold(column).map({value.lower(): value for value in allowed})


def parse_date(column: pd.Series) -> pd.Series:
    text = column.str.strip()
    day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    day = day.fillna(pd.to_datetime(text, format="%d/%m/%Y", errors="coerce"))
    return day.fillna(pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce"))


def authorities(path: Path, year: BusinessYear) -> tuple[pd.DataFrame, pd.Series]:
    """The authorities of the year, and the ok mask over every row of the file."""
    a = read(path).apply(lambda c: c.str.strip())
    ok = (
        a["authority_code"].str.fullmatch(AUTHORITY_CODE_PATTERN.strip("^$"))
        & (a["authority_name"] != "")
        & (a["authority_type"] != "")
        & (a["chief_executive"] != "")
        & ((a["valid_from"] == "") | a["valid_from"].str.fullmatch(YEAR_PATTERN.strip("^$")))
        & ((a["valid_to"] == "") | a["valid_to"].str.fullmatch(YEAR_PATTERN.strip("^$")))
        & ~((a["valid_from"] != "") & (a["valid_to"] != "") & (a["valid_from"] > a["valid_to"]))
    )
    label = year.label
    in_year = ok & ((a["valid_from"] == "") | (a["valid_from"] <= label))
    in_year &= (a["valid_to"] == "") | (a["valid_to"] >= label)
    peer_type = canonical(a["authority_type"], PEER_TYPES)
    known = pd.DataFrame(
        {
            "authority_code": a["authority_code"],
            "authority_type": peer_type.fillna(a["authority_type"]),
            "peer_group": peer_type.notna(),
        }
    )[in_year]
    return known, ok


def cases(path: Path, year: BusinessYear, date: str, known: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """A case export's rows with the common rules checked; callers add their own columns' rules."""
    df = read(path)
    df["case_ref"] = df["case_ref"].str.strip()
    df["authority_code"] = df["authority_code"].str.strip()
    day = parse_date(df[date])
    ok = (
        (df["case_ref"] != "")
        & ~df["case_ref"].duplicated()
        & df["authority_code"].str.fullmatch(AUTHORITY_CODE_PATTERN.strip("^$"))
        & df["authority_code"].isin(known["authority_code"])
        & (day >= pd.Timestamp(year.first_day))
        & (day <= pd.Timestamp(year.last_day))
    )
    return df, ok


def run(folder: Path, year: BusinessYear) -> Figures:
    known, authorities_ok = authorities(folder / "authorities.csv", year)
    files = {"authorities.csv": (int(authorities_ok.sum()), int((~authorities_ok).sum()))}

    received, ok = cases(folder / "received.csv", year, "received_date", known)
    received["category"] = canonical(received["category"], CATEGORIES)
    ok &= received["category"].notna()
    files["received.csv"] = (int(ok.sum()), int((~ok).sum()))
    received = received[ok]

    decisions, ok = cases(folder / "decisions.csv", year, "decision_date", known)
    decisions["category"] = canonical(decisions["category"], CATEGORIES)
    decisions["decision"] = canonical(decisions["decision"].str.split(":", n=1).str[0], DECISIONS)
    remedy = fold(decisions["remedy_before_ombudsman"])
    decisions["remedy"] = remedy.isin(["y", "yes", "true"])
    remedy_ok = remedy.isin(["y", "yes", "true", "n", "no", "false", ""])
    ok &= decisions["category"].notna() & decisions["decision"].notna() & remedy_ok
    files["decisions.csv"] = (int(ok.sum()), int((~ok).sum()))
    decisions = decisions[ok]

    compliance, ok = cases(folder / "compliance.csv", year, "recorded_date", known)
    compliance["outcome"] = canonical(compliance["outcome"], OUTCOMES)
    ok &= compliance["outcome"].notna()
    files["compliance.csv"] = (int(ok.sum()), int((~ok).sum()))
    compliance = compliance[ok]

    by_category = received.groupby(["authority_code", "category"]).size().unstack(fill_value=0)
    by_category = by_category.reindex(columns=list(CATEGORIES), fill_value=0)
    by_category.columns = list(RECEIVED_BY_CATEGORY)
    by_decision = decisions.groupby(["authority_code", "decision"]).size().unstack(fill_value=0)
    by_decision = by_decision.reindex(columns=list(DECISIONS), fill_value=0)
    by_decision.columns = list(DECIDED_BY_DECISION)

    figures = known.set_index("authority_code").join(by_category).join(by_decision)
    upheld = decisions[decisions["decision"] == "Upheld"]
    figures["satisfactory_remedies"] = upheld[upheld["remedy"]].groupby("authority_code").size()
    figures["compliance_outcomes"] = compliance.groupby("authority_code").size()
    complied = compliance[compliance["outcome"].isin(COMPLIED_OUTCOMES)]
    figures["complied"] = complied.groupby("authority_code").size()
    figures = figures.fillna(0)
    figures["complaints_received"] = figures[list(RECEIVED_BY_CATEGORY)].sum(axis=1)
    figures["decisions_made"] = figures[list(DECIDED_BY_DECISION)].sum(axis=1)
    figures["upheld"] = figures["decided_upheld"]
    figures["investigations"] = figures["decided_upheld"] + figures["decided_not_upheld"]
    figures[list(COUNTS)] = figures[list(COUNTS)].astype("int64")
    figures["uphold_rate"] = figures["upheld"] / figures["investigations"].replace(0, float("nan"))
    figures["compliance_rate"] = figures["complied"] / figures["compliance_outcomes"].replace(0, float("nan"))
    figures["satisfactory_remedy_rate"] = figures["satisfactory_remedies"] / figures["upheld"].replace(
        0, float("nan")
    )
    figures = figures.reset_index()
    peers = figures[figures["peer_group"]].groupby("authority_type")[list(RATES)].mean().reset_index()
    return normalise(files, figures, peers)
