"""/api/v1/org-units/ and /api/v1/departments/: the caller's scope, writes by the system admin."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from qifu.audit.models import AuditEvent
from qifu.core.models import Department, OrgUnit
from qifu.core.tests.factories import DepartmentFactory, OrgUnitFactory
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/org-units/"
DEPARTMENTS = "/api/v1/departments/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def listed(api: APIClient, url: str, **query: str) -> list[dict]:
    response = api.get(url, {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Org units: reading -----------------------------------------------------------------------


def test_anonymous_is_refused_with_a_chinese_detail(api, org) -> None:
    response = api.get(UNITS)

    assert response.status_code in (401, 403)
    assert is_chinese(response.json()["detail"])


def test_the_leader_gets_the_district_and_its_streets(api, leader) -> None:
    api.force_authenticate(leader)

    response = api.get(UNITS, {"page_size": 200})

    body = response.json()
    assert body["count"] == 12
    district = body["results"][0]
    assert district == {
        "code": "370213",
        "name": "李沧区",
        "level": "district",
        "parent": "370200",
        "zone": None,
        "zone_name": None,
        "sort_order": 0,
    }
    licun = next(u for u in body["results"] if u["code"] == "370213007")
    assert licun["parent"] == "370213"
    assert licun["zone"] == "central"
    assert licun["zone_name"] == "中部"


def test_the_list_can_be_filtered_by_level(api, leader) -> None:
    api.force_authenticate(leader)

    streets = listed(api, UNITS, level="street")

    assert len(streets) == 11
    assert {u["level"] for u in streets} == {"street"}


def test_a_street_clerk_gets_only_their_street(api, licun_clerk) -> None:
    api.force_authenticate(licun_clerk)

    assert [u["code"] for u in listed(api, UNITS)] == ["370213007"]


def test_an_enterprise_user_gets_only_their_street(api, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)

    assert [u["code"] for u in listed(api, UNITS)] == ["370213007"]


def test_the_outsider_gets_none_of_licangs_units(api, outsider) -> None:
    api.force_authenticate(outsider)

    seen = [u["code"] for u in listed(api, UNITS)]

    assert seen == ["370212", "370212001"]
    assert not any(code.startswith("370213") for code in seen)


def test_the_system_admin_gets_the_whole_tree(api, sysadmin) -> None:
    api.force_authenticate(sysadmin)

    assert len(listed(api, UNITS)) == 13


@pytest.mark.parametrize("who", ["auditor", "no_role_user"])
def test_the_auditor_and_a_user_without_a_role_are_refused(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(UNITS)

    assert response.status_code == 403
    assert is_chinese(response.json()["detail"])


@pytest.mark.parametrize("who", ["leader", "licun_clerk", "enterprise_user", "sysadmin"])
def test_a_unit_inside_the_scope_can_be_read(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(f"{UNITS}370213007/")

    assert response.status_code == 200
    assert response.json()["name"] == "李村街道"


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider"])
def test_a_unit_outside_the_scope_is_not_found(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(f"{UNITS}370213007/")

    assert response.status_code == 404
    assert is_chinese(response.json()["detail"])


def test_the_org_unit_list_issues_a_fixed_number_of_queries(client, leader, district) -> None:
    client.force_login(leader)
    with CaptureQueriesContext(connection) as few:
        assert client.get(UNITS, {"page_size": 200}).status_code == 200

    for i in range(20):
        OrgUnitFactory(code=f"3702135{i:02d}", parent=district)
    with CaptureQueriesContext(connection) as many:
        response = client.get(UNITS, {"page_size": 200})

    assert response.json()["count"] == 32
    assert len(many) == len(few) == 4  # session, user, count, page


# --- Org units: writing -----------------------------------------------------------------------


def test_the_system_admin_adds_a_street_and_it_is_audited(api, sysadmin, district) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(
        UNITS,
        {
            "code": "370213012",
            "name": "新建街道",
            "level": "street",
            "parent": "370213",
            "zone": "east",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["zone_name"] == "东部"
    unit = OrgUnit.objects.get(code="370213012")
    assert unit.path == "370200/370213/370213012/"
    assert unit.zone.code == "east"
    event = AuditEvent.objects.get(action="org_unit.create", object_id=str(unit.pk))
    assert event.actor == sysadmin


def test_the_system_admin_changes_a_street_and_it_is_audited(api, sysadmin, licun) -> None:
    api.force_authenticate(sysadmin)

    response = api.patch(f"{UNITS}370213007/", {"name": "李村街道（新）"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "李村街道（新）"
    event = AuditEvent.objects.get(action="org_unit.update")
    assert event.changes == {"name": ["李村街道", "李村街道（新）"]}
    assert event.actor == sysadmin


def test_a_patch_that_changes_nothing_writes_no_audit_event(api, sysadmin, licun) -> None:
    api.force_authenticate(sysadmin)
    before = AuditEvent.objects.count()

    response = api.patch(f"{UNITS}370213007/", {"name": "李村街道"}, format="json")

    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_a_street_moves_to_another_district_when_its_zone_is_cleared(
    api, sysadmin, licun, laoshan
) -> None:
    api.force_authenticate(sysadmin)

    kept_zone = api.patch(f"{UNITS}370213007/", {"parent": "370212"}, format="json")
    moved = api.patch(f"{UNITS}370213007/", {"parent": "370212", "zone": None}, format="json")

    assert kept_zone.status_code == 400
    assert "zone" in kept_zone.json()["errors"]
    assert moved.status_code == 200, moved.content
    assert moved.json()["zone"] is None
    licun.refresh_from_db()
    assert licun.zone is None
    assert licun.path == "370200/370212/370213007/"


def test_a_zone_can_be_changed_by_its_code(api, sysadmin, licun) -> None:
    api.force_authenticate(sysadmin)

    response = api.patch(f"{UNITS}370213007/", {"zone": "east"}, format="json")

    assert response.status_code == 200
    assert response.json()["zone_name"] == "东部"
    event = AuditEvent.objects.get(action="org_unit.update")
    assert list(event.changes) == ["zone"]


def test_an_unknown_zone_is_refused_in_chinese(api, sysadmin, licun) -> None:
    api.force_authenticate(sysadmin)

    response = api.patch(f"{UNITS}370213007/", {"zone": "nowhere"}, format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["errors"]["zone"][0])


def test_a_street_under_the_city_is_refused_with_a_chinese_message(api, sysadmin, org) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(
        UNITS,
        {"code": "370200999", "name": "错误街道", "level": "street", "parent": "370200"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert is_chinese(body["detail"])
    assert "parent" in body["errors"]
    assert not OrgUnit.objects.filter(code="370200999").exists()


def test_a_zone_of_another_district_is_refused(api, sysadmin, laoshan) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(
        UNITS,
        {
            "code": "370212002",
            "name": "沙子口街道",
            "level": "street",
            "parent": "370212",
            "zone": "east",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "zone" in response.json()["errors"]


def test_a_missing_field_is_a_400_with_a_chinese_message(api, sysadmin, org) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(UNITS, {"name": "无代码"}, format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])
    assert "code" in response.json()["errors"]


@pytest.mark.parametrize(
    "who",
    ["leader", "jxj_clerk", "licun_clerk", "enterprise_user", "outsider", "secadmin", "auditor"],
)
def test_only_the_system_admin_may_add_or_change_units(api, request, who, licun) -> None:
    api.force_authenticate(request.getfixturevalue(who))
    before = AuditEvent.objects.count()

    created = api.post(
        UNITS,
        {"code": "370213013", "name": "x", "level": "street", "parent": "370213"},
        format="json",
    )
    changed = api.patch(f"{UNITS}370213007/", {"name": "x"}, format="json")

    assert created.status_code == 403
    assert changed.status_code == 403
    assert is_chinese(changed.json()["detail"])
    assert AuditEvent.objects.count() == before
    assert OrgUnit.objects.get(code="370213007").name == "李村街道"


def test_org_units_are_never_deleted_or_replaced(api, sysadmin, licun) -> None:
    api.force_authenticate(sysadmin)

    assert api.delete(f"{UNITS}370213007/").status_code == 405
    assert api.put(f"{UNITS}370213007/", {}, format="json").status_code == 405


# --- Departments ------------------------------------------------------------------------------


def test_the_leader_gets_the_fourteen_departments_of_the_district(api, leader) -> None:
    api.force_authenticate(leader)

    departments = listed(api, DEPARTMENTS)

    assert len(departments) == 14
    assert departments[0] == {
        "code": "fgj",
        "name": "区发展和改革局",
        "district": "370213",
        "is_active": True,
        "is_service_centre": False,
        "sort_order": 0,
    }


def test_the_outsider_gets_none_of_licangs_departments(api, outsider) -> None:
    api.force_authenticate(outsider)

    departments = listed(api, DEPARTMENTS)

    assert [(d["district"], d["name"]) for d in departments] == [("370212", "崂山区经济和信息化局")]


def test_the_outsider_cannot_read_a_licang_department(api, outsider, district) -> None:
    department = Department.objects.get(district=district, code="jxj")
    api.force_authenticate(outsider)

    assert api.get(f"{DEPARTMENTS}{department.pk}/").status_code == 404


def test_an_enterprise_user_gets_an_empty_directory(api, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)

    assert listed(api, DEPARTMENTS) == []


@pytest.mark.parametrize("who", ["auditor", "no_role_user"])
def test_the_department_list_refuses_the_auditor_and_a_user_without_a_role(
    api, request, who
) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(DEPARTMENTS).status_code == 403


def test_the_system_admin_adds_and_changes_a_department(api, sysadmin, district) -> None:
    api.force_authenticate(sysadmin)

    created = api.post(
        DEPARTMENTS, {"code": "yjj", "name": "区应急管理局", "district": "370213"}, format="json"
    )
    department = Department.objects.get(district=district, code="yjj")
    changed = api.patch(f"{DEPARTMENTS}{department.pk}/", {"is_active": False}, format="json")

    assert created.status_code == 201, created.content
    assert changed.status_code == 200, changed.content
    actions = list(
        AuditEvent.objects.filter(object_type="core.department", object_id=str(department.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["department.create", "department.update"]


def test_a_department_of_a_street_is_refused(api, sysadmin, org) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(
        DEPARTMENTS, {"code": "x", "name": "街道部门", "district": "370213007"}, format="json"
    )

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])


@pytest.mark.parametrize("who", ["leader", "jxj_clerk", "outsider", "secadmin", "enterprise_user"])
def test_only_the_system_admin_may_add_departments(api, request, who, district) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.post(
        DEPARTMENTS, {"code": "yjj", "name": "区应急管理局", "district": "370213"}, format="json"
    )

    assert response.status_code == 403
    assert not Department.objects.filter(code="yjj").exists()


def test_the_department_list_issues_a_fixed_number_of_queries(client, leader, district) -> None:
    client.force_login(leader)
    with CaptureQueriesContext(connection) as few:
        assert client.get(DEPARTMENTS, {"page_size": 200}).status_code == 200

    DepartmentFactory.create_batch(30, district=district)
    with CaptureQueriesContext(connection) as many:
        response = client.get(DEPARTMENTS, {"page_size": 200})

    assert response.json()["count"] == 44
    assert len(many) == len(few) == 4  # session, user, count, page
