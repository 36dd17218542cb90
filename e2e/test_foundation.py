"""Foundation journeys: log in, Chinese first, language switcher, log out, access denied."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

pytestmark = [
    pytest.mark.e2e,
    # No collectstatic before the journeys: the live server serves /static/ from the finders, so
    # WhiteNoise's "No directory at: .../staticfiles/" is expected here.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
UNTRANSLATED = "is it in locale/zh_Hans/LC_MESSAGES/django.po and compiled (make messages)?"


def watch(page: Page) -> dict[str, list[str]]:
    """Record the static files the page loads and its JavaScript errors."""
    seen: dict[str, list[str]] = {"static": [], "failed": [], "errors": []}

    def on_response(response: Response) -> None:
        if "/static/" in response.url:
            seen["static"].append(response.url)
            if response.status != 200:
                seen["failed"].append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("requestfailed", lambda request: seen["failed"].append(f"failed {request.url}"))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def log_in(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_test_id("login-submit").click()


def assert_chinese_login_page(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Labels that Django itself translates (contrib.auth / admin catalogues).
    expect(page.locator("label[for=id_username]")).to_have_text("用户名")
    expect(page.locator("label[for=id_password]")).to_have_text("密码")
    expect(page.get_by_test_id("login-submit")).to_have_text("登录")


def test_leader_logs_in_sees_chinese_home_switches_language_and_logs_out(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    seen = watch(page)

    page.goto(f"{demo.url}/accounts/login/")
    assert_chinese_login_page(page)
    expect(page.get_by_test_id("demo-accounts")).to_contain_text("leader")
    expect(page.get_by_test_id("demo-accounts")).to_contain_text(demo_password)

    log_in(page, "leader", demo_password)
    expect(page).to_have_url(f"{demo.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("home-role")).to_be_visible()
    page.screenshot(path=str(screenshots / "home-leader.png"), full_page=True)

    # CSS and JavaScript are served, and Bootstrap is at work: its CSS hides the closed menu.
    bootstrap = ("bootstrap.min.css", "bootstrap.bundle.min.js", "htmx.min.js", "qifu.css")
    for name in bootstrap:
        assert any(url.endswith(name) for url in seen["static"]), f"{name} not loaded"
    assert not seen["failed"], f"static files failed: {seen['failed']}"
    assert page.evaluate("typeof window.bootstrap") == "object", "Bootstrap's JS did not run"
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not run"
    expect(page.get_by_test_id("logout")).to_be_hidden()

    expect(
        page.get_by_test_id("home-role"), f"role label not in Chinese: {UNTRANSLATED}"
    ).to_have_text("区领导")

    # English on request, through the switcher; back on the same page.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_test_id("home-role")).to_have_text("District leader")
    expect(page.get_by_test_id("lang-zh")).to_have_text("中文")

    page.get_by_test_id("lang-zh").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_test_id("home-role")).to_have_text("区领导")
    expect(page.get_by_test_id("lang-en")).to_be_visible()

    # Bootstrap's dropdown opens the user menu; logging out lands on the login page.
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{demo.url}/accounts/login/")
    assert_chinese_login_page(page)
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

    # Logged out for real: the home page sends back to the login page.
    page.goto(f"{demo.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    assert not seen["errors"], f"JavaScript errors: {seen['errors']}"


def test_outsider_is_sent_to_login_and_street_clerk_gets_chinese_403_on_audit(
    page: Page, demo: Any, demo_password: str
) -> None:
    seen = watch(page)

    page.goto(f"{demo.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert_chinese_login_page(page)

    log_in(page, "licun", demo_password)
    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_test_id("user-menu")).to_be_visible()

    response = page.goto(f"{demo.url}/audit/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The app's own 403 page (inside the layout), not a bare "403 Forbidden".
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    expect(page.locator("main")).to_contain_text("403")
    expect(page.locator("main h1"), f"403 page not in Chinese: {UNTRANSLATED}").to_have_text(CJK)
    expect(page.locator("main")).not_to_contain_text("No access")

    assert not seen["failed"], f"static files failed: {seen['failed']}"
    assert not seen["errors"], f"JavaScript errors: {seen['errors']}"
