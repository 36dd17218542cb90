"""REST /api/v1/policies/applications/: applying within the window once, the pipeline (review →
recommend → result → funds), scope, and the list's query budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from qifu.policies import services

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/policies/applications/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def test_an_enterprise_applies_once_and_a_double_submit_is_the_same_application(
    api, programme, enterprise_user, tianlu
) -> None:
    as_(api, enterprise_user)
    body = {"programme": programme.pk, "statement": "研发投入逐年增长", "client_token": "t-1"}
    first = api.post(APPLICATIONS, body, format="json")
    assert first.status_code == 201, first.content
    data = first.json()
    assert (data["enterprise"], data["status"], data["origin"]) == (tianlu.pk, "applied", "applied")
    again = api.post(APPLICATIONS, body, format="json")
    assert (again.status_code, again.json()["id"]) == (200, data["id"])
    duplicate = api.post(APPLICATIONS, {**body, "client_token": "t-2"}, format="json")
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"]


def test_applying_outside_the_window_is_409_with_the_reason(
    api, programme, enterprise_user, clock
) -> None:
    clock.set(dt.date(2026, 5, 6))
    response = as_(api, enterprise_user).post(
        APPLICATIONS, {"programme": programme.pk}, format="json"
    )
    assert response.status_code == 409
    assert "2026-04-30" in response.json()["detail"]


def test_the_materials_checked_on_applying_are_kept_and_must_be_on_the_checklist(
    api, programme, enterprise_user, tianlu
) -> None:
    as_(api, enterprise_user)
    unknown = {"programme": programme.pk, "materials_checked": ["审计报告"]}
    refused = api.post(APPLICATIONS, unknown, format="json")
    assert refused.status_code == 400
    assert "materials_checked" in refused.json()["errors"]
    body = {"programme": programme.pk, "materials_checked": ["申报书"]}
    response = api.post(APPLICATIONS, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["materials_checked"] == ["申报书"]


def test_an_official_must_name_the_enterprise(api, programme, jxj_clerk) -> None:
    response = as_(api, jxj_clerk).post(APPLICATIONS, {"programme": programme.pk}, format="json")
    assert response.status_code == 400


def test_the_pipeline_runs_through_the_api(
    api, programme, enterprise_user, jxj_clerk, tianlu
) -> None:
    created = as_(api, enterprise_user).post(
        APPLICATIONS, {"programme": programme.pk}, format="json"
    )
    path = f"{APPLICATIONS}{created.json()['id']}/"
    assert api.post(f"{path}review/", {"passed": True}, format="json").status_code == 403
    as_(api, jxj_clerk)
    missing = api.post(f"{path}review/", {"passed": True, "materials_checked": ["申报书"]})
    assert missing.status_code == 400
    assert "营业执照" in missing.json()["detail"]
    early = api.post(f"{path}funds/", {"amount": "10", "on": "2026-04-10"}, format="json")
    assert early.status_code == 409
    steps = [
        ("review", {"passed": True, "materials_checked": ["申报书", "营业执照"]}, "reviewed"),
        ("recommend", {"note": "推荐上报"}, "recommended"),
        ("result", {"approved": True, "amount": "40.00"}, "approved"),
        ("funds", {"amount": "40.00", "on": "2026-04-14"}, "funded"),
    ]
    for name, body, expected in steps:
        response = api.post(f"{path}{name}/", body, format="json")
        assert response.status_code == 200, (name, response.content)
        assert response.json()["status"] == expected
    data = response.json()
    assert (data["amount_approved"], data["funds_amount"], data["funds_on"]) == (
        "40.00",
        "40.00",
        "2026-04-14",
    )
    assert [e["action"] for e in data["events"]] == [
        "apply",
        "review",
        "recommend",
        "approve",
        "funds",
    ]


def test_a_returned_application_is_resubmitted_and_one_not_reviewed_withdrawn(
    api, programme, make_programme, enterprise_user, jxj_clerk
) -> None:
    application = as_(api, enterprise_user).post(
        APPLICATIONS, {"programme": programme.pk}, format="json"
    )
    path = f"{APPLICATIONS}{application.json()['id']}/"
    returned = as_(api, jxj_clerk).post(
        f"{path}review/", {"passed": False, "note": "补充审计报告"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    as_(api, enterprise_user)
    assert api.post(f"{path}resubmit/", {"statement": "已补充"}).json()["status"] == "applied"
    assert api.post(f"{path}withdraw/").json()["status"] == "withdrawn"
    assert api.post(f"{path}withdraw/").status_code == 409


def test_an_official_recommends_an_enterprise_of_its_scope(
    api, programme, licun_clerk, tianlu, ruifeng
) -> None:
    as_(api, licun_clerk)
    body = {"programme": programme.pk, "enterprise": tianlu.pk, "recommend": True}
    response = api.post(APPLICATIONS, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["origin"] == "recommended"
    other = api.post(APPLICATIONS, {**body, "enterprise": ruifeng.pk}, format="json")
    assert other.status_code == 400


def test_an_enterprise_sees_its_own_applications_only(
    api, programme, enterprise_user, ruifeng_user, outsider, leader, tianlu, ruifeng
) -> None:
    mine, _ = services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    theirs, _ = services.application_apply(by=ruifeng_user, programme=programme, enterprise=ruifeng)
    as_(api, enterprise_user)
    assert [a["id"] for a in api.get(APPLICATIONS).json()["results"]] == [mine.pk]
    assert api.get(f"{APPLICATIONS}{theirs.pk}/").status_code == 404
    assert api.post(f"{APPLICATIONS}{theirs.pk}/withdraw/").status_code == 404
    as_(api, outsider)
    assert api.get(APPLICATIONS).json()["results"] == []
    assert api.get(f"{APPLICATIONS}{mine.pk}/").status_code == 404
    assert len(as_(api, leader).get(APPLICATIONS).json()["results"]) == 2
    assert api.get(APPLICATIONS, {"status": "nonsense"}).status_code == 400


def test_the_application_list_costs_the_same_queries_for_few_and_many(
    api, make_programme, leader, tianlu, django_assert_max_num_queries
) -> None:
    as_(api, leader)

    def add(n: int) -> None:
        for i in range(n):
            programme = make_programme(title=f"项目{services.Application.objects.count()}-{i}")
            services.application_apply(by=leader, programme=programme, enterprise=tianlu)

    add(2)
    with django_assert_max_num_queries(10):
        assert api.get(APPLICATIONS).json()["count"] == 2
    add(10)
    with django_assert_max_num_queries(10):
        assert api.get(APPLICATIONS).json()["count"] == 12
