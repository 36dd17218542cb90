"""REST /api/v1/visits/coverage/: assigned, visited and not yet visited enterprises of a quarter
or a year, in total, per official and per street, with the stale list and the open red flags; a
bad period is 400 with a Chinese message, a unit outside the caller's scope 404."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.core.tests.helpers import is_chinese
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.visits.tests.conftest import CALM_ANSWERS, D, as_

pytestmark = pytest.mark.django_db

URL = "/api/v1/visits/coverage/"


@pytest.fixture
def assigned(assign, licun_clerk, other_leader, licun, tianlu, licun_key, ruifeng) -> None:
    """The street clerk answers for 李村's key enterprises (天路集团, 海湾化工); 王副区长 for
    瑞丰气体."""
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=ruifeng)


def test_a_street_clerk_gets_the_coverage_of_its_street(
    api, assigned, record, licun_clerk, licun, tianlu, licun_key
) -> None:
    record(licun_clerk, [tianlu], date=D(2026, 10, 9), red_flags=[(tianlu, "land", "缺地")])
    response = as_(api, licun_clerk).get(URL)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["period"] == "2026Q4"  # the current quarter
    assert is_chinese(data["period_label"])
    assert (data["org_unit"], data["org_unit_name"]) == (licun.pk, "李村街道")
    assert (data["assigned"], data["visited"], data["not_visited"]) == (2, 1, 1)
    assert data["rate"] == 0.5
    assert data["red_flags_open"] == 1
    assert data["officials"] == [
        {
            "username": "licun_clerk",
            "full_name": licun_clerk.full_name,
            "assigned": 2,
            "visited": 1,
            "not_visited": 1,
            "on_target": 1,
            "rate": 0.5,
            "visits": 1,
            "last_visit": "2026-10-09",
            "days_since": 11,
        }
    ]
    assert data["streets"] == [
        {
            "id": licun.pk,
            "name": "李村街道",
            "assigned": 2,
            "visited": 1,
            "not_visited": 1,
            "rate": 0.5,
            "red_flags_open": 1,
        }
    ]
    assert data["stale"] == [
        {"enterprise": licun_key.pk, "name": "海湾化工", "last_visit": None, "days_since": None}
    ]


def test_a_leader_gets_the_district_per_official_and_street(
    api, assigned, leader, licun_clerk, other_leader, loushan
) -> None:
    data = as_(api, leader).get(URL).json()
    assert data["assigned"] == 3
    assert [o["username"] for o in data["officials"]] == ["wang_fqz", "licun_clerk"]
    assert len(data["streets"]) == 11
    loushan_row = next(s for s in data["streets"] if s["id"] == loushan.pk)
    assert (loushan_row["assigned"], loushan_row["visited"]) == (1, 0)
    narrowed = api.get(URL, {"org_unit": loushan.pk}).json()
    assert (narrowed["org_unit"], narrowed["assigned"]) == (loushan.pk, 1)
    one = api.get(URL, {"official": "licun_clerk"}).json()
    assert [o["username"] for o in one["officials"]] == ["licun_clerk"]
    assert one["assigned"] == 2


def test_a_year_counts_four_quarters_of_visits(api, assigned, record, licun_clerk, tianlu) -> None:
    record(licun_clerk, [tianlu], date=D(2026, 3, 2))
    as_(api, licun_clerk)
    year = api.get(URL, {"period": "2026"}).json()
    assert (year["period"], year["visited"]) == ("2026", 1)
    assert year["officials"][0]["on_target"] == 0  # once a quarter: four times a year
    assert api.get(URL, {"period": "2026Q4"}).json()["visited"] == 0
    assert api.get(URL, {"period": "2026q1"}).json()["visited"] == 1


def test_the_stale_list_takes_its_number_of_days(
    api, assigned, record, licun_clerk, tianlu
) -> None:
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    as_(api, licun_clerk)
    assert [s["name"] for s in api.get(URL).json()["stale"]] == ["海湾化工"]
    stale = api.get(URL, {"stale_days": 10}).json()["stale"]
    assert [(s["name"], s["days_since"]) for s in stale] == [("海湾化工", None), ("天路集团", 11)]


def test_the_coverage_goes_up_when_a_visit_is_recorded(api, assigned, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    before = api.get(URL).json()
    visit = {
        "date": "2026-10-20",
        "enterprises": [tianlu.pk],
        "officials": ["licun_clerk"],
        "notes": "走访天路集团",
        "answers": CALM_ANSWERS,
    }
    draft = api.post("/api/v1/visits/", visit, format="json")
    assert draft.status_code == 201
    assert api.get(URL).json()["visited"] == before["visited"] == 0  # a draft does not count
    done = api.patch(f"/api/v1/visits/{draft.json()['id']}/", {"complete": True}, format="json")
    assert done.status_code == 200, done.content
    after = api.get(URL).json()
    assert (after["visited"], after["not_visited"]) == (1, 1)
    assert after["officials"][0]["days_since"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026Q5"}, "period"),
        ({"period": "Q4"}, "period"),
        ({"period": "last quarter"}, "period"),
        ({"period": "1999"}, "period"),
        ({"org_unit": "licun"}, "org_unit"),
        ({"org_unit": "999999"}, "org_unit"),
        ({"official": "nobody"}, "official"),
        ({"official": "outsider"}, "official"),
        ({"stale_days": "0"}, "stale_days"),
        ({"stale_days": "many"}, "stale_days"),
    ],
)
def test_bad_parameters_are_400_with_a_chinese_message(
    api, leader, outsider, params, field
) -> None:
    response = as_(api, leader).get(URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert is_chinese(response.json()["detail"])


def test_a_unit_outside_the_scope_is_404(api, assigned, licun_clerk, outsider, licun, loushan):
    assert as_(api, licun_clerk).get(URL, {"org_unit": loushan.pk}).status_code == 404
    assert as_(api, outsider).get(URL, {"org_unit": licun.pk}).status_code == 404


def test_an_outsider_sees_only_its_own_district(api, assigned, outsider, laoshan) -> None:
    data = as_(api, outsider).get(URL).json()
    assert (data["org_unit"], data["assigned"], data["officials"]) == (laoshan.pk, 0, [])


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin"])
def test_who_is_not_an_official_is_refused(api, request, who) -> None:
    assert as_(api, request.getfixturevalue(who)).get(URL).status_code == 403


def _build(n: int, *, record: Any, assign: Any, official: Any, by: Any, street: Any) -> None:
    assign(official, street=street, by=by)
    for i in range(n):
        enterprise = EnterpriseFactory(street=street, is_key=True, name=f"覆盖企业{n}-{i}")
        if i % 2:
            record(
                official,
                [enterprise],
                date=D(2026, 10, 1 + i % 15),
                red_flags=[(enterprise, "layoffs", "放假")],
            )


def test_the_coverage_takes_the_same_number_of_queries_for_few_and_many(
    api,
    django_assert_max_num_queries,
    record,
    assign,
    leader,
    licun_clerk,
    other_leader,
    licun,
    loushan,
) -> None:
    as_(api, leader)
    _build(2, record=record, assign=assign, official=licun_clerk, by=leader, street=licun)
    with django_assert_max_num_queries(9):
        few = api.get(URL).json()
    assert few["assigned"] == 2
    _build(12, record=record, assign=assign, official=other_leader, by=leader, street=loushan)
    _build(12, record=record, assign=assign, official=leader, by=leader, street=licun)
    with django_assert_max_num_queries(9):
        many = api.get(URL).json()
    assert many["assigned"] == 26
    assert len(many["officials"]) == 3
    assert many["red_flags_open"] == 13
