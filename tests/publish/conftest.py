"""Publishing tests run on the local folder and on SeaweedFS; helpers are in release_fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from annual_review.years import BusinessYear

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    # for s3_server, shared with tests/store; last, so that tests/transforms does not hide transforms/
    sys.path.append(_TESTS)

from commands import api_url, command  # noqa: E402, F401
from s3_server import s3_credentials, seaweed, store  # noqa: E402, F401


@pytest.fixture
def year() -> BusinessYear:
    return BusinessYear.parse("2019-20")
