"""The year's lease: one run at a time in a store, on the folder and on S3; a dead run's lease lapses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annual_review.layout import lease_key
from annual_review.publish.lease import LEASE_TTL, LeaseHeld, holding_lease, take_lease
from annual_review.store import Store
from annual_review.store.local import LocalStore
from annual_review.store.s3 import S3Store
from annual_review.years import BusinessYear
from tests.helpers.release_fixtures import at


def foreign_lease(store: Store, year: BusinessYear, host: str, pid: int) -> None:
    """A lease as another run wrote it."""
    doc = {"year": year.label, "host": host, "pid": pid, "started_at": "2020-06-01T07:00:00Z", "token": "t"}
    store.put(lease_key(year), json.dumps(doc).encode(), content_type="application/json")


def a_finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_second_run_is_refused_naming_the_first(store: Store, year: BusinessYear) -> None:
    first = take_lease(store, year, at(year))

    with pytest.raises(LeaseHeld) as refused:
        take_lease(store, year, at(year))

    message = str(refused.value)
    assert f"another run of 2019-20 is staging to {store.url}" in message
    assert f"since {first.holder.started_at} on host {socket.gethostname()}, pid {os.getpid()}" in message
    assert "--break-lease" in message
    first.give_up()
    take_lease(store, year, at(year)).give_up()
    assert list(store.list("")) == []


def test_the_lease_is_given_up_when_the_run_fails(store: Store, year: BusinessYear) -> None:
    with pytest.raises(RuntimeError), holding_lease(store, year, at(year)):
        raise RuntimeError("the run failed")
    assert store.head(lease_key(year)) is None


def test_a_lease_of_a_dead_run_on_this_machine_lapses_at_once(store: Store, year: BusinessYear) -> None:
    dead = a_finished_pid()
    foreign_lease(store, year, socket.gethostname(), dead)

    lease = take_lease(store, year, at(year))

    assert lease.broken is not None and lease.broken.pid == dead
    assert json.loads(store.get(lease_key(year)))["pid"] == os.getpid()


def test_a_live_lease_from_another_machine_holds_until_broken(store: Store, year: BusinessYear) -> None:
    foreign_lease(store, year, "elsewhere", 42)
    with pytest.raises(LeaseHeld, match=r"on host elsewhere, pid 42; last renewed under a minute ago"):
        take_lease(store, year, at(year))

    lease = take_lease(store, year, at(year), break_existing=True)

    assert lease.broken is not None and lease.broken.host == "elsewhere"


def test_a_lease_from_another_machine_lapses_after_its_ttl(tmp_path: Path, year: BusinessYear) -> None:
    """By the store's time of the lease's last write (a folder: its mtime, and this machine's clock)."""
    store = LocalStore(tmp_path)
    foreign_lease(store, year, "elsewhere", 42)
    written = time.time() - LEASE_TTL.total_seconds() + 60
    os.utime(tmp_path / lease_key(year), (written, written))
    with pytest.raises(LeaseHeld, match="last renewed 29 min ago, lapses 30 min after that"):
        take_lease(store, year, lambda: datetime_now())

    os.utime(tmp_path / lease_key(year), (written - 120, written - 120))
    assert take_lease(store, year, lambda: datetime_now()).broken is not None


def datetime_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_a_run_whose_lease_was_broken_stops_at_its_next_renewal(store: Store, year: BusinessYear) -> None:
    first = take_lease(store, year, at(year))
    take_lease(store, year, at(year), break_existing=True)

    with pytest.raises(LeaseHeld, match="was taken over meanwhile"):
        first.renew()


RACE = """
import sys, time
from pathlib import Path
from annual_review.errors import PipelineError
from annual_review.publish.lease import take_lease
from annual_review.store import open_store
from annual_review.years import BusinessYear
from annual_review.clock import system_clock
url, endpoint, go = sys.argv[1], sys.argv[2] or None, Path(sys.argv[3])
store = open_store(url, endpoint_url=endpoint)
while not go.exists():
    time.sleep(0.01)
try:
    take_lease(store, BusinessYear.parse("2019-20"), system_clock)
    print("won")
except PipelineError as error:
    print("lost:", error)
"""


def test_two_processes_racing_for_the_lease_one_wins(
    store: Store, year: BusinessYear, tmp_path: Path
) -> None:
    endpoint = store._client.meta.endpoint_url if isinstance(store, S3Store) else ""
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, store.url, endpoint, str(go)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    time.sleep(3)  # both have imported and wait at the line
    go.touch()
    said = sorted(racer.communicate(timeout=60)[0].strip() for racer in racers)

    assert said[0].startswith("lost: another run of 2019-20 is staging to")
    assert said[1] == "won"
    winner = json.loads(store.get(lease_key(year)))["pid"]
    assert f"pid {winner}" in said[0]


def test_a_store_failing_at_the_end_does_not_hide_the_run_s_own_error(
    tmp_path: Path, year: BusinessYear
) -> None:
    store = LocalStore(tmp_path)

    with pytest.raises(RuntimeError, match="the run's own error"), holding_lease(store, year, at(year)):
        (tmp_path / "leases" / "2019-20.json").unlink()
        (tmp_path / "leases" / "2019-20.json").mkdir()  # reading the lease back now fails (a folder)
        raise RuntimeError("the run's own error")
