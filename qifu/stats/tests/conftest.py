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
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import Level, OrgUnit
from qifu.core.tests.helpers import zh
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
COLUMNS = ("month", "ytd", "base_month", "base_ytd")


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


@pytest.fixture
def listed(dataset, tianlu, ruifeng) -> None:
    """天路集团 (李村) and 瑞丰气体 (楼山) are on the reporting list (test_services has its own)."""
    list_on(dataset, tianlu, ruifeng)


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
    period: Period | str = PERIOD,
    figures: dict[str, tuple[Any, ...]] | None = None,
    status: str = SubmissionStatus.ACCEPTED,
    **extra: Any,
) -> Submission:
    """A form written straight to the database: {code: (month, ytd[, base_month, base_ytd])};
    without figures, the valid form of VALID."""
    figures = VALID if figures is None else figures
    submission = Submission.objects.create(
        dataset=dataset, enterprise=one, period=str(period), status=status, **extra
    )
    indicators = Indicator.objects.in_bulk(list(figures), field_name="code")
    Value.objects.bulk_create(
        Value(
            submission=submission,
            indicator=indicators[code],
            **dict(zip(COLUMNS, map(_decimal, numbers), strict=False)),
        )
        for code, numbers in figures.items()
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


def approve_other_streets(dataset: DataSet, district: OrgUnit, by: User, but: OrgUnit) -> None:
    """Every street of `district` but one approved for PERIOD."""
    streets = OrgUnit.objects.filter(parent=district, level=Level.STREET).exclude(pk=but.pk)
    for street in streets:
        approve(dataset, PERIOD, street, by)


def status_of(submission: Submission | int) -> str:
    """The status of a form as the database has it now."""
    pk = submission if isinstance(submission, int) else submission.pk
    return Submission.objects.values_list("status", flat=True).get(pk=pk)


def not_a_period(value: str) -> str:
    """The message of a bad period, as the pages and the API show it in Chinese."""
    source = "“%(value)s” is not a period: write the year and month as YYYYMM, e.g. 202610."
    return zh(source) % {"value": value}


def grow(dataset: DataSet, n: int, streets: list[OrgUnit], **more: tuple[Any, ...]) -> None:
    """n more listed enterprises with accepted forms of output (and `more` figures), spread over
    the streets."""
    for i in range(n):
        one = enterprise(streets[i % len(streets)])
        list_on(dataset, one)
        form(dataset, one, figures={"output": (100 + i, 300 + i, 90, 280), **more})


def count_queries(client: Any, url: str) -> int:
    """The queries of a GET of `url` by a test client (of the pages or of the API), warmed up."""
    client.get(url)  # warm up: the calendar's years are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
