"""Release a staged year to public/: refused before its time, all or nothing, rerunnable.

Nothing in public/ is written until every check has passed (release time, candidate present,
staged bytes matching candidate.json, tables matching their schemas). Then, in order: the
released manifest is archived (corrections only), the year's files and dataset parts are put
(skipped when the stored bytes already match), public/<year>/manifest.json is written
conditionally, every object is read back and hashed, and only then does public/releases.json
move. Stale files of the year are removed last. A rerun repeats the same steps and so finishes
a release that died halfway, and writes nothing when the release is complete.

Corrections: the manifest that releases.json pointed at is kept, byte for byte, at
public/<year>/manifests/<released_at as 20200729T083000Z>.json, and the new manifest lists it
(with every earlier one) under "previous_releases". The year's files are overwritten in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from annual_review.clock import Clock
from annual_review.errors import PipelineError, ReleaseRefused
from annual_review.publish.dataset import partition_key, partition_part, table_key
from annual_review.publish.documents import (
    FORMAT,
    FileEntry,
    compact_stamp,
    dump_json,
    load_json,
    timestamp,
)
from annual_review.publish.media import ARCHIVE_CACHE, POINTER_CACHE, PUBLIC_CACHE, content_type_for
from annual_review.publish.parallel import run_parallel
from annual_review.publish.releases_index import read_index, update_index, with_year
from annual_review.publish.staging import candidate_key, staging_prefix
from annual_review.publish.verify import VerificationFailed, find_mismatches
from annual_review.store import ObjectInfo, Store, WriteConflict, sha256_hex
from annual_review.tables import SCHEMAS
from annual_review.years import LONDON, BusinessYear

PUBLIC = "public/"
Status = Literal["released", "corrected", "repaired", "unchanged"]


@dataclass(frozen=True)
class ReleaseResult:
    """What a release did; `written`/`deleted` count objects, so a no-op rerun shows 0 and 0."""

    year: str
    status: Status
    released_at: datetime
    manifest_sha256: str
    files: int
    total_bytes: int
    written: int
    deleted: int

    def summary(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "status": self.status,
            "released_at": timestamp(self.released_at),
            "manifest": f"{PUBLIC}{self.year}/manifest.json",
            "manifest_sha256": self.manifest_sha256,
            "files": self.files,
            "bytes": self.total_bytes,
            "written": self.written,
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class _Object:
    entry: FileEntry  # key relative to public/
    data: bytes
    cache_control: str


def manifest_key(year: BusinessYear) -> str:
    return f"{PUBLIC}{year.label}/manifest.json"


def release_year(
    store: Store,
    year: BusinessYear,
    *,
    release_time: datetime,
    clock: Clock,
    correction: bool = False,
) -> ReleaseResult:
    """Publish staging/<year>/ to public/<year>/ and move public/releases.json to it."""
    now = clock()
    if now < release_time:
        raise ReleaseRefused(
            f"{year} is not released until {_local(release_time)} (it is now {_local(now)}); "
            "nothing was published"
        )
    candidate, candidate_sha, objects = _read_staged(store, year)
    index, _ = read_index(store)
    released: dict[str, Any] | None = index.get("years", {}).get(year.label)
    current = store.get_with_info(manifest_key(year))
    current_doc = _load_or_none(current[0]) if current else None
    same = current_doc is not None and current_doc.get("candidate_sha256") == candidate_sha
    if released is not None and not same and not correction:
        raise ReleaseRefused(
            f"{year} was released at {released['released_at']} and staging/{year}/ has changed "
            f"since ({_count_changes(current_doc, objects)}); release it as a correction"
        )
    released_at = str(current_doc["released_at"]) if same and current_doc else timestamp(now)
    previous, archive = _history(store, year, released, current, current_doc, same)
    manifest = {
        "format": FORMAT,
        "year": year.label,
        "generated_at": candidate["generated_at"],
        "released_at": released_at,
        "peer_method": candidate["peer_method"],
        "row_counts": candidate["row_counts"],
        "candidate_sha256": candidate_sha,
        "files": [obj.entry.to_json() for obj in objects],
        "previous_releases": previous,
    }
    manifest_data = dump_json(manifest)
    manifest_sha = sha256_hex(manifest_data)

    written = _put_archive(store, *archive) if archive else 0
    written += sum(run_parallel(lambda obj: _put_if_changed(store, obj), objects))
    written += _put_manifest(store, year, manifest_data, current)
    checked = [obj.entry for obj in objects]
    checked.append(FileEntry.of(manifest_key(year).removeprefix(PUBLIC), manifest_data))
    if archive:
        checked.append(FileEntry.of(archive[0].removeprefix(PUBLIC), archive[1]))
    problems = find_mismatches(store, PUBLIC, checked)
    if problems:
        raise VerificationFailed(
            f"{len(problems)} object(s) of {year} differ from its manifest, e.g. {problems[0]}; "
            "public/releases.json was not moved: run release again"
        )

    entry = {
        "manifest": f"{year.label}/manifest.json",
        "manifest_sha256": manifest_sha,
        "released_at": released_at,
        "first_released_at": (released or {}).get("first_released_at", released_at),
    }

    def point_at_release(latest: dict[str, Any]) -> dict[str, Any]:
        now_listed = latest.get("years", {}).get(year.label)
        if now_listed not in (None, released) and now_listed.get("manifest_sha256") != manifest_sha:
            raise ReleaseRefused(
                f"another release of {year} was published while this one ran; run it again"
            )
        return with_year(latest, year.label, entry)

    moved = update_index(store, point_at_release)
    deleted = _remove_stale(store, year, objects)
    status: Status = (
        ("corrected" if released else "released") if moved
        else "repaired" if written or deleted else "unchanged"
    )
    return ReleaseResult(
        year=year.label, status=status, released_at=datetime.fromisoformat(released_at),
        manifest_sha256=manifest_sha, files=len(objects),
        total_bytes=sum(o.entry.size for o in objects),
        written=written, deleted=deleted,
    )


def _read_staged(store: Store, year: BusinessYear) -> tuple[dict[str, Any], str, list[_Object]]:
    """The candidate and every object it makes public, each checked before anything is written."""
    found = store.get_with_info(candidate_key(year))
    if found is None:
        raise ReleaseRefused(
            f"nothing is staged for {year} ({candidate_key(year)} is missing): "
            f"run `annual-review run --year {year}` first"
        )
    try:
        candidate = load_json(found[0])
        entries = [FileEntry.from_json(item) for item in candidate["files"]]
        if candidate["year"] != year.label:
            raise ValueError(f"it is for {candidate['year']}")
    except (ValueError, KeyError, TypeError) as error:
        message = f"{candidate_key(year)} is not a valid candidate ({error}); stage {year} again"
        raise ReleaseRefused(message) from None
    missing = sorted({table_key(t) for t in SCHEMAS} - {e.key for e in entries})
    if missing:
        message = f"the staged candidate for {year} lacks {', '.join(missing)}; stage it again"
        raise ReleaseRefused(message)

    def read(entry: FileEntry) -> bytes:
        key = staging_prefix(year) + entry.key
        try:
            data = store.get(key)
        except FileNotFoundError:
            message = f"{key} is listed in candidate.json but missing; stage {year} again"
            raise ReleaseRefused(message) from None
        if len(data) != entry.size or sha256_hex(data) != entry.sha256:
            raise ReleaseRefused(f"{key} differs from candidate.json; stage {year} again")
        return data

    staged = dict(zip((e.key for e in entries), run_parallel(read, entries), strict=True))
    objects = [
        _Object(
            FileEntry(f"{year.label}/{e.key}", e.sha256, e.size, content_type_for(e.key)),
            staged[e.key], PUBLIC_CACHE,
        )
        for e in entries
    ]
    for table in SCHEMAS:
        part = partition_part(table, staged[table_key(table)], year)
        objects.append(_Object(FileEntry.of(partition_key(table, year), part), part, PUBLIC_CACHE))
    return candidate, sha256_hex(found[0]), sorted(objects, key=lambda o: o.entry.key)


def _history(
    store: Store,
    year: BusinessYear,
    released: dict[str, Any] | None,
    current: tuple[bytes, ObjectInfo] | None,
    current_doc: dict[str, Any] | None,
    same: bool,
) -> tuple[list[dict[str, Any]], tuple[str, bytes] | None]:
    """The manifest's previous releases, and (for a correction) the manifest to archive."""
    if same and current_doc is not None:
        return list(current_doc.get("previous_releases", [])), None
    if released is None:
        return [], None
    released_sha = released["manifest_sha256"]
    archive_key = f"{PUBLIC}{year.label}/manifests/{compact_stamp(released['released_at'])}.json"
    if current is not None and sha256_hex(current[0]) == released_sha:
        released_data = current[0]
    else:
        archived = store.get_with_info(archive_key)
        if archived is None or sha256_hex(archived[0]) != released_sha:
            raise PipelineError(
                f"the released manifest of {year} (sha256 {released_sha[:12]}…) is neither "
                f"{manifest_key(year)} nor {archive_key}; restore it before a correction"
            )
        released_data = archived[0]
    earlier = list(load_json(released_data).get("previous_releases", []))
    kept = {
        "manifest": archive_key[len(PUBLIC):],
        "manifest_sha256": released_sha,
        "released_at": released["released_at"],
    }
    return [*earlier, kept], (archive_key, released_data)


def _put_archive(store: Store, key: str, data: bytes) -> int:
    info = store.head(key)
    if info is not None and info.sha256 == sha256_hex(data):
        return 0
    try:
        store.put(
            key, data, content_type=content_type_for(key), cache_control=ARCHIVE_CACHE,
            if_none_match=True,
        )
    except WriteConflict:
        raise PipelineError(f"{key} exists with other bytes; it must not be overwritten") from None
    return 1


def _put_if_changed(store: Store, obj: _Object) -> bool:
    """Hash the stored bytes, not the stored sha256: a damaged object must be rewritten on rerun."""
    key = PUBLIC + obj.entry.key
    found = store.get_with_info(key)
    if (
        found is not None
        and sha256_hex(found[0]) == obj.entry.sha256
        and found[1].content_type == obj.entry.content_type
        and found[1].cache_control == obj.cache_control
    ):
        return False
    store.put(key, obj.data, content_type=obj.entry.content_type, cache_control=obj.cache_control)
    return True


def _put_manifest(
    store: Store, year: BusinessYear, data: bytes, current: tuple[bytes, ObjectInfo] | None
) -> int:
    """Conditional, so two releases of one year cannot each write their own manifest."""
    key = manifest_key(year)
    if current is not None and current[0] == data:
        return 0
    try:
        store.put(
            key, data, content_type=content_type_for(key), cache_control=POINTER_CACHE,
            if_match=current[1].etag if current else None, if_none_match=current is None,
        )
    except WriteConflict:
        message = f"another release of {year} wrote {key} meanwhile; run release again"
        raise ReleaseRefused(message) from None
    return 1


def _remove_stale(store: Store, year: BusinessYear, objects: list[_Object]) -> int:
    """Files of an earlier candidate that this release no longer lists (after the pointer moved)."""
    prefix = f"{PUBLIC}{year.label}/"
    keep = {PUBLIC + o.entry.key for o in objects} | {manifest_key(year)}
    archived = prefix + "manifests/"
    stale = [k for k in store.list(prefix) if k not in keep and not k.startswith(archived)]
    run_parallel(store.delete, stale)
    return len(stale)


def _load_or_none(data: bytes) -> dict[str, Any] | None:
    try:
        return load_json(data)
    except ValueError:
        return None


def _count_changes(current_doc: dict[str, Any] | None, objects: list[_Object]) -> str:
    before = {(f["key"], f["sha256"]) for f in (current_doc or {}).get("files", [])}
    after = {(o.entry.key, o.entry.sha256) for o in objects}
    return f"{len({k for k, _ in before ^ after})} file(s) differ"


def _local(when: datetime) -> str:
    return when.astimezone(LONDON).strftime("%Y-%m-%d %H:%M %Z")
