"""org_unit_save, zone_save and department_save: validation, paths and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from qifu.audit.models import AuditEvent
from qifu.core import services
from qifu.core.models import Department, Level, OrgUnit, Zone

pytestmark = pytest.mark.django_db


def _city() -> OrgUnit:
    return OrgUnit.objects.get(code="370200")


def test_the_demo_org_has_a_city_a_district_eleven_streets_and_fourteen_departments(
    district,
) -> None:
    assert OrgUnit.objects.filter(level=Level.CITY).count() == 1
    assert list(OrgUnit.objects.filter(level=Level.DISTRICT)) == [district]
    assert OrgUnit.objects.filter(level=Level.STREET, parent=district).count() == 11
    assert Department.objects.filter(district=district).count() == 14
    assert Zone.objects.filter(district=district).count() == 3


def test_paths_hold_the_codes_from_the_root(licun) -> None:
    assert licun.path == "370200/370213/370213007/"


def test_a_street_under_a_city_is_refused(org) -> None:
    with pytest.raises(ValidationError) as raised:
        services.org_unit_save(
            by=None, code="370200999", name="错误街道", level=Level.STREET, parent=_city()
        )

    assert "parent" in raised.value.message_dict
    assert not OrgUnit.objects.filter(code="370200999").exists()


def test_a_district_under_a_district_is_refused(district) -> None:
    with pytest.raises(ValidationError):
        services.org_unit_save(
            by=None, code="370299", name="错误区", level=Level.DISTRICT, parent=district
        )


def test_a_street_without_a_parent_is_refused(org) -> None:
    with pytest.raises(ValidationError):
        services.org_unit_save(by=None, code="370213099", name="孤立街道", level=Level.STREET)


def test_a_city_with_a_parent_is_refused(district) -> None:
    with pytest.raises(ValidationError) as raised:
        services.org_unit_save(
            by=None, code="370000", name="错误市", level=Level.CITY, parent=district
        )

    assert "parent" in raised.value.message_dict


def test_a_district_in_a_zone_is_refused(district) -> None:
    zone = Zone.objects.get(district=district, code="east")

    with pytest.raises(ValidationError) as raised:
        services.org_unit_save(by=None, unit=district, zone=zone)

    assert "zone" in raised.value.message_dict


def test_a_street_in_a_zone_of_another_district_is_refused(laoshan, district) -> None:
    zone = Zone.objects.get(district=district, code="east")

    with pytest.raises(ValidationError) as raised:
        services.org_unit_save(
            by=None,
            code="370212099",
            name="越界街道",
            level=Level.STREET,
            parent=laoshan,
            zone=zone,
        )

    assert "zone" in raised.value.message_dict


def test_a_duplicate_code_is_refused(district) -> None:
    with pytest.raises(ValidationError) as raised:
        services.org_unit_save(
            by=None, code="370213007", name="重复", level=Level.STREET, parent=district
        )

    assert "code" in raised.value.message_dict


def test_creating_a_unit_writes_one_audit_event_with_the_new_values(district, sysadmin) -> None:
    before = AuditEvent.objects.count()

    unit = services.org_unit_save(
        by=sysadmin, code="370213012", name="新街道", level=Level.STREET, parent=district
    )

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="org_unit.create", object_id=str(unit.pk))
    assert event.actor == sysadmin
    assert event.actor_role == "system_admin"
    assert event.object_type == "core.orgunit"
    assert event.object_repr == "新街道"
    assert event.changes["code"] == [None, "370213012"]
    assert event.changes["parent"] == [None, district.pk]
    assert unit.path == "370200/370213/370213012/"


def test_changing_a_unit_writes_one_audit_event_with_before_and_after(licun, sysadmin) -> None:
    before = AuditEvent.objects.count()

    services.org_unit_save(by=sysadmin, unit=licun, name="李村街道办事处", sort_order=42)

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "org_unit.update"
    assert event.changes == {"name": ["李村街道", "李村街道办事处"], "sort_order": [6, 42]}


def test_a_save_without_a_change_writes_no_audit_event(licun, sysadmin) -> None:
    before = AuditEvent.objects.count()

    services.org_unit_save(by=sysadmin, unit=licun, name="李村街道", level=Level.STREET)

    assert AuditEvent.objects.count() == before


def test_changing_a_code_updates_the_paths_of_the_descendants(district, sysadmin) -> None:
    before = AuditEvent.objects.count()

    services.org_unit_save(by=sysadmin, unit=district, code="370299")

    assert OrgUnit.objects.get(code="370299").path == "370200/370299/"
    streets = OrgUnit.objects.filter(level=Level.STREET)
    assert streets.count() == 11
    assert all(s.path.startswith("370200/370299/") for s in streets)
    assert OrgUnit.objects.get(code="370213007").path == "370200/370299/370213007/"
    assert AuditEvent.objects.count() == before + 1


def test_moving_a_street_to_another_district_moves_its_path(licun, laoshan, sysadmin) -> None:
    services.org_unit_save(by=sysadmin, unit=licun, parent=laoshan, zone=None)

    licun.refresh_from_db()
    assert licun.path == "370200/370212/370213007/"


def test_a_failed_change_leaves_the_stored_row_alone(licun) -> None:
    with pytest.raises(ValidationError):
        services.org_unit_save(by=None, unit=licun, parent=_city())

    licun.refresh_from_db()
    assert licun.parent.code == "370213"


def test_zone_save_refuses_a_zone_of_a_street(licun) -> None:
    with pytest.raises(ValidationError) as raised:
        services.zone_save(by=None, district=licun, code="north", name="北部")

    assert "district" in raised.value.message_dict


def test_zone_save_writes_one_audit_event_per_change(district, sysadmin) -> None:
    zone = Zone.objects.get(district=district, code="east")

    services.zone_save(by=sysadmin, zone=zone, name="东部片区")
    services.zone_save(by=sysadmin, zone=zone, name="东部片区")

    events = AuditEvent.objects.filter(action="zone.update")
    assert [e.changes for e in events] == [{"name": ["东部", "东部片区"]}]


def test_department_save_refuses_a_department_of_a_street(licun) -> None:
    with pytest.raises(ValidationError) as raised:
        services.department_save(by=None, district=licun, code="x", name="街道部门")

    assert "district" in raised.value.message_dict


def test_department_codes_are_unique_within_a_district_only(district, laoshan) -> None:
    with pytest.raises(ValidationError):
        services.department_save(by=None, district=district, code="jxj", name="重复的经信局")

    assert Department.objects.filter(code="jxj").count() == 2  # 李沧区 and 崂山区


def test_department_save_writes_before_and_after(district, sysadmin) -> None:
    department = Department.objects.get(district=district, code="kjj")

    services.department_save(by=sysadmin, department=department, is_active=False)

    event = AuditEvent.objects.get(action="department.update")
    assert event.changes == {"is_active": [True, False]}
    assert event.object_repr == "区科学技术局"
