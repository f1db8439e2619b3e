"""The deployments as built for serving (no server): when they fire, for which year, and bad crons."""

from __future__ import annotations

from datetime import datetime

import pytest
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from annual_review.years import LONDON, BusinessYear
from deployments.schedules import ScheduleError, build_deployments, next_fire
from flows.prepare import prepare_year

TODAY = datetime(2026, 11, 26, 12, 0, tzinfo=LONDON)


def by_name() -> dict[str, RunnerDeployment]:
    return {d.name: d for d in build_deployments()}


def fires_next(deployment: RunnerDeployment, after: datetime) -> str:
    (schedule,) = deployment.schedules or []
    return next_fire(schedule.schedule, after).isoformat()


def test_release_fires_at_0930_london_on_29_july() -> None:
    release = by_name()["release"]
    assert fires_next(release, TODAY) == "2027-07-29T09:30:00+01:00"
    assert release.parameters == {}  # the year is worked out when the run starts
    assert release.entrypoint == "flows.release.release_flow"


def test_prepare_fires_on_1_july_for_the_same_year() -> None:
    prepare = by_name()["prepare"]
    assert fires_next(prepare, TODAY) == "2027-07-01T07:00:00+01:00"
    assert prepare.parameters == {}
    assert prepare.entrypoint == "flows.prepare.prepare_year"


def test_after_the_release_the_next_fire_is_next_year() -> None:
    just_after = datetime(2027, 7, 29, 9, 31, tzinfo=LONDON)
    assert fires_next(by_name()["release"], just_after) == "2028-07-29T09:30:00+01:00"


@pytest.mark.parametrize(
    ("fire", "year"),
    [
        (datetime(2027, 7, 29, 9, 30, tzinfo=LONDON), "2026-27"),
        (datetime(2027, 3, 31, 23, 59, tzinfo=LONDON), "2025-26"),
        (datetime(2027, 4, 1, 0, 0, tzinfo=LONDON), "2026-27"),
        (datetime.fromisoformat("2027-03-31T23:30:00+00:00"), "2026-27"),  # 00:30 on 1 April in London
    ],
)
def test_a_run_is_for_the_year_that_ended_the_31_march_before_it(fire: datetime, year: str) -> None:
    assert BusinessYear.ended_before(fire).label == year


def test_impossible_cron_is_caught_though_prefect_accepts_it() -> None:
    never = Cron("30 9 31 2 *", timezone="Europe/London")
    deployment = prepare_year.to_deployment(name="never", schedule=never)  # Prefect: no complaint
    assert isinstance(deployment, RunnerDeployment)
    with pytest.raises(ScheduleError, match="does not fire within a year"):
        next_fire(never, TODAY)
