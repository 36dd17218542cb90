"""enterprises.demo.build: the demo district's ~300 enterprises, valid and built only once."""

from __future__ import annotations

import pytest

from qifu.accounts.models import Role, User
from qifu.audit.models import AuditEvent
from qifu.core import demo as core_demo
from qifu.enterprises import demo
from qifu.enterprises.models import Contact, Enterprise
from qifu.lib import credit_code

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "contacts": Contact.objects.count(),
        "users": User.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def test_the_demo_builds_the_district_registry_once(org) -> None:
    core_demo.build_org()

    result = demo.build()
    first = _counts()
    again = demo.build()

    enterprises = Enterprise.objects.select_related("street", "responsible_leader")
    assert result["created"] == result["total"] == first["enterprises"]
    assert first["enterprises"] >= 300
    above = [e for e in enterprises if e.is_above_scale]
    assert 110 <= len(above) <= 130
    assert {e.industry_section for e in above} <= {"B", "C", "D"}
    key = [e for e in enterprises if e.is_key]
    assert len(key) >= 60
    assert all(e.responsible_leader is not None for e in key)
    assert {e.responsible_leader.role for e in key} == {Role.DISTRICT_LEADER}
    assert {e.responsible_leader.org_unit.code for e in key} == {"370213"}
    assert not [e.credit_code for e in enterprises if credit_code.problem(e.credit_code)]
    assert len({e.credit_code for e in enterprises}) == first["enterprises"]
    assert {e.street.parent.code for e in enterprises} == {"370213"}
    assert Enterprise.objects.get(name="天路集团").street.name == "李村街道"
    assert Enterprise.objects.get(name="瑞丰气体").street.name == "楼山街道"
    assert first["contacts"] == first["enterprises"]
    # run again: nothing more, and nothing written to the audit trail
    assert again == {"created": 0, "total": first["enterprises"]}
    assert _counts() == first
