"""user_save: accounts are valid for their role, hashed, and audited without the password."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from qifu.accounts import services
from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.audit.models import AuditEvent
from qifu.core.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.real_password_hashers
def test_a_password_is_hashed_with_argon2_by_default(org) -> None:
    user = services.user_save(by=None, password="Real-Password-2026", username="argon")

    assert user.password.startswith("argon2")
    assert "Real-Password-2026" not in user.password
    assert user.check_password("Real-Password-2026")


def test_an_account_created_without_a_password_cannot_log_in(org) -> None:
    user = services.user_save(by=None, username="nopass", role=Role.SYSTEM_ADMIN)

    assert not user.has_usable_password()


def test_creating_an_account_writes_an_audit_event_without_the_password(secadmin, licun) -> None:
    user = services.user_save(
        by=secadmin,
        password="Secret-2026",
        username="new_clerk",
        role=Role.STREET_STAFF,
        org_unit=licun,
    )

    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == secadmin
    assert event.changes["role"] == [None, "street_staff"]
    assert "Secret-2026" not in str(event.changes)
    assert "password" not in event.changes


def test_a_password_change_is_recorded_masked(secadmin, leader) -> None:
    services.user_save(by=secadmin, user=leader, password="Another-2026")

    event = AuditEvent.objects.get(action="user.update")
    assert event.changes == {"password": ["***", "***"]}


def test_a_save_without_a_change_writes_no_audit_event(secadmin, leader) -> None:
    before = AuditEvent.objects.count()

    services.user_save(by=secadmin, user=leader, role=Role.DISTRICT_LEADER)

    assert AuditEvent.objects.count() == before


def test_street_staff_must_belong_to_a_street(district) -> None:
    with pytest.raises(ValidationError) as raised:
        UserFactory(role=Role.STREET_STAFF, org_unit=district)

    assert "org_unit" in raised.value.message_dict


def test_an_official_needs_an_org_unit(org) -> None:
    with pytest.raises(ValidationError) as raised:
        UserFactory(role=Role.DISTRICT_LEADER)

    assert "org_unit" in raised.value.message_dict


def test_department_staff_need_a_department_of_their_district(district, laoshan) -> None:
    with pytest.raises(ValidationError):
        UserFactory(role=Role.DEPARTMENT_STAFF, org_unit=district)

    other = Department.objects.get(district=laoshan, code="jxj")
    with pytest.raises(ValidationError) as raised:
        UserFactory(role=Role.DEPARTMENT_STAFF, org_unit=district, department=other)

    assert "department" in raised.value.message_dict


def test_only_department_staff_have_a_department(district) -> None:
    department = Department.objects.get(district=district, code="jxj")

    with pytest.raises(ValidationError) as raised:
        UserFactory(role=Role.DISTRICT_LEADER, org_unit=district, department=department)

    assert "department" in raised.value.message_dict


def test_a_refused_account_is_not_saved(district) -> None:
    with pytest.raises(ValidationError):
        UserFactory(username="refused", role=Role.STREET_STAFF, org_unit=district)

    assert not User.objects.filter(username="refused").exists()


def test_usernames_are_unique(leader, district) -> None:
    with pytest.raises(ValidationError) as raised:
        UserFactory(username="leader", role=Role.DISTRICT_LEADER, org_unit=district)

    assert "username" in raised.value.message_dict


def test_the_factory_builds_chinese_names(leader) -> None:
    assert all("\u4e00" <= ch <= "\u9fff" for ch in leader.full_name)


def test_a_weak_password_is_refused_with_a_chinese_reason(org) -> None:
    with pytest.raises(ValidationError) as refused:
        services.user_save(by=None, password="1", username="weak")

    assert any("密码" in m for m in refused.value.messages)
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize("change", [{"role": Role.AUDIT_ADMIN}, {"is_active": False}])
def test_the_security_admin_cannot_change_their_own_role_or_disable_themselves(
    secadmin, change
) -> None:
    with pytest.raises(ValidationError):
        services.user_save(by=secadmin, user=secadmin, **change)

    secadmin.refresh_from_db()
    assert secadmin.role == Role.SECURITY_ADMIN
    assert secadmin.is_active
