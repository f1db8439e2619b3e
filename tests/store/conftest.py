"""Every store test runs on the local folder and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for s3_server

from s3_server import SeaweedServer, s3_credentials, seaweed  # noqa: E402, F401

from annual_review.store import Store  # noqa: E402
from annual_review.store.local import LocalStore  # noqa: E402


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    request.getfixturevalue("s3_credentials")
    server: SeaweedServer = request.getfixturevalue("seaweed")
    return server.store()
