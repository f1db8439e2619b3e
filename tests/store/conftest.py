"""Every store test runs on the local folder and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    # for s3_server, shared with tests/publish; last, so that tests/transforms does not hide transforms/
    sys.path.append(_TESTS)

from s3_server import s3_credentials, seaweed, store  # noqa: E402, F401
