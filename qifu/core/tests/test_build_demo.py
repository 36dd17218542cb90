"""`manage.py build_demo`: the demo district and its accounts, safe to run again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from qifu.accounts.models import Role, User
from qifu.appeals.demo import STAFF_USERNAMES
from qifu.audit.models import AuditEvent
from qifu.core import services
from qifu.core.demo import DEMO_USERNAMES
from qifu.core.models import Department, Holiday, OrgUnit, Zone
from qifu.enterprises.demo import LEADERS
from qifu.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "org_units": OrgUnit.objects.count(),
        "zones": Zone.objects.count(),
        "departments": Department.objects.count(),
        "users": User.objects.count(),
        "holidays": Holiday.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def test_build_demo_builds_the_district_and_the_demo_accounts(settings) -> None:
    out = StringIO()

    call_command("build_demo", stdout=out)

    assert "demo ready" in out.getvalue()
    assert OrgUnit.objects.count() == 13
    assert Zone.objects.count() == 3
    assert Department.objects.count() == 14
    # the demo accounts, the district's other leaders who are responsible for key enterprises,
    # and the staff of the departments that handle appeals; enterprises' portal accounts aside
    expected = set(DEMO_USERNAMES) | {u for u, _name in LEADERS} | set(STAFF_USERNAMES)
    portal = Enterprise.objects.values("credit_code")
    named = User.objects.exclude(username__in=portal).values_list("username", flat=True)
    assert sorted(named) == sorted(expected)
    leader = User.objects.get(username="leader")
    assert leader.role == Role.DISTRICT_LEADER
    assert leader.org_unit.code == "370213"
    assert leader.check_password(settings.QIFU_DEMO_PASSWORD)
    assert User.objects.get(username="jxj").department.code == "jxj"


def test_build_demo_run_twice_creates_no_duplicates_and_no_audit_events() -> None:
    call_command("build_demo", stdout=StringIO())
    first = _counts()

    call_command("build_demo", stdout=StringIO())

    assert _counts() == first


def test_build_demo_brings_a_changed_demo_row_back(sysadmin) -> None:
    call_command("build_demo", stdout=StringIO())
    services.org_unit_save(by=sysadmin, unit=OrgUnit.objects.get(code="370213007"), name="改名")
    before = AuditEvent.objects.count()

    call_command("build_demo", stdout=StringIO())

    assert OrgUnit.objects.get(code="370213007").name == "李村街道"
    assert AuditEvent.objects.count() == before + 1
