"""Changes to the working-day calendar: holiday_save / holiday_delete / calendar_sync."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from qifu.audit.models import AuditEvent
from qifu.core import services, workdays
from qifu.core.models import DayKind, Holiday

pytestmark = pytest.mark.django_db

D = dt.date


def test_holiday_clean_refuses_a_weekday_marked_as_adjusted_workday() -> None:
    day = Holiday(date=D(2026, 3, 11), kind=DayKind.WORKDAY, name="调休")

    with pytest.raises(ValidationError) as raised:
        day.full_clean()

    assert "kind" in raised.value.message_dict


def test_holiday_clean_accepts_a_saturday_as_adjusted_workday() -> None:
    Holiday(date=D(2027, 2, 6), kind=DayKind.WORKDAY, name="春节").full_clean()


def test_holiday_save_refuses_a_weekday_workday_and_saves_nothing() -> None:
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.holiday_save(by=None, date=D(2027, 3, 10), kind=DayKind.WORKDAY)

    assert not Holiday.objects.filter(date=D(2027, 3, 10)).exists()
    assert AuditEvent.objects.count() == before


def test_holiday_save_refuses_a_second_row_for_the_same_date() -> None:
    with pytest.raises(ValidationError):
        services.holiday_save(by=None, date=D(2026, 2, 16), kind=DayKind.HOLIDAY)


def test_holiday_save_writes_one_audit_event_with_before_and_after(sysadmin) -> None:
    day = Holiday.objects.get(date=D(2026, 10, 10))

    services.holiday_save(by=sysadmin, holiday=day, name="国庆调休")

    event = AuditEvent.objects.get(action="holiday.update")
    assert event.actor == sysadmin
    assert event.object_id == str(day.pk)
    assert event.changes == {"name": ["国庆节", "国庆调休"]}


def test_holiday_save_without_a_change_writes_nothing(sysadmin) -> None:
    day = Holiday.objects.get(date=D(2026, 10, 10))
    before = AuditEvent.objects.count()

    services.holiday_save(by=sysadmin, holiday=day, name=day.name, kind=day.kind)

    assert AuditEvent.objects.count() == before


def test_holiday_delete_writes_the_removed_values(sysadmin) -> None:
    day = Holiday.objects.get(date=D(2026, 2, 28))

    services.holiday_delete(by=sysadmin, holiday=day)

    event = AuditEvent.objects.get(action="holiday.delete")
    assert event.changes == {
        "date": ["2026-02-28", None],
        "kind": ["workday", None],
        "name": ["春节", None],
    }
    assert not Holiday.objects.filter(date=D(2026, 2, 28)).exists()


def test_calendar_sync_is_idempotent() -> None:
    before = Holiday.objects.count()

    first = services.calendar_sync(by=None)
    second = services.calendar_sync(by=None)

    assert first == {"years": 0, "days": 0}
    assert second == {"years": 0, "days": 0}
    assert Holiday.objects.count() == before
    assert not AuditEvent.objects.filter(action="holiday.sync").exists()


def test_calendar_sync_adds_back_a_missing_year_once(django_capture_on_commit_callbacks) -> None:
    rows_2025 = Holiday.objects.filter(date__year=2025).count()
    Holiday.objects.filter(date__year=2025).delete()
    assert workdays.year_calendar(2025).covered is False

    with django_capture_on_commit_callbacks(execute=True):
        result = services.calendar_sync(by=None)
    again = services.calendar_sync(by=None)

    assert result == {"years": 1, "days": rows_2025}
    assert again == {"years": 0, "days": 0}
    assert workdays.year_calendar(2025).covered is True
    event = AuditEvent.objects.get(action="holiday.sync")
    assert event.object_repr == "2025"
    assert event.changes == {"years": [None, [2025]], "days": [None, rows_2025]}


def test_calendar_sync_leaves_an_edited_year_alone(sysadmin) -> None:
    services.holiday_delete(by=sysadmin, holiday=Holiday.objects.get(date=D(2026, 2, 14)))
    services.holiday_save(
        by=sysadmin, holiday=Holiday.objects.get(date=D(2026, 2, 28)), name="调休（已核对）"
    )

    assert services.calendar_sync(by=None) == {"years": 0, "days": 0}

    assert not Holiday.objects.filter(date=D(2026, 2, 14)).exists()
    assert Holiday.objects.get(date=D(2026, 2, 28)).name == "调休（已核对）"


def test_the_calendar_sync_command_reports_what_it_did() -> None:
    out = StringIO()
    call_command("calendar_sync", stdout=out)

    assert "added 0 days in 0 years" in out.getvalue()
    assert "2026" in out.getvalue()
