"""The staged candidate as a release reads it: checked whole before anything public is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annual_review.errors import ReleaseRefused
from annual_review.layout import (
    CANDIDATE,
    candidate_key,
    partition_key,
    public_key,
    staging_prefix,
    table_key,
)
from annual_review.publish.dataset import partition_part
from annual_review.publish.documents import FileEntry, load_json
from annual_review.publish.media import PUBLIC_CACHE, content_type_for
from annual_review.publish.parallel import run_parallel
from annual_review.store import Store, sha256_hex
from annual_review.tables import SCHEMAS
from annual_review.years import BusinessYear


@dataclass(frozen=True)
class Candidate:
    """staging/<year>/candidate.json, parsed; `sha256` (of its bytes) names it in the manifest."""

    document: dict[str, Any]
    sha256: str
    entries: list[FileEntry]


@dataclass(frozen=True)
class PublicObject:
    """One object a release puts under public/; the entry's key is relative to public/."""

    entry: FileEntry
    data: bytes
    cache_control: str


def read_candidate(store: Store, year: BusinessYear) -> Candidate:
    """Refuse (nothing written) when nothing is staged or the candidate is incomplete."""
    found = store.get_with_info(candidate_key(year))
    if found is None:
        raise ReleaseRefused(
            f"nothing is staged for {year} ({candidate_key(year)} is missing): "
            f"run `annual-review run --year {year}` first"
        )
    try:
        document = load_json(found[0])
        entries = [FileEntry.from_json(item) for item in document["files"]]
        if document["year"] != year.label:
            raise ValueError(f"it is for {document['year']}")
        absent = {"generated_at", "peer_method", "row_counts"} - document.keys()
        if absent:
            raise ValueError(f"it lacks {', '.join(sorted(absent))}")
    except (ValueError, KeyError, TypeError) as error:
        message = f"{candidate_key(year)} is not a valid candidate ({error}); stage {year} again"
        raise ReleaseRefused(message) from None
    missing = sorted({table_key(t) for t in SCHEMAS} - {e.key for e in entries})
    if missing:
        message = f"the staged candidate for {year} lacks {', '.join(missing)}; stage it again"
        raise ReleaseRefused(message)
    return Candidate(document, sha256_hex(found[0]), entries)


def read_public_objects(store: Store, year: BusinessYear, candidate: Candidate) -> list[PublicObject]:
    """Every staged file (its bytes checked against candidate.json) and the year's dataset parts."""

    def read(entry: FileEntry) -> bytes:
        key = staging_prefix(year) + entry.key
        try:
            data = store.get(key)
        except FileNotFoundError:
            message = f"{key} is listed in {CANDIDATE} but missing; stage {year} again"
            raise ReleaseRefused(message) from None
        if len(data) != entry.size or sha256_hex(data) != entry.sha256:
            raise ReleaseRefused(f"{key} differs from {CANDIDATE}; stage {year} again")
        return data

    staged = dict(zip((e.key for e in candidate.entries), run_parallel(read, candidate.entries), strict=True))
    objects = [
        PublicObject(
            FileEntry(public_key(year, e.key), e.sha256, e.size, content_type_for(e.key)),
            staged[e.key],
            PUBLIC_CACHE,
        )
        for e in candidate.entries
    ]
    for table in SCHEMAS:
        part = partition_part(table, staged[table_key(table)], year)
        objects.append(PublicObject(FileEntry.of(partition_key(table, year), part), part, PUBLIC_CACHE))
    return sorted(objects, key=lambda o: o.entry.key)
