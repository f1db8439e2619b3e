"""The release flow: thin over release_year, retried on I/O only, refusals reach the CLI intact."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from prefect.states import Failed

from annual_review.errors import ReleaseRefused
from annual_review.publish.verify import VerificationFailed
from annual_review.store import WriteConflict
from annual_review.store.local import LocalStore
from annual_review.years import BusinessYear
from flows.release import release_flow
from flows.runtime.caching import retry_transient
from tests.helpers.release_fixtures import stage


@pytest.mark.slow
def test_release_flow_releases_then_changes_nothing(
    prefect_api: None, tmp_path: Path, year: BusinessYear
) -> None:
    stage(LocalStore(tmp_path), year)

    first = release_flow("2019-20", store=str(tmp_path))
    again = release_flow("2019-20", store=str(tmp_path))

    assert first["status"] == "released" and first["manifest"] == "public/2019-20/manifest.json"
    assert (again["status"], again["written"]) == ("unchanged", 0)


@pytest.mark.slow
def test_release_flow_refuses_before_the_configured_time(
    prefect_api: None, tmp_path: Path, year: BusinessYear, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNUAL_REVIEW_RELEASE_TIMES", '{"2019-20": "2999-07-29T09:30:00+01:00"}')
    stage(LocalStore(tmp_path), year)

    state = release_flow("2019-20", store=str(tmp_path), return_state=True)
    assert state.is_failed() and "not released until 2999-07-29 09:30 BST" in (state.message or "")
    assert list(LocalStore(tmp_path).list("public/")) == []


@pytest.mark.slow
def test_release_flow_names_a_bad_year(prefect_api: None, tmp_path: Path) -> None:
    state = release_flow("2019-21", store=str(tmp_path), return_state=True)
    assert state.is_failed() and "2019-21" in (state.message or "")


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (OSError("disk"), True),
        (OSError(errno.ENOSPC, "No space left on device"), False),
        (OSError(errno.EROFS, "Read-only file system"), False),
        (VerificationFailed("damaged"), True),
        (ReleaseRefused("too early"), False),
        (WriteConflict("lost"), False),
        (ValueError("bug"), False),
    ],
)
def test_only_io_failures_are_retried(error: Exception, retry: bool) -> None:
    assert retry_transient(None, None, Failed(data=error)) is retry  # type: ignore[arg-type]
