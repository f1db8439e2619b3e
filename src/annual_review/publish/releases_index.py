"""public/releases.json: the one pointer readers follow, moved last, by a conditional write only.

Layout: {"format": 1, "latest": "2020-21", "years": {"2019-20": {"manifest":
"2019-20/manifest.json", "manifest_sha256": "...", "released_at": "...Z", "first_released_at":
"...Z"}}}; keys are relative to public/. The write carries If-Match on the ETag read
(If-None-Match: * when there was none), so of two releases that read the same state only one
can move it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annual_review.errors import PipelineError
from annual_review.layout import RELEASES_KEY
from annual_review.publish.documents import FORMAT, dump_json, load_json
from annual_review.publish.media import POINTER_CACHE, content_type_for
from annual_review.store import Store, WriteConflict
from annual_review.years import BusinessYear

ATTEMPTS = 5


def empty_index() -> dict[str, Any]:
    return {"format": FORMAT, "latest": None, "years": {}}


def read_index(store: Store) -> tuple[dict[str, Any], str | None]:
    """The index and its ETag; an empty index and None before the first release."""
    found = store.get_with_info(RELEASES_KEY)
    if found is None:
        return empty_index(), None
    try:
        return load_json(found[0]), found[1].etag
    except ValueError as error:
        message = f"{RELEASES_KEY} is not valid JSON ({error}); restore it first"
        raise PipelineError(message) from None


def with_year(index: dict[str, Any], year: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A new index with the year's entry set and `latest` the latest business year."""
    years = {**index.get("years", {}), year: entry}
    latest = max(years, key=lambda label: BusinessYear.parse(label))
    return {**index, "format": FORMAT, "years": dict(sorted(years.items())), "latest": latest}


def update_index(store: Store, change: Callable[[dict[str, Any]], dict[str, Any]]) -> bool:
    """Apply change to the current index and write it conditionally; False when nothing changed.

    On a lost race the index is read again and change applied again: change must be a function
    of the index it is given (and may raise to give up).
    """
    for _ in range(ATTEMPTS):
        index, etag = read_index(store)
        updated = change(index)
        if etag is not None and updated == index:
            return False
        try:
            store.put(
                RELEASES_KEY,
                dump_json(updated),
                content_type=content_type_for(RELEASES_KEY),
                cache_control=POINTER_CACHE,
                if_match=etag,
                if_none_match=etag is None,
            )
        except WriteConflict:
            continue
        return True
    raise PipelineError(f"{RELEASES_KEY} kept changing under this release; run it again")
