"""The filters the command centre's figures link with, and the count the list shows in its
`result-count` element: appeals by zone and by closing date; the filters a link brings are kept
in hidden fields when the list is refined; the figures page by street and zone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from qifu.appeals.models import Appeal, Satisfaction, Status
from qifu.appeals.tests.factories import AppealFactory
from qifu.core.models import OrgUnit
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def result_count(response: Any) -> int:
    assert response.status_code == 200
    found = re.findall(r'data-testid="result-count"[^>]*>\s*(\d+)\s*<', response.content.decode())
    assert len(found) == 1
    return int(found[0])


def put(appeal: Appeal, **fields: Any) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(**fields)
    appeal.refresh_from_db()
    return appeal


@pytest.fixture
def appeals(tianlu, ruifeng) -> dict[str, Appeal]:
    """李村 (central): closed 2025-07-01 00:30 and open; 楼山 (west): closed 2025-06-30 23:30;
    九水 (east): closed 2025-09-30 23:59, resolved and satisfied."""
    east = EnterpriseFactory(name="九水企业", street=OrgUnit.objects.get(code="370213011"))
    closed = {"status": Status.CLOSED, "resolved": True}
    return {
        "licun_closed": put(
            AppealFactory(enterprise=tianlu), **closed, closed_at=at("2025-07-01", "00:30")
        ),
        "licun_open": AppealFactory(enterprise=tianlu),
        "loushan_closed": put(
            AppealFactory(enterprise=ruifeng), **closed, closed_at=at("2025-06-30", "23:30")
        ),
        "east_closed": put(
            AppealFactory(enterprise=east),
            **closed,
            closed_at=at("2025-09-30", "23:59"),
            replied_at=at("2025-09-20"),
            replied_on_time=True,
            satisfaction=Satisfaction.SATISFIED,
        ),
    }


@pytest.mark.parametrize(("zone", "n"), [("", 4), ("central", 2), ("west", 1), ("east", 1)])
def test_the_list_filters_by_zone(client, appeals, leader, zone, n) -> None:
    client.force_login(leader)
    assert result_count(client.get(f"/appeals/?zone={zone}")) == n


@pytest.mark.parametrize(
    ("query", "n"),
    [
        ("closed_from=2025-07-01&closed_to=2025-09-30", 2),  # Beijing days, not UTC's
        ("closed_from=2025-07-01", 2),
        ("closed_to=2025-06-30", 1),
        ("closed_from=2025-10-01", 0),
        ("status=closed&closed_from=2025-07-01&closed_to=2025-09-30&zone=east", 1),
    ],
)
def test_the_list_filters_by_the_day_closed(client, appeals, leader, query, n) -> None:
    client.force_login(leader)
    assert result_count(client.get(f"/appeals/?{query}")) == n


def test_a_bad_closing_day_is_dropped_and_the_other_filters_still_apply(
    client, appeals, leader
) -> None:
    client.force_login(leader)
    assert result_count(client.get("/appeals/?closed_from=yesterday&zone=central")) == 2


def test_the_filters_a_link_brings_are_kept_when_the_list_is_refined(
    client, appeals, leader
) -> None:
    client.force_login(leader)
    response = client.get("/appeals/?zone=west&open=1&street=370213006&closed_to=2025-06-30")

    html = response.content.decode()
    for name, value in [
        ("zone", "west"),
        ("open", "1"),
        ("street", "370213006"),
        ("closed_to", "2025-06-30"),
    ]:
        assert re.search(rf'<input type="hidden" name="{name}" value="{value}"', html), name
    assert result_count(response) == 0  # 楼山's only appeal is closed


def test_the_count_keeps_its_words(client, appeals, leader) -> None:
    client.force_login(leader)
    html = client.get("/appeals/?zone=central").content.decode()

    text = re.search(r'data-testid="appeal-count">(.*?)</p>', html)
    assert text is not None
    assert re.sub(r"<[^>]+>", "", text.group(1)) == "共 2 件诉求"


def test_the_htmx_results_carry_the_count(client, appeals, leader) -> None:
    client.force_login(leader)
    response = client.get("/appeals/?zone=east", headers={"HX-Request": "true"})

    assert result_count(response) == 1
    assert "<form" not in response.content.decode()


def test_a_street_clerk_sees_no_other_zone_through_the_filter(client, appeals, licun_clerk) -> None:
    client.force_login(licun_clerk)

    assert result_count(client.get("/appeals/")) == 2
    assert result_count(client.get("/appeals/?zone=west")) == 0


@pytest.mark.parametrize(
    ("query", "received"),
    [("", 4), ("street=370213007", 2), ("zone=east", 1), ("zone=west", 1)],
)
def test_the_figures_page_filters_by_street_and_zone(client, appeals, leader, query, received):
    client.force_login(leader)
    response = client.get(f"/appeals/stats/?{query}")

    assert response.status_code == 200
    assert response.context["figures"]["total"]["received"] == received


def test_the_figures_page_of_a_zone_has_its_own_rates_and_headline(client, appeals, leader):
    client.force_login(leader)
    response = client.get("/appeals/stats/?zone=east")

    figures = response.context["figures"]
    assert figures["total"]["on_time_rate"] == 100.0
    assert figures["total"]["satisfaction_rate"] == 100.0
    assert (figures["solved_categories"], figures["solved"]) == (1, 1)
    assert '<input type="hidden" name="zone" value="east"' in response.content.decode()
