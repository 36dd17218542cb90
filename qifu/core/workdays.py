"""Working days on the official calendar.

Weekends and public holidays are off; adjusted weekend workdays (调休) are on. The calendar is the
`Holiday` table (seeded from the chinese-calendar package, editable by the system admin). A year
with no rows there has no published schedule: it falls back to Monday–Friday, and every result that
relies on such a year is marked provisional. Nothing here raises for an uncovered year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache

from qifu.core.models import DayKind, Holiday

_CACHE_KEY = "qifu:workdays:{year}:v{version}"
_VERSION_KEY = "qifu:workdays:version"


class WorkingDate(dt.date):
    """A date that knows whether it was counted on a provisional (Monday–Friday) calendar."""

    provisional: bool = False

    @classmethod
    def of(cls, day: dt.date, *, provisional: bool) -> WorkingDate:
        result = cls(day.year, day.month, day.day)
        result.provisional = provisional
        return result


class WorkingDayCount(int):
    """A number of working days that knows whether it relied on a provisional calendar."""

    provisional: bool = False

    @classmethod
    def of(cls, value: int, *, provisional: bool) -> WorkingDayCount:
        result = cls(value)
        result.provisional = provisional
        return result


@dataclass(frozen=True)
class YearCalendar:
    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    covered: bool

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def _version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1) or 1


def invalidate() -> None:
    """Forget cached years; called by every service that changes the calendar."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2)


def year_calendar(year: int) -> YearCalendar:
    key = _CACHE_KEY.format(year=year, version=_version())
    found = cache.get(key)
    if found is not None:
        return found
    rows = list(Holiday.objects.filter(date__year=year).values_list("date", "kind"))
    result = YearCalendar(
        year=year,
        holidays=frozenset(d for d, k in rows if k == DayKind.HOLIDAY),
        workdays=frozenset(d for d, k in rows if k == DayKind.WORKDAY),
        covered=bool(rows),
    )
    cache.set(key, result, 3600)
    return result


def is_working_day(day: dt.date) -> bool:
    return year_calendar(day.year).is_working_day(day)


def add_working_days(start: dt.date, days: int) -> WorkingDate:
    """The date `days` working days after `start` (before it, if negative). 0 gives `start`."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    provisional = False
    calendars: dict[int, YearCalendar] = {}
    while remaining:
        day += dt.timedelta(days=step)
        cal = calendars.get(day.year) or calendars.setdefault(day.year, year_calendar(day.year))
        if cal.is_working_day(day):
            remaining -= 1
    for cal in calendars.values():
        provisional = provisional or not cal.covered
    if not days:
        provisional = not year_calendar(start.year).covered
    return WorkingDate.of(day, provisional=provisional)


def working_days_between(start: dt.date, end: dt.date) -> WorkingDayCount:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    So `working_days_between(d, add_working_days(d, n)) == n`.
    """
    if end == start:
        return WorkingDayCount.of(0, provisional=not year_calendar(start.year).covered)
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    count = 0
    provisional = False
    for year in range(low.year, high.year + 1):
        cal = year_calendar(year)
        provisional = provisional or not cal.covered
        first = max(low + dt.timedelta(days=1), dt.date(year, 1, 1))
        last = min(high, dt.date(year, 12, 31))
        day = first
        while day <= last:
            if cal.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
    return WorkingDayCount.of(sign * count, provisional=provisional)


def covered_years() -> list[int]:
    return sorted({d.year for d in Holiday.objects.dates("date", "year")})
