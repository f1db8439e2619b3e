"""The previous year as released, read back through the Store: on the local folder and on SeaweedFS."""

from __future__ import annotations

import json

import pytest

from annual_review.publish.dataset import partition_part
from annual_review.publish.release import release_year
from annual_review.publish.released import ReleaseChanging, ReleaseDamaged, read_released_part
from annual_review.store import Store, sha256_hex
from annual_review.years import BusinessYear
from flows.runtime.caching import retry_transient
from tests.helpers.release_fixtures import at, parquet_bytes, stage

PART = "public/data/authority_year/year=2018-19/part-0.parquet"


def release(store: Store, year: BusinessYear, variant: int = 0, correction: bool = False) -> None:
    stage(store, year, variant)
    release_year(store, year, release_time=year.default_release_time(), clock=at(year), correction=correction)


def test_nothing_is_read_for_a_year_not_released(store: Store, year: BusinessYear) -> None:
    assert read_released_part(store, year, "authority_year") is None  # no releases.json at all
    release(store, year)
    assert read_released_part(store, BusinessYear(2018), "authority_year") is None  # another year only
    stage(store, BusinessYear(2018))  # staged is not released
    assert read_released_part(store, BusinessYear(2018), "authority_year") is None


def test_the_part_releases_json_vouches_for(store: Store) -> None:
    earlier = BusinessYear(2018)
    release(store, earlier)
    part = read_released_part(store, earlier, "authority_year")
    assert part is not None
    assert part.data == store.get(PART)
    releases = json.loads(store.get("public/releases.json"))["years"]["2018-19"]
    assert part.record() == {
        "year": "2018-19",
        "manifest": "2018-19/manifest.json",
        "manifest_sha256": releases["manifest_sha256"],
        "released_at": releases["released_at"],
        "table": "data/authority_year/year=2018-19/part-0.parquet",
        "sha256": sha256_hex(part.data),
    }


def test_a_correction_gives_the_new_bytes_and_a_new_manifest(store: Store) -> None:
    earlier = BusinessYear(2018)
    release(store, earlier)
    first = read_released_part(store, earlier, "authority_year")
    release(store, earlier, variant=1, correction=True)
    second = read_released_part(store, earlier, "authority_year")
    assert first is not None and second is not None
    assert second.manifest_sha256 != first.manifest_sha256 and second.data != first.data


def test_a_release_caught_halfway_is_not_read(store: Store) -> None:
    """A correction overwrites the parts before it moves releases.json: those bytes are not yet released."""
    earlier = BusinessYear(2018)
    release(store, earlier)
    stage(store, earlier, variant=1)  # the correction's candidate, whose part it is copying
    corrected = partition_part("authority_year", parquet_bytes("authority_year", earlier, variant=1), earlier)
    store.put(PART, corrected, content_type="application/octet-stream")
    with pytest.raises(ReleaseChanging, match=r"part-0\.parquet differs from public/2018-19/manifest\.json"):
        read_released_part(store, earlier, "authority_year")
    store.put(
        "public/2018-19/manifest.json", b'{"files": []}', content_type="application/json"
    )  # the new manifest, releases.json not yet moved
    with pytest.raises(ReleaseChanging, match=r"not the manifest releases\.json names"):
        read_released_part(store, earlier, "authority_year")


def test_a_part_matching_neither_manifest_nor_staging_is_damaged(store: Store) -> None:
    """Not a correction under way (nothing staged has these bytes): no retry can mend it."""
    earlier = BusinessYear(2018)
    release(store, earlier)
    store.put(PART, b"damaged bytes", content_type="application/octet-stream")
    with pytest.raises(ReleaseDamaged, match=r"part-0\.parquet is damaged: .* release --year 2018-19"):
        read_released_part(store, earlier, "authority_year")
    assert not retry_transient(None, None, type("State", (), {"data": ReleaseDamaged("x")})())  # type: ignore[arg-type]


@pytest.mark.parametrize("error", [ReleaseChanging("under way"), OSError("connection reset")])
def test_the_flow_retries_such_a_read(error: Exception) -> None:
    class State:
        data = error

    assert retry_transient(None, None, State())  # type: ignore[arg-type]
