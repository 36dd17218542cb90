"""enterprises.permissions: what each role may do with the registry, and who sees phones in full."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from qifu.enterprises import permissions
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "opens", "creates", "imports"),
    [
        ("leader", True, True, True),
        ("jxj_clerk", True, True, True),
        ("licun_clerk", True, True, True),
        ("outsider", True, True, True),
        ("enterprise_user", True, False, False),
        ("sysadmin", False, False, False),
        ("secadmin", False, False, False),
        ("auditor", False, False, False),
        ("no_role_user", False, False, False),
    ],
)
def test_what_each_role_may_do(request, who, opens, creates, imports) -> None:
    user = request.getfixturevalue(who)

    assert permissions.can_open_registry(user) is opens
    assert permissions.can_create(user) is creates
    assert permissions.can_edit(user) is creates
    assert permissions.can_import(user) is imports


def test_anonymous_may_do_nothing(tianlu) -> None:
    anonymous = AnonymousUser()

    assert not permissions.can_open_registry(anonymous)
    assert not permissions.can_edit_contacts(anonymous, tianlu)
    assert not permissions.sees_full_phone(anonymous, tianlu)


def test_an_inactive_leader_may_do_nothing(leader, tianlu) -> None:
    leader.is_active = False

    assert not permissions.can_open_registry(leader)
    assert not permissions.sees_full_phone(leader, tianlu)


def test_an_enterprise_user_keeps_the_contacts_of_their_own_enterprise_only(
    enterprise_user, tianlu, ruifeng
) -> None:
    assert permissions.can_edit_contacts(enterprise_user, tianlu)
    assert not permissions.can_edit_contacts(enterprise_user, ruifeng)


@pytest.mark.parametrize(
    ("who", "full"),
    [
        ("leader", True),
        ("privileged_clerk", True),
        ("enterprise_user", True),
        ("licun_clerk", False),
        ("jxj_clerk", False),
        ("sysadmin", False),
    ],
)
def test_who_sees_the_phone_numbers_of_tianlu_in_full(request, who, full, tianlu) -> None:
    assert permissions.sees_full_phone(request.getfixturevalue(who), tianlu) is full


def test_an_enterprise_user_does_not_see_another_enterprises_phones(
    enterprise_user, ruifeng
) -> None:
    assert not permissions.sees_full_phone(enterprise_user, ruifeng)


def test_the_responsible_leader_sees_their_enterprises_phones(leader, jxj_clerk, licun) -> None:
    enterprise = EnterpriseFactory(street=licun, is_key=True, responsible_leader=leader)

    assert permissions.sees_full_phone(leader, enterprise)
    assert not permissions.sees_full_phone(jxj_clerk, enterprise)
