"""What the operator reads in the UI after a run: counts, rejects, peer figures, where staged files are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.prepare import prepare_year
from flows.report import staged_location
from tests.helpers.exports import NORTHAMPTON, write_exports

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


def artifacts_of(state: Any) -> dict[str, Any]:
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    return {a.key: a for a in artifacts}


@pytest.mark.s3
@pytest.mark.usefixtures("prefect_api", "s3_credentials")
def test_on_s3_the_ui_names_staged_files_and_opens_none(
    seaweed: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A presigned link in an artifact is pre-release access no access log records: the UI names the key."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", seaweed.endpoint)
    store = seaweed.store()
    write_exports(workdir / "in")
    state = prepare_year(year=YEAR, input_dir="in", store=store.url, formats=["html"], return_state=True)
    assert state.is_completed(), state.message
    by_key = artifacts_of(state)
    shown = " ".join(str(a.data) for a in by_key.values())
    assert "X-Amz-" not in shown and seaweed.endpoint not in shown  # nothing that opens a staged file
    staged = f"{store.url}/staging/{YEAR}"
    assert f"({staged}/candidate.json)" in str(by_key[f"candidate-{YEAR}"].data)
    markdown = str(by_key[f"staged-{YEAR}"].data)
    assert f"| {NORTHAMPTON} | `{staged}/letters/{NORTHAMPTON}.html` | – |" in markdown
    assert store.get_with_info(f"staging/{YEAR}/access-log.jsonl") is None  # so nothing to record
    assert (
        staged_location(store.url, YEAR, f"letters/{NORTHAMPTON}.pdf")
        == f"{staged}/letters/{NORTHAMPTON}.pdf"
    )
