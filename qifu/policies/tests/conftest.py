"""Fixtures of the policies tests: a fixed clock, a policy of 经信局 and builders of programmes,
applications and monthly figures.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区), `jxj_clerk` (经信局, which keeps
the policies and programmes here), `zrj_clerk` (another department), `licun_clerk` (李村街道),
`loushan_clerk` (楼山街道), `enterprise_user` (天路集团), `ruifeng_user` (瑞丰气体), `outsider`
(区领导 of 崂山区) and the enterprises `tianlu` (李村街道, key, 高新技术企业) and `ruifeng`
(楼山街道).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from qifu.core.models import Department
from qifu.enterprises.models import Enterprise
from qifu.policies import selectors, services
from qifu.policies.models import Policy, PolicyCategory, Programme
from qifu.stats.models import DataSet, Indicator, Submission, SubmissionStatus, Value

# the tests' today: Wednesday 2026-04-15; "last year" is 2025
TODAY = dt.date(2026, 4, 15)
WINDOW = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
HIGH_TECH = {
    "combine": "all",
    "conditions": [
        {"field": "tags", "op": "has_any", "value": ["高新技术企业"]},
        {"field": "above_scale", "op": "is", "value": True},
    ],
}


class Clock:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def set(self, today: dt.date) -> None:
        self.today = today


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock(TODAY)
    monkeypatch.setattr(services, "_today", lambda: found.today)
    monkeypatch.setattr(selectors, "_today", lambda: found.today)
    return found


@pytest.fixture
def jxj(district) -> Department:
    return Department.objects.get(district=district, code="jxj")


@pytest.fixture
def policy(jxj_clerk, jxj) -> Policy:
    # 关于支持企业技术创新的若干政策, 经信局, valid to the end of 2027, category 技术创新
    return services.policy_save(
        by=jxj_clerk,
        values={
            "title": "关于支持企业技术创新的若干政策",
            "level": "district",
            "issuer": "李沧区人民政府",
            "document_number": "李政发〔2026〕3号",
            "issued_on": dt.date(2026, 1, 10),
            "valid_until": dt.date(2027, 12, 31),
            "summary": "支持高新技术企业开展技术创新、新产品研发。",
            "department": jxj,
        },
        categories=PolicyCategory.objects.filter(code="innovation"),
    )


@pytest.fixture
def make_programme(jxj_clerk, jxj, policy) -> Callable[..., Programme]:
    """A programme of 经信局 under `policy`, published unless `publish=False`."""

    def make(
        *,
        by: Any = None,
        publish: bool = True,
        criteria: dict[str, Any] | None = None,
        window: tuple[dt.date, dt.date] = WINDOW,
        **values: Any,
    ) -> Programme:
        by = by or jxj_clerk
        programme = services.programme_save(
            by=by,
            values={
                "policy": policy,
                "title": "2026年度技术创新项目",
                "window_opens": window[0],
                "window_closes": window[1],
                "support_amount": Decimal("50"),
                "materials": ["申报书", "营业执照"],
                "criteria": HIGH_TECH if criteria is None else criteria,
                "department": jxj,
                **values,
            },
        )
        if publish:
            programme = services.programme_publish(by=by, programme=programme)
        return programme

    return make


@pytest.fixture
def programme(make_programme) -> Programme:
    # published, window 2026-04-01..04-30, for above-scale 高新技术企业 (天路集团 qualifies)
    return make_programme()


def add_figures(
    enterprise: Enterprise,
    *,
    year: int,
    revenue: int,
    base: int | None = None,
    employees: int = 100,
    months: int = 12,
) -> None:
    """Accepted monthly forms of `year`: `revenue` 千元 a month (last year `base` 千元 a month)."""
    dataset = DataSet.objects.get(code="industry-monthly")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["revenue", "employees"])}
    for month in range(1, months + 1):
        submission = Submission.objects.create(
            dataset=dataset,
            enterprise=enterprise,
            period=f"{year}{month:02d}",
            status=SubmissionStatus.ACCEPTED,
        )
        Value.objects.create(
            submission=submission,
            indicator=indicators["revenue"],
            month=Decimal(revenue),
            ytd=Decimal(revenue * month),
            base_month=None if base is None else Decimal(base),
        )
        Value.objects.create(
            submission=submission,
            indicator=indicators["employees"],
            month=Decimal(employees),
            ytd=Decimal(employees),
        )
