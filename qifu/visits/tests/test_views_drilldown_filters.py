"""The filters the command centre's figures link with, and the count each list shows in its
`result-count` element: the visit list by zone, the red flags by street and zone, the coverage by
zone with its assigned enterprises all, visited or not visited (and their export the same)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from qifu.core.models import OrgUnit
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.visits import services
from qifu.visits.tests.conftest import D

pytestmark = pytest.mark.django_db

JIUSHUI = "370213011"  # 九水街道, the east zone


def result_count(response: Any) -> int:
    assert response.status_code == 200
    found = re.findall(r'data-testid="result-count"[^>]*>\s*(\d+)\s*<', response.content.decode())
    assert len(found) == 1
    return int(found[0])


@pytest.fixture
def spread(assign, record, leader, licun_clerk, tianlu, ruifeng) -> dict[str, Any]:
    """Key enterprises of 李村 (central) and 九水 (east) assigned, and 瑞丰气体 (楼山, west);
    天路集团 and 瑞丰气体 visited in 2026Q4, 九水's not; a red flag open in each of 李村 and 楼山,
    and one resolved in 九水."""
    east = EnterpriseFactory(
        name="九水重点企业", street=OrgUnit.objects.get(code=JIUSHUI), is_key=True
    )
    assign(licun_clerk, street=tianlu.street)
    assign(leader, enterprise=ruifeng)
    assign(leader, street=east.street)
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    record(leader, [ruifeng], date=D(2026, 10, 12))
    services.red_flag_raise(by=licun_clerk, enterprise=tianlu, kind="financing", note="贷款到期")
    services.red_flag_raise(by=leader, enterprise=ruifeng, kind="layoffs", note="计划裁员")
    done = services.red_flag_raise(by=leader, enterprise=east, kind="other", note="搬迁")
    services.red_flag_resolve(by=leader, flag=done, resolution="已协调")
    return {"east": east}


# --- the visit list -----------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "n"), [("", 2), ("central", 1), ("west", 1), ("east", 0)])
def test_the_visit_list_filters_by_zone_and_shows_its_count(
    client, spread, leader, zone, n
) -> None:
    client.force_login(leader)
    response = client.get(f"/visits/?zone={zone}")

    assert result_count(response) == n
    assert response.context["page"].paginator.count == n


def test_the_visit_count_keeps_its_words(client, spread, leader) -> None:
    client.force_login(leader)
    html = client.get("/visits/").content.decode()

    text = re.search(r'data-testid="visit-count">(.*?)</p>', html)
    assert text is not None
    assert re.sub(r"<[^>]+>", "", text.group(1)) == "2 次走访"


def test_an_unknown_zone_is_400(client, leader) -> None:
    client.force_login(leader)
    assert client.get("/visits/?zone=nowhere").status_code == 400


# --- the red flags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "n"),
    [
        ("", 2),
        ("street=370213007", 1),
        ("street=370213006", 1),
        ("zone=west", 1),
        ("zone=east", 0),
        ("zone=east&state=all", 1),
    ],
)
def test_the_red_flags_filter_by_street_and_zone(client, spread, leader, query, n) -> None:
    client.force_login(leader)
    response = client.get(f"/visits/red-flags/?{query}")

    assert result_count(response) == n


def test_the_red_flags_export_takes_the_same_filters(client, spread, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/red-flags/export/?zone=west")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "瑞丰气体" in names and "天路集团" not in names


def test_a_street_clerk_sees_only_their_streets_red_flags(client, spread, licun_clerk) -> None:
    client.force_login(licun_clerk)

    assert result_count(client.get("/visits/red-flags/")) == 1
    # another street is not a choice of theirs
    assert client.get("/visits/red-flags/?street=370213006").status_code == 400


# --- coverage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "n"),
    [
        ("", 3),  # 天路集团, 瑞丰气体, 九水重点企业
        ("visited=yes", 2),
        ("visited=no", 1),
        ("zone=west", 1),
        ("zone=east&visited=yes", 0),
        ("zone=east&visited=no", 1),
        ("zone=central&visited=yes", 1),
    ],
)
def test_coverage_lists_the_assigned_enterprises_all_visited_or_not(
    client, spread, leader, query, n
) -> None:
    client.force_login(leader)
    response = client.get(f"/visits/coverage/?period=2026Q4&{query}")

    assert result_count(response) == n


def test_a_zone_narrows_the_coverage_totals_too(client, spread, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/coverage/?period=2026Q4&zone=west")

    coverage = response.context["coverage"]
    assert (coverage.assigned, coverage.visited, coverage.red_flags_open) == (1, 1, 1)
    assert [s.street.name for s in coverage.streets] == [
        "振华路街道",
        "永清路街道",
        "永安路街道",
        "兴华路街道",
        "兴城路街道",
        "楼山街道",
    ]


def test_the_coverage_export_lists_what_the_page_lists(client, spread, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/coverage/export/?period=2026Q4&visited=no")

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert "九水重点企业" in names
    assert "天路集团" not in names and "瑞丰气体" not in names


@pytest.mark.parametrize("query", ["zone=nowhere", "visited=maybe"])
def test_a_bad_coverage_filter_is_400(client, leader, query) -> None:
    client.force_login(leader)
    assert client.get(f"/visits/coverage/?{query}").status_code == 400
