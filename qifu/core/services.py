"""Every change to the org structure and the calendar: one function per use case, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qifu.audit.services import audit_record, diff, save_with_audit, snapshot
from qifu.core import workdays
from qifu.core.models import DayKind, Department, Holiday, OrgUnit, Zone

ORG_UNIT_FIELDS = ("code", "name", "level", "parent", "zone", "sort_order")
ZONE_FIELDS = ("district", "code", "name", "sort_order")
DEPARTMENT_FIELDS = ("district", "code", "name", "is_active", "is_service_centre", "sort_order")
HOLIDAY_FIELDS = ("date", "kind", "name")

# chinese-calendar names its holidays in English; the calendar table keeps the official names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _path_of(unit: OrgUnit) -> str:
    return f"{unit.parent.path if unit.parent else ''}{unit.code}/"


@transaction.atomic
def org_unit_save(*, by: Any, unit: OrgUnit | None = None, **values: Any) -> OrgUnit:
    """Create an org unit, or change one; descendants' paths follow a changed code or parent."""
    creating = unit is None
    unit = unit or OrgUnit()
    old_path = unit.path

    def set_path(obj: OrgUnit) -> None:
        obj.path = _path_of(obj)

    changes = save_with_audit(
        by=by,
        obj=unit,
        creating=creating,
        fields=ORG_UNIT_FIELDS,
        action="org_unit",
        values=values,
        prepare=set_path,
        exclude=["path"],
    )
    if changes and old_path and old_path != unit.path:
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    return unit


@transaction.atomic
def zone_save(*, by: Any, zone: Zone | None = None, **values: Any) -> Zone:
    obj = zone or Zone()
    save_with_audit(
        by=by, obj=obj, creating=zone is None, fields=ZONE_FIELDS, action="zone", values=values
    )
    return obj


@transaction.atomic
def department_save(*, by: Any, department: Department | None = None, **values: Any) -> Department:
    obj = department or Department()
    save_with_audit(
        by=by,
        obj=obj,
        creating=department is None,
        fields=DEPARTMENT_FIELDS,
        action="department",
        values=values,
    )
    return obj


@transaction.atomic
def holiday_save(*, by: Any, holiday: Holiday | None = None, **values: Any) -> Holiday:
    obj = holiday or Holiday()
    changes = save_with_audit(
        by=by,
        obj=obj,
        creating=holiday is None,
        fields=HOLIDAY_FIELDS,
        action="holiday",
        values=values,
    )
    if changes:
        transaction.on_commit(workdays.invalidate)
    return obj


@transaction.atomic
def holiday_delete(*, by: Any, holiday: Holiday) -> None:
    before = snapshot(holiday, HOLIDAY_FIELDS)
    pk, text = holiday.pk, str(holiday)
    holiday.delete()
    transaction.on_commit(workdays.invalidate)
    audit_record(
        actor=by,
        action="holiday.delete",
        object_type="core.holiday",
        object_id=str(pk),
        object_repr=text,
        changes=diff(before, {}),
    )


def _package_days() -> dict[dt.date, tuple[Any, str]]:
    import chinese_calendar

    days: dict[dt.date, tuple[Any, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = (DayKind.HOLIDAY, HOLIDAY_NAMES.get(name, name or ""))
    for day, name in chinese_calendar.workdays.items():
        days[day] = (DayKind.WORKDAY, HOLIDAY_NAMES.get(name, name or ""))
    return days


@transaction.atomic
def calendar_sync(*, by: Any, first_year: int = 2004) -> dict[str, int]:
    """Add the years that the chinese-calendar package publishes and the table does not have yet.

    A year already in the table is left alone, so that an admin's edits survive.
    """
    have = set(workdays.covered_years())
    new_rows = [
        Holiday(date=day, kind=kind, name=name)
        for day, (kind, name) in sorted(_package_days().items())
        if day.year >= first_year and day.year not in have
    ]
    Holiday.objects.bulk_create(new_rows)
    years = sorted({row.date.year for row in new_rows})
    if new_rows:
        transaction.on_commit(workdays.invalidate)
        audit_record(
            actor=by,
            action="holiday.sync",
            object_type="core.holiday",
            object_repr=", ".join(str(y) for y in years),
            changes={"years": [None, years], "days": [None, len(new_rows)]},
        )
    return {"years": len(years), "days": len(new_rows)}
