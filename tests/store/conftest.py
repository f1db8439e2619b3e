"""Every store test runs on the local folder and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

from tests.helpers.s3_server import s3_credentials, seaweed, store  # noqa: F401
