"""Content types and cache policies: what a browser, a CDN and a data reader are told per object.

Year files keep fixed names across corrections, so they are cached for an hour, not forever:
a correction reaches every reader within the hour. Pointers (releases.json, a year's
manifest.json) must never be served stale; archived manifests never change.
"""

from __future__ import annotations

from pathlib import PurePosixPath

CONTENT_TYPES: dict[str, str] = {
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jsonl": "application/x-ndjson",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}

STAGING_CACHE = "private, no-store"
PUBLIC_CACHE = "public, max-age=3600"
POINTER_CACHE = "no-cache"
ARCHIVE_CACHE = "public, max-age=31536000, immutable"


def content_type_for(key: str) -> str:
    """Refuse an unknown extension rather than publish it as application/octet-stream."""
    suffix = PurePosixPath(key).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise ValueError(f"{key!r}: no content type for {suffix or 'a name without extension'}")
    return CONTENT_TYPES[suffix]
