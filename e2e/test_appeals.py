"""The appeal journey: an enterprise submits, the leader accepts and assigns, the department
replies, the enterprise rates it and sees it closed."""

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

TITLE = "新厂房房产证办理受阻"


def test_tianlu_submits_leader_assigns_zrj_replies_tianlu_rates_and_sees_it_closed(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    base = demo.url

    # 天路集团 writes its problem from the enterprise portal
    log_in(page, base, "tianlu", demo_password)
    page.goto(f"{base}/appeals/new/")
    page.get_by_label("问题", exact=True).check()
    page.locator("#id_category").select_option(label="土地房产")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("公司2025年建成的新厂房至今未能办理房产证，影响抵押融资。")
    page.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("已提交")
    number = page.get_by_test_id("appeal-number").inner_text()
    assert number.startswith("SQ-")
    appeal_url = page.url

    # the district leader accepts it and assigns it to 区自然资源局
    log_in(page, base, "leader", demo_password)
    page.goto(appeal_url)
    page.get_by_test_id("do-accept").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("已受理")
    page.get_by_test_id("assign-form").locator("select[name=department]").select_option(
        label="区自然资源局"
    )
    page.get_by_test_id("do-assign").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("已交办")

    # 区自然资源局 finds it in its inbox and replies, with the cause
    log_in(page, base, "zrj", demo_password)
    page.goto(f"{base}/appeals/inbox/")
    page.get_by_test_id("inbox-to_handle").get_by_role("link", name=number).click()
    form = page.get_by_test_id("reply-form")
    form.locator("textarea[name=reply]").fill("已协调不动产登记中心，材料齐全后10个工作日内办结。")
    form.locator("textarea[name=cause]").fill("规划竣工验收资料缺失，属历史遗留问题。")
    page.get_by_test_id("do-reply").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("已答复")

    # 天路集团 reads the reply, rates it 满意 and sees the appeal closed
    log_in(page, base, "tianlu", demo_password)
    page.goto(appeal_url)
    expect(page.get_by_test_id("appeal-reply")).to_contain_text("不动产登记中心")
    page.get_by_test_id("rate-form").get_by_label("满意", exact=True).check()
    page.get_by_test_id("do-rate").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("已办结")
    timeline = page.get_by_test_id("appeal-timeline")
    for step in ("已提交", "受理", "交办", "已答复", "已评价"):
        expect(timeline).to_contain_text(step)
    page.screenshot(path=str(screenshots / "appeal-closed-tianlu.png"), full_page=True)
