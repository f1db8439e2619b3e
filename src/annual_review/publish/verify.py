"""Read every object of a release back and compare it with what the manifest promises."""

from __future__ import annotations

from collections.abc import Iterable

from annual_review.errors import PipelineError, Transient
from annual_review.publish.documents import FileEntry
from annual_review.publish.parallel import run_parallel
from annual_review.store import Store, sha256_hex


class VerificationFailed(PipelineError, Transient):
    """Objects in public/ differ from the manifest; releases.json was not moved, and a rerun rewrites them."""


def find_mismatches(store: Store, prefix: str, entries: Iterable[FileEntry]) -> list[str]:
    """One line per object that is missing or whose bytes do not hash to the manifest's sha256."""

    def check(entry: FileEntry) -> str | None:
        key = prefix + entry.key
        try:
            data = store.get(key)
        except FileNotFoundError:
            return f"{key}: missing"
        digest = sha256_hex(data)
        if len(data) != entry.size or digest != entry.sha256:
            return f"{key}: sha256 {digest[:12]}…, {len(data)} bytes; expected {entry.sha256[:12]}…"
        return None

    return [problem for problem in run_parallel(check, list(entries)) if problem is not None]
