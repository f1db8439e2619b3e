"""The real prepare flow with today's figures: the population export, and the previous year as released."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from annual_review.clock import system_clock
from annual_review.outputs import json_schemas
from annual_review.publish.release import release_year
from annual_review.steps import build as build_step
from annual_review.store import open_store
from annual_review.store.local import LocalStore
from annual_review.years import BusinessYear
from bench.prefect_runs import states_by_name, task_runs_of
from flows.prepare import prepare_year
from flows.report import PopulationReport
from tests.helpers.exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

pytestmark = pytest.mark.usefixtures("prefect_api")
WEST_SUFFOLK = "E07000245"  # created 1 April 2019: in 2019-20, not in 2018-19


def exports(
    folder: Path, year: str, *, population: bool = True, bad_row: bool = False, extra_upheld: int = 0
) -> Path:
    """The hand-made 2019-20 exports, moved to `year` (2018-19 or 2019-20), with West Suffolk from 2019-20."""
    write_exports(folder)
    shift = {"2019-": "2018-", "/2020": "/2019"} if year == "2018-19" else {}
    for name in ("received", "decisions", "compliance"):
        path = folder / f"{name}.csv"
        text = path.read_text()
        for old, new in shift.items():
            text = text.replace(old, new)
        path.write_text(text)
    with (folder / "authorities.csv").open("a", newline="") as out:
        csv.writer(out).writerow(
            [WEST_SUFFOLK, "West Suffolk Council", "District Council", "Mr Ip", "", "2019-20", ""]
        )
    with (folder / "decisions.csv").open("a", newline="") as out:
        day = "2019-05-01" if year == "2019-20" else "2018-05-01"
        rows = [[f"19 7{i:02d}", DAVENTRY, "Housing", day, "Upheld", "N"] for i in range(extra_upheld)]
        if year == "2019-20":
            rows.append(["19 800", WEST_SUFFOLK, "Housing", day, "Advice given", ""])
        csv.writer(out).writerows(rows)
    if population:
        with (folder / "population.csv").open("w", newline="") as out:
            csv.writer(out).writerows(
                [
                    ["authority_code", "residents", "source"],
                    [NORTHAMPTON, "225,000", "ONS mid-2019 population estimates"],
                    [FIRE, "700000", "ONS mid-2019 population estimates"],
                    *([["E07999999", "1000", ""]] if bad_row else []),  # unknown authority: rejected
                ]
            )
    return folder


def run(workdir: Path, year: str, folder: str, **kwargs: object):
    return prepare_year(
        year=year,
        input_dir=str(workdir / folder),
        store=str(workdir / "store"),
        formats=[],
        return_state=True,
        **kwargs,
    )


def staged_table(workdir: Path, year: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(workdir / "store" / "staging" / year / "data" / f"{table}.parquet")


def staged_json(workdir: Path, year: str, key: str) -> dict:
    return json.loads((workdir / "store" / "staging" / year / key).read_bytes())


def release(workdir: Path, year: str, correction: bool = False) -> None:
    by = BusinessYear.parse(year)
    release_year(
        open_store(str(workdir / "store")),
        by,
        release_time=by.default_release_time(),
        clock=system_clock,
        correction=correction,
    )


def test_population_gives_upheld_per_100k(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_MAX_REJECT_RATE", "0.5")
    exports(workdir / "in", "2019-20", bad_row=True)
    state = run(workdir, "2019-20", "in")
    assert state.is_completed(), state.message

    figures = staged_table(workdir, "2019-20", "authority_year").set_index("authority_code")
    north = figures.loc[NORTHAMPTON]
    assert (north.upheld, north.residents) == (7, 225_000)
    assert north.upheld_per_100k == pytest.approx(7e5 / 225_000) and north.upheld_per_100k_display == "3.1"
    assert north.peer_upheld_per_100k_display == "3.1"  # the only district with a population
    assert figures.loc[FIRE, "upheld_per_100k_display"] == "0.0"  # 0 upheld over 700,000
    assert figures.loc[[DAVENTRY, WEST_SUFFOLK], "upheld_per_100k"].isna().all()
    assert (north.not_for_us, north.assessed_and_closed, north.investigated) == (1, 3, 11)

    population = staged_table(workdir, "2019-20", "population")
    assert population["authority_code"].tolist() == [NORTHAMPTON, FIRE]
    summary = state.result()
    assert summary.files["population.csv"].rows_rejected == 1
    assert summary.population == PopulationReport("population.csv", 4, (DAVENTRY, WEST_SUFFOLK))
    rejects = staged_table(workdir, "2019-20", "rejects")
    assert rejects.loc[rejects["file"] == "population.csv", "line"].tolist() == [4]


def test_without_a_population_export_every_per_100k_figure_is_null(workdir: Path) -> None:
    exports(workdir / "in", "2019-20", population=False)
    state = run(workdir, "2019-20", "in")
    assert state.is_completed(), state.message
    figures = staged_table(workdir, "2019-20", "authority_year")
    assert figures["residents"].isna().all() and figures["upheld_per_100k_display"].isna().all()
    assert staged_table(workdir, "2019-20", "population").empty  # published like the others, empty
    assert state.result().population.file is None
    index = staged_json(workdir, "2019-20", "json/index.json")
    assert all(a["upheld_per_100k"] is None for a in index["authorities"])


def test_the_previous_year_as_released(workdir: Path) -> None:
    """Staged before last year was released: no comparison; a release later does not change that
    candidate; a run after it compares with it; a correction of it misses the build's cache."""
    exports(workdir / "2018-19", "2018-19")
    exports(workdir / "2019-20", "2019-20")
    store = workdir / "store"

    assert run(workdir, "2019-20", "2019-20").is_completed()
    staged_before = (store / "staging" / "2019-20" / "candidate.json").read_bytes()
    assert json.loads(staged_before)["previous_year"] == {"year": "2018-19", "release": None}
    assert staged_table(workdir, "2019-20", "authority_year")["previous_year"].isna().all()

    assert run(workdir, "2018-19", "2018-19").is_completed()
    release(workdir, "2018-19")
    assert (store / "staging" / "2019-20" / "candidate.json").read_bytes() == staged_before

    state = run(workdir, "2019-20", "2019-20")
    assert state.is_completed(), state.message
    assert states_by_name(task_runs_of(state.state_details.flow_run_id))["build"] == "Completed"
    releases = json.loads((store / "public" / "releases.json").read_bytes())
    candidate = staged_json(workdir, "2019-20", "candidate.json")
    assert (
        candidate["previous_year"]["release"]["manifest_sha256"]
        == releases["years"]["2018-19"]["manifest_sha256"]
    )
    figures = staged_table(workdir, "2019-20", "authority_year").set_index("authority_code")
    north = figures.loc[NORTHAMPTON]
    assert north.previous_year == "2018-19"
    assert (north.previous_uphold_rate_pct, north.previous_decisions_made, north.previous_investigated) == (
        64,
        15,
        11,
    )
    assert north.previous_upheld_per_100k_display == "3.1"
    assert figures.loc[WEST_SUFFOLK, "previous_year"] == "2018-19"  # the year was released...
    assert pd.isna(figures.loc[WEST_SUFFOLK, "previous_decisions_made"])  # ...without West Suffolk in it
    index = {
        a["authority_code"]: a for a in staged_json(workdir, "2019-20", "json/index.json")["authorities"]
    }
    assert index[WEST_SUFFOLK]["previous_year"] is None
    assert index[NORTHAMPTON]["previous_year"]["uphold_rate"]["percent"] == 64
    json_schemas.check_website_json(
        {
            f"json/{p.relative_to(store / 'staging' / '2019-20' / 'json')}": p.read_bytes()
            for p in (store / "staging" / "2019-20" / "json").rglob("*.json")
        }
    )

    # a correction of 2018-19 (two more upheld decisions for Daventry) is a new release of it
    exports(workdir / "2018-19", "2018-19", extra_upheld=2)
    assert run(workdir, "2018-19", "2018-19").is_completed()
    release(workdir, "2018-19", correction=True)
    state = run(workdir, "2019-20", "2019-20")
    assert states_by_name(task_runs_of(state.state_details.flow_run_id))["build"] == "Completed"
    daventry = staged_table(workdir, "2019-20", "authority_year").set_index("authority_code").loc[DAVENTRY]
    assert (daventry.previous_investigated, daventry.previous_uphold_rate_pct) == (
        6,
        67,
    )  # 4 of 6, was 2 of 4

    state = run(workdir, "2019-20", "2019-20")  # nothing changed since: the build is cached
    assert states_by_name(task_runs_of(state.state_details.flow_run_id))["build"] == "Cached"


def test_a_document_breaking_its_schema_stops_the_run_before_staging(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that writes the per-100k figure as a number, not as its display text, never reaches staging."""
    exports(workdir / "in", "2019-20")
    real = build_step.website_json

    def with_a_bug(*args: object, **kwargs: object) -> dict[str, bytes]:
        files = real(*args, **kwargs)  # type: ignore[arg-type]
        key = f"json/authorities/{NORTHAMPTON}.json"
        document = json.loads(files[key])
        document["authority"]["upheld_per_100k"]["display"] = 3.1
        return {**files, key: json.dumps(document).encode()}

    monkeypatch.setattr(build_step, "website_json", with_a_bug)
    state = run(workdir, "2019-20", "in")
    assert state.is_failed()
    assert (
        f"json/authorities/{NORTHAMPTON}.json breaks authority.schema.json at "
        "$.authority.upheld_per_100k.display: 3.1 is not of type 'string'"
    ) in str(state.message), state.message
    assert list(LocalStore(workdir / "store").list("")) == []  # nothing staged (the probe made the folder)
