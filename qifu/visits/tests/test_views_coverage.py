"""The coverage pages: coverage of a district or a street for a quarter (with its Excel export),
the official's own responsibilities, and the enterprise file's visits section.

Coverage reads the same number of queries for few and many enterprises and visits; a bad period is
400, an org unit outside the user's scope 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.xlsx import XLSX_MIME
from qifu.visits.tests.conftest import D

pytestmark = pytest.mark.django_db


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def figure(response: Any, name: str) -> str:
    """The text of the element with data-testid=name (a figure of the page)."""
    html = response.content.decode()
    start = html.index(f'data-testid="{name}"')
    return html[html.index(">", start) + 1 : html.index("<", start)].strip()


@pytest.fixture
def covered(assign, record, licun_clerk, leader, tianlu, licun_key, licun_small, ruifeng):
    """李村街道's key enterprises assigned to its clerk; 天路集团 visited this quarter; 瑞丰气体
    (楼山街道) assigned to the leader and not visited."""
    assign(licun_clerk, street=tianlu.street)
    assign(leader, enterprise=ruifeng)
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    record(licun_clerk, [licun_key], date=D(2026, 5, 6))  # last quarter: stale this quarter
    return None


# --- coverage -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client) -> None:
    for url in [
        "/visits/coverage/",
        "/visits/coverage/export/",
        "/visits/mine/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_the_enterprise_user_may_not_see_coverage(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    for url in ["/visits/coverage/", "/visits/coverage/export/", "/visits/mine/"]:
        assert client.get(url).status_code == 403, url


def test_the_coverage_pages_take_get_only(client, leader) -> None:
    client.force_login(leader)

    for url in ["/visits/coverage/", "/visits/coverage/export/", "/visits/mine/"]:
        assert client.post(url, {}).status_code == 405, url


def test_the_district_coverage_counts_assigned_visited_and_not_visited(
    client, covered, leader
) -> None:
    client.force_login(leader)
    response = client.get("/visits/coverage/?period=2026Q4")

    assert response.status_code == 200
    assert figure(response, "coverage-assigned") == "3"  # 天路, 海湾 (key, 李村) and 瑞丰
    assert figure(response, "coverage-visited") == "1"
    assert figure(response, "coverage-not-visited") == "2"
    coverage = response.context["coverage"]
    assert str(coverage.span) == "2026Q4"
    assert {s.street.name: (s.assigned, s.visited) for s in coverage.streets if s.assigned} == {
        "李村街道": (2, 1),
        "楼山街道": (1, 0),
    }
    officials = {o.official.username: (o.assigned, o.visited) for o in coverage.officials}
    assert officials == {"licun_clerk": (2, 1), "leader": (1, 0)}
    html = response.content.decode()
    assert html.count('data-testid="coverage-enterprise"') == 3 + len(coverage.stale)
    assert {item["row"].name for item in response.context["stale"]} == {"海湾化工", "瑞丰气体"}


def test_the_default_period_is_the_current_quarter(client, covered, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/coverage/")

    assert str(response.context["coverage"].span) == "2026Q4"
    assert response.context["form"]["period"].value() == "2026Q4"


def test_a_past_quarter_or_a_year_can_be_asked(client, covered, leader) -> None:
    client.force_login(leader)

    q2 = client.get("/visits/coverage/?period=2026Q2")
    assert figure(q2, "coverage-visited") == "1"  # 海湾化工 in May
    year = client.get("/visits/coverage/?period=2026")
    assert figure(year, "coverage-visited") == "2"


def test_a_street_clerk_sees_the_coverage_of_the_street(client, covered, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.get("/visits/coverage/")

    assert response.context["coverage"].org_unit.name == "李村街道"
    assert figure(response, "coverage-assigned") == "2"
    assert figure(response, "coverage-visited") == "1"


def test_the_leader_narrows_coverage_to_a_street(client, covered, leader, licun) -> None:
    client.force_login(leader)
    response = client.get(f"/visits/coverage/?org_unit={licun.pk}")

    assert figure(response, "coverage-assigned") == "2"


def test_the_stale_days_move_the_stale_list(client, covered, leader) -> None:
    client.force_login(leader)
    # 天路集团 was visited 11 days before today, 海湾化工 167 days before, 瑞丰气体 never
    response = client.get("/visits/coverage/?stale_days=10")

    assert {item["row"].name for item in response.context["stale"]} == {
        "天路集团",
        "海湾化工",
        "瑞丰气体",
    }


@pytest.mark.parametrize(
    "query",
    ["period=2026Q5", "period=Q4", "period=1999", "stale_days=0", "stale_days=x", "org_unit=abc"],
)
def test_a_bad_coverage_query_is_400(client, leader, query) -> None:
    client.force_login(leader)

    assert client.get(f"/visits/coverage/?{query}").status_code == 400
    assert client.get(f"/visits/coverage/export/?{query}").status_code == 400


def test_an_org_unit_outside_the_scope_is_404(client, covered, licun_clerk, loushan, district):
    client.force_login(licun_clerk)

    assert client.get(f"/visits/coverage/?org_unit={loushan.pk}").status_code == 404
    assert client.get(f"/visits/coverage/?org_unit={district.pk}").status_code == 404
    assert client.get("/visits/coverage/?org_unit=999999").status_code == 404


def test_an_official_of_another_district_sees_nothing_of_ours(client, covered, outsider, licun):
    client.force_login(outsider)

    assert client.get(f"/visits/coverage/?org_unit={licun.pk}").status_code == 404
    response = client.get("/visits/coverage/")
    assert response.status_code == 200
    assert figure(response, "coverage-assigned") == "0"


def test_the_coverage_export_is_the_enterprise_table(client, covered, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/coverage/export/?period=2026Q4")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(["天路集团", "海湾化工", "瑞丰气体"])
    tianlu = next(r for r in rows if r[0] == "天路集团")
    assert tianlu[1] == "李村街道"
    assert tianlu[5] == 1  # visits in the quarter


def _grow(assign, record, licun_clerk, leader, licun, n: int) -> None:
    for i in range(n):
        enterprise = EnterpriseFactory(street=licun, is_key=i % 2 == 0)
        assign(leader, enterprise=enterprise)
        if i % 3:
            record(licun_clerk, [enterprise], date=D(2026, 10, 1 + i % 15))


def test_coverage_reads_as_many_queries_for_many_enterprises_and_visits_as_for_few(
    client, assign, record, licun_clerk, leader, licun, django_assert_max_num_queries
) -> None:
    assign(licun_clerk, street=licun)
    client.force_login(leader)
    urls = ["/visits/coverage/", "/visits/coverage/export/", "/visits/mine/"]
    _grow(assign, record, licun_clerk, leader, licun, 2)
    few = [count_queries(client, url) for url in urls]
    _grow(assign, record, licun_clerk, leader, licun, 12)
    many = [count_queries(client, url) for url in urls]

    assert few == many
    with django_assert_max_num_queries(12):
        client.get("/visits/coverage/")


# --- my responsibilities --------------------------------------------------------------------------


def test_my_responsibilities_list_my_enterprises_with_a_link_to_record_a_visit(
    client, covered, licun_clerk, tianlu, licun_key
) -> None:
    client.force_login(licun_clerk)
    response = client.get("/visits/mine/")

    assert response.status_code == 200
    assert figure(response, "mine-assigned") == "2"
    assert figure(response, "mine-visited") == "1"
    assert figure(response, "mine-not-visited") == "1"
    assert {item["row"].name for item in response.context["enterprises"]} == {
        "天路集团",
        "海湾化工",
    }
    html = response.content.decode()
    assert f'href="/visits/new/?enterprise={licun_key.pk}"' in html
    assert len(response.context["assignments"]) == 1


def test_my_responsibilities_show_my_upcoming_plans(client, licun_clerk, leader, tianlu) -> None:
    from qifu.visits import services

    mine = services.plan_create(
        by=leader,
        date=D(2026, 10, 25),
        purpose="回访",
        enterprises=[tianlu],
        officials=[licun_clerk],
    )
    services.plan_create(
        by=leader, date=D(2026, 10, 26), purpose="别人的", enterprises=[tianlu], officials=[leader]
    )
    client.force_login(licun_clerk)
    response = client.get("/visits/mine/")

    assert response.context["plans"] == [mine]
    assert f'href="/visits/new/?plan={mine.pk}"' in response.content.decode()


def test_a_user_without_assignments_sees_an_empty_list(client, jxj_clerk) -> None:
    client.force_login(jxj_clerk)
    response = client.get("/visits/mine/")

    assert response.status_code == 200
    assert figure(response, "mine-assigned") == "0"


# --- the enterprise file --------------------------------------------------------------------------


def test_the_enterprise_file_shows_who_is_responsible_visits_and_flags(
    client, assign, record, licun_clerk, tianlu
) -> None:
    assign(licun_clerk, street=tianlu.street)
    record(licun_clerk, [tianlu], red_flags=[(tianlu, "layoffs", "裁员30人")])
    client.force_login(licun_clerk)
    response = client.get(f"/enterprises/{tianlu.pk}/")

    html = response.content.decode()
    assert 'data-testid="enterprise-visits"' in html
    assert "裁员30人" in html
    assert html.count('data-testid="enterprise-visit"') == 1
    assert html.count('data-testid="enterprise-red-flag"') == 1
    assert f'href="/visits/new/?enterprise={tianlu.pk}"' in html
    responsible = html[html.index('data-testid="enterprise-responsible"') :]
    assert licun_clerk.display_name in responsible[:500]


def test_the_enterprise_user_does_not_see_the_visits_section(client, tianlu, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(f"/enterprises/{tianlu.pk}/")

    assert response.status_code == 200
    assert 'data-testid="enterprise-visits"' not in response.content.decode()


def test_the_navigation_shows_visits_to_officials_only(client, leader, enterprise_user) -> None:
    client.force_login(leader)
    assert 'href="/visits/"' in client.get("/").content.decode()
    client.force_login(enterprise_user)
    assert 'href="/visits/"' not in client.get("/").content.decode()
