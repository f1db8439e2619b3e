"""The embedded default store: a folder on disk, written atomically (temp file, then rename).

Each object's content type and cache control live in a sidecar under `<root>/.meta/`, outside
every listing and outside `public/`, so the folder can be served as it is. A sidecar names the
inode, size and mtime of the file it describes and is written after the file is in place; one
that does not match (a writer killed between the two renames) is ignored. The sha256, which is
also the etag, is always hashed from the file's bytes: a file damaged behind the store's back,
even under its old size and mtime, is never taken for what it was. Conditional puts hold an
exclusive lock on `<root>/.meta/.lock`.

Files and folders get the modes the umask gives new ones, so a web server running as another user can
serve public/. staging/ is never public: the folder itself gives others no access (made so, or tightened
on the first staged write if this user owns it); its files are ordinary, so a team sharing a group can
run and release each other's years.

A temp file is named `.tmp-<host>.<pid>.<random>`: a writer killed mid-put (kill -9) leaves one
behind, hidden from listings; remove_partial_writes removes those whose writer is gone.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from annual_review.atomic import TMP_PREFIX, write_atomic, writer_of
from annual_review.errors import StoreUnusable
from annual_review.layout import STAGING
from annual_review.store.base import ObjectInfo, WriteConflict, sha256_hex

META = ".meta"
# A temp file this old was left by a writer on another machine that is surely gone: a put takes seconds.
ABANDONED_AFTER_SECONDS = 3600


class LocalStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        if not key or key.split("/", 1)[0] == META or TMP_PREFIX in key:
            raise ValueError(f"key {key!r} is not an object key")
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            self._refuse_links(key)
            raise ValueError(f"key {key!r} leaves the store")
        return path

    def _refuse_links(self, key: str) -> None:
        """A folder of the store that is a symbolic link out of it: the operator's to mend, one line."""
        folder = self.root
        for part in key.split("/")[:-1]:
            folder = folder / part
            if folder.is_symlink():
                raise StoreUnusable(
                    f"store {self.root}: {folder.relative_to(self.root).as_posix()} is a symbolic link "
                    f"(to {os.readlink(folder)}); a folder store's folders must be real folders inside it: "
                    "replace the link with the folder"
                )

    def _meta_path(self, key: str) -> Path:
        return self.root / META / f"{key}.json"

    def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        cache_control: str | None = None,
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> ObjectInfo:
        path = self._path(key)
        if if_match is None and not if_none_match:
            return self._write(key, path, data, content_type, cache_control)
        with self._lock():
            current = self.head(key)
            if if_none_match and current is not None:
                raise WriteConflict(f"{key} already exists")
            if if_match is not None and (current is None or current.etag != if_match):
                raise WriteConflict(f"{key} changed since it was read")
            return self._write(key, path, data, content_type, cache_control)

    def _write(
        self, key: str, path: Path, data: bytes, content_type: str, cache_control: str | None
    ) -> ObjectInfo:
        """The file first, then its sidecar: killed in between, the object is whole and merely untyped."""
        digest = sha256_hex(data)
        if key.startswith(STAGING):
            self._keep_from_others(self.root / STAGING)
        write_atomic(path, data)
        info = path.stat()
        meta = {
            "content_type": content_type,
            "cache_control": cache_control,
            "file": [info.st_ino, info.st_size, info.st_mtime_ns],
        }
        write_atomic(self._meta_path(key), json.dumps(meta).encode())
        return ObjectInfo(key, len(data), content_type, cache_control, digest, digest, _modified(info))

    def _keep_from_others(self, folder: Path) -> None:
        """The folder without access for others (group and owner as the umask gives them)."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            folder.mkdir(mode=0o770)
            return
        except FileExistsError:
            pass
        info = folder.stat()
        if info.st_mode & 0o007 and info.st_uid == os.getuid():  # made before staging was kept so
            folder.chmod(stat.S_IMODE(info.st_mode) & ~0o007)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.root / META / ".lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo] | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        info = self._info(key, path, data)
        return (data, info) if info is not None else None

    def head(self, key: str) -> ObjectInfo | None:
        return self._info(key, self._path(key), None)

    def _info(self, key: str, path: Path, data: bytes | None) -> ObjectInfo | None:
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        if data is None:
            data = path.read_bytes()
        digest = sha256_hex(data)
        meta = self._read_meta(key)
        if meta is None or meta.get("file") != [info.st_ino, info.st_size, info.st_mtime_ns]:
            return ObjectInfo(key, len(data), None, None, digest, digest, _modified(info))
        content_type, cache_control = _text(meta.get("content_type")), _text(meta.get("cache_control"))
        return ObjectInfo(key, len(data), content_type, cache_control, digest, digest, _modified(info))

    def _read_meta(self, key: str) -> dict[str, object] | None:
        try:
            meta = json.loads(self._meta_path(key).read_bytes())
        except (FileNotFoundError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def list(self, prefix: str) -> Iterator[str]:
        """Every key starting with prefix, sorted, as S3 would list it."""
        folder = prefix if prefix.endswith("/") or not prefix else prefix.rsplit("/", 1)[0] + "/"
        base = self.root / folder if "/" in prefix else self.root
        if not base.is_dir():
            return
        keys = (
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if not path.name.startswith(TMP_PREFIX) and path.is_file()
        )
        yield from sorted(k for k in keys if k.startswith(prefix) and k.split("/", 1)[0] != META)

    def delete(self, key: str) -> None:
        """The sidecar first: killed in between, what is left is a whole, untyped object."""
        path = self._path(key)
        self._meta_path(key).unlink(missing_ok=True)
        path.unlink(missing_ok=True)

    def clock(self) -> datetime | None:
        """A folder has no clock of its own: only this machine's clock tells the time."""
        return None

    def remove_partial_writes(self, prefix: str) -> int:
        """Temp files under the folder `prefix` (and its sidecars') whose writer is gone."""
        removed = 0
        for folder in (self.root / prefix, self.root / META / prefix):
            if not folder.is_dir():
                continue
            for path in folder.rglob(f"{TMP_PREFIX}*"):
                if path.is_file() and _writer_gone(path):
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    def __repr__(self) -> str:
        return f"LocalStore({self.url!r})"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _modified(info: os.stat_result) -> datetime:
    return datetime.fromtimestamp(info.st_mtime_ns / 1e9, UTC)


def _writer_gone(path: Path) -> bool:
    """Written by a process of this machine that has ended, or abandoned long ago (another machine)."""
    host, pid = writer_of(path.name)
    if host == socket.gethostname() and pid.isdigit():
        return not process_alive(int(pid))
    try:
        return time.time() - path.stat().st_mtime > ABANDONED_AFTER_SECONDS
    except FileNotFoundError:
        return False


def process_alive(pid: int) -> bool:
    """Whether a process of this machine with that id is running (signal 0 only asks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True
