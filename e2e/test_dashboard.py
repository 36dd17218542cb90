"""The command centre (工业企业运行指挥部): the district leader opens the dashboard, follows the
overdue-appeals figure to the list it counts, which shows the same number; then the big screen
(大屏) on the wall at 1920×1080: charts drawn, nothing scrolls, a refresh updates the charts in
place, and a failed refresh keeps the figures and says "offline"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CHARTS_DRAWN = """() => {
  const nodes = [...document.querySelectorAll('[data-testid=screen-chart]')];
  return nodes.length > 0 && nodes.every(n => n.getAttribute('data-rendered') === '1'
    && n.querySelector('canvas') !== null);
}"""

# every chart container's ECharts instance and canvases: a refresh must not add any
INSTANCES = """() => [...document.querySelectorAll('[data-testid=screen-chart]')].map(n => [
  n.getAttribute('data-chart'), echarts.getInstanceByDom(n).id, n.querySelectorAll('canvas').length
])"""

OVERFLOWING = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollHeight > window.innerHeight) found.push('page height ' + root.scrollHeight);
  if (root.scrollWidth > window.innerWidth) found.push('page width ' + root.scrollWidth);
  for (const n of document.querySelectorAll('.screen-tile, .screen-panel, .screen-header')) {
    if (n.scrollHeight > n.clientHeight + 1) {
      found.push(n.className + ' ' + n.textContent.trim().slice(0, 20));
    }
  }
  for (const n of document.querySelectorAll('.screen-tile-number')) {
    if (n.scrollWidth > n.clientWidth + 1) found.push('number ' + n.textContent.trim());
  }
  return found;
}"""


def number_in(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def test_the_leader_follows_a_figure_to_its_list_and_opens_the_big_screen(
    page: Page, demo: Any, demo_password: str, screenshots: Path
) -> None:
    base = demo.url
    log_in(page, base, "leader", demo_password)

    # the command centre is in the navigation; the dashboard shows the district's figures
    page.get_by_role("link", name=re.compile("Command centre|指挥")).first.click()
    expect(page).to_have_url(f"{base}/dashboard/")
    expect(page.get_by_test_id("dashboard-read-at")).to_contain_text(re.compile(r"\d{2}:\d{2}"))
    figure = page.get_by_test_id("figure-appeals.overdue")
    expect(figure).to_be_visible()
    overdue = number_in(figure.get_by_test_id("figure-value").inner_text())
    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

    # the overdue-appeals figure leads to the appeals list filtered the same way, of that length
    figure.click()
    expect(page).to_have_url(re.compile(r"/appeals/\?.*overdue"))
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text(re.compile(rf"^\D*{overdue}\D*$"))

    # the filter bar narrows the figures to a street without reloading the page (htmx)
    page.goto(f"{base}/dashboard/")
    total = page.get_by_test_id("figure-enterprises.total").get_by_test_id("figure-value")
    district_total = number_in(total.inner_text())
    page.get_by_test_id("filter-street").select_option(label="李村街道")
    expect(page).to_have_url(re.compile(r"street=370213007"))
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("李村街道")
    assert 0 < number_in(total.inner_text()) < district_total

    # the refresh button reads the figures again and keeps the filters
    page.goto(f"{base}/dashboard/?period=2026")
    page.get_by_test_id("dashboard-refresh").click()
    expect(page.get_by_test_id("figure-appeals.overdue")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dashboard/\?period=2026$"))

    # the big screen on the command-centre wall
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/dashboard/screen/")
    page.wait_for_function(CHARTS_DRAWN)
    expect(page.get_by_test_id("screen-title")).to_contain_text("李沧区")
    assert page.evaluate(
        "document.documentElement.scrollHeight <= innerHeight"
        " && document.documentElement.scrollWidth <= innerWidth"
    )
    assert page.evaluate(OVERFLOWING) == []
    overdue_tile = page.locator('[data-figure="appeals.overdue"] .screen-value')
    if overdue_tile.count():
        assert number_in(overdue_tile.first.inner_text()) == overdue

    # the clock runs
    clock = page.get_by_test_id("screen-clock")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)

    # a refresh updates the charts in place: the same instances, no new canvas
    before = page.evaluate(INSTANCES)
    assert before and all(canvases == 1 for _id, _instance, canvases in before)
    for _ in range(3):
        assert page.evaluate("() => window.qifuScreen.refresh()") is True
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate(INSTANCES) == before
    expect(page.get_by_test_id("screen-offline")).to_be_hidden()

    # the network fails: the figures stay, a small marker says "offline"; then it comes back
    tiles = page.locator(".screen-tiles").inner_text()
    page.route("**/dashboard/screen/data.json*", lambda route: route.abort())
    assert page.evaluate("() => window.qifuScreen.refresh()") is False
    expect(page.get_by_test_id("screen-offline")).to_be_visible()
    assert page.locator(".screen-tiles").inner_text() == tiles
    assert page.evaluate(INSTANCES) == before
    page.unroute("**/dashboard/screen/data.json*")
    assert page.evaluate("() => window.qifuScreen.refresh()") is True
    expect(page.get_by_test_id("screen-offline")).to_be_hidden()

    page.wait_for_function(CHARTS_DRAWN)
    page.screenshot(path=str(screenshots / "dashboard-screen.png"))
