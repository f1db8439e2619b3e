"""The real prepare flow on a small export folder: staged outputs, rejects, stops, reruns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from flows.prepare import prepare_year

from .exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

pytestmark = pytest.mark.usefixtures("prefect_api")
YEAR = "2019-20"


def staged(store: Path) -> dict[str, bytes]:
    root = store / "staging" / YEAR
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(workdir: Path, formats: list[str] | None = None, **kwargs: object):
    return prepare_year(
        year=YEAR,
        input_dir=str(workdir / "in"),
        store=str(workdir / "store"),
        formats=formats if formats is not None else [],
        return_state=True,
        **kwargs,
    )


def test_stages_tables_and_json(workdir: Path) -> None:
    write_exports(workdir / "in")
    state = run(workdir)
    assert state.is_completed(), state.message
    files = staged(workdir / "store")
    for table in (
        "decisions",
        "received",
        "compliance",
        "authorities",
        "authority_year",
        "peer_averages",
        "rejects",
    ):
        assert f"data/{table}.parquet" in files
    assert {"json/index.json", "json/peer_averages.json", f"json/authorities/{NORTHAMPTON}.json"} <= set(
        files
    )
    assert not any(key.startswith("letters/") for key in files)

    figures = pd.read_parquet(workdir / "store" / "staging" / YEAR / "data" / "authority_year.parquet")
    north = figures.set_index("authority_code").loc[NORTHAMPTON]
    assert (north.investigations, north.upheld, north.uphold_rate_pct) == (11, 7, 64)
    assert (north.compliance_outcomes, north.compliance_rate_pct) == (5, 100)
    assert (north.satisfactory_remedies, north.satisfactory_remedy_rate_pct) == (1, 14)
    # the district average of 7/11 and 2/4, by the default method (mean of rates)
    assert north.peer_uphold_rate == pytest.approx((7 / 11 + 2 / 4) / 2)
    assert north.peer_uphold_rate_pct == 57
    assert sorted(figures["authority_code"]) == sorted([NORTHAMPTON, DAVENTRY, FIRE])  # not the 2021 unitary

    candidate = json.loads(files["candidate.json"])
    assert candidate["row_counts"]["decisions"] == 20


def test_same_input_same_bytes(workdir: Path) -> None:
    write_exports(workdir / "in")
    assert run(workdir).is_completed()
    first = staged(workdir / "store")
    assert run(workdir).is_completed()
    assert staged(workdir / "store") == first


def test_bad_rows_rejected_with_reasons(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_MAX_REJECT_RATE", "0.5")
    write_exports(workdir / "in", bad_rows=True)
    state = run(workdir)
    assert state.is_completed(), state.message
    rejects = pd.read_parquet(workdir / "store" / "staging" / YEAR / "data" / "rejects.parquet")
    assert rejects[["file", "line"]].values.tolist() == [["decisions.csv", n] for n in (22, 23, 24, 25)]
    reasons = rejects["reason"].tolist()
    assert reasons[0].startswith("decision_date: not a date")
    assert reasons[1].startswith("authority_code: not an authority of 2019-20")
    assert reasons[2] == "case_ref: duplicate of an earlier row ('19 000')"
    assert reasons[3] == "decision: unknown decision ('Sort of upheld')"
    summary = state.result()
    decisions = summary["files"]["decisions.csv"]
    assert (decisions["rows_read"], decisions["rows_accepted"], decisions["rows_rejected"]) == (24, 20, 4)


def test_too_many_rejects_stop_before_staging(workdir: Path) -> None:
    write_exports(workdir / "in", bad_rows=True)
    state = run(workdir)
    assert state.is_failed()
    assert "too many rejected rows" in state.message and "decisions.csv: 4 of 24" in state.message
    assert not (workdir / "store").exists()


def test_missing_column_stops_naming_it(workdir: Path) -> None:
    folder = write_exports(workdir / "in")
    frame = pd.read_csv(folder / "compliance.csv", dtype=str).drop(columns="outcome")
    frame.to_csv(folder / "compliance.csv", index=False)
    state = run(workdir)
    assert state.is_failed()
    assert state.message.endswith("compliance.csv: missing required column outcome")
    assert not (workdir / "store").exists()
