"""Chinese by default whatever the browser says; English only through the switcher; error pages."""

from __future__ import annotations

import pytest

from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db


def test_a_404_page_is_chinese(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in html
    assert zh("Page not found") != "Page not found"
    assert zh("Page not found") in html


def test_a_404_page_is_chinese_for_anonymous_too(client, org) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert zh("Page not found") in response.content.decode()


def test_an_accept_language_header_alone_does_not_switch_to_english(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert zh("Home") in html
    assert response["Content-Language"] == "zh-hans"


def test_the_language_switcher_makes_the_next_page_english(client, leader) -> None:
    client.force_login(leader)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/calendar/"})
    response = client.get("/calendar/", {"year": 2026})

    assert switched.status_code == 302
    assert switched["Location"] == "/calendar/"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Working days" in html
    assert response["Content-Language"] == "en"


def test_switching_back_to_chinese_works(client, leader) -> None:
    client.force_login(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_an_unknown_language_is_ignored(client, leader) -> None:
    client.force_login(leader)
    client.cookies["django_language"] = "fr"

    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_the_switcher_works_before_login(client, org) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    html = client.get("/accounts/login/").content.decode()

    assert '<html lang="en">' in html
    assert "Log in" in html


def test_the_switcher_never_redirects_to_another_host(client, org) -> None:
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example.com/"}
    )

    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_a_403_page_is_chinese(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    response = client.get("/calendar/")

    assert response.status_code == 403
    assert '<html lang="zh-hans">' in response.content.decode()


def test_an_api_error_in_english_after_switching(client, leader) -> None:
    client.force_login(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/api/v1/org-units/370299999/")

    assert response.status_code == 404
    assert response.json()["detail"] == "Not found, or outside your scope."
