"""What the operator reads in the UI after a run: counts, rejects, peer figures, where staged files are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.prepare import prepare_year
from flows.report import staged_location

from .exports import NORTHAMPTON, write_exports

YEAR = "2019-20"


@pytest.mark.usefixtures("prefect_api")
def test_a_run_leaves_its_report_in_the_ui(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_MAX_REJECT_RATE", "0.5")
    write_exports(workdir / "in", bad_rows=True)
    state = prepare_year(year=YEAR, input_dir="in", store="store", formats=["html"], return_state=True)
    assert state.is_completed(), state.message
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {
        f"{k}-{YEAR}" for k in ("rows", "rejects", "peer-averages", "population", "candidate", "staged")
    }

    rows = {row["file"]: row for row in json.loads(str(by_key[f"rows-{YEAR}"].data))}
    assert (rows["decisions.csv"]["rows read"], rows["decisions.csv"]["rejected"]) == (24, 4)
    assert len(json.loads(str(by_key[f"rejects-{YEAR}"].data))) == 4
    (district,) = [
        r for r in json.loads(str(by_key[f"peer-averages-{YEAR}"].data)) if r["type"] == "District Council"
    ]
    assert (district["authorities"], district["uphold rate"], district["method"]) == (2, "57%", "mean")
    assert district["upheld per 100,000 residents"] == "–"  # no population export
    assert "no population export" in str(by_key[f"population-{YEAR}"].data)

    staged = workdir / "store" / "staging" / YEAR
    assert f"({staged / 'candidate.json'})" in str(by_key[f"candidate-{YEAR}"].data)
    markdown = str(by_key[f"staged-{YEAR}"].data)
    assert f"| {NORTHAMPTON} | `{staged / 'letters' / f'{NORTHAMPTON}.html'}` | – |" in markdown


@pytest.mark.parametrize(
    ("store", "key", "where"),
    [
        (
            "s3://ombudsman-releases/annual",
            "candidate.json",
            "s3://ombudsman-releases/annual/staging/2019-20/candidate.json",
        ),
        ("s3://bucket/", "", "s3://bucket/staging/2019-20"),
        ("/srv/store", "letters/E07000154.pdf", "/srv/store/staging/2019-20/letters/E07000154.pdf"),
    ],
)
def test_staged_files_are_named_as_the_operator_opens_them(store: str, key: str, where: str) -> None:
    assert staged_location(store, YEAR, key) == where
