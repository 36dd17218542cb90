"""The command centre's pages: the leaders' dashboard (/dashboard/), the big screen
(/dashboard/screen/) and its data (/dashboard/screen/data.json), and the navigation item.

Anonymous users go to the login page; enterprise users, administrators and accounts without a
role get 403; a bad filter is a 400 with its message; the outsider of 崂山区 sees its own district
only. Most tests run on stand-in sections (`fakes`); the query budget also runs on the real ones.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.dashboard import views
from qifu.dashboard.figures import Figure, Section
from qifu.dashboard.tests import fakes

pytestmark = pytest.mark.django_db

INDEX = "/dashboard/"
SCREEN = "/dashboard/screen/"
DATA = "/dashboard/screen/data.json"
PAGES = [INDEX, SCREEN, DATA]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def fake(monkeypatch) -> list[str]:
    return fakes.install(monkeypatch)


def html(response: Any) -> str:
    return response.content.decode()


def figure_link(page: str, key: str) -> re.Match[str] | None:
    return re.search(
        rf'<a class="dashboard-figure" data-testid="figure-{re.escape(key)}" href="([^"]*)"', page
    )


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_the_pages_answer_get_only(client, leader, fake, url):
    client.force_login(leader)
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    "who", ["enterprise_user", "sysadmin", "secadmin", "auditor", "no_role_user"]
)
@pytest.mark.parametrize("url", PAGES)
def test_enterprise_users_admins_and_users_without_a_role_may_not_open_it(
    client, request, fake, who, url
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 403
    assert fake == []  # no section was read


@pytest.mark.parametrize("who", ["leader", "jxj_clerk", "licun_clerk"])
@pytest.mark.parametrize("url", PAGES)
def test_officials_of_the_district_open_every_page(client, request, fake, who, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 200


# --- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_a_card_per_section_with_each_figure_a_link(
    client, leader, fake, tianlu, ruifeng
):
    client.force_login(leader)
    page = html(client.get(INDEX))
    for key in ("enterprises", "appeals", "stats"):
        assert f'data-testid="section-{key}"' in page
    assert 'data-testid="section-hidden"' not in page

    link = figure_link(page, "enterprises.total")
    assert link is not None and link.group(1) == "/enterprises/?"
    above = figure_link(page, "enterprises.above_scale")
    assert above is not None and above.group(1) == "/enterprises/?is_above_scale=true"
    overdue = figure_link(page, "appeals.overdue")
    assert overdue is not None and overdue.group(1).endswith("&amp;overdue=1")
    # a figure without a list is not a link, but it is on the page
    assert 'data-testid="figure-appeals.on_time_rate"' in page
    assert figure_link(page, "appeals.on_time_rate") is None

    # big numbers with their unit and note; amounts grouped by thousands; unknown as —
    assert re.search(r'data-value="2">2</span> <span class="dashboard-figure-unit">家', page)
    assert ">123,456.78<" in page and ">万元<" in page
    assert ">87.5<" in page and "同比 +5.2%" in page
    assert 'data-value="">—<' in page
    # the section's lines under its figures
    assert "为企业解决实际问题 5 类、8 项" in page


def test_the_dashboard_says_how_fresh_the_figures_are_and_refreshes_them(
    client, leader, fake, monkeypatch
):
    client.force_login(leader)
    read = dt.datetime(2026, 5, 20, 9, 41, 7, tzinfo=SHANGHAI)
    monkeypatch.setattr("qifu.dashboard.selectors.timezone.now", lambda: read)
    page = html(client.get(INDEX))
    assert re.search(r'data-testid="dashboard-read-at"[^>]*>[^<]*09:41', page)
    assert fake.count("appeals") == 1

    # a minute later the page still shows the cached figures …
    monkeypatch.setattr(
        "qifu.dashboard.selectors.timezone.now", lambda: read + dt.timedelta(minutes=1)
    )
    html(client.get(INDEX))
    assert fake.count("appeals") == 1
    # … and the refresh button reads them again
    refresh = re.search(
        r'href="\?([^"]*)"[^>]*data-testid="dashboard-refresh"', html(client.get(INDEX))
    )
    assert refresh is not None and "fresh=1" in refresh.group(1)
    page = html(client.get(INDEX + "?" + refresh.group(1).replace("&amp;", "&")))
    assert fake.count("appeals") == 2
    assert re.search(r'data-testid="dashboard-read-at"[^>]*>[^<]*09:42', page)


def test_the_filter_bar_offers_quarters_years_streets_and_zones(client, leader, fake, monkeypatch):
    monkeypatch.setattr(views.timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 20))
    monkeypatch.setattr(
        "qifu.dashboard.selectors.timezone.localdate", lambda *a, **k: dt.date(2026, 5, 20)
    )
    client.force_login(leader)
    page = html(client.get(INDEX))
    periods = re.findall(r'<option value="(\d{4}(?:Q\d)?)"( selected)?>', page)
    assert periods == [
        ("2026Q2", " selected"),
        ("2026Q1", ""),
        ("2025Q4", ""),
        ("2025Q3", ""),
        ("2026", ""),
        ("2025", ""),
    ]
    street_select = page[
        page.index('name="street"') : page.index("</select>", page.index('name="street"'))
    ]
    assert street_select.count("<option") == 12  # all streets + the 11 of 李沧区
    assert "李村街道" in street_select
    zone_select = page[
        page.index('name="zone"') : page.index("</select>", page.index('name="zone"'))
    ]
    assert zone_select.count("<option") == 4  # all zones + 东部 / 中部 / 西部


def test_a_period_from_the_url_is_kept_in_the_choices(client, leader, fake, licun):
    client.force_login(leader)
    page = html(client.get(INDEX, {"period": "2023Q3", "street": licun.code}))
    assert '<option value="2023Q3" selected>' in page
    assert f'<option value="{licun.code}" selected>' in page
    assert 'data-testid="filter-zone" disabled' in page  # a street is chosen


def test_a_street_clerk_has_its_street_fixed_and_no_street_or_zone_choice(
    client, licun_clerk, fake, tianlu, ruifeng, loushan
):
    client.force_login(licun_clerk)
    page = html(client.get(INDEX, {"street": loushan.code}))
    assert 'name="street"' not in page and 'name="zone"' not in page
    assert re.search(r'data-testid="filter-street-fixed">李村街道<', page)
    assert re.search(r'data-value="1">1</span>', page)  # 天路集团 only, not 瑞丰气体
    assert "楼山街道" not in page
    assert 'data-testid="section-stats"' not in page  # its role does not see that section


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2026Q9"}, "2026Q4"),
        ({"street": "370212001"}, "street"),
        ({"zone": "nowhere"}, "zone"),
    ],
)
def test_a_bad_filter_is_a_400_with_its_message(client, leader, fake, laoshan, query, message):
    client.force_login(leader)
    response = client.get(INDEX, query)
    assert response.status_code == 400
    assert message in html(response)
    assert fake == []


def test_the_outsider_sees_only_its_own_district(client, outsider, fake, tianlu, ruifeng, licun):
    client.force_login(outsider)
    page = html(client.get(INDEX))
    assert "崂山区" in page
    assert "李沧区" not in page and "李村街道" not in page
    assert re.search(r'data-testid="figure-enterprises.total"[\s\S]*?data-value="0">0<', page)
    # a street of 李沧区 is refused, on the page and on the screen's data
    assert client.get(INDEX, {"street": licun.code}).status_code == 400
    assert client.get(DATA, {"street": licun.code}).status_code == 400
    data = client.get(DATA).json()
    assert data["sections"][0]["figures"][0]["value"] == 0
    assert all("李村街道" not in c["categories"] for c in data["charts"])


def test_the_filter_form_swaps_the_board_with_htmx(client, leader, fake, licun, tianlu, ruifeng):
    client.force_login(leader)
    page = html(client.get(INDEX))
    assert 'hx-get="/dashboard/"' in page and 'hx-target="#dashboard-board"' in page
    response = client.get(INDEX, {"street": licun.code}, headers={"HX-Request": "true"})
    part = html(response)
    assert response.status_code == 200
    assert "<html" not in part and part.lstrip().startswith('<div id="dashboard-board">')
    assert re.search(r'data-testid="figure-enterprises.total"[\s\S]*?data-value="1">1<', part)


def test_the_page_links_to_the_big_screen_with_the_same_filters(client, leader, fake, licun):
    client.force_login(leader)
    page = html(client.get(INDEX, {"street": licun.code, "period": "2025"}))
    link = re.search(
        r'href="(/dashboard/screen/\?[^"]*)" data-testid="dashboard-screen-link"', page
    )
    assert link is not None
    assert link.group(1) == f"/dashboard/screen/?period=2025&amp;street={licun.code}"


def test_no_sections_says_so(client, leader, monkeypatch):
    fakes.install(monkeypatch, [fakes.hidden])
    client.force_login(leader)
    page = html(client.get(INDEX))
    assert 'data-testid="dashboard-empty"' in page


# --- the navigation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("leader", True),
        ("jxj_clerk", True),
        ("licun_clerk", True),
        ("enterprise_user", False),
        ("sysadmin", False),
        ("auditor", False),
    ],
)
def test_the_command_centre_is_in_the_navigation_of_officials(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))
    page = html(client.get("/"))
    found = re.search(r'href="/dashboard/"[^>]*><i class="bi bi-speedometer2"', page)
    assert (found is not None) is shown


# --- the query budget --------------------------------------------------------------------------


def _rows(n: int, streets: list[Any]) -> None:
    from qifu.appeals.tests.factories import AppealFactory
    from qifu.enterprises.tests.factories import EnterpriseFactory

    for i in range(n):
        enterprise = EnterpriseFactory(street=streets[i % len(streets)], is_above_scale=i % 2 == 0)
        if i % 3 == 0:
            AppealFactory(enterprise=enterprise)


def _queries(client: Any, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGE_BUDGET = 6  # session, user, unread notifications, streets, zones (and a spare)


@pytest.mark.parametrize("url", [INDEX, SCREEN, DATA])
def test_the_pages_read_as_many_queries_for_many_rows_as_for_few(
    client, leader, fake, licun, loushan, django_assert_max_num_queries, url
):
    client.force_login(leader)
    _rows(2, [licun, loushan])
    few = _queries(client, url)
    _rows(30, [licun, loushan])
    many = _queries(client, url)
    assert few == many
    from django.core.cache import cache

    cache.clear()
    # the stand-in sections read one query (enterprises)
    with django_assert_max_num_queries(PAGE_BUDGET + 1):
        client.get(url)


REAL_BUDGET = 35  # the page (5) and the seven real sections (22 today), each a fixed number


@pytest.mark.parametrize("url", [INDEX, DATA])
def test_with_the_real_sections_the_page_is_bounded_whatever_the_rows(
    client, leader, licun, loushan, django_assert_max_num_queries, url
):
    client.force_login(leader)
    _rows(3, [licun, loushan])
    few = _queries(client, url)
    _rows(30, [licun, loushan])
    many = _queries(client, url)
    assert few == many
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(REAL_BUDGET):
        client.get(url)


def test_a_cached_dashboard_reads_no_section_again(client, leader, fake):
    client.force_login(leader)
    with CaptureQueriesContext(connection) as first:
        client.get(INDEX)
    with CaptureQueriesContext(connection) as second:
        client.get(INDEX)
    assert fake.count("enterprises") == 1
    assert len(second) == len(first) - 1  # the stand-in enterprises section's one query


# --- the big screen ----------------------------------------------------------------------------


def test_the_big_screen_has_tiles_charts_and_a_clock_from_local_files(
    client, leader, fake, tianlu, ruifeng, licun
):
    client.force_login(leader)
    response = client.get(SCREEN, {"period": "2026"})
    page = html(response)
    assert response.status_code == 200
    assert "李沧区" in page and "2026年" in page
    # ECharts and the screen's script are served by the application itself, never a CDN
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static/vendor/echarts/echarts.min.js", "/static/js/dashboard-screen.js"]
    assert not re.search(r'(src|href)="(https?:)?//', page)
    # a tile per section, its first figure big, then the next ones
    for key in ("enterprises", "appeals", "stats"):
        assert f'data-testid="screen-tile-{key}"' in page
    assert 'data-figure="enterprises.total"' in page and 'data-figure="appeals.overdue"' in page
    # 123,456.78 万元 shows as 12.35 亿元 on the screen
    assert re.search(
        r'data-figure="stats.output"[\s\S]*?>12.35</span><span class="screen-unit">亿元<', page
    )
    # the charts: the sections' own (bars, donut), and one built from the figures of stats
    assert re.findall(r'data-chart="([^"]+)"', page) == [
        "enterprises:0",
        "appeals:0",
        "stats:figures",
    ]
    # two columns for three charts: the last one spans both
    assert "--chart-cols: 2; --chart-rows: 2;" in page
    assert page.count("grid-column: span") == 1
    assert re.search(
        r'style="grid-column: span 2;">\s*<h2[^>]*data-chart-title="stats:figures"', page
    )
    assert 'data-testid="screen-clock"' in page and 'data-testid="screen-date"' in page
    assert 'data-testid="screen-offline" hidden' in page
    assert "为企业解决实际问题 5 类、8 项" in page
    # the data it refreshes from keeps the filters
    assert 'data-url="/dashboard/screen/data.json?period=2026"' in page
    data = json.loads(
        re.search(
            r'<script id="screen-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert [c["id"] for c in data["charts"]] == ["enterprises:0", "appeals:0", "stats:figures"]


def test_the_screen_data_is_the_figures_and_charts_as_json(
    client, leader, fake, tianlu, ruifeng, monkeypatch
):
    read = dt.datetime(2026, 5, 20, 14, 5, tzinfo=SHANGHAI)
    monkeypatch.setattr("qifu.dashboard.selectors.timezone.now", lambda: read)
    client.force_login(leader)
    response = client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["read_at_label"] == "14:05"
    assert data["read_at"].startswith("2026-05-20T14:05:00")
    assert [s["key"] for s in data["sections"]] == ["enterprises", "appeals", "stats"]
    total = data["sections"][0]["figures"][0]
    assert total == {
        "key": "enterprises.total",
        "label": "企业总数",
        "value": 2,
        "display": "2",
        "unit": "家",
        "note": "",
        "url": "/enterprises/?",
        "screen_display": "2",
        "screen_unit": "家",
    }
    stats = {f["key"]: f for f in data["sections"][2]["figures"]}
    assert stats["stats.output"]["value"] == 123456.78
    assert stats["stats.complete"]["value"] == 87.5
    assert stats["stats.missing"]["value"] is None and stats["stats.missing"]["display"] == "—"
    charts = {c["id"]: c for c in data["charts"]}
    assert charts["appeals:0"]["type"] == "pie"
    assert charts["appeals:0"]["series"] == [{"name": "诉求", "data": [4, 8]}]
    assert charts["enterprises:0"]["categories"] == ["李村街道", "楼山街道"]
    # a section without charts gets one from its figures of the commonest unit (never %)
    assert charts["stats:figures"] == {
        "id": "stats:figures",
        "name": "月度数据",
        "type": "bar",
        "unit": "万元",
        "categories": ["工业产值", "营业收入"],
        "series": [{"name": "月度数据", "data": [123456.78, 2345.6]}],
    }


def test_the_screen_data_refuses_outsiders_of_the_command_centre_as_json(
    client, enterprise_user, leader, fake
):
    client.force_login(enterprise_user)
    response = client.get(DATA)
    assert response.status_code == 403 and "detail" in response.json()
    client.force_login(leader)
    response = client.get(DATA, {"period": "soon"})
    assert response.status_code == 400 and "2026Q4" in response.json()["detail"]


# --- helpers of the screen -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        (0, "0"),
        (12345, "12,345"),
        (Decimal("1234.50"), "1,234.50"),
        (91.66666, "91.67"),
        (True, "1"),
        (Decimal("1E+3"), "1,000"),
    ],
)
def test_display(value, shown):
    assert views.display(value) == shown


def test_screen_display_turns_large_amounts_into_yi_yuan():
    assert views.screen_display(Decimal("123456.78"), "万元") == ("12.35", "亿元")
    assert views.screen_display(Decimal("9999.5"), "万元") == ("9,999.5", "万元")
    assert views.screen_display(120000, "家") == ("120,000", "家")


def test_the_screen_keeps_at_most_six_charts_sections_own_first():
    sections = [
        Section(
            key=f"s{i}",
            title=f"S{i}",
            figures=[
                Figure(key=f"s{i}.a", label="a", value=i, unit="件"),
                Figure(key=f"s{i}.b", label="b", value=i + 1, unit="件"),
            ],
            charts=[
                {"name": "c", "categories": ["x", "y"], "series": [{"name": "n", "data": [1, 2]}]}
            ]
            if i < 4
            else [],
        )
        for i in range(8)
    ]
    charts = views.screen_charts(sections)
    assert [c["id"] for c in charts] == ["s0:0", "s1:0", "s2:0", "s3:0", "s4:figures", "s5:figures"]
    assert views.chart_json({"type": "radar"}, "x")["type"] == "bar"  # unknown types: bars


def test_a_chart_of_one_category_is_left_off_the_screen(client, licun_clerk, fake, tianlu):
    client.force_login(licun_clerk)
    data = client.get(DATA).json()
    # the street clerk's "enterprises by street" has one bar: no panel for it
    assert [c["id"] for c in data["charts"]] == ["appeals:0"]
    page = html(client.get(SCREEN))
    assert re.findall(r'data-chart="([^"]+)"', page) == ["appeals:0"]
    assert "--chart-cols: 1; --chart-rows: 1;" in page


def test_a_chart_from_figures_needs_two_figures_of_one_unit_and_never_percentages():
    rates = Section(
        key="r",
        title="R",
        figures=[
            Figure(key="r.a", label="a", value=5, unit="%"),
            Figure(key="r.b", label="b", value=7, unit="%"),
        ],
    )
    lonely = Section(
        key="l",
        title="L",
        figures=[
            Figure(key="l.a", label="a", value=5, unit="件"),
            Figure(key="l.b", label="b", value=7, unit="家"),
            Figure(key="l.c", label="c", value=None, unit="件"),
        ],
    )
    assert views.screen_charts([rates, lonely]) == []


def test_a_tile_shows_the_headline_figures_before_breakdowns():
    def fig(key: str) -> dict[str, str]:
        return {"key": key}

    figures = [
        fig("enterprises.total"),
        fig("enterprises.street.1"),
        fig("enterprises.above_scale"),
        fig("enterprises.street.2"),
        fig("enterprises.key"),
        fig("enterprises.x"),
        fig("enterprises.y"),
    ]
    assert [f["key"] for f in views.key_figures(figures)] == [
        "enterprises.total",
        "enterprises.above_scale",
        "enterprises.key",
        "enterprises.x",
    ]
    stages = [fig("projects.stage.a"), fig("projects.stage.b")]
    assert views.key_figures(stages) == stages
