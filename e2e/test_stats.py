"""The monthly-data journey: 天路集团 fills and submits its month with an unusual figure explained,
李村街道 accepts it, the district's statistics staff approve 李村街道 and read the district's
figures."""

from __future__ import annotations

from decimal import Decimal
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


def figures_for_this_month() -> tuple[str, dict[str, tuple[Decimal, Decimal]]]:
    """This month's figures for 天路集团, consistent with its own previous month (every hard rule
    holds) and about 5% above last year, except electricity, reported as zero."""
    from qifu.enterprises.models import Enterprise
    from qifu.stats import periods, services
    from qifu.stats.models import DataSet

    dataset = DataSet.objects.get(code="industry-monthly")
    period = periods.current(dataset, timezone.localdate())
    tianlu = Enterprise.objects.get(name="天路集团")
    previous = services.previous_ytd(dataset, tianlu, period)
    basis = services.last_year_basis(dataset, tianlu, period)
    figures = {}
    for code, (base_month, _base_ytd) in basis.items():
        month = (Decimal(base_month or 100) * Decimal("1.05")).quantize(Decimal("0.01"))
        if code == "electricity":
            month = Decimal(0)
        if code == "employees":
            month = Decimal(base_month or 100)
            figures[code] = (month, month)
            continue
        figures[code] = (month, (previous.get(code) or Decimal(0)) + month)
    return str(period), figures


def test_tianlu_submits_licun_accepts_tjj_approves_and_reads_the_district(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    base = demo.url
    period, figures = figures_for_this_month()

    # 天路集团 opens its monthly form: last month and last year are already there
    log_in(page, base, "tianlu", demo_password)
    page.goto(f"{base}/stats/")
    expect(page).to_have_url(f"{base}/stats/form/{period}/")
    expect(page.get_by_test_id("form-status")).to_contain_text("未填报")
    for code, (month, ytd) in figures.items():
        page.locator(f"#id_{code}-month").fill(str(month))
        page.locator(f"#id_{code}-ytd").fill(str(ytd))
    page.get_by_test_id("submit-form").click()

    # no electricity with output is unusual: the rule's instruction shows beside the field and
    # the form asks for an explanation before it goes to the street
    expect(page.get_by_test_id("violations-electricity")).to_contain_text("用电量为零")
    explanations = page.get_by_test_id("explanations").locator("textarea")
    expect(explanations.first).to_be_visible()
    for index in range(explanations.count()):
        explanations.nth(index).fill("本月电费由园区统一结算，电量下月一并填报。")
    page.get_by_test_id("submit-form").click()
    expect(page.get_by_test_id("form-status")).to_contain_text("已提交")
    page.screenshot(path=str(screenshots / "stats-form-submitted.png"), full_page=True)

    # 李村街道 sees it waiting and accepts it
    log_in(page, base, "licun", demo_password)
    page.goto(f"{base}/stats/review/?period={period}&status=submitted")
    row = page.locator("tr[data-enterprise='天路集团']")
    expect(row).to_be_visible()
    row.get_by_role("link", name="查看").click()
    expect(page.get_by_test_id("review-violations")).to_contain_text("本月电费由园区统一结算")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("form-status")).to_contain_text("街道已审核")

    # the statistics staff approve 李村街道, whose forms are now all accepted
    log_in(page, base, "tjj", demo_password)
    page.goto(f"{base}/stats/approvals/?period={period}")
    street = page.locator("tr[data-street='李村街道']")
    street.get_by_test_id("approve-370213007").click()
    expect(street).to_contain_text("已审定")
    page.screenshot(path=str(screenshots / "stats-approvals.png"), full_page=True)

    # and read the district's figures for the month
    page.get_by_test_id("to-analysis").click()
    expect(page.get_by_test_id("analysis-title")).to_contain_text("李沧区")
    expect(page.get_by_test_id("ytd-yoy")).to_contain_text("%")
    expect(
        page.get_by_test_id("children-table").locator("tr[data-unit='李村街道']")
    ).to_be_visible()
    page.wait_for_timeout(300)  # the charts draw after the page's script runs
    page.screenshot(path=str(screenshots / "stats-analysis.png"), full_page=True)
