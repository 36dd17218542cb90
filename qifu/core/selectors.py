"""Scoped reads of the org structure and the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from qifu.accounts import scope
from qifu.core import workdays
from qifu.core.models import Department, Holiday, OrgUnit, Zone


def org_unit_list_for_user(*, user: Any, level: str = "") -> QuerySet[OrgUnit]:
    units = scope.visible_org_units(user).select_related("parent", "zone")
    if level:
        units = units.filter(level=level)
    return units.order_by("path")


def department_list_for_user(*, user: Any) -> QuerySet[Department]:
    return (
        scope.visible_departments(user)
        .select_related("district")
        .order_by("district__path", "sort_order", "code")
    )


def holiday_list(*, year: int) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year=year).order_by("date")


def calendar_year(*, year: int) -> dict[str, Any]:
    """What the calendar page shows for a year: its special days and whether it is covered."""
    days = list(holiday_list(year=year))
    cal = workdays.year_calendar(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total = (last - first).days + 1
    working = sum(1 for i in range(total) if cal.is_working_day(first + dt.timedelta(days=i)))
    return {
        "year": year,
        "days": days,
        "covered": cal.covered,
        "working_days": working,
        "holidays": sum(1 for d in days if d.kind == "holiday"),
        "adjusted_workdays": sum(1 for d in days if d.kind == "workday"),
    }


# --- for configuration (system and security admins, whose scope is the whole tree) ------------


def org_units_for_configuration(*, level: str = "") -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.all()
    return units.filter(level=level) if level else units


def departments_for_configuration() -> QuerySet[Department]:
    return Department.objects.all()


def holidays_for_configuration() -> QuerySet[Holiday]:
    return Holiday.objects.all()


def zone_in_district(*, district: OrgUnit | None, code: str) -> Zone | None:
    return Zone.objects.filter(district=district, code=code).first()
