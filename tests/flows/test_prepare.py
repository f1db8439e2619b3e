"""The real prepare flow on a small export folder: staged outputs, rejects, stops, reruns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from prefect.settings import PREFECT_API_URL

from annual_review.store.local import LocalStore
from flows.prepare import prepare_year
from tests.helpers.exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

pytestmark = pytest.mark.usefixtures("prefect_api")
YEAR = "2019-20"


def staged(store: Path) -> dict[str, bytes]:
    root = store / "staging" / YEAR
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def objects_in(store: Path) -> list[str]:
    """Every object of a local store (the probe and the lease create its folder, then go)."""
    return list(LocalStore(store).list(""))


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


def run_apart(workdir: Path, name: str, hash_seed: str, pdf_workers: str) -> Path:
    """A whole `annual-review run` in a process of its own, with its own work folder, results and store."""
    root = workdir / name
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's server: no start-up per run
        "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(root / "results"),  # no cache record to hit
        "ANNUAL_REVIEW_WORK_DIR": str(root / "work"),
        "PYTHONHASHSEED": hash_seed,  # set orders differ between the two processes
        "ANNUAL_REVIEW_WORKERS": pdf_workers,  # PDFs in this process, or in a pool of two
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "flows.cli", "run", "--year", YEAR, "--input", "in"]
    command += ["--store", str(root / "store"), "--formats", "html,pdf"]
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    for step in ("extract", "build", "letters"):  # each step ran here, none was served from a cache
        assert any(p.is_file() for p in (root / "work" / YEAR / step).rglob("*")), step
    return root / "store"


@pytest.mark.slow
def test_same_input_same_bytes(workdir: Path) -> None:
    """Two uncached runs, in two processes, into two fresh stores: the same keys and the same bytes."""
    write_exports(workdir / "in")
    first = staged(run_apart(workdir, "first", hash_seed="1", pdf_workers="1"))
    second = staged(run_apart(workdir, "second", hash_seed="2", pdf_workers="2"))
    assert {key for key in first if key.startswith("letters/")} == {
        f"letters/{code}.{fmt}" for code in (NORTHAMPTON, DAVENTRY, FIRE) for fmt in ("html", "pdf")
    }
    # candidate.json says when the candidate was made; everything else in it must agree too
    made = [json.loads(files.pop("candidate.json")) for files in (first, second)]
    assert first.keys() == second.keys()
    assert [key for key in first if first[key] != second[key]] == []
    assert {**made[0], "generated_at": None} == {**made[1], "generated_at": None}


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
    decisions = state.result().files["decisions.csv"]
    assert (decisions.rows_read, decisions.rows_accepted, decisions.rows_rejected) == (24, 20, 4)


def test_too_many_rejects_stop_before_staging(workdir: Path) -> None:
    write_exports(workdir / "in", bad_rows=True)
    state = run(workdir)
    assert state.is_failed()
    assert "too many rejected rows" in state.message and "decisions.csv: 4 of 24" in state.message
    assert objects_in(workdir / "store") == []  # nothing staged, the lease given up


def test_missing_column_stops_naming_it(workdir: Path) -> None:
    folder = write_exports(workdir / "in")
    frame = pd.read_csv(folder / "compliance.csv", dtype=str).drop(columns="outcome")
    frame.to_csv(folder / "compliance.csv", index=False)
    state = run(workdir)
    assert state.is_failed()
    assert state.message.endswith("compliance.csv: missing required column outcome")
    assert objects_in(workdir / "store") == []  # nothing staged, the lease given up
