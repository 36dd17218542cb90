"""REST GET /api/v1/dashboard/: the command centre's sections and figures as JSON, with the same
filters and scope as the page, `read_at`, `fresh`, refusals and the query budget."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from qifu.dashboard.tests import fakes

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def fake(monkeypatch) -> list[str]:
    return fakes.install(monkeypatch)


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def test_anonymous_callers_get_401(api, fake):
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize(
    "who", ["enterprise_user", "sysadmin", "secadmin", "auditor", "no_role_user"]
)
def test_enterprise_users_admins_and_users_without_a_role_get_403(api, request, fake, who):
    response = as_(api, request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert fake == []


def test_it_answers_get_only(api, leader, fake):
    assert as_(api, leader).post(URL, {}).status_code == 405


def test_a_leader_reads_the_sections_and_figures(api, leader, fake, tianlu, ruifeng, monkeypatch):
    read = dt.datetime(2026, 5, 20, 10, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr("qifu.dashboard.selectors.timezone.now", lambda: read)
    response = as_(api, leader).get(URL, {"period": "2026Q1"})
    assert response.status_code == 200
    data = response.json()
    assert dt.datetime.fromisoformat(data["read_at"]) == read
    assert data["filters"] == {
        "period": "2026Q1",
        "period_label": "2026年第一季度",
        "first_day": "2026-01-01",
        "last_day": "2026-03-31",
        "district": {"code": "370213", "name": "李沧区"},
        "street": None,
        "zone": None,
    }
    assert [s["key"] for s in data["sections"]] == ["enterprises", "appeals", "stats"]
    enterprises, appeals, stats = data["sections"]
    assert enterprises["title"] == "企业"
    assert enterprises["figures"][0] == {
        "key": "enterprises.total",
        "label": "企业总数",
        "value": 2,
        "display": "2",
        "unit": "家",
        "note": "",
        "url": "/enterprises/?",
        "counts_list": True,
    }
    assert enterprises["charts"] == [
        {
            "id": "enterprises:0",
            "name": "各街道企业数",
            "type": "bar",
            "unit": "",
            "categories": ["李村街道", "楼山街道"],
            "series": [{"name": "企业", "data": [1, 1]}],
        }
    ]
    assert appeals["lines"] == ["为企业解决实际问题 5 类、8 项"]
    rate = appeals["figures"][2]
    assert rate["value"] == 91.7 and rate["counts_list"] is False and rate["url"] == ""
    by_key = {f["key"]: f for f in stats["figures"]}
    assert by_key["stats.output"]["value"] == 123456.78
    assert by_key["stats.output"]["display"] == "123,456.78"
    assert by_key["stats.missing"]["value"] is None
    assert stats["charts"] == []


def test_the_filters_are_the_pages(api, leader, fake, licun, tianlu, ruifeng):
    data = as_(api, leader).get(URL, {"street": licun.code, "period": "2025"}).json()
    assert data["filters"]["street"] == {"code": licun.code, "name": "李村街道"}
    assert data["filters"]["period"] == "2025"
    assert data["sections"][0]["figures"][0]["value"] == 1
    assert data["sections"][0]["figures"][0]["url"] == f"/enterprises/?street={licun.code}"
    zone = licun.zone
    data = as_(api, leader).get(URL, {"zone": zone.code}).json()
    assert data["filters"]["zone"] == {"code": zone.code, "name": zone.name}
    assert data["sections"][0]["figures"][0]["value"] == 1


def test_a_street_clerk_reads_its_own_street(api, licun_clerk, loushan, fake, tianlu, ruifeng):
    data = as_(api, licun_clerk).get(URL, {"street": loushan.code}).json()
    assert data["filters"]["street"]["name"] == "李村街道"
    assert data["sections"][0]["figures"][0]["value"] == 1
    assert [s["key"] for s in data["sections"]] == ["enterprises", "appeals"]


def test_the_outsider_reads_its_own_district_only(api, outsider, fake, licun, tianlu, ruifeng):
    data = as_(api, outsider).get(URL).json()
    assert data["filters"]["district"] == {"code": "370212", "name": "崂山区"}
    assert data["sections"][0]["figures"][0]["value"] == 0
    response = as_(api, outsider).get(URL, {"street": licun.code})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", [{"period": "2026Q7"}, {"street": "nowhere"}, {"zone": "nowhere"}, {"period": "x"}]
)
def test_a_bad_filter_is_a_400_with_the_message(api, leader, fake, query):
    response = as_(api, leader).get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"]["non_field_errors"]
    assert fake == []


def test_fresh_reads_the_figures_again(api, leader, fake):
    as_(api, leader).get(URL)
    as_(api, leader).get(URL)
    assert fake.count("appeals") == 1
    as_(api, leader).get(URL, {"fresh": "true"})
    assert fake.count("appeals") == 2
    as_(api, leader).get(URL, {"fresh": "1"})
    assert fake.count("appeals") == 3
    as_(api, leader).get(URL, {"fresh": "no"})
    assert fake.count("appeals") == 3


def _rows(n: int, streets: list[Any]) -> None:
    from qifu.enterprises.tests.factories import EnterpriseFactory

    for i in range(n):
        EnterpriseFactory(street=streets[i % len(streets)])


def test_the_api_reads_as_many_queries_for_many_rows_as_for_few(
    api, leader, licun, loushan, django_assert_max_num_queries
):
    # the real sections, each in a fixed number of queries
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_(api, leader)
    counts = []
    for n in (2, 30):
        _rows(n, [licun, loushan])
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    cache.clear()
    with django_assert_max_num_queries(32):  # 24 today: the sections and authentication
        api.get(URL)


def test_the_schema_documents_the_endpoint(api, leader):
    response = as_(api, leader).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/dashboard/"]["get"]
    assert operation["operationId"] == "dashboard_read"
    assert {p["name"] for p in operation["parameters"]} == {"period", "street", "zone", "fresh"}
    figure = schema["components"]["schemas"]["Figure"]["properties"]
    assert figure["value"]["type"] == "number" and figure["value"]["nullable"] is True
