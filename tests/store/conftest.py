"""Every store test runs on the local folder and on a real S3 server (SeaweedFS); some run the command."""

from __future__ import annotations

from tests.helpers.commands import api_url, command  # noqa: F401
from tests.helpers.s3_server import s3_credentials, seaweed, store  # noqa: F401
