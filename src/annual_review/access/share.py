"""`annual-review share`: each council's private early links to its own staged letter, and a record of it.

The links are S3 presigned GETs of staging/<year>/letters/<code>.html|.pdf: they work for whoever
holds them until they expire, which is at the release time or after 7 days (SigV4's limit),
whichever is first, or earlier when asked. The links go to a CSV for the mail merge, outside the
store; the store keeps only who was given access and when (staging/<year>/access-log.jsonl,
appended by conditional writes), as the Code of Practice for Statistics (T3.3) asks.
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from annual_review.atomic import write_atomic
from annual_review.clock import Clock
from annual_review.errors import PipelineError
from annual_review.layout import LETTER_FORMATS, LETTERS, access_log_key, staging_prefix, table_key
from annual_review.publish.candidate import Candidate, read_candidate
from annual_review.publish.documents import timestamp
from annual_review.publish.media import STAGING_CACHE, content_type_for
from annual_review.publish.releases_index import read_index
from annual_review.store import Presigner, Store, WriteConflict
from annual_review.years import LONDON, BusinessYear

LONGEST = timedelta(days=7)  # a SigV4 presigned URL lives 7 days at most
RECIPIENT = ("authority_code", "authority_name", "chief_executive")
CSV_COLUMNS = (*RECIPIENT, *(f"{fmt}_url" for fmt in LETTER_FORMATS), "expires_at")
ATTEMPTS = 10
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Shared:
    """What a share did: how many authorities got links, until when, and where the record is."""

    year: str
    authorities: int
    links: int
    expires_at: datetime
    csv: Path
    access_log: str


def link_expiry(
    year: BusinessYear, now: datetime, release_time: datetime, until: datetime | None
) -> datetime:
    """The release time or 7 days from now, whichever is first; `until` may only bring it forward."""
    if now >= release_time:
        raise PipelineError(f"{year} was due for release at {_local(release_time)}: share refuses after it")
    latest = min(release_time, now + LONGEST)
    if until is None:
        return latest
    if until <= now:
        raise PipelineError(f"--until {_local(until)} has already passed")
    if until > latest:
        raise PipelineError(
            f"--until {_local(until)} is after {_local(latest)}: links expire no later than the "
            "release time and within 7 days"
        )
    return until


def share_letters(
    store: Store,
    year: BusinessYear,
    *,
    release_time: datetime,
    clock: Clock,
    csv_path: Path,
    shared_by: str,
    until: datetime | None = None,
) -> Shared:
    """Links for every authority with a staged letter; the access record first, then the CSV."""
    if not isinstance(store, Presigner):
        raise PipelineError(
            f"share needs an S3 store (s3://bucket/prefix): {store.url} is a local folder, "
            "which has no private links to give"
        )
    released = read_index(store)[0].get("years", {}).get(year.label)
    if released is not None:
        raise PipelineError(f"{year} was released at {released['released_at']}: its letters are public")
    if not csv_path.parent.is_dir():
        raise PipelineError(f"--csv {csv_path}: the folder {csv_path.parent} does not exist")
    now = clock()
    expires_at = link_expiry(year, now, release_time, until)
    candidate = read_candidate(store, year)
    letters = _staged_letters(candidate)
    if not letters:
        raise PipelineError(f"no letters are staged for {year}: run it with --formats html,pdf")
    people = _addressees(store, year)
    seconds = int((expires_at - now).total_seconds())
    if seconds < 1:
        raise PipelineError(f"the links would expire at once ({_local(expires_at)})")
    rows = []
    for code, files in sorted(letters.items()):
        name, chief = people.get(code, ("", ""))
        urls = {f: _sign(store, staging_prefix(year) + files[f], seconds, expires_at) for f in files}
        ends = min(_expiry_of(url) for url in urls.values())
        row = {"authority_code": code, "authority_name": name, "chief_executive": chief}
        row |= {f"{f}_url": urls.get(f, "") for f in LETTER_FORMATS}
        rows.append({**row, "expires_at": timestamp(ends)})
    record = {
        "shared_at": timestamp(now),
        "shared_by": shared_by,
        "year": year.label,
        "expires_at": timestamp(expires_at),
        "candidate_sha256": candidate.sha256,
        "recipients": [{k: r[k] for k in RECIPIENT} for r in rows],
    }
    log_key = access_log_key(year)
    append_record(store, log_key, record)
    # Whole or not at all, and readable by its owner only: the links open the letters.
    write_atomic(csv_path, _csv_bytes(rows), private=True)
    return Shared(year.label, len(rows), sum(len(u) for u in letters.values()), expires_at, csv_path, log_key)


def _staged_letters(candidate: Candidate) -> dict[str, dict[str, str]]:
    letters: dict[str, dict[str, str]] = {}
    for entry in candidate.entries:
        path = PurePosixPath(entry.key)
        if entry.key.startswith(LETTERS) and len(path.parts) == 2 and path.suffix[1:] in LETTER_FORMATS:
            letters.setdefault(path.stem, {})[path.suffix[1:]] = entry.key
    return letters


def _addressees(store: Store, year: BusinessYear) -> dict[str, tuple[str, str]]:
    """Name and chief executive per authority, from the staged authorities table."""
    data = store.get(staging_prefix(year) + table_key("authorities"))
    table = pq.read_table(pa.BufferReader(data), columns=list(CSV_COLUMNS[:3]))
    columns = table.to_pydict()
    return {
        code: (name, chief)
        for code, name, chief in zip(
            columns["authority_code"], columns["authority_name"], columns["chief_executive"], strict=True
        )
    }


def _sign(store: Presigner, key: str, seconds: int, latest: datetime) -> str:
    """A link whose own expiry (its X-Amz-Date + X-Amz-Expires) is never after `latest`."""
    url = store.presign_get(key, seconds)
    over = (_expiry_of(url) - latest).total_seconds()
    if over > 0:  # the signer's clock ticked into the next second: take it off the lifetime
        url = store.presign_get(key, seconds - int(over + 0.999))
    return url


def _expiry_of(url: str) -> datetime:
    query = parse_qs(urlsplit(url).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return signed + timedelta(seconds=int(query["X-Amz-Expires"][0]))


def append_record(store: Store, key: str, record: Mapping[str, Any]) -> None:
    """Append one JSON line; a conditional put, read again on a lost race, so no record is lost."""
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode()
    for attempt in range(ATTEMPTS):
        found = store.get_with_info(key)
        try:
            store.put(
                key,
                (found[0] if found else b"") + line,
                content_type=content_type_for(key),
                cache_control=STAGING_CACHE,
                if_match=found[1].etag if found else None,
                if_none_match=found is None,
            )
        except WriteConflict:
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))  # let the other writer finish
            continue
        return
    raise PipelineError(f"{key} kept changing while this share wrote to it; run share again")


def spreadsheet_text(cell: str) -> str:
    """A text cell a spreadsheet shows as written: a leading quote where it would start a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """Every cell quoted (no locale's separator splits one); names as the export gave them, never formulas."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows({**row, **{k: spreadsheet_text(row[k]) for k in RECIPIENT}} for row in rows)
    return text.getvalue().encode()


def _local(when: datetime) -> str:
    return when.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S %Z")
