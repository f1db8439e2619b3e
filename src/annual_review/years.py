"""Business years (1 April to 31 March, labelled 'YYYY-YY') and the dates that hang off them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
# The ombudsman was set up in 1974; past 2099-00 a year is a typing slip (9999-00 has no 29 July).
FIRST_YEAR, LAST_YEAR = 1974, 2099


@dataclass(frozen=True, order=True)
class BusinessYear:
    """A business year such as 2019-20: 1 April 2019 to 31 March 2020."""

    start_year: int

    @classmethod
    def parse(cls, label: str) -> BusinessYear:
        match = _LABEL.match(label.strip())
        if not match:
            raise ValueError(f"business year {label!r} is not of the form YYYY-YY, e.g. 2019-20")
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(f"business year {label!r}: the second part must be the year after {start}")
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise ValueError(
                f"business year {label!r} is out of range: years run from {cls(FIRST_YEAR)} "
                f"to {cls(LAST_YEAR)}"
            )
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> BusinessYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def ended_before(cls, moment: datetime) -> BusinessYear:
        """The year that ended on the last 31 March before `moment` (in London): the one a July run is for."""
        return cls(cls.containing(moment.astimezone(LONDON).date()).start_year - 1)

    def previous(self) -> BusinessYear:
        """The year before: the one a year's letters compare with, as released."""
        return BusinessYear(self.start_year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def end_year(self) -> int:
        return self.start_year + 1

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.end_year, 3, 31)

    @property
    def period_text(self) -> str:
        """As the letters print it: '1 April 2019 to 31 March 2020'."""
        return f"1 April {self.start_year} to 31 March {self.end_year}"

    def default_release_time(self) -> datetime:
        """09:30 Europe/London on 29 July of the calendar year the business year ends in."""
        return datetime.combine(date(self.end_year, 7, 29), time(9, 30), tzinfo=LONDON)

    def default_letter_date(self) -> date:
        return self.default_release_time().date() - timedelta(days=7)

    def __str__(self) -> str:
        return self.label
