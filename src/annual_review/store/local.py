"""The embedded default store: a folder on disk, written atomically (temp file, then rename).

Each object's content type, cache control and sha256 live in a sidecar under `<root>/.meta/`,
outside every listing and outside `public/`, so the folder can be served as it is. A sidecar
names the inode, size and mtime of the file it describes; one that does not match (a crash
between the two renames) is ignored and the sha256 is read from the bytes instead. The etag is
the sha256. Conditional puts hold an exclusive lock on `<root>/.meta/.lock`.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annual_review.store.base import ObjectInfo, WriteConflict, sha256_hex

META = ".meta"
_TMP = ".tmp-"


class LocalStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        if not key or key.split("/", 1)[0] == META or _TMP in key:
            raise ValueError(f"key {key!r} is not an object key")
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"key {key!r} leaves the store")
        return path

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
        digest = sha256_hex(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            stat = os.stat(tmp)
            meta = {
                "content_type": content_type,
                "cache_control": cache_control,
                "sha256": digest,
                "file": [stat.st_ino, stat.st_size, stat.st_mtime_ns],
            }
            _write_atomic(self._meta_path(key), json.dumps(meta).encode())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return ObjectInfo(key, len(data), content_type, cache_control, digest, digest)

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
            stat = path.stat()
        except FileNotFoundError:
            return None
        if not path.is_file():
            return None
        meta = self._read_meta(key)
        if meta is not None and meta.get("file") == [stat.st_ino, stat.st_size, stat.st_mtime_ns]:
            digest = str(meta["sha256"])
            content_type, cache_control = meta.get("content_type"), meta.get("cache_control")
            return ObjectInfo(key, stat.st_size, _text(content_type), _text(cache_control), digest, digest)
        digest = sha256_hex(data if data is not None else path.read_bytes())
        return ObjectInfo(key, stat.st_size, None, None, digest, digest)

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
            if not path.name.startswith(_TMP) and path.is_file()
        )
        yield from sorted(k for k in keys if k.startswith(prefix) and k.split("/", 1)[0] != META)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self._meta_path(key).unlink(missing_ok=True)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
