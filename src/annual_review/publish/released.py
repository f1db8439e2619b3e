"""What an earlier release published, read back through the Store as a reader sees it.

A year's figures are compared with the previous year **as released** (contract section 7): the
public dataset part that public/releases.json vouches for, never another run's work folder or an
unreleased candidate. The read follows the pointer a website follows (releases.json → the year's
manifest → the part) and checks each step's sha256, so a correction caught halfway is not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from annual_review.errors import PipelineError, Transient
from annual_review.layout import (
    MANIFEST,
    PUBLIC,
    RELEASES,
    RELEASES_KEY,
    candidate_key,
    partition_key,
    public_key,
    staging_prefix,
    table_key,
)
from annual_review.publish.dataset import partition_part
from annual_review.publish.documents import load_json
from annual_review.publish.releases_index import read_index
from annual_review.store import Store, sha256_hex
from annual_review.years import BusinessYear


class ReleaseChanging(PipelineError, Transient):
    """The public objects disagree with their manifest: a release or correction is under way (retried,
    then one line)."""


class ReleaseDamaged(PipelineError):
    """A released object matches neither its manifest nor the staged candidate: damaged, not under way."""


@dataclass(frozen=True)
class ReleasedPart:
    """One table of a released year: its bytes, and which release they came from."""

    year: str
    table: str
    manifest_sha256: str
    released_at: str
    sha256: str
    data: bytes

    def record(self) -> dict[str, str]:
        """How a candidate names the release it was built on (no bytes)."""
        return {
            "year": self.year,
            "manifest": public_key(BusinessYear.parse(self.year), MANIFEST),
            "manifest_sha256": self.manifest_sha256,
            "released_at": self.released_at,
            "table": partition_key(self.table, BusinessYear.parse(self.year)),
            "sha256": self.sha256,
        }


def read_released_part(store: Store, year: BusinessYear, table: str) -> ReleasedPart | None:
    """The table of `year` as public/releases.json says it was released; None when it was not."""
    index, _ = read_index(store)
    entry = index.get("years", {}).get(year.label)
    if entry is None:
        return None
    manifest_key = PUBLIC + str(entry["manifest"])
    manifest_data = _get(store, manifest_key)
    if sha256_hex(manifest_data) != entry["manifest_sha256"]:
        raise ReleaseChanging(f"{manifest_key} is not the manifest {RELEASES} names: {_UNDER_WAY}")
    part = partition_key(table, year)
    listed = [f for f in load_json(manifest_data)["files"] if f["key"] == part]
    if not listed:
        raise ReleaseChanging(f"{manifest_key} lists no {part}: run `annual-review release --year {year}`")
    data = _get(store, PUBLIC + part)
    if sha256_hex(data) != listed[0]["sha256"]:
        if not _as_staged(store, year, table, data):
            raise ReleaseDamaged(
                f"{PUBLIC}{part} is damaged: its bytes match neither {manifest_key} nor "
                f"{staging_prefix(year)}; run `annual-review release --year {year}` to rewrite it, "
                "then run again"
            )
        raise ReleaseChanging(f"{PUBLIC}{part} differs from {manifest_key}: {_UNDER_WAY}")
    return ReleasedPart(
        year.label, table, entry["manifest_sha256"], entry["released_at"], listed[0]["sha256"], data
    )


def _as_staged(store: Store, year: BusinessYear, table: str, data: bytes) -> bool:
    """Whether `data` is the part the year's staged candidate releases: a correction copying it now."""
    try:
        candidate = load_json(store.get(candidate_key(year)))
        staged = store.get(staging_prefix(year) + table_key(table))
    except (FileNotFoundError, ValueError):
        return False
    listed = [f["sha256"] for f in candidate.get("files", []) if f.get("key") == table_key(table)]
    if listed != [sha256_hex(staged)]:
        return False
    try:
        return sha256_hex(partition_part(table, staged, year)) == sha256_hex(data)
    except PipelineError:
        return False


_UNDER_WAY = "a release of that year is under way (or died halfway: run `annual-review release` for it again)"


def _get(store: Store, key: str) -> bytes:
    try:
        return store.get(key)
    except FileNotFoundError:
        raise ReleaseChanging(f"{key} is missing although {RELEASES_KEY} lists its year") from None
