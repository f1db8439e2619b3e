"""Corrections keep what was released: the replaced manifest stays, byte for byte, in manifests/.

public/<year>/manifests/<released_at as 20200729T083000Z>.json holds each manifest that
releases.json once pointed at; the current manifest lists them all under "previous_releases"
(oldest first, each with its key relative to public/, sha256 and released time).
"""

from __future__ import annotations

from typing import Any

from annual_review.errors import PipelineError
from annual_review.layout import PUBLIC, archive_key, manifest_key
from annual_review.publish.documents import load_json
from annual_review.publish.media import ARCHIVE_CACHE, content_type_for
from annual_review.store import ObjectInfo, Store, WriteConflict, sha256_hex
from annual_review.years import BusinessYear


def released_history(
    store: Store,
    year: BusinessYear,
    released: dict[str, Any],
    current: tuple[bytes, ObjectInfo] | None,
) -> tuple[list[dict[str, Any]], tuple[str, bytes]]:
    """The new manifest's previous releases, and the (key, bytes) of the manifest to archive."""
    released_sha = released["manifest_sha256"]
    key = archive_key(year, released["released_at"])
    if current is not None and sha256_hex(current[0]) == released_sha:
        released_data = current[0]
    else:  # a correction that died after archiving: the archive is the released manifest
        archived = store.get_with_info(key)
        if archived is None or sha256_hex(archived[0]) != released_sha:
            raise PipelineError(
                f"the released manifest of {year} (sha256 {released_sha[:12]}…) is neither "
                f"{manifest_key(year)} nor {key}; restore it before a correction"
            )
        released_data = archived[0]
    earlier = list(load_json(released_data).get("previous_releases", []))
    kept = {
        "manifest": key.removeprefix(PUBLIC),
        "manifest_sha256": released_sha,
        "released_at": released["released_at"],
    }
    return [*earlier, kept], (key, released_data)


def put_archive(store: Store, key: str, data: bytes) -> int:
    """Write once (If-None-Match); an archive with other bytes is never overwritten."""
    info = store.head(key)
    if info is not None and info.sha256 == sha256_hex(data):
        return 0
    try:
        store.put(
            key, data, content_type=content_type_for(key), cache_control=ARCHIVE_CACHE, if_none_match=True
        )
    except WriteConflict:
        raise PipelineError(f"{key} exists with other bytes; it must not be overwritten") from None
    return 1
