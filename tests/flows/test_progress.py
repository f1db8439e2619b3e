"""The PDF letters' progress: in the Prefect UI (a progress artifact) and to a watcher (the command's bar)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

import pytest
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows import progress
from flows.prepare import prepare_year
from flows.progress import letter_progress, watching
from tests.helpers.exports import write_exports


def test_the_artifact_moves_at_most_every_two_seconds_and_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    artifact = uuid4()
    updates: list[float] = []
    now = [100.0]

    def create(progress: float, key: str, description: str) -> UUID:
        assert (progress, key) == (0.0, "pdf-letters-2019-20")
        return artifact

    def update(artifact_id: UUID, progress: float) -> None:
        assert artifact_id == artifact
        updates.append(progress)

    monkeypatch.setattr(progress, "create_progress_artifact", create)
    monkeypatch.setattr(progress, "update_progress_artifact", update)
    heard: list[tuple[int, int]] = []
    lines: list[str] = []
    with watching(lambda done, total: heard.append((done, total))):
        report = letter_progress("2019-20", clock=lambda: now[0], log=lines.append)
        for done, seconds in ((10, 1.0), (20, 1.5), (30, 0.5), (40, 2.5)):
            now[0] += seconds
            report(done, 40)
    report(40, 40)  # no longer watched: the artifact only
    assert heard == [(10, 40), (20, 40), (30, 40), (40, 40)]
    assert updates == [50.0, 100.0, 100.0]  # at 2.5 s (20 of 40), then the end; never per letter
    assert lines == ["PDF letters of 2019-20: 40 of 40, done in 6 s"] * 2  # under 5 s apart: the end only


def test_plain_log_lines_say_how_many_and_how_long_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a run shows when its output goes to a file (no bar): every 5 s, with the time left."""
    monkeypatch.setattr(progress, "create_progress_artifact", lambda **_: uuid4())
    monkeypatch.setattr(progress, "update_progress_artifact", lambda *_, **__: None)
    now, lines = [0.0], []
    report = letter_progress("2024-25", clock=lambda: now[0], log=lines.append)
    for done in (50, 100, 150, 350):
        now[0] += 6.0
        report(done, 350)
    assert lines == [
        "PDF letters of 2024-25: 50 of 350, about 36 s left",
        "PDF letters of 2024-25: 100 of 350, about 30 s left",
        "PDF letters of 2024-25: 150 of 350, about 24 s left",
        "PDF letters of 2024-25: 350 of 350, done in 24 s",
    ]


@pytest.mark.usefixtures("prefect_api")
def test_a_run_with_pdfs_shows_their_progress(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_WORKERS", "1")  # in this process: cheaper, and the same reports
    write_exports(workdir / "in")
    heard: list[tuple[int, int]] = []
    with watching(lambda done, total: heard.append((done, total))):
        state = prepare_year(
            year="2019-20", input_dir="in", store="store", formats=["pdf"], return_state=True
        )
    assert state.is_completed(), state.message
    assert heard == [(1, 3), (2, 3), (3, 3)]  # three letters, one chunk each
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    (shown,) = [a for a in artifacts if a.key == "pdf-letters-2019-20"]
    assert (shown.type, shown.data) == ("progress", 100.0)
