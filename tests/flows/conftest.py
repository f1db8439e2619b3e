"""The flows' tests that need S3 use the session's one SeaweedFS server; many drive the real command."""

from __future__ import annotations

from tests.helpers.commands import api_url, command  # noqa: F401
from tests.helpers.s3_server import s3_credentials, seaweed  # noqa: F401
