"""The store contract, identical on the local folder and on S3."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from annual_review.store import Store, WriteConflict


def test_put_get_head_keep_bytes_type_cache_and_sha256(store: Store) -> None:
    data = b'{"a": 1}\n'
    written = store.put("public/x/a.json", data, content_type="application/json", cache_control="no-cache")

    info = store.head("public/x/a.json")

    assert store.get("public/x/a.json") == data
    assert info is not None
    assert (info.key, info.size, info.content_type, info.cache_control) == (
        "public/x/a.json",
        len(data),
        "application/json",
        "no-cache",
    )
    assert info.sha256 == written.sha256 == hashlib.sha256(data).hexdigest()
    assert info.etag == written.etag and info.etag


def test_get_with_info_returns_bytes_and_etag_together(store: Store) -> None:
    store.put("k/a.pdf", b"%PDF-1", content_type="application/pdf")

    found = store.get_with_info("k/a.pdf")

    assert found is not None
    assert found[0] == b"%PDF-1"
    assert found[1].content_type == "application/pdf"
    assert found[1].etag == store.head("k/a.pdf").etag  # type: ignore[union-attr]


def test_missing_object(store: Store) -> None:
    assert store.head("no/such.json") is None
    assert store.get_with_info("no/such.json") is None
    with pytest.raises(FileNotFoundError):
        store.get("no/such.json")
    store.delete("no/such.json")  # deleting nothing is fine


def test_list_is_sorted_by_key_and_honours_any_prefix(store: Store) -> None:
    for key in ["b/2.json", "b/1.json", "b/sub/3.json", "bb/4.json", "c.json"]:
        store.put(key, b"{}", content_type="application/json")

    assert list(store.list("b/")) == ["b/1.json", "b/2.json", "b/sub/3.json"]
    assert list(store.list("b")) == ["b/1.json", "b/2.json", "b/sub/3.json", "bb/4.json"]
    assert list(store.list("b/sub/")) == ["b/sub/3.json"]
    assert list(store.list("")) == ["b/1.json", "b/2.json", "b/sub/3.json", "bb/4.json", "c.json"]
    assert list(store.list("nothing/")) == []


def test_delete_removes_object_and_listing(store: Store) -> None:
    store.put("d/a.json", b"{}", content_type="application/json")
    store.delete("d/a.json")

    assert store.head("d/a.json") is None
    assert list(store.list("d/")) == []


def test_overwrite_replaces_bytes_and_metadata(store: Store) -> None:
    store.put("o/a.html", b"<p>1", content_type="text/html; charset=utf-8", cache_control="x")
    store.put("o/a.html", b"<p>22", content_type="text/html; charset=utf-8")

    info = store.head("o/a.html")

    assert store.get("o/a.html") == b"<p>22"
    assert info is not None and info.size == 5 and info.cache_control is None


def test_if_none_match_refuses_an_existing_object(store: Store) -> None:
    store.put("c/r.json", b"1", content_type="application/json", if_none_match=True)

    with pytest.raises(WriteConflict):
        store.put("c/r.json", b"2", content_type="application/json", if_none_match=True)
    assert store.get("c/r.json") == b"1"


def test_if_match_refuses_a_stale_etag(store: Store) -> None:
    first = store.put("c/r.json", b"1", content_type="application/json")
    second = store.put("c/r.json", b"2", content_type="application/json", if_match=first.etag)

    with pytest.raises(WriteConflict):
        store.put("c/r.json", b"3", content_type="application/json", if_match=first.etag)
    assert store.get("c/r.json") == b"2"
    assert store.head("c/r.json").etag == second.etag  # type: ignore[union-attr]


def test_if_match_refuses_a_missing_object(store: Store) -> None:
    with pytest.raises(WriteConflict):
        store.put("c/none.json", b"1", content_type="application/json", if_match='"abc"')
    assert store.head("c/none.json") is None


@pytest.mark.parametrize("key", ["", "/abs.json", "../up.json", "a/../../up.json"])
def test_keys_cannot_leave_the_store(store: Store, key: str) -> None:
    with pytest.raises(ValueError):
        store.put(key, b"x", content_type="application/json")


def test_head_reports_when_an_object_was_written(store: Store) -> None:
    before = datetime.now(UTC) - timedelta(minutes=1)
    store.put("m/a.json", b"{}", content_type="application/json")
    info = store.head("m/a.json")
    assert info is not None and info.modified is not None
    assert before <= info.modified <= datetime.now(UTC) + timedelta(minutes=1)
