"""The application list's filters for the command centre: the period submitted in (a quarter or a
year, local days), the enterprise's street and zone (codes), and `live` (withdrawn ones left out);
the list shows its count in `result-count`, the export holds the same rows, and the open
programmes' count shows on the programme list."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.policies.models import Application, ApplicationStatus, Origin

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/policies/applications/"


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def shown_count(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.findall(r'data-testid="result-count"[^>]*>(\d+)<', response.content.decode())
    assert len(found) == 1, url
    return int(found[0])


def apply(programme: Any, enterprise: Any, by: Any, submitted: dt.datetime, **fields: Any) -> Any:
    return Application.objects.create(
        programme=programme,
        enterprise=enterprise,
        origin=Origin.APPLIED,
        status=fields.pop("status", ApplicationStatus.APPLIED),
        submitted_by=by,
        submitted_at=submitted,
        **fields,
    )


@pytest.fixture
def applications(programme, leader, tianlu, ruifeng, licun) -> dict[str, Any]:
    """天路集团 on 1 July 2025 at 00:10 (Beijing), 瑞丰气体 on 30 September 23:30, a withdrawn one
    of 李村街道 in August, and 天路集团's second enterprise on 1 October 00:10."""
    second = EnterpriseFactory(street=licun, name="李村机械")
    third = EnterpriseFactory(street=licun, name="李村五金")
    return {
        "first": apply(programme, tianlu, leader, at("2025-07-01", "00:10")),
        "last": apply(programme, ruifeng, leader, at("2025-09-30", "23:30")),
        "withdrawn": apply(
            programme, second, leader, at("2025-08-15"), status=ApplicationStatus.WITHDRAWN
        ),
        "october": apply(programme, third, leader, at("2025-10-01", "00:10")),
    }


def names(client: Any, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {a.enterprise.name for a in response.context["page"].object_list}


def test_the_period_keeps_the_applications_submitted_in_it_on_local_days(
    client, leader, applications
) -> None:
    client.force_login(leader)

    assert names(client, f"{URL}?period=2025Q3") == {"天路集团", "瑞丰气体", "李村机械"}
    assert names(client, f"{URL}?period=2025Q4") == {"李村五金"}
    assert shown_count(client, f"{URL}?period=2025") == 4
    assert shown_count(client, URL) == 4


def test_live_leaves_the_withdrawn_applications_out(client, leader, applications) -> None:
    client.force_login(leader)

    assert shown_count(client, f"{URL}?period=2025Q3&live=on") == 2
    assert names(client, f"{URL}?live=on") == {"天路集团", "瑞丰气体", "李村五金"}


def test_the_street_and_zone_of_the_enterprise(
    client, leader, applications, licun, loushan
) -> None:
    client.force_login(leader)

    assert names(client, f"{URL}?street={licun.code}") == {"天路集团", "李村机械", "李村五金"}
    assert names(client, f"{URL}?street={loushan.code}&period=2025Q3") == {"瑞丰气体"}
    assert names(client, f"{URL}?zone={loushan.zone.code}") == {"瑞丰气体"}
    assert shown_count(client, f"{URL}?zone={licun.zone.code}&live=on&period=2025Q3") == 1


def test_the_export_holds_the_rows_of_the_filtered_list(client, leader, applications) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(leader)

    response = client.get(f"{URL}export/?period=2025Q3&live=on")

    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]]
    assert sorted(r[0] for r in rows) == ["天路集团", "瑞丰气体"]


def test_a_street_clerk_may_not_filter_by_another_street(
    client, licun_clerk, applications, loushan, licun
) -> None:
    client.force_login(licun_clerk)

    assert client.get(f"{URL}?street={loushan.code}").status_code == 400
    assert names(client, f"{URL}?street={licun.code}&live=on") == {"天路集团", "李村五金"}


def test_a_period_that_is_not_a_quarter_nor_a_year_is_a_bad_request(
    client, leader, applications
) -> None:
    client.force_login(leader)

    assert client.get(f"{URL}?period=2025Q5").status_code == 400
    assert client.get(f"{URL}?zone=nowhere").status_code == 400


def test_the_filtered_list_takes_the_same_queries_for_few_and_many_rows(
    client, leader, programme, applications, loushan, django_assert_max_num_queries
) -> None:
    client.force_login(leader)
    url = f"{URL}?period=2025Q3&live=on&zone={loushan.zone.code}"
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
    for i in range(12):
        one = EnterpriseFactory(street=loushan, name=f"楼山企业{i}")
        apply(programme, one, leader, at("2025-08-01"), funds_amount=Decimal(i))
    with django_assert_max_num_queries(10):
        assert shown_count(client, url) == 13


def test_the_programme_list_shows_its_count(client, leader, programme, make_programme) -> None:
    make_programme(title="已结束的项目", window=(dt.date(2025, 1, 1), dt.date(2025, 2, 1)))
    client.force_login(leader)

    assert shown_count(client, "/policies/programmes/") == 2
    assert shown_count(client, "/policies/programmes/?status=published&open_now=on") == 1
