"""The policy journey: 区经济和信息化局 publishes a programme under one of its policies with
criteria that 瑞丰气体 meets; 瑞丰气体 finds it among the programmes it qualifies for, applies,
and the department reviews the application against its checklist and recommends it upward
(推荐上报)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TITLE = "楼山片区化工企业安全改造专项补助"
MATERIALS = ["项目申报书", "营业执照复印件", "上年度审计报告"]
STATEMENT = "瑞丰气体2024年完成充装车间安全改造，总投资860万元，申请专项补助。"


def a_policy_of(department_id: int) -> Any:
    from qifu.policies.models import Policy

    today = timezone.localdate()
    policy = (
        Policy.objects.filter(department_id=department_id)
        .exclude(valid_until__lt=today)
        .order_by("-issued_on", "pk")
        .first()
    )
    assert policy is not None
    return policy


def test_jxj_publishes_a_programme_ruifeng_applies_and_jxj_recommends_it_upward(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    from qifu.accounts.models import User
    from qifu.enterprises.models import Enterprise
    from qifu.policies.models import Application, Programme

    base = demo.url
    ruifeng = Enterprise.objects.select_related("street").get(name="瑞丰气体")
    jxj = User.objects.get(username="jxj")
    policy = a_policy_of(jxj.department_id)
    today = timezone.localdate()

    # 区经济和信息化局 writes a draft programme: section C, above scale, in 瑞丰气体's street
    log_in(page, base, "jxj", demo_password)
    page.goto(f"{base}/policies/programmes/")
    page.get_by_test_id("programme-new").click()
    form = page.get_by_test_id("programme-form")
    form.locator("select[name=policy]").select_option(str(policy.pk))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=window_opens]").fill((today - dt.timedelta(days=1)).isoformat())
    form.locator("input[name=window_closes]").fill((today + dt.timedelta(days=30)).isoformat())
    form.locator("input[name=support_amount]").fill("50")
    form.locator("input[name=support_text]").fill("按设备投资额的10%给予补助")
    form.locator("select[name=department]").select_option(str(jxj.department_id))
    form.locator("textarea[name=materials]").fill("\n".join(MATERIALS))
    form.locator("select[name=combine]").select_option("all")
    rows = page.get_by_test_id("criteria-row")
    for i, (field, op, value) in enumerate(
        [
            ("industry", "in", "C"),
            ("above_scale", "is", "是"),
            ("street", "in", ruifeng.street.code),
        ]
    ):
        rows.nth(i).locator(f"select[name=c{i}_field]").select_option(field)
        rows.nth(i).locator(f"select[name=c{i}_op]").select_option(op)
        rows.nth(i).locator(f"input[name=c{i}_value]").fill(value)
    page.get_by_test_id("programme-save").click()

    expect(page).to_have_url(re.compile(r"/policies/programmes/\d+/$"))
    programme = Programme.objects.get(title=TITLE)
    assert programme.status == "draft" and programme.policy_id == policy.pk
    assert programme.materials == MATERIALS
    assert programme.criteria == {
        "combine": "all",
        "conditions": [
            {"field": "industry", "op": "in", "value": ["C"]},
            {"field": "above_scale", "op": "is", "value": True},
            {"field": "street", "op": "in", "value": [ruifeng.street.code]},
        ],
    }
    expect(page.get_by_test_id("programme-criteria").locator("li")).to_have_count(3)
    expect(page.get_by_test_id("programme-open")).to_have_count(0)

    # it publishes the programme: the window is open and 瑞丰气体 is on the eligible list
    page.get_by_test_id("programme-publish").click()
    expect(page.get_by_test_id("programme-open")).to_be_visible()
    programme.refresh_from_db()
    assert programme.status == "published"
    expect(page.get_by_test_id("programme-match-row").filter(has_text="瑞丰气体")).to_have_count(1)
    page.screenshot(path=str(screenshots / "policies-programme.png"), full_page=True)
    programme_url = page.url

    # 瑞丰气体 finds it on its own file among the programmes it qualifies for now …
    log_in(page, base, "ruifeng", demo_password)
    page.goto(f"{base}/enterprises/{ruifeng.pk}/")
    match = page.get_by_test_id("enterprise-match-now").filter(has_text=TITLE)
    expect(match).to_have_count(1)
    # … and in the policy calculator, which weighs its own facts
    page.goto(f"{base}/policies/calculator/")
    expect(page.get_by_test_id("calculator-row").filter(has_text=TITLE)).to_have_count(1)
    page.goto(f"{base}/enterprises/{ruifeng.pk}/")
    page.get_by_test_id("enterprise-match-now").filter(has_text=TITLE).click()
    expect(page).to_have_url(programme_url)

    # it opens the programme, sees that it qualifies, and applies with its materials ready
    expect(page.get_by_test_id("programme-qualifies")).to_be_visible()
    apply_form = page.get_by_test_id("programme-apply-form")
    apply_form.locator("textarea[name=statement]").fill(STATEMENT)
    for material in MATERIALS:
        apply_form.locator(f"input[name=materials][value='{material}']").check()
    page.screenshot(path=str(screenshots / "policies-programme-apply.png"), full_page=True)
    page.get_by_test_id("programme-apply").click()

    expect(page).to_have_url(re.compile(r"/policies/applications/\d+/$"))
    application_url = page.url
    application = Application.objects.get(programme=programme, enterprise=ruifeng)
    assert application.status == "applied" and application.origin == "applied"
    assert application.statement == STATEMENT
    expect(page.get_by_test_id("application-status")).to_be_visible()
    expect(page.get_by_test_id("application-review")).to_have_count(0)  # not for the enterprise

    # 区经济和信息化局 opens the application, checks the materials and passes the review
    log_in(page, base, "jxj", demo_password)
    page.goto(f"{base}/policies/applications/?programme={programme.pk}")
    page.locator(f"a[href$='/policies/applications/{application.pk}/']").first.click()
    expect(page).to_have_url(application_url)
    review = page.get_by_test_id("application-review-form")
    review.locator("input[name=passed][value='1']").check()
    for material in MATERIALS:
        review.locator(f"input[name=materials_checked][value='{material}']").check()
    review.locator("textarea[name=note]").fill("材料齐全，符合申报条件。")
    page.screenshot(path=str(screenshots / "policies-application-review.png"), full_page=True)
    page.get_by_test_id("application-review").click()
    expect(page.get_by_test_id("application-recommend")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "reviewed"
    assert application.materials_checked == MATERIALS

    # and recommends it upward (推荐上报)
    page.locator("textarea[name=recommend-note]").fill("同意推荐上报市工业和信息化局。")
    page.get_by_test_id("application-recommend").click()
    expect(page.get_by_test_id("application-recommend")).to_have_count(0)
    expect(page.get_by_test_id("application-result")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "recommended"
    assert [e.status_to for e in application.events.order_by("pk")] == [
        "applied",
        "reviewed",
        "recommended",
    ]
    recommended = page.get_by_test_id("application-status").inner_text().strip()

    # 瑞丰气体 sees its application recommended on the programme's page
    log_in(page, base, "ruifeng", demo_password)
    page.goto(programme_url)
    expect(page.get_by_test_id("application-status")).to_have_text(recommended)
    expect(page.get_by_test_id("programme-apply-form")).to_have_count(0)
    page.screenshot(path=str(screenshots / "policies-programme-recommended.png"), full_page=True)
