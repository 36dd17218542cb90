"""The administration pages: the system admin keeps the structure, the security admin accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.accounts.models import User
from qifu.audit.models import AuditEvent
from qifu.core.models import Holiday, OrgUnit, Zone
from qifu.core.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _org_unit_form(unit: OrgUnit, **changes: object) -> dict[str, object]:
    data = {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent": unit.parent_id or "",
        "zone": unit.zone_id or "",
        "sort_order": unit.sort_order,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_the_admin_login(client, org) -> None:
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.parametrize(
    "who", ["leader", "jxj_clerk", "licun_clerk", "enterprise_user", "outsider", "auditor"]
)
def test_business_users_and_the_auditor_are_sent_to_the_admin_login(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    index = client.get("/admin/")
    changelist = client.get("/admin/core/orgunit/")

    assert index.status_code == 302
    assert index["Location"].startswith("/admin/login/")
    assert changelist.status_code == 302
    assert changelist["Location"].startswith("/admin/login/")


def test_the_system_admin_sees_the_structure_and_calendar_but_not_accounts(
    client, sysadmin
) -> None:
    client.force_login(sysadmin)

    html = client.get("/admin/").content.decode()

    assert "/admin/core/orgunit/" in html
    assert "/admin/core/holiday/" in html
    assert "/admin/accounts/user/" not in html
    assert client.get("/admin/accounts/user/").status_code == 403


def test_the_security_admin_sees_accounts_but_not_the_structure(client, secadmin) -> None:
    client.force_login(secadmin)

    html = client.get("/admin/").content.decode()

    assert "/admin/accounts/user/" in html
    assert "/admin/core/orgunit/" not in html
    assert client.get("/admin/core/orgunit/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 200


def test_an_admin_change_of_an_org_unit_writes_an_audit_event(client, sysadmin, licun) -> None:
    client.force_login(sysadmin)

    response = client.post(
        f"/admin/core/orgunit/{licun.pk}/change/", _org_unit_form(licun, name="李村街道办事处")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    licun.refresh_from_db()
    assert licun.name == "李村街道办事处"
    event = AuditEvent.objects.get(action="org_unit.update")
    assert event.actor == sysadmin
    assert event.changes == {"name": ["李村街道", "李村街道办事处"]}


def test_an_admin_change_of_a_district_code_moves_its_streets(client, sysadmin, district) -> None:
    client.force_login(sysadmin)

    response = client.post(
        f"/admin/core/orgunit/{district.pk}/change/", _org_unit_form(district, code="370298")
    )

    assert response.status_code == 302
    assert OrgUnit.objects.get(code="370213007").path == "370200/370298/370213007/"


def test_an_invalid_admin_change_is_shown_and_not_saved(client, sysadmin, licun) -> None:
    client.force_login(sysadmin)
    city = OrgUnit.objects.get(code="370200")
    before = AuditEvent.objects.count()

    response = client.post(
        f"/admin/core/orgunit/{licun.pk}/change/", _org_unit_form(licun, parent=city.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert AuditEvent.objects.count() == before
    licun.refresh_from_db()
    assert licun.parent.code == "370213"


def test_an_admin_addition_of_a_street_is_audited(client, sysadmin, district) -> None:
    client.force_login(sysadmin)
    zone = Zone.objects.get(district=district, code="east")

    response = client.post(
        "/admin/core/orgunit/add/",
        {
            "code": "370213012",
            "name": "新建街道",
            "level": "street",
            "parent": district.pk,
            "zone": zone.pk,
            "sort_order": 11,
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="370213012")
    assert unit.path == "370200/370213/370213012/"
    assert AuditEvent.objects.filter(action="org_unit.create", object_id=str(unit.pk)).exists()


def test_org_units_cannot_be_deleted_in_the_admin(client, sysadmin, licun) -> None:
    client.force_login(sysadmin)

    response = client.post(f"/admin/core/orgunit/{licun.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert OrgUnit.objects.filter(pk=licun.pk).exists()


def test_removing_a_calendar_day_in_the_admin_is_audited(client, sysadmin) -> None:
    day = Holiday.objects.get(date=dt.date(2026, 2, 28))
    client.force_login(sysadmin)

    response = client.post(f"/admin/core/holiday/{day.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.get(action="holiday.delete").actor == sysadmin


def test_the_security_admin_creates_an_account_in_the_admin(client, secadmin, licun) -> None:
    client.force_login(secadmin)

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "licun3",
            "full_name": "李村街道 周干事",
            "email": "",
            "phone": "",
            "role": "street_staff",
            "org_unit": licun.pk,
            "department": "",
            "is_active": "on",
            "new_password": "Strong-Pass-2026",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="licun3")
    assert user.check_password("Strong-Pass-2026")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == secadmin
    assert "Strong-Pass-2026" not in str(event.changes)


def test_the_org_unit_changelist_issues_a_fixed_number_of_queries(
    client, sysadmin, district
) -> None:
    client.force_login(sysadmin)
    client.get("/admin/core/orgunit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/core/orgunit/")

    for i in range(20):
        OrgUnitFactory(code=f"3702137{i:02d}", parent=district)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/admin/core/orgunit/")

    assert response.status_code == 200
    assert len(many) == len(few)
