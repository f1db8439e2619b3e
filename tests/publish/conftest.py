"""Publishing tests run on the local folder and on SeaweedFS; their helpers are in tests/helpers."""

from __future__ import annotations

import pytest

from annual_review.years import BusinessYear
from tests.helpers.commands import api_url, command  # noqa: F401
from tests.helpers.s3_server import s3_credentials, seaweed, store  # noqa: F401


@pytest.fixture
def year() -> BusinessYear:
    return BusinessYear.parse("2019-20")
