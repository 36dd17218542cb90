"""The login page: Chinese, demo accounts only in demo mode, redirects, and the language switch."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from qifu.accounts import services
from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


@pytest.fixture
def demo(db) -> None:
    # the demo district and its accounts, as `manage.py build_demo` makes them
    call_command("build_demo", stdout=StringIO())


def test_the_login_page_is_chinese(client, org) -> None:
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert zh("Log in") != "Log in"
    assert zh("Log in") in html


def test_a_right_password_logs_in_and_goes_home(client, leader, password) -> None:
    response = client.post(URL, {"username": "leader", "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_a_chinese_error(client, leader) -> None:
    response = client.post(URL, {"username": "leader", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert zh("Wrong username or password. Both are case-sensitive.") in html
    assert "alert-danger" in html


def test_the_login_page_never_redirects_to_another_host(client, leader, password) -> None:
    response = client.post(
        URL, {"username": "leader", "password": password, "next": "https://evil.example.com/"}
    )

    assert response["Location"] == "/"


def test_a_disabled_account_cannot_log_in(client, leader, password, secadmin) -> None:
    services.user_save(by=secadmin, user=leader, is_active=False)

    response = client.post(URL, {"username": "leader", "password": password})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_in_demo_mode_the_demo_accounts_are_listed(client, demo, settings) -> None:
    settings.QIFU_DEMO = True

    html = client.get(URL).content.decode()

    assert 'data-testid="demo-accounts"' in html
    for username in ("leader", "tianlu", "licun", "loushan", "auditor", "secadmin", "admin"):
        assert f"<code>{username}</code>" in html
    assert settings.QIFU_DEMO_PASSWORD in html
    assert "李村街道" in html


def test_without_demo_mode_no_account_is_listed(client, demo, settings) -> None:
    settings.QIFU_DEMO = False

    html = client.get(URL).content.decode()

    assert 'data-testid="demo-accounts"' not in html
    assert "<code>tianlu</code>" not in html
    assert settings.QIFU_DEMO_PASSWORD not in html


def test_a_demo_account_logs_in_with_the_demo_password(client, demo, settings) -> None:
    response = client.post(URL, {"username": "tianlu", "password": settings.QIFU_DEMO_PASSWORD})

    assert response.status_code == 302


def test_a_logged_in_user_is_sent_home_from_the_login_page(client, leader) -> None:
    client.force_login(leader)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_goes_back_to_the_login_page(client, leader) -> None:
    client.force_login(leader)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == URL
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_username_for_a_while(client, leader, password) -> None:
    for _ in range(5):
        client.post(URL, {"username": "leader", "password": "wrong"})

    response = client.post(URL, {"username": "leader", "password": password})

    assert response.status_code == 200
    assert zh("Too many failed logins. Please wait 15 minutes and try again.") in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_success_clears_the_failure_count(client, leader, password) -> None:
    for _ in range(4):
        client.post(URL, {"username": "leader", "password": "wrong"})
    client.post(URL, {"username": "leader", "password": password})
    client.post("/accounts/logout/")
    for _ in range(4):
        client.post(URL, {"username": "leader", "password": "wrong"})

    response = client.post(URL, {"username": "leader", "password": password})

    assert response.status_code == 302
