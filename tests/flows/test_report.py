"""What the operator reads in the UI after a run: counts, rejects, peer figures, where staged files are."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.prepare import prepare_year
from flows.report import staged_links, staged_location
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


@pytest.mark.s3
@pytest.mark.usefixtures("s3_credentials")
def test_on_s3_the_operator_clicks_through_to_a_staged_letter(seaweed: Any) -> None:
    store = seaweed.store()
    store.put(f"staging/{YEAR}/letters/{NORTHAMPTON}.pdf", b"%PDF-1.7 staged", content_type="application/pdf")
    key = f"letters/{NORTHAMPTON}.pdf"
    (link,) = staged_links(store.url, seaweed.endpoint, YEAR, [key]).values()
    assert link.startswith(f"{seaweed.endpoint}/") and "X-Amz-Signature=" in link
    with urllib.request.urlopen(link, timeout=10) as response:
        assert response.read() == b"%PDF-1.7 staged"
    assert "X-Amz-Expires=86400" in link  # a day: the UI keeps links, the store must not stay open
    assert staged_links("/srv/store", None, YEAR, [key]) == {key: f"/srv/store/staging/{YEAR}/{key}"}
