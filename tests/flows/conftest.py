"""The flows' tests that need S3 use the session's one SeaweedFS server; many drive the real command."""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    # s3_server as tests/store imports it: one server per session; last, so that tests/transforms
    # does not hide transforms/
    sys.path.append(_TESTS)

from s3_server import s3_credentials, seaweed  # noqa: E402, F401
from tests.commands import api_url, command  # noqa: E402, F401
