"""Fixtures of the enterprise registry tests: a small registry spread over streets and zones.

The cast (leader, licun_clerk, …) and 天路集团 / 瑞丰气体 come from qifu/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import OrgUnit
from qifu.enterprises.models import Enterprise, Kind, Status
from qifu.enterprises.tests.factories import EnterpriseFactory


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def registry(tianlu, ruifeng) -> dict[str, Enterprise]:
    """Five enterprises of 李沧区, by name.

    天路集团        李村街道 (central)  C 3434  above scale, key, 高新技术企业
    瑞丰气体        楼山街道 (west)     C 2619  above scale
    青岛天路物流有限公司 九水街道 (east)  G 5810
    青岛银行李沧支行  李村街道 (central)  J 6621  financial, key
    李村百货商店     李村街道 (central)  F 5211  closed
    """
    jiushui = OrgUnit.objects.get(code="370213011")
    licun = tianlu.street
    logistics = EnterpriseFactory(
        name="青岛天路物流有限公司",
        credit_code="91330100716105852F",
        street=jiushui,
        industry_code="5810",
        registered_capital=Decimal("800.00"),
        contacts=[{"name": "王芳", "title": "经理", "phone": "13700001111"}],
    )
    bank = EnterpriseFactory(
        name="青岛银行李沧支行",
        credit_code="914403001922038216",
        street=licun,
        industry_code="6621",
        kind=Kind.FINANCIAL,
        is_key=True,
        registered_capital=None,
    )
    store = EnterpriseFactory(
        name="李村百货商店",
        street=licun,
        industry_code="5211",
        status=Status.CLOSED,
        established_on=dt.date(1998, 5, 12),
        registered_capital=Decimal("50.00"),
    )
    return {e.name: e for e in (tianlu, ruifeng, logistics, bank, store)}


@pytest.fixture
def laoshan_enterprise(laoshan) -> Enterprise:
    # an enterprise of 崂山区 (中韩街道): the outsider's, never seen by anyone of 李沧区
    return EnterpriseFactory(
        name="崂山科技有限公司", street=OrgUnit.objects.get(code="370212001"), industry_code="6513"
    )


@pytest.fixture
def privileged_clerk(licun) -> User:
    # a 李村街道 clerk who has been granted the right to see personal data in full
    return UserFactory(
        username="licun_privileged",
        role=Role.STREET_STAFF,
        org_unit=licun,
        sees_personal_data=True,
    )
