"""Reporting periods: parsing, arithmetic, and the calendar of entry (opens, deadline, lock)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qifu.core import workdays
from qifu.stats import periods
from qifu.stats.periods import Period

pytestmark = pytest.mark.django_db


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("202603", Period(2026, 3)), (" 202612 ", Period(2026, 12)), (200001, Period(2000, 1))],
)
def test_a_period_is_parsed_from_yyyymm(text, expected) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "2026",
        "2026-03",
        "202613",
        "202600",
        "20263",
        "2026031",
        "abcdef",
        "199912",
        "210101",
        "二〇二六年三月",
    ],
)
def test_anything_else_is_refused_with_a_message_that_names_it(text) -> None:
    with pytest.raises(ValidationError) as caught:
        Period.parse(text)

    assert caught.value.code == "period"
    message = caught.value.messages[0]
    assert "YYYYMM" in message
    assert str(text or "")[:20] in message


def test_a_long_input_is_cut_short_in_the_message() -> None:
    with pytest.raises(ValidationError) as caught:
        Period.parse("期" * 200)

    assert "期" * 20 in caught.value.messages[0]
    assert "期" * 21 not in caught.value.messages[0]


def test_a_period_prints_as_yyyymm_and_orders_by_time() -> None:
    assert str(Period(2026, 3)) == "202603"
    assert str(Period(2026, 11)) == "202611"
    assert Period(2025, 12) < Period(2026, 1) < Period(2026, 2)
    assert Period.of(dt.date(2026, 7, 31)) == Period(2026, 7)


# --- arithmetic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (Period(2026, 3), 0, Period(2026, 3)),
        (Period(2026, 3), 1, Period(2026, 4)),
        (Period(2026, 12), 1, Period(2027, 1)),
        (Period(2026, 1), -1, Period(2025, 12)),
        (Period(2026, 3), -15, Period(2024, 12)),
        (Period(2026, 3), 22, Period(2028, 1)),
    ],
)
def test_shift_crosses_years(start, months, expected) -> None:
    assert start.shift(months) == expected


def test_previous_and_last_year() -> None:
    assert Period(2026, 1).previous == Period(2025, 12)
    assert Period(2026, 3).previous == Period(2026, 2)
    assert Period(2026, 3).last_year == Period(2025, 3)
    assert Period(2024, 2).last_year == Period(2023, 2)


def test_day_is_capped_at_the_end_of_the_month() -> None:
    assert Period(2026, 2).day(31) == dt.date(2026, 2, 28)
    assert Period(2024, 2).day(30) == dt.date(2024, 2, 29)
    assert Period(2026, 4).day(0) == dt.date(2026, 4, 1)
    assert Period(2026, 12).first_day == dt.date(2026, 12, 1)


# --- the calendar of entry ---------------------------------------------------------------------


def test_entry_opens_on_the_opening_day_of_the_month_itself(dataset) -> None:
    assert periods.opens_on(dataset, Period(2026, 3)) == dt.date(2026, 3, 20)


def test_a_deadline_on_a_working_day_stays(dataset) -> None:
    due = periods.deadline(dataset, Period(2026, 3))

    assert due == dt.date(2026, 4, 8)  # a Wednesday
    assert workdays.is_working_day(due)


def test_a_deadline_on_a_sunday_moves_to_the_next_working_day(dataset) -> None:
    eighth = dt.date(2026, 2, 8)
    assert eighth.weekday() == 6
    assert not workdays.is_working_day(eighth)

    due = periods.deadline(dataset, Period(2026, 1))

    assert due == workdays.add_working_days(eighth, 1)
    assert due == dt.date(2026, 2, 9)
    assert not due.provisional


def test_a_deadline_in_the_national_day_holiday_moves_past_it(dataset) -> None:
    # 2025-10-08 is a Wednesday, but the last day of the National Day holiday
    assert dt.date(2025, 10, 8).weekday() == 2
    assert not workdays.is_working_day(dt.date(2025, 10, 8))

    assert periods.deadline(dataset, Period(2025, 9)) == dt.date(2025, 10, 9)


def test_the_deadline_follows_the_data_set(dataset) -> None:
    dataset.deadline_day = 15
    # 2026-04-15 is a Wednesday
    assert periods.deadline(dataset, Period(2026, 3)) == dt.date(2026, 4, 15)


def test_the_lock_is_the_first_day_after_the_working_days_of_grace(dataset) -> None:
    due = periods.deadline(dataset, Period(2026, 3))
    lock = periods.lock_date(dataset, Period(2026, 3))

    assert lock == workdays.add_working_days(due, dataset.lock_after_days + 1)
    assert workdays.working_days_between(due, lock) == dataset.lock_after_days + 1
    # 9, 10, 13–17, 20, 21, 22 April are the ten working days of grace (清明 is 4–6 April)
    assert lock == dt.date(2026, 4, 23)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 3, 19), Period(2026, 2)),
        (dt.date(2026, 3, 20), Period(2026, 3)),
        (dt.date(2026, 3, 31), Period(2026, 3)),
        (dt.date(2026, 4, 8), Period(2026, 3)),
        (dt.date(2026, 1, 5), Period(2025, 12)),
        (dt.date(2026, 1, 20), Period(2026, 1)),
    ],
)
def test_the_current_period_is_the_latest_whose_entry_has_opened(dataset, today, expected) -> None:
    assert periods.current(dataset, today) == expected


def test_recent_periods_are_newest_first(dataset) -> None:
    found = periods.recent(dataset, dt.date(2026, 3, 25), count=4)

    assert [str(p) for p in found] == ["202603", "202602", "202601", "202512"]
