"""Faults: a release that dies halfway, or whose objects are damaged, never moves releases.json."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from annual_review.publish.release import ReleaseResult, release_year
from annual_review.publish.verify import VerificationFailed
from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store
from annual_review.years import BusinessYear
from tests.helpers.release_fixtures import RecordingStore, at, snapshot, stage
from tests.helpers.s3_server import BUCKET, SeaweedServer

EARLIER = BusinessYear.parse("2018-19")


class Crash(Exception):
    """The process died here."""


def release(store: Store, year: BusinessYear) -> ReleaseResult:
    return release_year(store, year, release_time=year.default_release_time(), clock=at(year))


def assert_complete(store: Store, year: BusinessYear) -> None:
    """Every object of the manifest is there with its sha256, and releases.json points at it."""
    manifest_bytes = store.get(f"public/{year}/manifest.json")
    for entry in json.loads(manifest_bytes)["files"]:
        assert hashlib.sha256(store.get(f"public/{entry['key']}")).hexdigest() == entry["sha256"]
    pointer = json.loads(store.get("public/releases.json"))["years"][year.label]
    assert pointer["manifest_sha256"] == hashlib.sha256(manifest_bytes).hexdigest()


def pointer_checker(store: Store, year: BusinessYear) -> RecordingStore:
    """A store that, whenever releases.json is written, checks the year it names is complete."""

    def check(key: str, _: int) -> None:
        if key == "public/releases.json":
            assert_complete(store, year)

    return RecordingStore(store, check)


def test_a_release_that_dies_halfway_is_finished_by_a_rerun(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    year = BusinessYear.parse("2019-20")
    stage(store, EARLIER)
    release(store, EARLIER)
    stage(store, year)
    pointer = store.get("public/releases.json")

    def die(key: str, public_puts: int) -> None:
        if public_puts == 5:
            raise Crash(key)

    crashing = RecordingStore(store, die)
    with pytest.raises(Crash):
        release(crashing, year)

    assert "public/releases.json" not in crashing.puts
    assert store.get("public/releases.json") == pointer
    assert list(store.list("public/2019-20/"))  # half a release is on disk, unpointed
    assert release(pointer_checker(store, year), year).status == "released"
    assert_complete(store, year)
    assert_complete(store, EARLIER)


@pytest.mark.s3
@pytest.mark.slow
def test_server_killed_mid_release_then_restarted(tmp_path: Path, s3_credentials: None) -> None:
    year = BusinessYear.parse("2019-20")
    server = SeaweedServer(tmp_path / "weed")
    server.start()
    try:
        store = server.store("crash")
        stage(store, EARLIER)
        release(store, EARLIER)
        stage(store, year)
        pointer = store.get("public/releases.json")
        killed: list[str] = []

        def kill_server(key: str, public_puts: int) -> None:
            if public_puts == 8 and not killed:
                killed.append(key)
                server.kill()

        crashing = RecordingStore(server.store("crash", max_attempts=2), kill_server)
        with pytest.raises((BotoCoreError, ClientError)):
            release(crashing, year)
        assert killed and "public/releases.json" not in crashing.puts

        server.start()  # same data folder, same ports
        store = server.store("crash")
        assert store.get("public/releases.json") == pointer
        landed = list(store.list("public/2019-20/"))
        assert landed and "public/2019-20/manifest.json" not in landed

        result = release(pointer_checker(store, year), year)

        assert result.status == "released" and result.written > 0
        assert_complete(store, year)
        assert_complete(store, EARLIER)
        before = snapshot(store)
        assert release(store, year).status == "unchanged"
        assert snapshot(store) == before
    finally:
        server.stop()


def test_an_object_damaged_after_upload_is_caught_and_not_pointed_at(
    store: Store, year: BusinessYear
) -> None:
    stage(store, EARLIER)
    release(store, EARLIER)
    stage(store, year)
    pointer = store.get("public/releases.json")
    target = "public/2019-20/json/index.json"

    def damage(key: str, _: int) -> None:
        if key == target:
            store.put(key, b'{"damaged": true}', content_type="application/json")

    with pytest.raises(VerificationFailed, match=r"json/index\.json"):
        release(RecordingStore(store, damage), year)

    assert store.get("public/releases.json") == pointer
    assert release(store, year).status == "released"  # the rerun rewrites it
    assert_complete(store, year)


@pytest.mark.s3
def test_damage_behind_a_correct_looking_sha256_is_still_caught(
    seaweed: SeaweedServer, s3_credentials: None, year: BusinessYear
) -> None:
    """Bytes replaced on the server with the old metadata kept: only reading them shows it."""
    store = seaweed.store()
    stage(store, year)
    target = "public/2019-20/letters/E07000154.pdf"
    client = seaweed.client()

    def damage(key: str, _: int) -> None:
        if key == target:
            info = store.head(key)
            assert info is not None and isinstance(store, S3Store)
            bad = b"%PDF-1.7 garbage"
            client.put_object(
                Bucket=BUCKET,
                Key=store.prefix + key,
                Body=bad,
                ContentType="application/pdf",
                CacheControl=info.cache_control or "",
                Metadata={"sha256": info.sha256 or ""},
                ChecksumSHA256=base64.b64encode(hashlib.sha256(bad).digest()).decode(),
            )

    with pytest.raises(VerificationFailed, match=r"E07000154\.pdf"):
        release(RecordingStore(store, damage), year)

    assert store.head("public/releases.json") is None
    assert release(store, year).status == "released"
    assert_complete(store, year)
