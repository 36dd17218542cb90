"""scope_for, visible_org_units and visible_departments: what each member of the cast may see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from qifu.accounts import permissions, scope
from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import OrgUnit

pytestmark = pytest.mark.django_db


def codes(user: User | AnonymousUser) -> set[str]:
    return set(scope.visible_org_units(user).values_list("code", flat=True))


def test_the_leader_sees_the_district_and_its_eleven_streets(leader) -> None:
    seen = codes(leader)

    assert len(seen) == 12
    assert "370213" in seen
    assert "370200" not in seen


def test_a_street_clerk_sees_only_their_street(licun_clerk) -> None:
    assert codes(licun_clerk) == {"370213007"}


def test_the_clerk_of_another_street_does_not_see_licun(loushan_clerk) -> None:
    assert codes(loushan_clerk) == {"370213006"}


def test_an_enterprise_user_sees_only_their_street(enterprise_user) -> None:
    assert codes(enterprise_user) == {"370213007"}


def test_the_outsider_sees_only_their_own_district(outsider, district) -> None:
    assert codes(outsider) == {"370212", "370212001"}


def test_the_district_scope_of_a_street_clerk_is_their_district(licun_clerk, district) -> None:
    assert scope.scope_for(licun_clerk).district == district


@pytest.mark.parametrize("who", ["auditor", "no_role_user"])
def test_the_auditor_and_a_user_without_a_role_see_nothing(request, who) -> None:
    user = request.getfixturevalue(who)

    assert codes(user) == set()
    assert not scope.visible_departments(user).exists()


def test_configuration_and_security_admins_see_the_whole_tree(sysadmin, secadmin, laoshan) -> None:
    everything = set(OrgUnit.objects.values_list("code", flat=True))

    assert codes(sysadmin) == everything
    assert codes(secadmin) == everything


def test_anonymous_and_disabled_users_see_nothing(leader, district) -> None:
    disabled = UserFactory(role=Role.DISTRICT_LEADER, org_unit=district, is_active=False)

    assert codes(AnonymousUser()) == set()
    assert codes(disabled) == set()
    assert scope.scope_for(disabled).is_empty


def test_officials_see_every_department_of_their_district(leader, jxj_clerk, licun_clerk) -> None:
    for user in (leader, jxj_clerk, licun_clerk):
        assert scope.visible_departments(user).count() == 14


def test_the_outsider_sees_only_their_own_districts_departments(outsider, laoshan) -> None:
    assert list(scope.visible_departments(outsider).values_list("district__code", flat=True)) == [
        "370212"
    ]


def test_an_enterprise_user_sees_no_departments(enterprise_user) -> None:
    assert not scope.visible_departments(enterprise_user).exists()


def test_a_city_official_sees_the_departments_of_every_district(laoshan) -> None:
    city = OrgUnit.objects.get(code="370200")
    official = UserFactory(role=Role.DISTRICT_LEADER, org_unit=city)

    assert scope.visible_departments(official).count() == 15


@pytest.mark.parametrize(
    ("who", "configure", "accounts", "audit", "calendar", "read_org"),
    [
        ("leader", False, False, False, True, True),
        ("jxj_clerk", False, False, False, True, True),
        ("licun_clerk", False, False, False, True, True),
        ("enterprise_user", False, False, False, False, True),
        ("outsider", False, False, False, True, True),
        ("no_role_user", False, False, False, False, False),
        ("sysadmin", True, False, False, True, True),
        ("secadmin", False, True, False, False, True),
        ("auditor", False, False, True, False, False),
    ],
)
def test_each_role_has_only_its_own_permissions(
    request, who, configure, accounts, audit, calendar, read_org
) -> None:
    user = request.getfixturevalue(who)

    assert permissions.can_configure(user) is configure
    assert permissions.can_manage_accounts(user) is accounts
    assert permissions.can_read_audit(user) is audit
    assert permissions.can_read_calendar(user) is calendar
    assert permissions.can_read_org(user) is read_org


def test_anonymous_has_no_permission(org) -> None:
    anonymous = AnonymousUser()

    assert not permissions.can_read_org(anonymous)
    assert not permissions.can_read_calendar(anonymous)
    assert not permissions.can_configure(anonymous)
