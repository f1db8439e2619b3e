"""What only the local folder has to get right: sidecar metadata and atomic files."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from annual_review.store import Presigner, open_store
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


def test_only_s3_gives_out_links(tmp_path: Path) -> None:
    """share and the UI's staged links ask for the capability, not for a backend's class."""
    assert not isinstance(open_store(str(tmp_path)), Presigner)
    assert isinstance(open_store("s3://bucket/some/prefix", endpoint_url="http://127.0.0.1:1"), Presigner)


def test_s3_url_needs_a_bucket() -> None:
    with pytest.raises(ValueError):
        S3Store.from_url("s3://")


def test_a_file_damaged_in_place_under_its_old_size_and_mtime_reports_its_real_sha256(tmp_path: Path) -> None:
    """The sidecar still matches inode, size and mtime: only hashing the bytes tells."""
    store = LocalStore(tmp_path)
    store.put("a.pdf", b"%PDF-good", content_type="application/pdf")
    path = tmp_path / "a.pdf"
    before = path.stat()
    with path.open("r+b") as file:  # same inode, same size
        file.write(b"%PDF-evil")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    info = store.head("a.pdf")

    assert info is not None and info.sha256 == hashlib.sha256(b"%PDF-evil").hexdigest()
    assert info.content_type == "application/pdf"  # the sidecar still describes the file


def test_partial_writes_of_a_dead_writer_are_removed_and_a_live_one_s_kept(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("staging/x/a.json", b"{}", content_type="application/json")
    folder = tmp_path / "staging" / "x"
    here = socket.gethostname()
    dead = _a_finished_pid()
    left = {
        "dead": folder / f".tmp-{here}.{dead}.abcd1234",  # kill -9 mid-put, on this machine
        "sidecar": tmp_path / ".meta" / "staging" / "x" / f".tmp-{here}.{dead}.efgh5678",
        "old-elsewhere": folder / ".tmp-elsewhere.42.ijkl9012",
        "old-unnamed": folder / ".tmp-mnop3456",  # from before temp files named their writer
    }
    kept = {
        "live": folder / f".tmp-{here}.{os.getpid()}.qrst7890",  # this process, mid-put
        "new-elsewhere": folder / ".tmp-elsewhere.42.uvwx1234",  # a put under way on another machine
    }
    for path in (*left.values(), *kept.values()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    for path in (left["old-elsewhere"], left["old-unnamed"]):
        os.utime(path, (hours_ago, hours_ago))

    assert store.remove_partial_writes("staging/") == len(left)

    assert not any(path.exists() for path in left.values())
    assert all(path.exists() for path in kept.values())
    assert list(store.list("staging/")) == ["staging/x/a.json"]


def _a_finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_folder_has_no_clock_of_its_own(tmp_path: Path) -> None:
    assert LocalStore(tmp_path).clock() is None
