"""Fixtures of the investment tests: the investment clerk, a REST client, and builders that make
channels, leads and resources through the services.

The rest of the cast comes from qifu/conftest.py: `leader` (李沧区) also runs the pipeline,
`jxj_clerk` (department staff) and `licun_clerk` (李村街道) only read resources, `outsider` is a
leader of 崂山区, `enterprise_user`, `auditor`, `sysadmin` and `no_role_user` see nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import OrgUnit
from qifu.investment import services
from qifu.investment.models import Channel, ChannelKind, Lead, Resource, ResourceKind


@pytest.fixture
def investment_clerk(district) -> User:
    # 招商 staff of 李沧区 (区投资促进局): runs the district's leads, channels and resources
    return UserFactory(username="tcj_clerk", role=Role.INVESTMENT_STAFF, org_unit=district)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def street(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


LICUN, LOUSHAN, JIUSHUI = "370213007", "370213006", "370213011"


def make_channel(by: User, name: str = "青岛温州商会", **values: Any) -> Channel:
    return services.channel_save(
        by=by, name=name, kind=values.pop("kind", ChannelKind.CHAMBER), **values
    )


def make_lead(by: User, **values: Any) -> Lead:
    values = {
        "investor": "温州正泰集团",
        "title": "智能电气生产基地",
        "origin": "浙江温州",
        "industry": "电气机械",
        "amount": Decimal("30000"),
        **values,
    }
    return services.lead_save(by=by, **values)


def make_resource(by: User, name: str = "九水东路工业地块", **values: Any) -> Resource:
    kind = values.pop("kind", ResourceKind.LAND)
    defaults: dict[str, Any] = {"street": street(values.pop("street_code", JIUSHUI))}
    if kind == ResourceKind.LAND:
        defaults |= {"area_mu": Decimal("50"), "land_use": "industrial", "price": Decimal("45")}
    else:
        defaults |= {"area_m2": Decimal("3000"), "land_use": "industrial", "rent": Decimal("18")}
    if kind == ResourceKind.BUILDING:
        defaults |= {"building": "万达广场写字楼", "floor": "12F", "land_use": "office"}
    return services.resource_save(by=by, kind=kind, name=name, **(defaults | values))


def make_project(name: str = "鲁抗医药物流中心", street_code: str = LICUN) -> Any:
    """A project of qifu/projects in a street (the projects app's own services are not needed
    here: only the link from a lead or a resource to a project is tested)."""
    from django.utils import timezone

    from qifu.projects.models import Project

    return Project.objects.create(
        name=name,
        investor="投资方",
        street=street(street_code),
        total_investment=Decimal("7000"),
        stage_date=timezone.localdate(),
    )


@pytest.fixture
def project(district) -> Any:
    # a project of 李沧区 (李村街道)
    return make_project()


@pytest.fixture
def other_project(district) -> Any:
    # another project of 李沧区 (楼山街道)
    return make_project("蒙牛乳业物流中心", LOUSHAN)
