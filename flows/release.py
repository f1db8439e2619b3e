"""The release flow: publish a staged year once its release time has come (contract section 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from annual_review.clock import Clock, current_clock
from annual_review.publish.release import release_year
from annual_review.settings import load_settings
from annual_review.store import open_store
from annual_review.store.probe import open_checked_store
from annual_review.years import BusinessYear
from flows.runtime.caching import retry_transient
from flows.runtime.orphans import record_process
from flows.runtime.outcome import fail_cleanly, resolve_year

RELEASE_RETRIES = 3
RELEASE_RETRY_DELAYS: list[float] = [5, 30, 120]


@task(
    retries=RELEASE_RETRIES,
    retry_delay_seconds=RELEASE_RETRY_DELAYS,
    retry_condition_fn=retry_transient,  # the store hiccuped, or a put did not verify; never a refusal
    cache_policy=NO_CACHE,
    persist_result=False,
)
def release_task(
    store_url: str,
    endpoint_url: str | None,
    year: BusinessYear,
    release_time: datetime,
    clock: Clock,
    correction: bool,
) -> dict[str, Any]:
    """Never cached: a release must look at the store every time it runs."""
    store = open_store(store_url, endpoint_url=endpoint_url)
    result = release_year(store, year, release_time=release_time, clock=clock, correction=correction)
    return result.summary()


@flow(name="release", validate_parameters=True)
@fail_cleanly
def release_flow(
    year: str | None = None, store: str | None = None, correction: bool = False
) -> dict[str, Any]:
    """Release one business year (scheduled: the one that ended the last 31 March); a refusal is one line.

    The settings and the store (a probe write) are checked first, so a mistake in either is one line
    in seconds; the release then refuses while this machine's clock or the store's says it is early.
    """
    record_process()
    settings = load_settings()
    clock = current_clock()
    business_year = resolve_year(year, clock)
    store_url = store or settings.store
    open_checked_store(store_url, endpoint_url=settings.s3_endpoint_url)
    return release_task(
        store_url,
        settings.s3_endpoint_url,
        business_year,
        settings.release_time(business_year),
        clock,
        correction,
    )
