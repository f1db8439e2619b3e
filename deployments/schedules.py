"""When the year is prepared and released, and which year a scheduled run is for."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Schedule
from prefect.types.entrypoint import EntrypointType

from annual_review.layout import STAGING
from flows.prepare import prepare_year
from flows.release import release_flow

# Exports are final by the end of June: three weeks to read the run report, fix and re-run before
# the letters go to councils a week before the release (contract section 1).
PREPARE = Cron("0 7 1 7 *", timezone="Europe/London")
# The release: 09:30 London on 29 July (08:30 UTC in summer). A year whose release time is moved
# (ANNUAL_REVIEW_RELEASE_TIMES) is refused before that time: trigger it by hand then.
RELEASE = Cron("30 9 29 7 *", timezone="Europe/London")


class ScheduleError(ValueError):
    """A schedule that would never fire: Prefect accepts it and the year silently goes unpublished."""


def next_fire(schedule: Schedule | CronSchedule, after: datetime) -> datetime:
    """When the server would next start a run, by the server's own cron arithmetic (call from sync code)."""
    from prefect.server.schemas import schedules as server

    if schedule.cron is None:
        raise ScheduleError("the annual runs are cron schedules")
    cron = server.CronSchedule(cron=schedule.cron, timezone=schedule.timezone, day_or=schedule.day_or)
    try:
        dates = asyncio.run(cron.get_dates(n=1, start=after, end=after + timedelta(days=366)))
    except ValueError:  # a date that cannot exist (31 February)
        dates = []
    if not dates:
        raise ScheduleError(f"cron {schedule.cron!r} ({schedule.timezone}) does not fire within a year")
    return datetime.fromisoformat(dates[0].isoformat())


def build_deployments() -> list[RunnerDeployment]:
    """Both deployments, built without a server (serve() or a test applies them).

    Neither fixes a year: each run works out the year that ended the last 31 March when it starts,
    so a serving process left running for years still prepares and releases the right one.
    """
    built = [
        prepare_year.to_deployment(
            name="prepare",
            schedule=PREPARE,
            description=f"Extract, check, build, render and stage the year ({STAGING} only, never public).",
            tags=["annual-review"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        release_flow.to_deployment(
            name="release",
            schedule=RELEASE,
            description="Publish the staged year at 09:30 London on 29 July; refused before its time.",
            tags=["annual-review"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    ]
    # to_deployment returns a coroutine only when called from async code; here it is sync.
    return [deployment for deployment in built if isinstance(deployment, RunnerDeployment)]
