"""/api/v1/accounts/users/: account administration, for the security admin only (三员分立)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qifu.accounts.models import User
from qifu.accounts.tests.factories import UserFactory
from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/users/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_anonymous_is_refused(api, org) -> None:
    assert api.get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    "who",
    ["leader", "jxj_clerk", "licun_clerk", "enterprise_user", "outsider", "sysadmin", "auditor"],
)
def test_everyone_but_the_security_admin_is_refused(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    listed = api.get(URL)
    created = api.post(URL, {"username": "sneaky", "password": "x"}, format="json")

    assert listed.status_code == 403
    assert created.status_code == 403
    assert is_chinese(listed.json()["detail"])
    assert not User.objects.filter(username="sneaky").exists()


def test_the_security_admin_lists_and_searches_accounts(api, secadmin, leader, outsider) -> None:
    api.force_authenticate(secadmin)

    everyone = api.get(URL).json()
    found = api.get(URL, {"search": "outs"}).json()

    assert everyone["count"] == User.objects.count()
    assert [u["username"] for u in found["results"]] == ["outsider"]
    assert "password" not in found["results"][0]


def test_the_security_admin_creates_an_account_hashed_and_audited(api, secadmin, licun) -> None:
    api.force_authenticate(secadmin)

    response = api.post(
        URL,
        {
            "username": "licun2",
            "full_name": "李村街道 王干事",
            "role": "street_staff",
            "org_unit": "370213007",
            "password": "Strong-Pass-2026",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert "password" not in response.json()
    user = User.objects.get(username="licun2")
    assert user.password != "Strong-Pass-2026"
    assert user.check_password("Strong-Pass-2026")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == secadmin
    assert "Strong-Pass-2026" not in str(event.changes)


@pytest.mark.real_password_hashers
def test_a_password_set_through_the_api_is_stored_with_argon2(api, secadmin) -> None:
    api.force_authenticate(secadmin)

    api.post(
        URL,
        {"username": "argon_api", "role": "audit_admin", "password": "Strong-Pass-2026"},
        format="json",
    )

    assert User.objects.get(username="argon_api").password.startswith("argon2")


def test_an_account_without_a_valid_scope_is_refused_in_chinese(api, secadmin, district) -> None:
    api.force_authenticate(secadmin)

    response = api.post(
        URL, {"username": "bad", "role": "street_staff", "org_unit": "370213"}, format="json"
    )

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])
    assert "org_unit" in response.json()["errors"]
    assert not User.objects.filter(username="bad").exists()


def test_the_security_admin_disables_an_account(api, secadmin, leader) -> None:
    api.force_authenticate(secadmin)

    response = api.patch(f"{URL}{leader.pk}/", {"is_active": False}, format="json")

    assert response.status_code == 200
    leader.refresh_from_db()
    assert not leader.is_active
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes == {"is_active": [True, False]}


def test_accounts_are_never_deleted(api, secadmin, leader) -> None:
    api.force_authenticate(secadmin)

    assert api.delete(f"{URL}{leader.pk}/").status_code == 405
    assert User.objects.filter(pk=leader.pk).exists()


def test_the_user_list_issues_a_fixed_number_of_queries(
    client, secadmin, leader, jxj_clerk, django_assert_num_queries
) -> None:
    client.force_login(secadmin)
    UserFactory.create_batch(25)

    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(URL, {"page_size": 200})

    assert response.json()["count"] == User.objects.count()
