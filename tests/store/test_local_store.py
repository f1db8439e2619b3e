"""What only the local folder has to get right: sidecar metadata and atomic files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annual_review.store import open_store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store


def test_metadata_sidecars_stay_out_of_listings_and_public(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("public/2019-20/a.json", b"{}", content_type="application/json", cache_control="x")

    assert list(store.list("")) == ["public/2019-20/a.json"]
    assert sorted(p.name for p in (tmp_path / "public" / "2019-20").iterdir()) == ["a.json"]


def test_a_file_changed_behind_the_store_reports_its_real_sha256(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("a.json", b"{}", content_type="application/json")
    (tmp_path / "a.json").write_bytes(b"[]")

    info = store.head("a.json")

    assert info is not None
    assert info.sha256 == hashlib.sha256(b"[]").hexdigest()
    assert info.content_type is None  # the sidecar described other bytes


def test_leftover_temp_files_are_not_objects(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("x/a.json", b"{}", content_type="application/json")
    (tmp_path / "x" / ".tmp-abc").write_bytes(b"partial")

    assert list(store.list("x/")) == ["x/a.json"]


def test_meta_folder_is_not_a_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalStore(tmp_path).put(".meta/a.json", b"{}", content_type="application/json")


def test_open_store_picks_the_backend(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path)), LocalStore)
    s3 = open_store("s3://bucket/some/prefix", endpoint_url="http://127.0.0.1:1")
    assert isinstance(s3, S3Store)
    assert (s3.bucket, s3.prefix, s3.url) == ("bucket", "some/prefix/", "s3://bucket/some/prefix")


def test_s3_url_needs_a_bucket() -> None:
    with pytest.raises(ValueError):
        S3Store.from_url("s3://")
