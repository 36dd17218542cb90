"""Enterprise registry journeys: a street clerk finds an enterprise and reads its file; an
enterprise user sees only its own enterprise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def log_out(page: Page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()


def test_a_street_clerk_searches_tianlu_opens_its_file_and_sees_the_timeline(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    log_in(page, demo.url, "licun", demo_password)
    page.get_by_role("link", name="企业").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("企业")

    page.locator("#id_search").fill("天路")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("enterprise-count")).to_have_text("共 1 家企业")
    rows = page.get_by_test_id("enterprise-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    # a street clerk sees contacts' phones masked
    expect(rows.first).to_contain_text("****")

    rows.first.get_by_role("link", name="天路集团").click()
    expect(page.get_by_test_id("enterprise-name")).to_have_text("天路集团")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("企业登记")
    expect(timeline).to_contain_text("新增联系人")
    page.screenshot(path=str(screenshots / "enterprise-file-licun.png"), full_page=True)

    # an edit made on the page shows up at the top of the timeline
    page.get_by_role("link", name="编辑").first.click()
    page.locator("#id_address").fill("青岛市李沧区九水东路100号")
    page.get_by_test_id("enterprise-save").click()
    expect(page.locator(".alert-success")).to_contain_text("修改已保存")
    first = timeline.locator("li").first
    expect(first).to_contain_text("企业信息变更")
    expect(first).to_contain_text("青岛市李沧区九水东路100号")
    log_out(page)


def test_an_enterprise_user_sees_only_its_own_enterprise(
    page: Page, demo: Any, demo_password: str
) -> None:
    log_in(page, demo.url, "tianlu", demo_password)
    page.goto(f"{demo.url}/enterprises/")

    rows = page.get_by_test_id("enterprise-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("天路集团")
    expect(page.get_by_test_id("enterprise-count")).to_have_text("共 1 家企业")

    page.locator("#id_search").fill("瑞丰")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("没有符合条件的企业")

    # another enterprise's file is not found, whatever the address
    from qifu.enterprises.models import Enterprise

    other = Enterprise.objects.get(name="瑞丰气体").pk
    response = page.goto(f"{demo.url}/enterprises/{other}/")
    assert response is not None and response.status == 404
