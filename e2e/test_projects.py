"""The investment journey: 区投资促进局 opens a project from a lead it follows and records the
formal contract; the district leader reads the key-project board and the project's file."""

from __future__ import annotations

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


def a_lead_being_followed() -> Any:
    from qifu.investment.models import Lead

    return Lead.objects.filter(status="following", converted_project=None).order_by("pk").first()


def test_tcj_opens_a_project_from_a_lead_signs_it_and_the_leader_reads_the_board(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    base = demo.url
    lead = a_lead_being_followed()
    assert lead is not None

    # 区投资促进局 opens the lead and turns it into a project: the lead's data fill the form
    log_in(page, base, "tcj", demo_password)
    page.goto(f"{base}/investment/leads/{lead.pk}/")
    page.get_by_test_id("lead-open-project").click()
    form = page.get_by_test_id("project-form")
    expect(form.locator("input[name=name]")).to_have_value(lead.title)
    page.get_by_test_id("project-save").click()
    expect(page.get_by_test_id("project-stage")).to_contain_text("洽谈")
    project_url = page.url

    # it records the formal contract and moves the project to 签约
    stage = page.get_by_test_id("stage-form")
    stage.locator("xpath=ancestor::details").first.locator("summary").click()
    stage.locator("select[name=stage]").select_option("signed")
    stage.locator("input[name=contract]").fill(timezone.localdate().isoformat())
    stage.get_by_role("button").click()
    expect(page.get_by_test_id("project-stage")).to_contain_text("签约")
    expect(page.get_by_test_id("project-dates")).to_contain_text("正式合同")
    expect(page.get_by_test_id("stage-history")).to_contain_text("签约")

    # the lead now says what it became
    page.goto(f"{base}/investment/leads/{lead.pk}/")
    expect(page.locator("main")).to_contain_text("已转为项目")

    # the district leader reads the key-project board: 9 started, 5 past 30%, 4 ahead of plan
    log_in(page, base, "leader", demo_password)
    page.goto(f"{base}/projects/board/")
    expect(page.get_by_test_id("board-started")).to_contain_text("9")
    expect(page.get_by_test_id("board-past-30")).to_contain_text("5")
    expect(page.get_by_test_id("board-ahead")).to_contain_text("4")
    page.screenshot(path=str(screenshots / "projects-board.png"), full_page=True)

    # and opens a key project's file: one page with its timetable, tasks and archive
    page.get_by_test_id("board-table").locator("a").first.click()
    expect(page.get_by_test_id("timetable")).to_be_visible()
    expect(page.get_by_test_id("tasks")).to_be_visible()
    expect(page.get_by_test_id("documents")).to_be_visible()
    page.screenshot(path=str(screenshots / "projects-file.png"), full_page=True)

    # and the new project, signed
    page.goto(project_url)
    expect(page.get_by_test_id("project-stage")).to_contain_text("签约")
