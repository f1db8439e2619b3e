"""What the pipeline asks of an object store; each backend implements exactly this."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


class WriteConflict(Exception):
    """A conditional write lost: the object changed (If-Match) or already exists (If-None-Match)."""


@dataclass(frozen=True)
class ObjectInfo:
    """What a store knows about one object; etag is opaque, for If-Match.

    sha256 is what the store itself knows of the bytes it holds (S3's own checksum, the local
    folder's hash of the file), never a note written beside them: the one rule by which staging
    skips a file and release accepts it. None when the store cannot say: then the object is
    not known to be anything.
    """

    key: str
    size: int
    content_type: str | None = None
    cache_control: str | None = None
    sha256: str | None = None
    etag: str | None = None
    modified: datetime | None = None


class Store(Protocol):
    """Keys are '/'-separated paths relative to the store's root (its folder or bucket prefix).

    get raises FileNotFoundError for a missing key; a put with if_match (an etag from head or
    get_with_info) or if_none_match=True raises WriteConflict when the condition does not hold.
    head reports the sha256 of the bytes as stored (see ObjectInfo).
    """

    url: str

    def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        cache_control: str | None = None,
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> ObjectInfo: ...

    def get(self, key: str) -> bytes: ...

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo] | None: ...

    def head(self, key: str) -> ObjectInfo | None: ...

    def list(self, prefix: str) -> Iterator[str]: ...

    def delete(self, key: str) -> None: ...

    def clock(self) -> datetime | None:
        """The store's own time (an S3 response's Date); None where it has no clock of its own."""
        ...

    def remove_partial_writes(self, prefix: str) -> int:
        """Remove what writers killed mid-put left under prefix (hidden from list); how many."""
        ...


@runtime_checkable
class Presigner(Protocol):
    """A store that can give out a link to one object, good for a while to whoever holds it: S3, no folder."""

    def presign_get(self, key: str, expires_in: int) -> str: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
