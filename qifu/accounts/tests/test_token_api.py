"""POST /api/v1/auth/token/ and `Authorization: Token <token>`; GET /api/v1/me/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qifu.accounts import services
from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_a_right_password_gives_a_token(api, leader, password) -> None:
    response = api.post(TOKEN, {"username": "leader", "password": password}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert len(response.json()["token"]) == 40
    assert AuditEvent.objects.filter(action="auth.token", actor=leader).count() == 1


def test_the_same_token_is_given_again(api, leader, password) -> None:
    first = api.post(TOKEN, {"username": "leader", "password": password}, format="json")
    second = api.post(TOKEN, {"username": "leader", "password": password}, format="json")

    assert first.json()["token"] == second.json()["token"]


def test_a_wrong_password_is_a_400_with_a_chinese_detail(api, leader) -> None:
    response = api.post(TOKEN, {"username": "leader", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert is_chinese(response.json()["detail"])
    assert not AuditEvent.objects.filter(action="auth.token").exists()


def test_a_disabled_account_gets_no_token(api, leader, password, secadmin) -> None:
    services.user_save(by=secadmin, user=leader, is_active=False)

    response = api.post(TOKEN, {"username": "leader", "password": password}, format="json")

    assert response.status_code == 400


def test_a_missing_field_is_a_400_with_a_chinese_detail(api, org) -> None:
    response = api.post(TOKEN, {"username": "leader"}, format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])
    assert "password" in response.json()["errors"]


def test_get_is_not_allowed(api, org) -> None:
    assert api.get(TOKEN).status_code == 405


def test_the_token_authenticates_api_calls(api, leader, password) -> None:
    token = api.post(TOKEN, {"username": "leader", "password": password}, format="json").json()[
        "token"
    ]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    units = client.get("/api/v1/org-units/")

    assert me.status_code == 200
    assert me.json()["username"] == "leader"
    assert me.json()["org_unit"] == "370213"
    assert "password" not in me.json()
    assert units.json()["count"] == 12


def test_the_outsiders_token_sees_only_their_district(api, outsider, password, licun) -> None:
    token = api.post(TOKEN, {"username": "outsider", "password": password}, format="json").json()[
        "token"
    ]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get("/api/v1/org-units/370213007/").status_code == 404
    assert client.get("/api/v1/org-units/").json()["count"] == 2


def test_a_wrong_token_is_refused_with_a_chinese_detail(api, org) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = api.get("/api/v1/me/")

    assert response.status_code == 401
    assert is_chinese(response.json()["detail"])


def test_me_refuses_anonymous(api, org) -> None:
    response = api.get("/api/v1/me/")

    assert response.status_code in (401, 403)
    assert is_chinese(response.json()["detail"])


def test_five_failures_lock_the_token_endpoint_with_a_429(api, leader, password) -> None:
    for _ in range(5):
        api.post(TOKEN, {"username": "leader", "password": "wrong"}, format="json")

    response = api.post(TOKEN, {"username": "leader", "password": password}, format="json")

    assert response.status_code == 429
    assert is_chinese(response.json()["detail"])


def test_a_new_password_ends_the_old_token(api, leader, password, secadmin) -> None:
    old = api.post(TOKEN, {"username": "leader", "password": password}, format="json")
    services.user_save(by=secadmin, user=leader, password="Another-Pass-2026")

    api.credentials(HTTP_AUTHORIZATION=f"Token {old.json()['token']}")

    assert api.get("/api/v1/me/").status_code == 401


def test_an_unknown_api_address_is_a_json_404(api, leader) -> None:
    api.force_authenticate(leader)

    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert is_chinese(response.json()["detail"])
