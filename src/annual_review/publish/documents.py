"""The JSON documents of a release (candidate, manifest, releases index), written byte-stably."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annual_review.layout import CANDIDATE, MANIFEST, MANIFESTS, WEBSITE_INDEX
from annual_review.publish.media import content_type_for
from annual_review.store import sha256_hex

FORMAT = 1
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.=-]*$")


@dataclass(frozen=True, order=True)
class FileEntry:
    """One object of a release as the manifest lists it."""

    key: str
    sha256: str
    size: int
    content_type: str

    @classmethod
    def of(cls, key: str, data: bytes) -> FileEntry:
        return cls(key, sha256_hex(data), len(data), content_type_for(key))

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> FileEntry:
        return cls(str(doc["key"]), str(doc["sha256"]), int(doc["bytes"]), str(doc["content_type"]))

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "sha256": self.sha256,
            "bytes": self.size,
            "content_type": self.content_type,
        }


def check_relative_key(key: str) -> str:
    """Keys name objects under staging/ and public/: no escaping, no hidden or odd names."""
    parts = key.split("/")
    if not all(_SEGMENT.match(part) for part in parts) or ".." in key:
        raise ValueError(f"{key!r} is not a release file key (like {WEBSITE_INDEX})")
    if key in {CANDIDATE, MANIFEST} or parts[0] == MANIFESTS.removesuffix("/"):
        raise ValueError(f"{key!r} is reserved for the release's own documents")
    return key


def dump_json(doc: Mapping[str, Any]) -> bytes:
    """Sorted keys and a fixed layout, so the same document is always the same bytes."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def load_json(data: bytes) -> dict[str, Any]:
    doc = json.loads(data)
    if not isinstance(doc, dict):
        raise ValueError("expected a JSON object")
    return doc


def timestamp(when: datetime) -> str:
    """UTC, to the second: '2020-07-29T08:30:00Z'."""
    if when.tzinfo is None:
        raise ValueError("a timestamp needs a timezone-aware datetime")
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
