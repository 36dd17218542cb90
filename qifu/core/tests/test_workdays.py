"""Working days on the official calendar (the Holiday table seeded from chinese-calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from qifu.core import services, workdays
from qifu.core.models import DayKind, Holiday

pytestmark = pytest.mark.django_db

D = dt.date


def test_an_adjusted_saturday_before_spring_festival_is_a_working_day() -> None:
    result = workdays.add_working_days(D(2026, 2, 13), 1)

    assert result == D(2026, 2, 14)
    assert result.provisional is False
    assert workdays.is_working_day(D(2026, 2, 14))


def test_the_spring_festival_days_off_are_skipped() -> None:
    # 2026-02-14 (Sat) is worked, 02-15..02-23 are off, 02-24 (Tue) is the next working day
    assert workdays.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    for day in range(15, 24):
        assert not workdays.is_working_day(D(2026, 2, day))


def test_the_adjusted_saturday_after_spring_festival_is_counted() -> None:
    # 02-14 (Sat), 02-24..02-27 (Tue–Fri), 02-28 (Sat, adjusted workday), then Monday 03-02
    assert workdays.add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)
    assert workdays.add_working_days(D(2026, 2, 13), 7) == D(2026, 3, 2)
    assert workdays.is_working_day(D(2026, 2, 28))
    assert not workdays.is_working_day(D(2026, 3, 1))


def test_national_day_week_is_skipped_and_its_adjusted_saturday_is_worked() -> None:
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_the_sunday_before_national_day_is_a_working_day() -> None:
    assert workdays.add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)


def test_mid_autumn_friday_is_a_day_off() -> None:
    assert workdays.add_working_days(D(2026, 9, 24), 1) == D(2026, 9, 28)


def test_an_ordinary_weekend_is_skipped() -> None:
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)


def test_a_negative_count_goes_back_across_the_holiday() -> None:
    assert workdays.add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert workdays.add_working_days(D(2026, 3, 2), -1) == D(2026, 2, 28)
    assert workdays.add_working_days(D(2026, 3, 2), -2) == D(2026, 2, 27)


def test_zero_days_gives_the_start_date_itself() -> None:
    result = workdays.add_working_days(D(2026, 2, 15), 0)

    assert result == D(2026, 2, 15)
    assert result.provisional is False


def test_zero_days_in_an_unpublished_year_is_provisional() -> None:
    assert workdays.add_working_days(D(2027, 3, 1), 0).provisional is True


def test_a_deadline_counted_into_2027_is_provisional_and_never_raises() -> None:
    result = workdays.add_working_days(D(2026, 12, 25), 10)

    assert isinstance(result, dt.date)
    assert result.year == 2027
    assert result.provisional is True


def test_a_deadline_that_stays_in_2026_is_not_provisional() -> None:
    assert workdays.add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert workdays.add_working_days(D(2026, 12, 30), 1).provisional is False


def test_an_unpublished_year_falls_back_to_monday_to_friday() -> None:
    # 2027-01-01 is a Friday: without a published schedule it counts as a working day
    result = workdays.add_working_days(D(2026, 12, 31), 1)

    assert result == D(2027, 1, 1)
    assert result.provisional is True
    assert workdays.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
    assert workdays.is_working_day(D(2027, 1, 1))
    assert not workdays.is_working_day(D(2027, 1, 2))


def test_a_far_future_year_still_gives_a_date() -> None:
    result = workdays.add_working_days(D(2099, 6, 1), 20)

    assert result == D(2099, 6, 29)
    assert result.provisional is True


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (D(2026, 2, 13), 1),
        (D(2026, 2, 13), 8),
        (D(2026, 9, 18), 15),
        (D(2026, 12, 20), 30),
        (D(2026, 3, 2), -5),
        (D(2026, 2, 24), -2),
        (D(2025, 12, 20), 40),
    ],
)
def test_working_days_between_is_the_inverse_of_add(start: dt.date, days: int) -> None:
    end = workdays.add_working_days(start, days)

    assert workdays.working_days_between(start, end) == days


def test_working_days_between_the_same_day_is_zero() -> None:
    assert workdays.working_days_between(D(2026, 5, 6), D(2026, 5, 6)) == 0


def test_working_days_between_reaching_2027_is_provisional() -> None:
    count = workdays.working_days_between(D(2026, 12, 1), D(2027, 1, 15))

    assert count.provisional is True
    assert workdays.working_days_between(D(2026, 1, 5), D(2026, 1, 9)).provisional is False


def test_an_admin_edit_of_the_calendar_takes_effect_immediately(
    django_capture_on_commit_callbacks,
) -> None:
    # an ordinary Wednesday, read once so that its year is in the cache
    assert workdays.add_working_days(D(2026, 3, 10), 1) == D(2026, 3, 11)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.holiday_save(by=None, date=D(2026, 3, 11), kind=DayKind.HOLIDAY, name="临时放假")

    assert len(callbacks) == 1
    assert workdays.add_working_days(D(2026, 3, 10), 1) == D(2026, 3, 12)


def test_removing_a_calendar_day_takes_effect_immediately(
    django_capture_on_commit_callbacks,
) -> None:
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    saturday = Holiday.objects.get(date=D(2026, 2, 14))

    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_delete(by=None, holiday=saturday)

    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 24)


def test_adding_a_year_for_2027_makes_its_results_final(
    django_capture_on_commit_callbacks,
) -> None:
    assert workdays.add_working_days(D(2026, 12, 31), 1).provisional is True

    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_save(by=None, date=D(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")

    result = workdays.add_working_days(D(2026, 12, 31), 1)
    assert result == D(2027, 1, 4)
    assert result.provisional is False
    assert 2027 in workdays.covered_years()


def test_the_seeded_calendar_covers_the_published_years() -> None:
    years = workdays.covered_years()

    assert 2026 in years
    assert 2027 not in years
    assert workdays.year_calendar(2026).covered
    assert not workdays.year_calendar(2027).covered
