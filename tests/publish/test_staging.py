"""Staging: staging/<year>/ holds the candidate, and restaging the same files changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import pytest

from annual_review.errors import ReleaseRefused
from annual_review.publish.media import STAGING_CACHE
from annual_review.publish.release import release_year
from annual_review.publish.staging import stage_release
from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store
from annual_review.tables import SCHEMAS
from annual_review.years import BusinessYear
from tests.helpers.release_fixtures import RecordingStore, at, candidate_files, snapshot, stage

TYPES = {
    "data/decisions.parquet": "application/vnd.apache.parquet",
    "json/index.json": "application/json",
    "letters/E07000154.html": "text/html; charset=utf-8",
    "letters/E07000154.pdf": "application/pdf",
}


def test_stage_writes_every_file_and_the_candidate(store: Store, year: BusinessYear) -> None:
    files = candidate_files(year)

    candidate = stage(store, year)

    assert sorted(store.list("staging/")) == sorted(
        [f"staging/2019-20/{key}" for key in files] + ["staging/2019-20/candidate.json"]
    )
    assert json.loads(store.get("staging/2019-20/candidate.json")) == candidate
    assert candidate["peer_method"] == "mean"
    assert candidate["row_counts"] == {t: 2 for t in sorted(SCHEMAS)}
    assert candidate["generated_at"] == "2020-07-22T08:30:00Z"
    listed = {f["key"]: f for f in candidate["files"]}
    assert listed.keys() == files.keys()
    for key, data in files.items():
        assert listed[key]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[key]["bytes"] == len(data)
        assert store.get(f"staging/2019-20/{key}") == data


@pytest.mark.parametrize(("key", "content_type"), TYPES.items())
def test_staged_objects_carry_content_type_and_no_store(
    store: Store, year: BusinessYear, key: str, content_type: str
) -> None:
    stage(store, year)

    info = store.head(f"staging/2019-20/{key}")

    assert info is not None
    assert (info.content_type, info.cache_control) == (content_type, STAGING_CACHE)


def test_restaging_the_same_files_writes_nothing(store: Store, year: BusinessYear) -> None:
    first = stage(store, year)
    before = snapshot(store, "staging/")
    recording = RecordingStore(store)

    again = stage(recording, year, clock=at(year, -60))  # a later run, same inputs

    assert recording.puts == [] and recording.deletes == []
    assert again == first  # the earlier generated time is kept
    assert snapshot(store, "staging/") == before


def test_restaging_a_changed_candidate_removes_what_it_no_longer_has(
    store: Store, year: BusinessYear
) -> None:
    stage(store, year)
    files = candidate_files(year, variant=1)
    del files["letters/E07000155.pdf"]

    candidate = stage(store, year, files=files, clock=at(year, -60))

    assert store.head("staging/2019-20/letters/E07000155.pdf") is None
    assert candidate["generated_at"] == "2020-07-29T07:30:00Z"
    assert len(list(store.list("staging/2019-20/"))) == len(files) + 1


def test_staging_one_year_leaves_another_alone(store: Store, year: BusinessYear) -> None:
    other = BusinessYear.parse("2020-21")
    stage(store, other)
    before = snapshot(store, "staging/2020-21/")

    stage(store, year)

    assert snapshot(store, "staging/2020-21/") == before


@pytest.mark.parametrize(
    "key",
    [
        "../escape.json",
        "/abs.json",
        "json/.hidden.json",
        "candidate.json",
        "manifest.json",
        "manifests/x.json",
        "letters/a b.pdf",
        "letters/noext",
    ],
)
def test_bad_keys_are_refused(tmp_path: object, year: BusinessYear, key: str) -> None:
    from annual_review.store.local import LocalStore

    store = LocalStore(str(tmp_path))
    with pytest.raises(ValueError):
        stage_release(store, year, {key: b"x"}, row_counts={}, peer_method="mean", clock=at(year))
    assert list(store.list("")) == []


def test_unknown_peer_method_is_refused(tmp_path: object, year: BusinessYear) -> None:
    from annual_review.store.local import LocalStore

    with pytest.raises(ValueError, match="peer method"):
        stage(LocalStore(str(tmp_path)), year, peer_method="median")


def damage_behind_the_store(store: Store, key: str, bad: bytes) -> None:
    """Bytes changed with everything else kept: on a folder the inode, size and mtime (so its sidecar
    still matches), on S3 the metadata, with x-amz-meta-sha256 still naming the good bytes."""
    info = store.head(key)
    assert info is not None and info.size == len(bad)
    if isinstance(store, LocalStore):
        path = store.root / key
        before = path.stat()
        with path.open("r+b") as file:
            file.write(bad)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return
    assert isinstance(store, S3Store)
    store._client.put_object(
        Bucket=store.bucket,
        Key=store.prefix + key,
        Body=bad,
        ContentType=info.content_type or "",
        CacheControl=info.cache_control or "",
        Metadata={"sha256": hashlib.sha256(store.get(key)).hexdigest()},
    )


def test_a_staged_file_damaged_behind_the_store_is_refused_then_repaired(
    store: Store, year: BusinessYear
) -> None:
    """One rule in staging and release: the bytes the store holds, so restaging mends what release refuses."""
    files = candidate_files(year)
    stage(store, year)
    key = "staging/2019-20/letters/E07000154.pdf"
    good = files["letters/E07000154.pdf"]
    damage_behind_the_store(store, key, good[:-4] + b"EVIL")

    with pytest.raises(ReleaseRefused, match=r"letters/E07000154\.pdf differs from candidate\.json; stage"):
        release_year(store, year, release_time=year.default_release_time(), clock=at(year))
    recording = RecordingStore(store)
    stage(recording, year)

    assert recording.puts == [key]  # only the damaged file is written again
    assert store.get(key) == good
    result = release_year(store, year, release_time=year.default_release_time(), clock=at(year))
    assert result.status == "released"


def test_restaging_removes_what_a_killed_writer_left(tmp_path: Path, year: BusinessYear) -> None:
    store = LocalStore(tmp_path)
    stage(store, year)
    left = tmp_path / "staging" / "2019-20" / "letters" / f".tmp-{socket.gethostname()}.999999999.abcd1234"
    left.write_bytes(b"half a letter")

    stage(store, year)

    assert not left.exists()
