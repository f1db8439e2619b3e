"""Publishing tests run on the local folder and on SeaweedFS; helpers are in release_fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from annual_review.years import BusinessYear

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)  # for s3_server, shared with tests/store

from s3_server import s3_credentials, seaweed, store  # noqa: E402, F401


@pytest.fixture
def year() -> BusinessYear:
    return BusinessYear.parse("2019-20")
