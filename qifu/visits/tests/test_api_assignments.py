"""REST /api/v1/assignments/: who answers for visiting which street or enterprise (包干). District
leaders assign over the district, street staff over their street; the same responsibility twice
is 400; ending is a POST to /end/, 409 once it has ended."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.core.tests.helpers import is_chinese
from qifu.visits import services
from qifu.visits.models import Assignment
from qifu.visits.tests.conftest import D, as_

pytestmark = pytest.mark.django_db

URL = "/api/v1/assignments/"


def url(assignment: Assignment | int, tail: str = "") -> str:
    pk = assignment if isinstance(assignment, int) else assignment.pk
    return f"{URL}{pk}/{tail}"


def test_anonymous_gets_401_or_403(api) -> None:
    assert api.get(URL).status_code in (401, 403)
    assert api.post(URL, {}, format="json").status_code in (401, 403)


def test_a_leader_assigns_a_street(api, leader, licun_clerk, licun) -> None:
    response = as_(api, leader).post(
        URL,
        {"official": "licun_clerk", "street": licun.pk, "visits_per_quarter": 2, "note": "重点"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["official"] == "licun_clerk"
    assert data["official_name"] == licun_clerk.full_name
    assert (data["street"], data["street_name"], data["enterprise"]) == (licun.pk, "李村街道", None)
    assert (data["key_only"], data["visits_per_quarter"]) == (True, 2)
    assert (data["starts_on"], data["ends_on"], data["active"]) == ("2026-10-20", None, True)
    assert data["created_by"] == "leader"
    assert api.get(url(data["id"])).json() == data


def test_a_leader_assigns_a_named_enterprise(api, leader, ruifeng) -> None:
    response = as_(api, leader).post(
        URL, {"official": "leader", "enterprise": ruifeng.pk, "starts_on": "2026-07-01"}, "json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["enterprise_name"], response.json()["street"]) == ("瑞丰气体", None)


def test_a_street_clerk_assigns_its_own_street_only(api, licun_clerk, licun, loushan) -> None:
    as_(api, licun_clerk)
    own = api.post(URL, {"official": "licun_clerk", "street": licun.pk}, format="json")
    assert own.status_code == 201, own.content
    other = api.post(URL, {"official": "licun_clerk", "street": loushan.pk}, format="json")
    assert other.status_code == 403
    assert Assignment.objects.count() == 1


def test_a_department_clerk_does_not_assign(api, jxj_clerk, licun) -> None:
    response = as_(api, jxj_clerk).post(URL, {"official": "jxj_clerk", "street": licun.pk}, "json")
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin"])
def test_who_is_not_an_official_is_refused(api, request, who, licun_clerk, licun) -> None:
    as_(api, request.getfixturevalue(who))
    assert api.get(URL).status_code == 403
    assert api.post(URL, {"official": "licun_clerk", "street": licun.pk}, "json").status_code == 403
    assert not Assignment.objects.exists()


def test_an_outsider_cannot_assign_in_another_district(api, outsider, licun_clerk, licun) -> None:
    as_(api, outsider)
    response = api.post(URL, {"official": "outsider", "street": licun.pk}, format="json")
    assert response.status_code == 400
    response = api.post(URL, {"official": "licun_clerk", "street": licun.pk}, format="json")
    assert response.status_code == 400
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"official": "licun_clerk", "street": None}, "non_field_errors"),
        ({"official": "licun_clerk", "street": 0}, "street"),
        ({"official": "nobody"}, "official"),
        ({"official": "licun_clerk", "street": "LICUN"}, "street"),
        ({"official": "licun_clerk", "visits_per_quarter": 0}, "visits_per_quarter"),
        ({"official": "licun_clerk", "starts_on": "2026-02-30"}, "starts_on"),
    ],
)
def test_bad_input_is_400_with_a_chinese_message(
    api, leader, licun_clerk, licun, payload, field
) -> None:
    payload = {"street": licun.pk, **payload}
    response = as_(api, leader).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert is_chinese(response.json()["detail"])


def test_duplicates_are_refused(api, leader, licun_clerk, licun) -> None:
    as_(api, leader)
    payload = {"official": "licun_clerk", "street": licun.pk}
    assert api.post(URL, payload, format="json").status_code == 201
    again = api.post(URL, payload, format="json")
    assert again.status_code == 400
    assert is_chinese(again.json()["detail"])
    assert Assignment.objects.count() == 1


def test_an_assignment_is_ended_once(api, assign, leader, licun_clerk, licun) -> None:
    assignment = assign(licun_clerk, street=licun)
    as_(api, leader)
    response = api.post(url(assignment, "end/"), {"ends_on": "2026-10-19"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["ends_on"], response.json()["active"]) == ("2026-10-19", False)
    assert api.post(url(assignment, "end/"), {}, format="json").status_code == 409


def test_ending_before_the_start_is_400(api, assign, leader, licun_clerk, licun) -> None:
    assignment = assign(licun_clerk, street=licun, starts_on=D(2026, 10, 1))
    response = as_(api, leader).post(url(assignment, "end/"), {"ends_on": "2026-09-01"}, "json")
    assert response.status_code == 400
    assert "ends_on" in response.json()["errors"]


def test_the_list_is_scoped_and_filtered(
    api, assign, leader, licun_clerk, loushan_clerk, other_leader, licun, loushan, ruifeng, outsider
) -> None:
    on_licun = assign(licun_clerk, street=licun)
    assign(loushan_clerk, street=loushan)
    ended = assign(other_leader, enterprise=ruifeng)
    services.assignment_end(by=leader, assignment=ended, ends_on=D(2026, 9, 30))

    def ids(user: Any, **params: Any) -> list[int]:
        response = as_(api, user).get(URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert len(ids(leader)) == 3
    assert len(ids(leader, active="true")) == 2
    assert ids(leader, official="licun_clerk") == [on_licun.pk]
    assert ids(leader, street=licun.pk) == [on_licun.pk]
    assert ids(licun_clerk) == [on_licun.pk]
    assert ids(outsider) == []
    assert as_(api, outsider).get(url(on_licun)).status_code == 404
    assert as_(api, licun_clerk).post(url(ended, "end/"), {}, "json").status_code == 404
    assert as_(api, leader).get(URL, {"street": "abc"}).status_code == 400


def test_wrong_methods_are_405(api, assign, leader, licun_clerk, licun) -> None:
    assignment = assign(licun_clerk, street=licun)
    as_(api, leader)
    assert api.delete(url(assignment)).status_code == 405
    assert api.patch(url(assignment), {"note": "x"}, format="json").status_code == 405
    assert api.get(url(assignment, "end/")).status_code == 405


def test_the_list_takes_the_same_number_of_queries_for_few_and_many(
    api, django_assert_max_num_queries, assign, leader, licun_clerk, other_leader
) -> None:
    from qifu.enterprises.tests.factories import EnterpriseFactory

    as_(api, leader)
    for _ in range(2):
        assign(licun_clerk, enterprise=EnterpriseFactory())
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 2
    for _ in range(10):
        assign(other_leader, enterprise=EnterpriseFactory())
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 12
