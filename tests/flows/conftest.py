"""The flows' tests that need S3 use the session's one SeaweedFS server."""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)  # s3_server as tests/store imports it: one server per session

from s3_server import s3_credentials, seaweed  # noqa: E402, F401
