"""Release a staged year to public/: refused before its time, all or nothing, rerunnable.

Nothing in public/ is written until every check has passed (release time by this machine's
clock and by the store's own, candidate present, staged bytes matching candidate.json, tables
matching their schemas). What an earlier release killed mid-put left is removed. Then, in order: the
released manifest is archived (corrections only, see corrections.py), the year's files and
dataset parts are put (skipped when the stored bytes already match), public/<year>/manifest.json
is written conditionally, every object is read back and hashed, and only then does
public/releases.json move. Files of the year that the new manifest no longer lists are removed
last. A rerun repeats the same steps, so it finishes a release that died halfway; a rerun of a
complete release only reads and verifies, and writes nothing.

A correction overwrites the year's files in place, so while it runs a reader of the old
manifest may already see new bytes under the old names; releases.json moves only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from annual_review.clock import Clock
from annual_review.errors import ReleaseRefused
from annual_review.layout import (
    DATA,
    MANIFEST,
    MANIFESTS,
    PUBLIC,
    RELEASES_KEY,
    SITE,
    manifest_key,
    public_key,
    public_prefix,
    staging_prefix,
)
from annual_review.publish.candidate import Candidate, PublicObject, read_candidate, read_public_objects
from annual_review.publish.corrections import put_archive, released_history
from annual_review.publish.documents import FORMAT, FileEntry, dump_json, load_json, timestamp
from annual_review.publish.media import POINTER_CACHE, content_type_for
from annual_review.publish.parallel import run_parallel
from annual_review.publish.releases_index import read_index, update_index, with_year
from annual_review.publish.staging import put_if_changed
from annual_review.publish.verify import VerificationFailed, find_mismatches
from annual_review.store import ObjectInfo, Store, WriteConflict, sha256_hex
from annual_review.years import LONDON, BusinessYear

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
            "manifest": manifest_key(BusinessYear.parse(self.year)),
            "manifest_sha256": self.manifest_sha256,
            "files": self.files,
            "bytes": self.total_bytes,
            "written": self.written,
            "deleted": self.deleted,
        }


def release_year(
    store: Store,
    year: BusinessYear,
    *,
    release_time: datetime,
    clock: Clock,
    correction: bool = False,
) -> ReleaseResult:
    """Publish staging/<year>/ to public/<year>/ and move public/releases.json to it."""
    now = _check_release_time(store, year, release_time, clock)
    candidate = read_candidate(store, year)
    index, _ = read_index(store)
    released: dict[str, Any] | None = index.get("years", {}).get(year.label)
    site_owner = _site_owner(index, year)
    current = store.get_with_info(manifest_key(year))
    current_doc = _load_or_none(current[0]) if current else None
    same = current_doc is not None and current_doc.get("candidate_sha256") == candidate.sha256
    complete = (
        released is not None
        and current is not None
        and current_doc is not None
        and same
        and released.get("manifest_sha256") == sha256_hex(current[0])
    )
    if complete and released is not None and current_doc is not None:
        finished = _verify_finished(store, year, current_doc, released, site_owner)
        if finished is not None:
            return finished

    objects = read_public_objects(store, year, candidate)
    site = [obj.entry for obj in objects if obj.entry.key.startswith(SITE)]
    if site_owner is not None:  # public/site/ is the latest year's: an older year's release leaves it
        objects = [obj for obj in objects if not obj.entry.key.startswith(SITE)]
    rebuilt: bytes | None = None
    if released is not None and current is None:  # the manifest was lost: staging may rebuild it
        rebuilt = _rebuild_manifest(store, year, candidate, objects, site, released)
        same = True
    if released is not None and not same and not correction:
        raise ReleaseRefused(
            f"{year} was released at {released['released_at']} and {staging_prefix(year)} has changed "
            f"since ({_count_changes(current_doc, objects)}); release it as a correction"
        )
    released_at = str(current_doc["released_at"]) if same and current_doc else timestamp(now)
    previous: list[dict[str, Any]] = (
        list(current_doc.get("previous_releases", [])) if same and current_doc else []
    )
    listed = [obj.entry for obj in objects]
    if same and current_doc is not None and site_owner is not None:  # the site it was released with
        listed += [FileEntry.from_json(f) for f in current_doc["files"] if f["key"].startswith(SITE)]
    archive: tuple[str, bytes] | None = None
    if released is not None and not same:
        previous, archive = released_history(store, year, released, current)
    manifest_data = rebuilt or dump_json(_manifest(year, candidate, listed, released_at, previous))
    if released is not None and sha256_hex(manifest_data) != released["manifest_sha256"]:
        if not correction:  # never replace what releases.json (and a later year) names unless asked
            raise ReleaseRefused(
                f"releasing {year} again would change {manifest_key(year)}, which {RELEASES_KEY} names "
                f"(released at {released['released_at']}); release it as a correction"
            )
        if archive is None:
            previous, archive = released_history(store, year, released, current)
            manifest_data = dump_json(_manifest(year, candidate, listed, released_at, previous))

    store.remove_partial_writes(PUBLIC)
    written = put_archive(store, *archive) if archive else 0
    existing = {k for p in (public_prefix(year), PUBLIC + DATA, PUBLIC + SITE) for k in store.list(p)}
    written += sum(
        run_parallel(
            lambda o: put_if_changed(store, PUBLIC + o.entry.key, o.data, o.entry, o.cache_control, existing),
            objects,
        )
    )
    written += _put_manifest(store, year, manifest_data, current)
    checked = [obj.entry for obj in objects]
    checked.append(FileEntry.of(manifest_key(year).removeprefix(PUBLIC), manifest_data))
    if archive:
        checked.append(FileEntry.of(archive[0].removeprefix(PUBLIC), archive[1]))
    problems = find_mismatches(store, PUBLIC, checked)
    if problems:
        raise VerificationFailed(
            f"{len(problems)} object(s) of {year} differ from its manifest, e.g. {problems[0]}; "
            f"{RELEASES_KEY} was not moved: run release again"
        )

    manifest_sha = sha256_hex(manifest_data)
    moved = _point_releases_at(store, year, released, manifest_sha, released_at)
    deleted = _remove_stale(store, year, {PUBLIC + o.entry.key for o in objects})
    status: Status = "repaired" if written or deleted else "unchanged"
    if moved:
        status = "corrected" if released else "released"
    return ReleaseResult(
        year=year.label,
        status=status,
        released_at=datetime.fromisoformat(released_at),
        manifest_sha256=manifest_sha,
        files=len(objects),
        total_bytes=sum(o.entry.size for o in objects),
        written=written,
        deleted=deleted,
    )


def _check_release_time(store: Store, year: BusinessYear, release_time: datetime, clock: Clock) -> datetime:
    """Refuse while this machine's clock or the store's says it is early: a fast clock must not publish."""
    now = clock()
    if now < release_time:
        raise ReleaseRefused(
            f"{year} is not released until {_local(release_time)} (it is now {_local(now)}); "
            "nothing was published"
        )
    store_now = store.clock()
    if store_now is not None and store_now < release_time:
        raise ReleaseRefused(
            f"{year} is not released until {_local(release_time)}: the store's clock reads "
            f"{_local(store_now)}, this machine's {_local(now)} (is it fast?); nothing was published"
        )
    return now


def _site_owner(index: dict[str, Any], year: BusinessYear) -> str | None:
    """The released year, later than `year`, whose site public/site/ holds; None when `year` is the latest."""
    labels = [label for label in index.get("years", {}) if BusinessYear.parse(label) > year]
    return max(labels, key=BusinessYear.parse) if labels else None


def _verify_finished(
    store: Store,
    year: BusinessYear,
    manifest: dict[str, Any],
    released: dict[str, Any],
    site_owner: str | None,
) -> ReleaseResult | None:
    """A complete release, checked by reading only; None when anything needs writing. The site its
    manifest lists is not checked once a later year (`site_owner`) has released its own."""
    entries = [FileEntry.from_json(item) for item in manifest["files"]]
    checked = [e for e in entries if site_owner is None or not e.key.startswith(SITE)]
    listed = {PUBLIC + e.key for e in entries}
    if find_mismatches(store, PUBLIC, checked) or _stale_keys(store, year, listed):
        return None
    return ReleaseResult(
        year=year.label,
        status="unchanged",
        released_at=datetime.fromisoformat(manifest["released_at"]),
        manifest_sha256=released["manifest_sha256"],
        files=len(entries),
        total_bytes=sum(e.size for e in entries),
        written=0,
        deleted=0,
    )


def _rebuild_manifest(
    store: Store,
    year: BusinessYear,
    candidate: Candidate,
    objects: list[PublicObject],
    site: list[FileEntry],
    released: dict[str, Any],
) -> bytes:
    """The lost manifest, from the staged candidate, when that gives the very bytes releases.json
    names (with the site it was released with, or without); else one line saying what to restore."""
    archives = sorted(store.list(public_prefix(year) + MANIFESTS))
    previous: list[dict[str, Any]] = []
    if archives:
        last = store.get(archives[-1])
        doc = load_json(last)
        kept = {"manifest": archives[-1].removeprefix(PUBLIC), "manifest_sha256": sha256_hex(last)}
        previous = [*doc.get("previous_releases", []), {**kept, "released_at": doc["released_at"]}]
    entries = [obj.entry for obj in objects]
    for listed in (sorted([*entries, *site], key=lambda e: e.key), entries):
        data = dump_json(_manifest(year, candidate, listed, released["released_at"], previous))
        if sha256_hex(data) == released["manifest_sha256"]:
            return data
    raise ReleaseRefused(
        f"{manifest_key(year)} is missing and {staging_prefix(year)} no longer rebuilds it (the released "
        f"one has sha256 {released['manifest_sha256'][:12]}…): restore it (from a backup or the bucket's "
        "versions), then run release again"
    )


def _manifest(
    year: BusinessYear,
    candidate: Candidate,
    entries: list[FileEntry],
    released_at: str,
    previous: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "year": year.label,
        "generated_at": candidate.document["generated_at"],
        "released_at": released_at,
        "peer_method": candidate.document["peer_method"],
        "row_counts": candidate.document["row_counts"],
        "empty_exports": candidate.document.get("empty_exports", []),
        "candidate_sha256": candidate.sha256,
        "files": [entry.to_json() for entry in sorted(entries, key=lambda e: e.key)],
        "previous_releases": previous,
    }


def _put_manifest(
    store: Store, year: BusinessYear, data: bytes, current: tuple[bytes, ObjectInfo] | None
) -> int:
    """Conditional, so two releases of one year cannot each write their own manifest."""
    key = manifest_key(year)
    if current is not None and current[0] == data:
        return 0
    try:
        store.put(
            key,
            data,
            content_type=content_type_for(key),
            cache_control=POINTER_CACHE,
            if_match=current[1].etag if current else None,
            if_none_match=current is None,
        )
    except WriteConflict:
        message = f"another release of {year} wrote {key} meanwhile; run release again"
        raise ReleaseRefused(message) from None
    return 1


def _point_releases_at(
    store: Store, year: BusinessYear, released: dict[str, Any] | None, manifest_sha: str, released_at: str
) -> bool:
    """Move releases.json to this manifest, unless another release of the year got there first."""
    entry = {
        "manifest": public_key(year, MANIFEST),
        "manifest_sha256": manifest_sha,
        "released_at": released_at,
        "first_released_at": (released or {}).get("first_released_at", released_at),
    }

    def point(index: dict[str, Any]) -> dict[str, Any]:
        listed = index.get("years", {}).get(year.label)
        if listed not in (None, released) and listed.get("manifest_sha256") != manifest_sha:
            raise ReleaseRefused(f"another release of {year} was published while this one ran; run it again")
        return with_year(index, year.label, entry)

    return update_index(store, point)


def _stale_keys(store: Store, year: BusinessYear, listed: set[str]) -> list[str]:
    """Objects under public/<year>/ that the manifest does not list (archives excepted)."""
    prefix = public_prefix(year)
    keep = listed | {manifest_key(year)}
    return [k for k in store.list(prefix) if k not in keep and not k.startswith(prefix + MANIFESTS)]


def _remove_stale(store: Store, year: BusinessYear, listed: set[str]) -> int:
    """After the pointer moved: nobody is sent to these any more."""
    stale = _stale_keys(store, year, listed)
    run_parallel(store.delete, stale)
    return len(stale)


def _load_or_none(data: bytes) -> dict[str, Any] | None:
    try:
        return load_json(data)
    except ValueError:
        return None


def _count_changes(current_doc: dict[str, Any] | None, objects: list[PublicObject]) -> str:
    before = {(f["key"], f["sha256"]) for f in (current_doc or {}).get("files", [])}
    after = {(o.entry.key, o.entry.sha256) for o in objects}
    return f"{len({k for k, _ in before ^ after})} file(s) differ"


def _local(when: datetime) -> str:
    return when.astimezone(LONDON).strftime("%Y-%m-%d %H:%M %Z")
