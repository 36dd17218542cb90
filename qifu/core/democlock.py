"""The clock the demo builders record their stories with.

A demo step runs through its real service while `django.utils.timezone.now` is patched to the
step's moment (`mock.patch.object(timezone, "now", clock)`), so that events, audit records and
notifications carry consistent dates, and the services' own date checks see the simulated day.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qifu.core.workdays import is_working_day


def moment(day: dt.date, minute: int) -> dt.datetime:
    """`minute` minutes after midnight of `day`, in the current time zone."""
    return dt.datetime.combine(
        day, dt.time(minute // 60, minute % 60), tzinfo=timezone.get_current_timezone()
    )


def workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class DemoClock:
    """Stands in for `django.utils.timezone.now` while a demo is recorded; never in the future:
    a step taken today is taken `margin` before the real now."""

    def __init__(self, margin: dt.timedelta = dt.timedelta(minutes=5)) -> None:
        self.real = timezone.now()
        self.at = self.real
        self.margin = margin

    def __call__(self) -> dt.datetime:
        return self.at

    def set(self, when: dt.datetime) -> None:
        self.at = min(when, self.real - self.margin)

    def day(self, day: dt.date, minute: int = 10 * 60) -> None:
        self.set(moment(day, minute))
