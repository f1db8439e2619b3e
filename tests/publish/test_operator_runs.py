"""What an operator sees of the store: two runs at once, kill -9, a wrong clock, a damaged file.

Each test runs the real command (`python -m flows.cli`) in subprocesses; faults are injected into
them through tests/faults/sitecustomize.py, never through the product.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store
from annual_review.years import BusinessYear
from tests.helpers.commands import Command, finish, start
from tests.helpers.exports import write_exports
from tests.helpers.release_fixtures import at, candidate_files, stage
from tests.helpers.s3_server import SeaweedServer

AT_RELEASE = "clock:2020-07-29T09:30:00+01:00"  # a fault: the pipeline's clock reads 2019-20's release time


def run_args(store: str, *extra: str) -> tuple[str, ...]:
    return ("run", "--year", "2019-20", "--input", "in", "--store", store, "--formats", "html", *extra)


def store_env(store: Store) -> dict[str, str]:
    """What the command needs to find the store: an S3 endpoint (credentials come from s3_credentials)."""
    return {"AWS_ENDPOINT_URL": store._client.meta.endpoint_url} if isinstance(store, S3Store) else {}


def wait_for(path: Path, process: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        assert process.poll() is None, "the command ended before it got there"
        time.sleep(0.1)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under a local store, hidden ones included; a sidecar without its inode numbers."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.relative_to(root).parts[0] == ".meta" and path.suffix == ".json":
                data = json.dumps({**json.loads(data), "file": None}).encode()
            found[path.relative_to(root).as_posix()] = data
    return found


def test_a_second_run_of_the_year_refuses_while_the_first_holds_the_lease(
    store: Store, tmp_path: Path, api_url: str
) -> None:
    """Two real processes: the first is held inside its build step (its lease taken), the second starts."""
    write_exports(tmp_path / "in")
    env = {**store_env(store), "PREFECT_API_URL": api_url}
    gate = tmp_path / "gate"
    gate.mkdir()
    first = start(*run_args(store.url), cwd=tmp_path, fault=f"pause:/build/:{gate}", **env)
    try:
        wait_for(gate / "paused", first)
        second = finish(start(*run_args(store.url), cwd=tmp_path, **env))
    finally:
        (gate / "go").touch()
    done = finish(first)

    assert second.error.startswith(f"another run of 2019-20 is staging to {store.url} (since ")
    assert f"on host {socket.gethostname()}, pid {first.pid};" in second.error
    assert done.returncode == 0, done.stderr[-3000:]
    assert store.head("staging/2019-20/candidate.json") is not None
    assert store.head("leases/2019-20.json") is None  # given up once staged


def test_a_lease_of_a_run_on_another_machine_is_broken_only_on_request(
    tmp_path: Path, command: Command
) -> None:
    write_exports(tmp_path / "in")
    lease = tmp_path / "store" / "leases" / "2019-20.json"
    lease.parent.mkdir(parents=True)
    lease.write_text(
        '{"host": "prefect-worker-2", "pid": 4242, "started_at": "2020-06-30T06:00:00Z", "token": "x"}'
    )

    refused = command(*run_args("store"), cwd=tmp_path)
    broken = command(*run_args("store", "--break-lease"), cwd=tmp_path)

    assert refused.error.startswith("another run of 2019-20 is staging to ")
    assert "(since 2020-06-30T06:00:00Z on host prefect-worker-2, pid 4242;" in refused.error
    assert refused.error.endswith("or, if it is dead, run again with --break-lease")
    assert broken.returncode == 0, broken.stderr[-3000:]
    assert not lease.exists()


def test_a_run_killed_mid_write_is_mended_by_the_next_run(
    tmp_path: Path, command: Command, api_url: str
) -> None:
    """kill -9 while staging leaves temp files and the lease; a rerun leaves the store as a clean run's."""
    write_exports(tmp_path / "in")
    killed = finish(
        start(
            *run_args("store"),
            cwd=tmp_path,
            fault=f"kill:/staging/2019-20/:9;{AT_RELEASE}",
            PREFECT_API_URL=api_url,
        ),
    )
    assert killed.returncode == -9, killed.stderr[-3000:]  # (its Prefect API is the session's: no orphan)
    assert (
        list((tmp_path / "store").rglob(".tmp-*"))
        and (tmp_path / "store" / "leases" / "2019-20.json").exists()
    )
    assert all(".tmp-" not in key for key in LocalStore(tmp_path / "store").list(""))  # hidden from listings

    rerun = command(*run_args("store"), cwd=tmp_path, fault=AT_RELEASE)
    clean = command(*run_args("clean"), cwd=tmp_path, fault=AT_RELEASE)

    assert rerun.returncode == 0 and clean.returncode == 0, rerun.stderr[-3000:] + clean.stderr[-3000:]
    assert files_of(tmp_path / "store") == files_of(tmp_path / "clean")


def test_a_release_killed_mid_write_is_finished_by_the_next(
    tmp_path: Path, command: Command, api_url: str
) -> None:
    write_exports(tmp_path / "in")
    for store in ("store", "clean"):
        assert command(*run_args(store), cwd=tmp_path, fault=AT_RELEASE).returncode == 0
    release = ("release", "--year", "2019-20", "--store")

    killed = finish(
        start(
            *release,
            "store",
            cwd=tmp_path,
            fault=f"kill:/public/2019-20/:12;{AT_RELEASE}",
            PREFECT_API_URL=api_url,
        ),
    )
    assert killed.returncode == -9, killed.stderr[-3000:]
    assert list((tmp_path / "store" / "public" / "2019-20").rglob(".tmp-*"))
    assert not (tmp_path / "store" / "public" / "releases.json").exists()

    rerun = command(*release, "store", cwd=tmp_path, fault=AT_RELEASE)
    clean = command(*release, "clean", cwd=tmp_path, fault=AT_RELEASE)

    assert rerun.returncode == 0 and clean.returncode == 0, rerun.stderr[-3000:] + clean.stderr[-3000:]
    assert "released at 2020-07-29T08:30:00Z" in rerun.stdout
    assert files_of(tmp_path / "store") == files_of(tmp_path / "clean")


@pytest.mark.s3
def test_a_fast_clock_does_not_publish_before_the_store_s_clock_says(
    seaweed: SeaweedServer, s3_credentials: None, tmp_path: Path, command: Command
) -> None:
    """The release is due in 5 minutes; this machine's clock runs 10 minutes fast (S3 still signs)."""
    store = seaweed.store()
    year = BusinessYear.parse("2019-20")
    stage(store, year)
    now = datetime.now(UTC)
    due = now + timedelta(minutes=5)

    result = command(
        "release",
        "--year",
        "2019-20",
        "--store",
        store.url,
        cwd=tmp_path,
        **store_env(store),
        fault="clock:+600",
        ANNUAL_REVIEW_RELEASE_TIMES=json.dumps({"2019-20": due.isoformat()}),
    )

    assert result.error.startswith("2019-20 is not released until ")
    assert (
        ": the store's clock reads " in result.error
        and "(is it fast?); nothing was published" in result.error
    )
    assert list(store.list("public/")) == []


@pytest.mark.s3
@pytest.mark.parametrize(
    "args", [("release", "--year", "2019-20"), ("run", "--year", "2019-20", "--input", "in")]
)
def test_a_clock_too_far_off_for_s3_is_one_line_saying_so(
    seaweed: SeaweedServer, s3_credentials: None, tmp_path: Path, command: Command, args: tuple[str, ...]
) -> None:
    """An hour fast: S3 refuses every request (RequestTimeTooSkewed), before any work."""
    write_exports(tmp_path / "in")
    store = seaweed.store()
    result = command(
        *args, "--store", store.url, cwd=tmp_path, fault="skew:3600;clock:+3600", **store_env(store)
    )

    said = re.match(r"this machine's clock is wrong: it reads (.+) UTC, the store's (.+) UTC ", result.error)
    assert said, result.error
    ours, theirs = (datetime.fromisoformat(f"{text}+00:00") for text in said.groups())
    assert timedelta(minutes=59) < ours - theirs < timedelta(minutes=61)
    assert result.error.endswith(
        "(S3 refuses requests more than 15 minutes off); set the clock right (NTP) and run again"
    )
    assert list(store.list("")) == []


def test_a_damaged_staged_file_is_refused_then_mended_by_a_rerun(tmp_path: Path, command: Command) -> None:
    write_exports(tmp_path / "in")
    assert command(*run_args("store"), cwd=tmp_path).returncode == 0
    letter = tmp_path / "store" / "staging" / "2019-20" / "letters" / "E07000154.html"
    good, before = letter.read_bytes(), letter.stat()
    with letter.open("r+b") as file:  # same inode, size and (below) mtime: the sidecar still matches
        file.write(good.replace(b"Northampton", b"Southampton", 1))
    os.utime(letter, ns=(before.st_atime_ns, before.st_mtime_ns))
    release = ("release", "--year", "2019-20", "--store", "store")

    refused = command(*release, cwd=tmp_path)
    rerun = command(*run_args("store"), cwd=tmp_path)
    released = command(*release, cwd=tmp_path)

    assert refused.error == (
        f"{Path('staging/2019-20/letters/E07000154.html')} differs from candidate.json; stage 2019-20 again"
    )
    assert rerun.returncode == 0 and letter.read_bytes() == good
    assert released.returncode == 0, released.stderr[-3000:]
    assert (tmp_path / "store" / "public" / "2019-20" / "letters" / "E07000154.html").read_bytes() == good


def with_site(year: BusinessYear, variant: int = 0) -> dict[str, bytes]:
    """A candidate with the reference site, which each release puts in public/site/ (the latest year's)."""
    return {**candidate_files(year, variant), "site/index.html": f"<html>{year} {variant}</html>".encode()}


def released_before(root: Path) -> LocalStore:
    """2018-19 released into a folder store (hand-built tables), as the year 2019-20 compares with."""
    from annual_review.publish.release import release_year

    store, before = LocalStore(root), BusinessYear(2018)
    stage(store, before, files=with_site(before))
    release_year(store, before, release_time=before.default_release_time(), clock=at(before))
    return store


def test_a_damaged_previous_release_is_one_line_naming_it_at_once(tmp_path: Path, command: Command) -> None:
    write_exports(tmp_path / "in")
    released_before(tmp_path / "store")
    part = tmp_path / "store" / "public" / "data" / "authority_year" / "year=2018-19" / "part-0.parquet"
    part.write_bytes(part.read_bytes()[:-10] + bytes(10))

    started = time.monotonic()
    result = command(*run_args("store"), cwd=tmp_path)
    seconds = time.monotonic() - started

    assert result.error == (
        "public/data/authority_year/year=2018-19/part-0.parquet is damaged: its bytes match neither "
        "public/2018-19/manifest.json nor staging/2018-19/; run `annual-review release --year 2018-19` "
        "to rewrite it, then run again"
    )
    assert seconds < 40, seconds  # not retried as if a release were under way (2 + 10 + 30 s)


def test_a_full_disk_is_one_line_naming_the_path_and_not_retried(tmp_path: Path, command: Command) -> None:
    write_exports(tmp_path / "in")

    started = time.monotonic()
    result = command(*run_args("store"), cwd=tmp_path, fault="enospc:/staging/")
    seconds = time.monotonic() - started

    assert re.fullmatch(
        r"no space left on device: cannot write .*/store/staging/2019-20/\S+; "
        r"free some space there, then run again",
        result.error,
    ), result.error
    assert seconds < 40, seconds


def test_a_symlinked_public_folder_is_one_line(tmp_path: Path, command: Command) -> None:
    write_exports(tmp_path / "in")
    (tmp_path / "store").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "store" / "public").symlink_to(tmp_path / "elsewhere")

    result = command(*run_args("store"), cwd=tmp_path)

    assert result.error == (
        f"store {tmp_path / 'store'}: public is a symbolic link (to {tmp_path / 'elsewhere'}); "
        "a folder store's folders must be real folders inside it: replace the link with the folder"
    ), result.error


def two_years_released(root: Path) -> LocalStore:
    """2018-19, then 2019-20 (whose site public/site/ now holds), released into a folder store."""
    from annual_review.publish.release import release_year

    store = released_before(root)
    later = BusinessYear(2019)
    stage(store, later, files=with_site(later))
    release_year(store, later, release_time=later.default_release_time(), clock=at(later))
    return store


RELEASE_2018 = ("release", "--year", "2018-19", "--store", "store")


def test_an_older_year_re_released_after_a_newer_is_repaired_not_corrected(
    tmp_path: Path, command: Command
) -> None:
    store = two_years_released(tmp_path / "store")
    manifest = store.get("public/2018-19/manifest.json")
    site = {k: store.get(k) for k in store.list("public/site/")}
    (tmp_path / "store" / "public" / "2018-19" / "letters" / "E07000154.html").write_bytes(b"damaged")

    result = command(*RELEASE_2018, cwd=tmp_path, fault=AT_RELEASE)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "2018-19: repaired at" in result.stdout, result.stdout
    assert store.get("public/2018-19/manifest.json") == manifest  # its site files still listed
    assert {k: store.get(k) for k in store.list("public/site/")} == site  # 2019-20's site untouched
    assert list(store.list("public/2018-19/manifests/")) == []


def test_a_changed_older_year_needs_correction_and_keeps_the_manifest_later_years_name(
    tmp_path: Path, command: Command
) -> None:
    store = two_years_released(tmp_path / "store")
    released = json.loads(store.get("public/releases.json"))["years"]["2018-19"]["manifest_sha256"]
    stage(store, BusinessYear(2018), files=with_site(BusinessYear(2018), 1))

    refused = command(*RELEASE_2018, cwd=tmp_path, fault=AT_RELEASE)
    corrected = command(*RELEASE_2018, "--correction", cwd=tmp_path, fault=AT_RELEASE)

    assert re.search(
        r"has changed since \(\d+ file\(s\) differ\); release it as a correction$", refused.error
    )
    assert corrected.returncode == 0, corrected.stderr[-3000:]
    assert "2018-19: corrected at" in corrected.stdout
    kept = [store.get(k) for k in store.list("public/2018-19/manifests/")]
    assert [sha256_of(data) for data in kept] == [released]  # what 2019-20 may name still exists


def test_a_deleted_manifest_is_rebuilt_from_staging_when_it_matches_the_release(
    tmp_path: Path, command: Command
) -> None:
    store = two_years_released(tmp_path / "store")
    manifest = store.get("public/2018-19/manifest.json")
    store.delete("public/2018-19/manifest.json")

    result = command(*RELEASE_2018, cwd=tmp_path, fault=AT_RELEASE)

    assert result.returncode == 0, result.stderr[-3000:]
    assert store.get("public/2018-19/manifest.json") == manifest


def test_a_deleted_manifest_that_staging_cannot_rebuild_is_one_line(tmp_path: Path, command: Command) -> None:
    store = two_years_released(tmp_path / "store")
    store.delete("public/2018-19/manifest.json")
    stage(
        store, BusinessYear(2018), files=with_site(BusinessYear(2018), 1)
    )  # staging moved on since the release

    result = command(*RELEASE_2018, "--correction", cwd=tmp_path, fault=AT_RELEASE)

    assert re.fullmatch(
        r"public/2018-19/manifest\.json is missing and staging/2018-19/ no longer rebuilds it "
        r"\(the released one has sha256 [0-9a-f]{12}…\): restore it \(from a backup or the bucket's "
        r"versions\), then run release again",
        result.error,
    ), result.error


def sha256_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
