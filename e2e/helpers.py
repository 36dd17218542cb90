"""Steps the browser journeys share."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def log_in(page: Page, base: str, username: str, password: str) -> None:
    """Log in afresh (a new session) and land on the home page."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base}/")
