"""One run of a year at a time in a store: a lease, taken by a conditional write, held until staged.

leases/<year>.json names the run that holds it (host, pid, when it started). It is taken with
If-None-Match (S3) or under the local store's lock, renewed with If-Match between the steps, and
deleted when the run ends. A second run finds it and stops at once, in one line. A lease left by
a dead run lapses: at once when its run was on this machine and that process has ended, else
LEASE_TTL after its last renewal, by the store's clock (or this machine's, for a folder). An
operator who knows the other run is dead takes the lease over with --break-lease.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from annual_review.clock import Clock
from annual_review.errors import PipelineError
from annual_review.layout import lease_key
from annual_review.publish.documents import dump_json, load_json, timestamp
from annual_review.store import Store, WriteConflict
from annual_review.store.local import process_alive
from annual_review.years import BusinessYear

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=30)
_ATTEMPTS = 5


class LeaseHeld(PipelineError):
    """Another run of the year holds the store's lease."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lease, as leases/<year>.json says."""

    host: str
    pid: int
    started_at: str
    token: str

    @classmethod
    def of(cls, data: bytes) -> Holder | None:
        try:
            doc = load_json(data)
            return cls(str(doc["host"]), int(doc["pid"]), str(doc["started_at"]), str(doc["token"]))
        except (ValueError, KeyError, TypeError):
            return None  # not ours to read: treated as a lease of unknown holder

    def describe(self) -> str:
        return f"since {self.started_at} on host {self.host}, pid {self.pid}"

    def __str__(self) -> str:
        return f"the run on host {self.host}, pid {self.pid}, started {self.started_at}"


@dataclass
class Lease:
    """This run's lease; `broken` is the holder it took over (a dead run, or --break-lease)."""

    store: Store
    year: BusinessYear
    holder: Holder
    etag: str | None
    clock: Clock
    broken: Holder | None = None

    def _document(self) -> bytes:
        doc: dict[str, Any] = {
            "year": self.year.label,
            "host": self.holder.host,
            "pid": self.holder.pid,
            "started_at": self.holder.started_at,
            "renewed_at": timestamp(self.clock()),
            "token": self.holder.token,
        }
        return dump_json(doc)

    def write(self, *, if_match: str | None = None) -> None:
        """Write the lease document: If-None-Match when there is none to replace, else If-Match."""
        info = self.store.put(
            lease_key(self.year),
            self._document(),
            content_type="application/json",
            if_match=if_match,
            if_none_match=if_match is None,
        )
        self.etag = info.etag

    def renew(self) -> None:
        """Between steps: refreshes the lease's age, and stops this run if someone broke it."""
        try:
            self.write(if_match=self.etag)
        except WriteConflict:
            raise LeaseHeld(
                f"this run's lease on {self.year} in {self.store.url} was taken over meanwhile "
                f"(--break-lease by another run?); it stops before staging anything more"
            ) from None

    def give_up(self) -> None:
        """Delete the lease if it is still this run's."""
        found = self.store.get_with_info(lease_key(self.year))
        if found is not None and (holder := Holder.of(found[0])) and holder.token == self.holder.token:
            self.store.delete(lease_key(self.year))


def take_lease(store: Store, year: BusinessYear, clock: Clock, *, break_existing: bool = False) -> Lease:
    """This run's lease on the year, or LeaseHeld naming the live run that holds it."""
    me = Holder(socket.gethostname(), os.getpid(), timestamp(clock()), uuid.uuid4().hex)
    lease = Lease(store, year, me, None, clock)
    key = lease_key(year)
    for _ in range(_ATTEMPTS):
        try:
            lease.write()
            return lease
        except WriteConflict:
            pass
        found = store.get_with_info(key)
        if found is None:
            continue  # given up meanwhile: try again
        data, info = found
        holder = Holder.of(data)
        if not break_existing:
            _refuse_if_live(store, year, holder, info.modified, clock)
        try:
            lease.write(if_match=info.etag)
        except WriteConflict:
            continue  # someone else took it over first: look again
        lease.broken = holder
        return lease
    raise LeaseHeld(f"the lease on {year} in {store.url} kept changing hands; try again")


def _refuse_if_live(
    store: Store, year: BusinessYear, holder: Holder | None, modified: datetime | None, clock: Clock
) -> None:
    """A lease lapses when its run has ended on this machine, or LEASE_TTL after its last renewal."""
    now = store.clock() or clock()
    age = now - modified if modified is not None else timedelta(0)
    if holder is not None and holder.host == socket.gethostname():
        if not process_alive(holder.pid):
            return
    elif age > LEASE_TTL:
        return
    who = holder.describe() if holder is not None else "(unreadable lease)"
    raise LeaseHeld(
        f"another run of {year} is staging to {store.url} ({who}; last renewed "
        f"{_minutes(age)} ago, lapses {_minutes(LEASE_TTL)} after that); wait for it to finish, "
        "or, if it is dead, run again with --break-lease"
    )


def _minutes(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    return f"{minutes} min" if minutes else "under a minute"


@contextmanager
def holding_lease(
    store: Store, year: BusinessYear, clock: Clock, *, break_existing: bool = False
) -> Iterator[Lease]:
    """Take the lease for the block and give it up at the end, whether the block succeeded or not."""
    lease = take_lease(store, year, clock, break_existing=break_existing)
    try:
        yield lease
    finally:
        try:
            lease.give_up()
        except Exception as error:  # the store failed too: say so, but not instead of the run's own error
            log.warning(
                f"could not give up the lease {lease_key(year)} in {store.url} ({error!r}); it lapses"
            )
