"""Reporting periods (`YYYYMM`) and their calendar: when entry opens, the deadline, the lock.

Figures for month M may be entered from the data set's opening day of M (month-end flash
figures), are due on the deadline day of M+1 (moved to the next working day when that is a day
off) and are locked a number of working days after the deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qifu.core import workdays

_PERIOD = re.compile(r"^(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])$")
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: Any) -> Period:
        """A period from `YYYYMM`; a clear message for anything else."""
        value = str(text or "").strip()
        found = _PERIOD.match(value)
        if not found or not FIRST_YEAR <= int(found["year"]) <= 2100:
            raise ValidationError(
                _("“%(value)s” is not a period: write the year and month as YYYYMM, e.g. 202610.")
                % {"value": value[:20]},
                code="period",
            )
        return cls(int(found["year"]), int(found["month"]))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}{self.month:02d}"

    @property
    def label(self) -> str:
        return _("%(year)d-%(month)02d") % {"year": self.year, "month": self.month}

    @property
    def ytd_label(self) -> str:
        """ "1–10月"; January's year to date is January itself."""
        if self.month == 1:
            return _("January")
        return _("January–%(month)s") % {"month": self.month_name}

    @property
    def month_name(self) -> str:
        return _("month %(month)d") % {"month": self.month}

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def last_year(self) -> Period:
        return self.shift(-12)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def day(self, number: int) -> dt.date:
        """Day `number` of the month, or its last day if the month is shorter."""
        last = (self.shift(1).first_day - dt.timedelta(days=1)).day
        return dt.date(self.year, self.month, min(max(number, 1), last))


def opens_on(dataset: Any, period: Period) -> dt.date:
    return period.day(dataset.opens_day)


def deadline(dataset: Any, period: Period) -> workdays.WorkingDate:
    """The deadline day of the following month, or the next working day after it."""
    day = period.shift(1).day(dataset.deadline_day)
    if workdays.is_working_day(day):
        return workdays.add_working_days(day, 0)
    return workdays.add_working_days(day, 1)


def lock_date(dataset: Any, period: Period) -> workdays.WorkingDate:
    """The first day entry is refused (unless reopened)."""
    return workdays.add_working_days(deadline(dataset, period), dataset.lock_after_days + 1)


def current(dataset: Any, today: dt.date) -> Period:
    """The latest period whose entry has opened."""
    this = Period.of(today)
    return this if today >= opens_on(dataset, this) else this.previous


def recent(dataset: Any, today: dt.date, count: int = 13) -> list[Period]:
    """The current period and the ones before it, newest first."""
    latest = current(dataset, today)
    return [latest.shift(-n) for n in range(count)]
