"""Fixtures of the visits tests: a fixed clock, a REST client, more enterprises and officials, and
builders that assign responsibility and record visits through the services.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区, assigns over the district),
`licun_clerk` (李村街道, assigns over its street and visits its enterprises), `loushan_clerk`
(another street), `jxj_clerk` (a department: visits, but does not assign), `enterprise_user`
(天路集团: no visits at all), `outsider` (区领导 of 崂山区) and the enterprises `tianlu` (a key
enterprise of 李村街道) and `ruifeng` (楼山街道).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.appeals.models import Category
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.visits import services
from qifu.visits.models import Assignment, Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
# the tests' "now": Tuesday 2026-10-20, 10:00 Beijing time, three weeks into 2026Q4
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

# complete answers to the seeded questionnaire (version 1) that raise no red flag
CALM_ANSWERS: dict[str, Any] = {
    "output_outlook": "基本持平",
    "sales_change": 3,
    "relocation": "no",
    "financing": "基本满足",
    "employees": 320,
}


@pytest.fixture(autouse=True)
def clock() -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def category(code: str = "land") -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def other_leader(district) -> User:
    # 王副区长: another district leader of 李沧区, who goes on visits and is made responsible
    return UserFactory(username="wang_fqz", role=Role.DISTRICT_LEADER, org_unit=district)


@pytest.fixture
def licun_key(licun) -> Enterprise:
    # 海湾化工 in 李村街道: a second key enterprise of the street
    return EnterpriseFactory(name="海湾化工", street=licun, is_key=True)


@pytest.fixture
def licun_small(licun) -> Enterprise:
    # 李村小微商贸 in 李村街道: not a key enterprise (covered only by an "all enterprises" street)
    return EnterpriseFactory(name="李村小微商贸", street=licun, is_key=False)


@pytest.fixture
def assign(leader) -> Callable[..., Assignment]:
    """Make an official responsible (by the district leader unless `by` is given)."""

    def make(official: Any, **values: Any) -> Assignment:
        by = values.pop("by", leader)
        values.setdefault("starts_on", D(2026, 1, 1))
        return services.assignment_create(by=by, official=official, **values)

    return make


@pytest.fixture
def record() -> Callable[..., Visit]:
    """Record a visit through the service: completed by default, by the first official.

    `record(licun_clerk, [tianlu], date=D(2026, 10, 9))`; pass `complete=False` for a draft,
    `officials=` for who went (default: the recorder), `by=` for who records it, and any other
    field of the visit input (kind, notes, answers, red_flags, ...).
    """

    def make(official: Any, enterprises: list[Any], **values: Any) -> Visit:
        complete = values.pop("complete", True)
        by = values.pop("by", official)
        token = values.pop("client_token", "")
        values.setdefault("date", D(2026, 10, 9))
        values.setdefault("officials", [official])
        values.setdefault("notes", "了解生产经营情况")
        if len(enterprises) == 1:
            values.setdefault("answers", dict(CALM_ANSWERS))
        data = services.VisitInput(enterprises=list(enterprises), **values)
        visit, _created = services.visit_save(
            by=by, data=data, complete=complete, client_token=token
        )
        return visit

    return make
