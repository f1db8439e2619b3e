"""Stage a year's release candidate under staging/<year>/: private, complete, and rerunnable.

staging/<year>/candidate.json is written last and removed first when the candidate changes,
so a candidate exists only when every file it lists is in place. Restaging the same files
writes nothing: puts are skipped when the store's own sha256 of what it holds already matches
(the rule release checks by too, so a damaged file is rewritten, never skipped), and the
earlier generated time is kept. What a writer killed mid-put left is removed first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annual_review.clock import Clock
from annual_review.layout import access_log_key, candidate_key, staging_prefix
from annual_review.publish.documents import (
    FORMAT,
    FileEntry,
    check_relative_key,
    dump_json,
    load_json,
    timestamp,
)
from annual_review.publish.media import STAGING_CACHE, content_type_for
from annual_review.publish.parallel import run_parallel
from annual_review.store import Store
from annual_review.years import BusinessYear
from transforms.vocab import PEER_METHODS


def stage_release(
    store: Store,
    year: BusinessYear,
    files: Mapping[str, bytes],
    *,
    row_counts: Mapping[str, int],
    peer_method: str,
    clock: Clock,
    previous_year: Mapping[str, Any] | None = None,
    empty_exports: Sequence[str] = (),
) -> dict[str, Any]:
    """Write the candidate and return its candidate.json document.

    `previous_year` records which release of the year before its figures were compared with;
    `empty_exports` names the exports that had no rows for the year, as the operator allowed.
    """
    if peer_method not in PEER_METHODS:
        raise ValueError(f"peer method {peer_method!r} is not one of {', '.join(PEER_METHODS)}")
    if not files:
        raise ValueError(f"nothing to stage for {year}")
    entries = sorted(FileEntry.of(check_relative_key(key), data) for key, data in files.items())
    body: dict[str, Any] = {
        "format": FORMAT,
        "year": year.label,
        "peer_method": peer_method,
        "row_counts": {table: int(count) for table, count in sorted(row_counts.items())},
        "previous_year": dict(previous_year) if previous_year is not None else None,
        "empty_exports": sorted(empty_exports),
        "files": [entry.to_json() for entry in entries],
    }
    previous, previous_data = _previous_candidate(store, year)
    unchanged = previous is not None and {**previous, "generated_at": None} == {**body, "generated_at": None}
    generated_at = previous["generated_at"] if unchanged and previous else timestamp(clock())
    document = {**body, "generated_at": generated_at}
    data = dump_json(document)
    prefix = staging_prefix(year)
    store.remove_partial_writes(prefix)

    if previous is not None and not unchanged:
        store.delete(candidate_key(year))

    existing = set(store.list(prefix))  # one listing spares a HEAD per new file

    run_parallel(
        lambda e: put_if_changed(store, prefix + e.key, files[e.key], e, STAGING_CACHE, existing), entries
    )
    wanted = {prefix + entry.key for entry in entries} | {candidate_key(year), access_log_key(year)}
    run_parallel(store.delete, sorted(existing - wanted))
    if data != previous_data:
        store.put(
            candidate_key(year),
            data,
            content_type=content_type_for(candidate_key(year)),
            cache_control=STAGING_CACHE,
        )
    return document


def _previous_candidate(store: Store, year: BusinessYear) -> tuple[dict[str, Any] | None, bytes]:
    found = store.get_with_info(candidate_key(year))
    if found is None:
        return None, b""
    try:
        return load_json(found[0]), found[0]
    except ValueError:
        return None, found[0]


def put_if_changed(
    store: Store, key: str, data: bytes, entry: FileEntry, cache_control: str, existing: set[str]
) -> bool:
    """The one rule of staging and release: the store's own sha256 of what it holds (S3 ChecksumMode, a
    folder rehashes), its type and caching must match, or the object is written again (a damaged one too)."""
    info = store.head(key) if key in existing else None
    if (
        info is not None
        and info.sha256 == entry.sha256
        and info.content_type == entry.content_type
        and info.cache_control == cache_control
    ):
        return False
    store.put(key, data, content_type=entry.content_type, cache_control=cache_control)
    return True
