"""The figures (selectors.appeal_stats, /appeals/stats/, /api/v1/appeals/stats/): per category,
department, street and channel — received, accepted, resolved, on-time rate, average working
days to resolve, satisfaction rate, reopened — and the headline 为企业解决实际问题 N 类、M 项."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from qifu.appeals import selectors, services
from qifu.appeals.models import Channel, Kind
from qifu.appeals.tests.conftest import department, frozen
from qifu.appeals.tests.factories import category

pytestmark = pytest.mark.django_db

MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def march(flow, jxj_clerk, ruifeng, ruifeng_user, zjj_clerk):
    """Six appeals, five of them submitted on Monday 2026-03-02 and accepted the same day:

    A 天路集团 土地房产 portal, 区自然资源局, replied 03-05 (3 working days, on time), 满意
    B 天路集团 土地房产 portal, 区自然资源局, replied 03-20 (14, after the 03-16 deadline), 基本满意
    C 瑞丰气体 融资信贷 visit, demand, 区住建局, replied 03-03 (1, on time), 非常不满意 → reopened
    D 瑞丰气体 融资信贷 hotline, not accepted
    E 天路集团 用工人才 phone, returned
    F 天路集团 政策兑现, submitted on 2026-04-01: outside March
    """
    zrj, zjj = department("zrj"), department("zjj")

    def on_behalf(enterprise, cat, channel, kind=Kind.PROBLEM):
        appeal, _ = services.appeal_submit(
            by=jxj_clerk,
            enterprise=enterprise,
            kind=kind,
            category=category(cat),
            title=f"{cat} {channel}",
            description="说明",
            channel=channel,
        )
        return appeal

    with frozen("2026-03-02 09:00"):
        a = services.appeal_accept(by=flow.leader, appeal=flow.submitted())
        b = services.appeal_accept(by=flow.leader, appeal=flow.submitted())
        c = services.appeal_accept(
            by=flow.leader, appeal=on_behalf(ruifeng, "finance", Channel.VISIT, Kind.DEMAND)
        )
        on_behalf(ruifeng, "finance", Channel.HOTLINE)
        e = on_behalf(flow.enterprise_user.enterprise, "labour", Channel.PHONE)
        services.appeal_return(by=flow.leader, appeal=e, reason="企业内部事务")
        for appeal, lead in ((a, zrj), (b, zrj), (c, zjj)):
            services.appeal_assign(by=flow.leader, appeal=appeal, department=lead)
    with frozen("2026-03-03 15:00"):
        services.appeal_reply(
            by=zjj_clerk, appeal=c, reply="已对接银行", fulfilment="financing", met=True
        )
        services.appeal_rate(by=ruifeng_user, appeal=c, satisfaction="very_dissatisfied")
    with frozen("2026-03-05 15:00"):
        services.appeal_reply(by=flow.lead, appeal=a, reply="已办理", cause="手续缺失")
        services.appeal_rate(by=flow.enterprise_user, appeal=a, satisfaction="satisfied")
    with frozen("2026-03-20 15:00"):
        services.appeal_reply(by=flow.lead, appeal=b, reply="已办理", cause="历史遗留")
        services.appeal_rate(by=flow.enterprise_user, appeal=b, satisfaction="basically_satisfied")
    with frozen("2026-04-01 09:00"):
        flow.submitted(category=category("policy"))


def figures(user, group: str, **filters) -> dict:
    return selectors.appeal_stats(user=user, group=group, filters={**MARCH, **filters})


def by_key(found: dict) -> dict:
    return {r["key"]: r for r in found["rows"]}


def row(received, accepted, resolved, on_time, days, satisfied, reopened) -> dict:
    return {
        "received": received,
        "accepted": accepted,
        "resolved": resolved,
        "on_time_rate": on_time,
        "average_days": days,
        "satisfaction_rate": satisfied,
        "reopened": reopened,
    }


def numbers(r: dict) -> dict:
    return {k: v for k, v in r.items() if k not in ("key", "name")}


def test_the_figures_per_category(march, leader) -> None:
    found = figures(leader, "category")

    rows = by_key(found)
    assert numbers(rows["land"]) == row(2, 2, 2, 50.0, 8.5, 100.0, 0)
    assert numbers(rows["finance"]) == row(2, 1, 0, 100.0, 1.0, 0.0, 1)
    assert numbers(rows["labour"]) == row(1, 0, 0, None, None, None, 0)
    assert rows["land"]["name"] == "土地房产"
    assert [r["key"] for r in found["rows"]] == ["land", "finance", "labour"]
    assert numbers(found["total"]) == row(5, 3, 2, 66.7, 6.0, 66.7, 1)
    assert (found["solved_categories"], found["solved"]) == (1, 2)


def test_the_figures_per_department(march, leader) -> None:
    rows = by_key(figures(leader, "department"))

    assert numbers(rows["zrj"]) == row(2, 2, 2, 50.0, 8.5, 100.0, 0)
    assert numbers(rows["zjj"]) == row(1, 1, 0, 100.0, 1.0, 0.0, 1)
    assert rows["zrj"]["name"] == "区自然资源局"
    assert rows[""]["received"] == 2  # not assigned yet, or returned


def test_the_figures_per_street(march, leader) -> None:
    rows = by_key(figures(leader, "street"))

    assert {r["name"]: r["received"] for r in rows.values()} == {"李村街道": 3, "楼山街道": 2}
    assert numbers(rows["370213006"]) == row(2, 1, 0, 100.0, 1.0, 0.0, 1)


def test_the_figures_per_channel(march, leader) -> None:
    rows = by_key(figures(leader, "channel"))

    assert {k: r["received"] for k, r in rows.items()} == {
        "portal": 2,
        "visit": 1,
        "hotline": 1,
        "phone": 1,
    }
    assert numbers(rows["portal"]) == row(2, 2, 2, 50.0, 8.5, 100.0, 0)


def test_the_period_and_the_kind_narrow_the_figures(march, leader) -> None:
    everything = selectors.appeal_stats(user=leader, group="category", filters={})
    demands = figures(leader, "category", kind="demand")

    assert everything["total"]["received"] == 6
    assert demands["total"]["received"] == 1
    assert demands["total"]["reopened"] == 1
    assert demands["solved"] == 0


def test_the_figures_are_those_of_the_users_scope(march, loushan_clerk, enterprise_user) -> None:
    street = figures(loushan_clerk, "category")
    own = figures(enterprise_user, "category")

    assert street["total"]["received"] == 2
    assert own["total"]["received"] == 3


def test_the_page_shows_the_headline_and_the_table_in_chinese(client, march, leader) -> None:
    client.force_login(leader)

    response = client.get("/appeals/stats/", MARCH)

    html = response.content.decode()
    assert response.status_code == 200
    assert "为企业解决实际问题 1 类、2 项" in html
    assert 'data-testid="stats-table"' in html
    assert "土地房产" in html
    assert "66.7%" in html


def test_the_page_groups_by_department(client, march, leader) -> None:
    client.force_login(leader)

    html = client.get("/appeals/stats/", {**MARCH, "group": "department"}).content.decode()

    assert "区自然资源局" in html
    assert "区住房和城乡建设局" in html


def test_the_api_gives_the_figures_and_the_headline(api, march, leader) -> None:
    api.force_authenticate(leader)

    body = api.get("/api/v1/appeals/stats/", {**MARCH, "group": "street"}).json()

    assert body["headline"] == "为企业解决实际问题 1 类、2 项"
    assert body["total"]["received"] == 5
    assert {r["name"] for r in body["rows"]} == {"李村街道", "楼山街道"}


def test_the_figures_export_to_an_excel_file_that_opens(client, march, leader) -> None:
    client.force_login(leader)

    response = client.get("/appeals/stats/", {**MARCH, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "appeal-figures-category.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0] == "为企业解决实际问题 1 类、2 项"
    assert rows[2][:4] == ["土地房产", 2, 2, 2]
    assert rows[-1][1:4] == [5, 3, 2]


def test_the_list_exports_to_an_excel_file_that_opens(client, march, leader) -> None:
    client.force_login(leader)

    response = client.get("/appeals/export/", {"category": "land"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert len(rows) == 2 + 2  # title, headers, the two land appeals
    assert {r[1] for r in rows[2:]} == {"天路集团"}
    assert {r[8] for r in rows[2:]} == {"区自然资源局"}


def test_nothing_in_the_period_gives_empty_figures(client, leader, org) -> None:
    client.force_login(leader)

    found = figures(leader, "category")
    html = client.get("/appeals/stats/", MARCH).content.decode()

    assert found["rows"] == []
    assert found["total"]["on_time_rate"] is None
    assert "为企业解决实际问题 0 类、0 项" in html


def test_a_late_reply_stays_late_after_the_appeal_is_reopened(flow) -> None:
    with frozen("2026-03-02 09:00"):
        appeal = flow.assigned()
    with frozen("2026-03-20 15:00"):  # after the 03-16 deadline
        appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已办", cause="x")
        services.appeal_rate(by=flow.enterprise_user, appeal=appeal, satisfaction="dissatisfied")

    found = figures(flow.leader, "category")

    assert found["total"]["on_time_rate"] == 0.0


def test_an_outsider_counts_nothing_of_another_district(client, api, march, outsider) -> None:
    client.force_login(outsider)
    api.force_authenticate(outsider)

    html = client.get("/appeals/stats/", MARCH).content.decode()
    body = api.get("/api/v1/appeals/stats/", MARCH).json()

    assert "为企业解决实际问题 0 类、0 项" in html
    assert body["total"]["received"] == 0
    assert body["rows"] == []
