"""The visiting journey, on a phone: 李村街道's clerk records a visit to 天路集团 on site, raises
the problem it heard as an appeal from the visit, and sees the coverage of 李村街道 go up. On
the way the form loses its connection and keeps the half-written record on the phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import TIMEOUT_MS
from e2e.helpers import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(
        locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def visited(page: Page) -> int:
    return int(page.get_by_test_id("coverage-visited").inner_text().strip())


def test_licun_records_a_visit_to_tianlu_raises_an_appeal_and_coverage_goes_up(
    phone: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    from qifu.appeals.models import Appeal
    from qifu.visits.models import Visit

    page, base = phone, demo.url
    log_in(page, base, "licun", demo_password)

    # the street's coverage this quarter, before the visit
    page.goto(f"{base}/visits/coverage/")
    expect(page.get_by_test_id("coverage-scope")).to_contain_text("李村街道")
    before = visited(page)
    assert before < int(page.get_by_test_id("coverage-assigned").inner_text().strip())

    # the visit form: whom they met, what was said, the questionnaire
    page.goto(f"{base}/visits/new/")
    form = page.get_by_test_id("visit-form")
    page.get_by_test_id("picker-enterprises-filter").fill("天路")
    form.get_by_test_id("picker-enterprises").get_by_label("天路集团", exact=False).first.check()
    form.locator("textarea[name=notes]").fill(
        "走访天路集团：企业反映新厂区土地证至今未办理，影响融资。"
    )

    # the connection drops while typing: the record stays on the phone and comes back
    page.context.set_offline(True)
    form.locator("textarea[name=follow_up]").fill("协调区自然资源局办理土地证")
    expect(page.get_by_test_id("autosave-status")).not_to_be_empty()
    # the server gets nothing before the page is left (back online, the form would otherwise
    # save the draft at once, and the copy on the phone would no longer be needed)
    page.route("**/visits/autosave/", lambda route: route.abort())
    page.context.set_offline(False)
    page.goto(f"{base}/visits/new/")
    expect(page.get_by_test_id("visit-restored")).to_be_visible()
    page.unroute("**/visits/autosave/")
    form = page.get_by_test_id("visit-form")
    expect(form.locator("textarea[name=follow_up]")).to_have_value("协调区自然资源局办理土地证")

    form.get_by_test_id("question-output_outlook").get_by_text("基本持平").click()
    form.get_by_test_id("question-relocation").get_by_text("否", exact=True).click()
    form.get_by_test_id("question-expansion_land").get_by_text("是", exact=True).click()
    page.screenshot(path=str(screenshots / "visits-phone-form.png"))
    page.get_by_test_id("visit-complete").click()

    # the visit page: the answers, the red flag they raised, no appeal yet
    expect(page.get_by_test_id("visit-enterprises")).to_contain_text("天路集团")
    expect(page.get_by_test_id("visit-red-flag")).to_contain_text("用地")
    expect(page).to_have_url(re.compile(r"/visits/\d+/$"))
    visit = Visit.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert visit.status == "final" and visit.date == timezone.localdate()

    # the problem heard becomes an appeal, prefilled from the visit
    page.get_by_test_id("raise-appeal-toggle").click()
    raise_form = page.get_by_test_id("raise-appeal-form")
    raise_form.locator("select[name=category]").select_option("land")
    raise_form.locator("input[name=title]").fill("新厂区土地证未办理")
    expect(raise_form.locator("textarea[name=description]")).to_have_value(
        "走访天路集团：企业反映新厂区土地证至今未办理，影响融资。"
    )
    page.get_by_test_id("raise-appeal-submit").click()
    appeal_row = page.get_by_test_id("visit-appeal")
    expect(appeal_row).to_contain_text("新厂区土地证未办理")
    appeal = Appeal.objects.get(visits=visit)
    assert appeal.channel == "visit" and appeal.enterprise.name == "天路集团"

    # the appeal's page says which visit it came from
    appeal_row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(visit.date.isoformat())

    # and the coverage of 李村街道 went up by one
    page.goto(f"{base}/visits/coverage/")
    assert visited(page) == before + 1
    page.screenshot(path=str(screenshots / "visits-phone-coverage.png"), full_page=True)
