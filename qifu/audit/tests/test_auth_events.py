"""Logins, logouts and failed logins are recorded with the client's address and a result."""

from __future__ import annotations

import pytest

from qifu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_the_ip_address(client, leader, password) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "leader", "password": password},
        REMOTE_ADDR="10.20.30.40",
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == leader
    assert event.actor_username == "leader"
    assert event.ip == "10.20.30.40"
    assert event.success is True


def test_a_failed_login_is_recorded_as_failed_with_the_username_tried(client, leader) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "leader", "password": "wrong-password"},
        REMOTE_ADDR="10.20.30.41",
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.actor_username == "leader"
    assert event.ip == "10.20.30.41"
    assert event.success is False
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_failed_login_never_records_the_password(client, leader) -> None:
    client.post("/accounts/login/", {"username": "leader", "password": "s3cret-Tried"})

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert "s3cret-Tried" not in str(event.changes)
    assert "s3cret-Tried" not in event.object_repr


def test_a_login_of_an_unknown_user_is_recorded_as_failed(client, org) -> None:
    client.post("/accounts/login/", {"username": "nobody", "password": "x"})

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == "nobody"
    assert event.success is False


def test_a_logout_is_recorded(client, leader) -> None:
    client.force_login(leader)

    response = client.post("/accounts/logout/", REMOTE_ADDR="10.20.30.42")

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == leader
    assert event.ip == "10.20.30.42"
    assert event.success is True


def test_logout_by_get_is_refused_and_records_nothing(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


def test_a_token_request_with_a_wrong_password_is_a_failed_login(client, leader) -> None:
    client.post(
        "/api/v1/auth/token/",
        {"username": "leader", "password": "nope"},
        content_type="application/json",
        REMOTE_ADDR="10.20.30.43",
    )

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.ip == "10.20.30.43"
    assert event.success is False
