"""The ideas journey (征集金点子) on a phone: an anonymous visitor submits an idea and keeps the
tracking code; `leader` publishes it and hands it to 区经济和信息化局; `jxj` drafts the answer;
`leader` approves it; the visitor, with the tracking code, reads the official answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.helpers import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 390, "height": 844}
TITLE = "楼山老厂房改造为青年创业园"
BODY = "建议把楼山片区闲置的老厂房改造成青年创业园，配套人才公寓和共享实验室，吸引科技团队落户。"
CONTACT = "13953212345"
ANSWER = "经研究，区经济和信息化局将会同楼山街道梳理闲置厂房，年内提出改造方案。"


def phone_page(browser: Browser) -> Page:
    context = browser.new_context(
        locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def act(page: Page, slug: str) -> Any:
    """Open the action's panel on the staff page of an idea and return it."""
    panel = page.get_by_test_id(f"action-{slug}")
    if not panel.evaluate("el => el.open"):
        panel.locator("summary").click()
    return panel


def test_a_visitor_submits_an_idea_it_is_answered_and_the_visitor_reads_the_answer(
    browser: Browser, page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    from qifu.ideas.models import Idea

    base = demo.url
    visitor = phone_page(browser)

    # an anonymous visitor writes an idea on a phone
    visitor.goto(f"{base}/ideas/")
    visitor.get_by_test_id("nav-new").first.click()
    form = visitor.get_by_test_id("idea-form")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_body").fill(BODY)
    form.locator("input[name=zone][value=west], select[name=zone]").first.evaluate(
        "el => el.tagName === 'SELECT' ? (el.value = 'west') : el.click()"
    )
    form.locator("select[name=topic]").select_option("industry")
    form.locator("#id_author_name").fill("刘女士")
    form.locator("#id_contact").fill(CONTACT)
    form.locator("#id_consent").check()
    expect(visitor.get_by_test_id("title-count")).to_contain_text(f"{len(TITLE)} / 60")
    visitor.screenshot(path=str(screenshots / "ideas-submit-phone.png"), full_page=True)
    form.get_by_test_id("idea-send").click()

    expect(visitor.get_by_test_id("idea-thanks")).to_be_visible()
    code = visitor.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code), code
    visitor.screenshot(path=str(screenshots / "ideas-thanks-phone.png"), full_page=True)
    idea = Idea.objects.get(title=TITLE)
    assert idea.status == "submitted"

    # not public yet: the list does not show it
    visitor.goto(f"{base}/ideas/?q={TITLE}")
    expect(visitor.get_by_test_id("idea-empty")).to_be_visible()

    # the leader publishes it and hands it to 区经济和信息化局
    log_in(page, base, "leader", demo_password)
    page.goto(f"{base}/ideas/manage/?queue=review")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("idea-contact")).to_contain_text(CONTACT)
    act(page, "publish").get_by_test_id("do-publish").click()
    expect(page.get_by_test_id("idea-status")).to_contain_text("已公开")
    assign = act(page, "assign")
    assign.locator("select[name=department]").select_option(label="区经济和信息化局")
    assign.get_by_test_id("do-assign").click()
    expect(page.get_by_test_id("idea-status")).to_contain_text("评估中")

    # the department drafts the answer; it sees the contact masked
    log_in(page, base, "jxj", demo_password)
    page.goto(f"{base}/ideas/manage/?queue=evaluating")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("idea-contact")).to_contain_text("139****2345")
    expect(page.get_by_test_id("idea-contact")).not_to_contain_text(CONTACT)
    answer = act(page, "answer")
    answer.locator("textarea[name=text]").fill(ANSWER)
    answer.locator("select[name=outcome]").select_option("reply")
    answer.get_by_test_id("do-answer").click()
    expect(page.get_by_test_id("idea-pending-answer")).to_contain_text(ANSWER)

    # not public before the leader approves
    visitor.goto(f"{base}/ideas/track/?code={code}")
    expect(visitor.get_by_test_id("track-idea")).to_contain_text("评估中")
    expect(visitor.get_by_test_id("track-idea")).not_to_contain_text(ANSWER)

    # the leader approves the answer
    log_in(page, base, "leader", demo_password)
    page.goto(f"{base}/ideas/manage/?queue=approval")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_test_id("do-approve-answer").click()
    expect(page.get_by_test_id("idea-answer")).to_contain_text(ANSWER)

    # the visitor follows the idea with the tracking code and reads the answer
    visitor.goto(f"{base}/ideas/track/")
    visitor.get_by_test_id("track-form").locator("input[name=code]").fill(code.lower())
    visitor.get_by_test_id("track-form").locator("button[type=submit]").click()
    expect(visitor.get_by_test_id("track-idea")).to_contain_text(TITLE)
    expect(visitor.get_by_test_id("idea-answer")).to_contain_text(ANSWER)
    expect(visitor.locator("body")).not_to_contain_text(CONTACT)
    visitor.screenshot(path=str(screenshots / "ideas-track-phone.png"), full_page=True)

    # and the public page of the idea shows the same answer, without the contact
    visitor.goto(f"{base}/ideas/{idea.pk}/")
    expect(visitor.get_by_test_id("idea-answer")).to_contain_text(ANSWER)
    assert CONTACT not in visitor.content()
    visitor.context.close()
