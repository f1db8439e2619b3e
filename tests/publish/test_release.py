"""Release: refused before its time, complete and verified at it, and a no-op when run again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from annual_review.errors import ReleaseRefused
from annual_review.publish.media import ARCHIVE_CACHE, POINTER_CACHE, PUBLIC_CACHE
from annual_review.publish.release import ReleaseResult, release_year
from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.tables import SCHEMAS
from annual_review.years import BusinessYear
from tests.helpers.release_fixtures import RecordingStore, at, candidate_files, snapshot, stage


def release(store: Store, year: BusinessYear, minutes: int = 0, **options: bool) -> ReleaseResult:
    return release_year(
        store, year, release_time=year.default_release_time(), clock=at(year, minutes), **options
    )


def manifest(store: Store, year: BusinessYear) -> dict:  # type: ignore[type-arg]
    return json.loads(store.get(f"public/{year}/manifest.json"))


def releases(store: Store) -> dict:  # type: ignore[type-arg]
    return json.loads(store.get("public/releases.json"))


def test_refused_before_the_release_time_with_public_untouched(store: Store, year: BusinessYear) -> None:
    earlier = BusinessYear.parse("2018-19")
    stage(store, earlier)
    release(store, earlier)
    stage(store, year)
    before = snapshot(store)

    with pytest.raises(ReleaseRefused, match=r"2019-20 is not released until 2020-07-29 09:30 BST"):
        release(store, year, minutes=-1)

    assert snapshot(store) == before


def test_refused_when_nothing_is_staged(store: Store, year: BusinessYear) -> None:
    with pytest.raises(ReleaseRefused, match="nothing is staged for 2019-20"):
        release(store, year)
    assert list(store.list("public/")) == []


def test_release_at_the_time_publishes_every_file_verified(store: Store, year: BusinessYear) -> None:
    files = candidate_files(year)
    stage(store, year)

    result = release(store, year)

    listed = manifest(store, year)
    assert result.status == "released" and result.files == len(files) + len(SCHEMAS)
    assert listed["released_at"] == "2020-07-29T08:30:00Z"
    assert listed["generated_at"] == "2020-07-22T08:30:00Z"
    assert listed["peer_method"] == "mean"
    assert listed["row_counts"] == {t: 2 for t in sorted(SCHEMAS)}
    keys = {entry["key"] for entry in listed["files"]}
    assert keys == {f"2019-20/{k}" for k in files} | {
        f"data/{t}/year=2019-20/part-0.parquet" for t in SCHEMAS
    }
    for entry in listed["files"]:
        data = store.get(f"public/{entry['key']}")
        info = store.head(f"public/{entry['key']}")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
        assert info is not None and info.content_type == entry["content_type"]
        assert info.cache_control == PUBLIC_CACHE
    for key, data in files.items():
        assert store.get(f"public/2019-20/{key}") == data
    manifest_bytes = store.get("public/2019-20/manifest.json")
    assert releases(store) == {
        "format": 1,
        "latest": "2019-20",
        "years": {
            "2019-20": {
                "manifest": "2019-20/manifest.json",
                "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                "released_at": "2020-07-29T08:30:00Z",
                "first_released_at": "2020-07-29T08:30:00Z",
            }
        },
    }
    pointer = store.head("public/releases.json")
    assert pointer is not None and pointer.cache_control == POINTER_CACHE
    assert pointer.content_type == "application/json"
    assert list(store.list("staging/2019-20/"))  # staging stays as it was


def test_rerunning_a_finished_release_changes_nothing(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    first = release(store, year)
    before = snapshot(store)
    recording = RecordingStore(store)

    again = release(recording, year, minutes=60 * 24)

    assert (again.status, again.written, again.deleted) == ("unchanged", 0, 0)
    assert recording.puts == [] and recording.deletes == []
    assert again.released_at == first.released_at
    assert snapshot(store) == before


def test_a_changed_candidate_is_refused_without_correction(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    release(store, year)
    stage(store, year, variant=1, clock=at(year, 60))
    before = snapshot(store)

    with pytest.raises(ReleaseRefused, match=r"2019-20 was released at .* as a correction"):
        release(store, year, minutes=120)

    assert snapshot(store) == before


def test_a_correction_republishes_and_keeps_the_earlier_manifest(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    release(store, year)
    first_manifest = store.get("public/2019-20/manifest.json")
    files = candidate_files(year, variant=1)
    del files["letters/E07000155.pdf"]
    stage(store, year, files=files, clock=at(year, 60))

    result = release(store, year, minutes=120, correction=True)

    archive = "public/2019-20/manifests/20200729T083000Z.json"
    assert result.status == "corrected"
    assert store.get(archive) == first_manifest
    assert store.head(archive).cache_control == ARCHIVE_CACHE  # type: ignore[union-attr]
    current = manifest(store, year)
    assert current["released_at"] == "2020-07-29T10:30:00Z"
    assert current["previous_releases"] == [
        {
            "manifest": "2019-20/manifests/20200729T083000Z.json",
            "manifest_sha256": hashlib.sha256(first_manifest).hexdigest(),
            "released_at": "2020-07-29T08:30:00Z",
        }
    ]
    entry = releases(store)["years"]["2019-20"]
    assert entry["released_at"] == "2020-07-29T10:30:00Z"
    assert entry["first_released_at"] == "2020-07-29T08:30:00Z"
    assert store.head("public/2019-20/letters/E07000155.pdf") is None
    assert store.get("public/2019-20/letters/E07000154.pdf") == files["letters/E07000154.pdf"]
    before = snapshot(store)
    assert release(store, year, minutes=180).status == "unchanged"
    assert release(store, year, minutes=180, correction=True).status == "unchanged"
    assert snapshot(store) == before


def test_a_second_correction_keeps_both_earlier_manifests(store: Store, year: BusinessYear) -> None:
    for variant, minutes in [(0, 0), (1, 60), (2, 120)]:
        stage(store, year, variant=variant, clock=at(year, minutes - 1))
        release(store, year, minutes=minutes, correction=variant > 0)

    previous = manifest(store, year)["previous_releases"]
    assert [p["released_at"] for p in previous] == ["2020-07-29T08:30:00Z", "2020-07-29T09:30:00Z"]
    for earlier in previous:
        data = store.get(f"public/{earlier['manifest']}")
        assert hashlib.sha256(data).hexdigest() == earlier["manifest_sha256"]


def test_two_years_read_as_one_hive_dataset(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    years = [BusinessYear.parse("2019-20"), BusinessYear.parse("2020-21")]
    for y in years:
        stage(store, y)
        release(store, y)

    dataset = ds.dataset(tmp_path / "public/data/decisions", partitioning="hive")
    table = dataset.to_table()

    assert dataset.schema.field("year").type == pa.string()
    assert sorted(table.column("year").to_pylist()) == ["2019-20"] * 2 + ["2020-21"] * 2
    assert set(dataset.schema.names) == set(SCHEMAS["decisions"].names)
    part = pq.read_table(tmp_path / "public/data/decisions/year=2019-20/part-0.parquet")
    assert "year" not in part.column_names
    assert releases(store)["latest"] == "2020-21"
    assert set(releases(store)["years"]) == {"2019-20", "2020-21"}


def test_a_candidate_missing_a_table_is_refused(store: Store, year: BusinessYear) -> None:
    files = candidate_files(year)
    del files["data/rejects.parquet"]
    stage(store, year, files=files)

    with pytest.raises(ReleaseRefused, match=r"lacks data/rejects\.parquet"):
        release(store, year)
    assert list(store.list("public/")) == []


def test_a_table_off_its_schema_is_refused(store: Store, year: BusinessYear) -> None:
    files = candidate_files(year)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"year": ["2019-20"], "case_ref": ["X"]}), sink)
    files["data/decisions.parquet"] = sink.getvalue().to_pybytes()
    stage(store, year, files=files)

    with pytest.raises(ReleaseRefused, match="does not match the decisions schema"):
        release(store, year)
    assert list(store.list("public/")) == []


def test_a_staged_file_changed_after_staging_is_refused(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    store.put("staging/2019-20/json/index.json", b"{}", content_type="application/json")

    with pytest.raises(ReleaseRefused, match=r"differs from candidate\.json"):
        release(store, year)
    assert list(store.list("public/")) == []


def test_a_release_racing_another_year_keeps_both(store: Store, year: BusinessYear) -> None:
    other = BusinessYear.parse("2020-21")
    stage(store, year)
    stage(store, other)
    attempts: list[str] = []

    def other_release_first(key: str) -> None:
        if key == "public/releases.json":
            attempts.append(key)
            if len(attempts) == 1:
                release(store, other)  # lands between our read of releases.json and our write

    result = release(RecordingStore(store, before_put=other_release_first), year)

    assert result.status == "released"
    assert len(attempts) == 2  # the first write lost its If-None-Match and was redone
    assert set(releases(store)["years"]) == {"2019-20", "2020-21"}


def test_two_releases_of_one_year_cannot_both_win(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    rival = {"format": 1, "latest": "2019-20", "years": {"2019-20": {"manifest_sha256": "f" * 64}}}
    rival_bytes = json.dumps(rival).encode()

    def rival_wins(key: str) -> None:
        if key == "public/releases.json" and store.head(key) is None:
            store.put(key, rival_bytes, content_type="application/json", if_none_match=True)

    with pytest.raises(ReleaseRefused, match="another release of 2019-20 was published"):
        release(RecordingStore(store, before_put=rival_wins), year)
    assert store.get("public/releases.json") == rival_bytes


def test_a_released_object_damaged_later_is_repaired_by_a_rerun(store: Store, year: BusinessYear) -> None:
    stage(store, year)
    release(store, year)
    pointer = store.get("public/releases.json")
    good = store.get("public/2019-20/letters/E07000154.pdf")
    store.put("public/2019-20/letters/E07000154.pdf", b"%PDF damaged", content_type="application/pdf")
    store.delete("public/data/received/year=2019-20/part-0.parquet")
    store.put("public/2019-20/letters/old.pdf", b"%PDF stray", content_type="application/pdf")

    result = release(store, year, minutes=60)

    assert (result.status, result.written, result.deleted) == ("repaired", 2, 1)
    assert store.get("public/2019-20/letters/E07000154.pdf") == good
    assert store.head("public/data/received/year=2019-20/part-0.parquet") is not None
    assert store.head("public/2019-20/letters/old.pdf") is None
    assert store.get("public/releases.json") == pointer


def with_site(year: BusinessYear, variant: int, site: str) -> dict[str, bytes]:
    files = candidate_files(year, variant)
    files["site/index.html"] = f"<html>{site}</html>".encode()
    files["site/council.js"] = f"// {site}".encode()
    return files


def test_public_site_stays_the_latest_years_when_an_older_year_is_released(
    store: Store, year: BusinessYear
) -> None:
    later = BusinessYear.parse("2020-21")
    stage(store, year, files=with_site(year, 0, "site of 2019-20"))
    release(store, year)
    stage(store, later, files=with_site(later, 0, "site of 2020-21"))
    release(store, later)
    assert store.get("public/site/index.html") == b"<html>site of 2020-21</html>"

    rerun = release(store, year, minutes=60)  # its manifest lists the site it had; not rewritten

    assert (rerun.status, rerun.written, rerun.deleted) == ("unchanged", 0, 0)
    stage(store, year, files=with_site(year, 1, "corrected site of 2019-20"))
    corrected = release(store, year, minutes=120, correction=True)

    assert corrected.status == "corrected"
    assert store.get("public/site/index.html") == b"<html>site of 2020-21</html>"
    assert store.get("public/site/council.js") == b"// site of 2020-21"
    assert not [f for f in manifest(store, year)["files"] if f["key"].startswith("site/")]
    letter = "letters/E07000154.pdf"
    assert store.get(f"public/2019-20/{letter}") == candidate_files(year, 1)[letter]
    assert release(store, later, minutes=60).status == "unchanged"
