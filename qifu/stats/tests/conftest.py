"""Shared fixtures and builders of monthly data.

The clock of the services (`qifu.stats.services._today`) is fixed by the `clock` fixture: by
default 2026-03-25, when entry for March 2026 (period 202603) is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import OrgUnit
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.stats import services
from qifu.stats.models import (
    Approval,
    DataSet,
    Indicator,
    Listing,
    Submission,
    SubmissionStatus,
    Value,
)
from qifu.stats.periods import Period

TODAY = dt.date(2026, 3, 25)
PERIOD = Period(2026, 3)

# this month, 1–this month: a form that breaks no rule (when it has no last-year figures)
VALID: dict[str, tuple[int, int]] = {
    "output": (1000, 3000),
    "sales": (950, 2850),
    "export": (100, 300),
    "revenue": (1100, 3300),
    "cost": (900, 2700),
    "profit": (50, 150),
    "vat": (20, 60),
    "employees": (200, 200),
    "electricity": (30, 90),
}


class Clock:
    """The services' today, settable by the test."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def set(self, today: dt.date) -> None:
        self.today = today


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock(TODAY)
    monkeypatch.setattr(services, "_today", lambda: found.today)
    return found


@pytest.fixture
def dataset(db) -> DataSet:
    return DataSet.objects.get(code="industry-monthly")


@pytest.fixture
def tjj(district) -> User:
    # 统计局 staff of 李沧区: approves streets and the district, reopens entry
    return UserFactory(username="tjj", role=Role.STATISTICS_STAFF, org_unit=district)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def enterprise(street: OrgUnit, **extra: Any) -> Enterprise:
    """An operating above-scale manufacturer of `street`."""
    return EnterpriseFactory(
        street=street, **{"industry_code": "3434", "is_above_scale": True, **extra}
    )


def list_on(dataset: DataSet, *enterprises: Enterprise, since: str = "202401", until: str = ""):
    for one in enterprises:
        Listing.objects.create(dataset=dataset, enterprise=one, since=since, until=until)


def entries(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The values of a full valid form; `output={"month": 5}` changes columns of an indicator."""
    rows = []
    for code, (month, ytd) in VALID.items():
        row: dict[str, Any] = {"indicator": code, "month": str(month), "ytd": str(ytd)}
        row.update(changes.get(code, {}))
        rows.append(row)
    return rows


def form(
    dataset: DataSet,
    one: Enterprise,
    period: Period | str,
    figures: dict[str, tuple[Any, ...]],
    status: str = SubmissionStatus.ACCEPTED,
    **extra: Any,
) -> Submission:
    """A form written straight to the database: {code: (month, ytd[, base_month, base_ytd])}."""
    submission = Submission.objects.create(
        dataset=dataset, enterprise=one, period=str(period), status=status, **extra
    )
    for code, numbers in figures.items():
        month, ytd, base_month, base_ytd = [*numbers, None, None][:4]
        Value.objects.create(
            submission=submission,
            indicator=indicator(code),
            month=_decimal(month),
            ytd=_decimal(ytd),
            base_month=_decimal(base_month),
            base_ytd=_decimal(base_ytd),
        )
    return submission


def valid_figures(scale: Decimal | int = 1) -> dict[str, tuple[Any, ...]]:
    return {
        code: (month * Decimal(scale), ytd * Decimal(scale)) for code, (month, ytd) in VALID.items()
    }


def approve(dataset: DataSet, period: Period | str, unit: OrgUnit, by: User) -> Approval:
    return Approval.objects.create(
        dataset=dataset, period=str(period), org_unit=unit, approved_by=by
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
