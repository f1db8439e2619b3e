"""What the pipeline asks of an object store; each backend implements exactly this."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str | None = None


class Store(Protocol):
    """Keys are '/'-separated paths relative to the store's root (its folder or bucket prefix)."""

    url: str

    def put(self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None) -> None: ...

    def get(self, key: str) -> bytes: ...

    def head(self, key: str) -> ObjectInfo | None: ...

    def list(self, prefix: str) -> Iterator[str]: ...

    def delete(self, key: str) -> None: ...


def open_store(url: str) -> Store:
    """'s3://bucket/prefix' opens S3; anything else is a local folder."""
    if url.startswith("s3://"):
        from annual_review.store.s3 import S3Store

        return S3Store.from_url(url)
    from annual_review.store.local import LocalStore

    return LocalStore(url)
