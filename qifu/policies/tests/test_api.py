"""REST /api/v1/policies/ (library, programmes, matches, calculator), the matched programmes of an
enterprise and /api/v1/notices/: scope, refusals and query budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from qifu.core.tests.helpers import is_chinese
from qifu.enterprises.models import Enterprise, Tag
from qifu.policies import services
from qifu.policies.models import ApplicationStatus, Delivery, PolicyCategory

pytestmark = pytest.mark.django_db

POLICIES = "/api/v1/policies/"
PROGRAMMES = "/api/v1/policies/programmes/"
CALCULATOR = "/api/v1/policies/calculator/"
NOTICES = "/api/v1/notices/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def _build(n: int, licun: Any) -> None:
    """`n` enterprises of 李村街道; every third a 高新技术企业, every other above scale."""
    tag, _ = Tag.objects.get_or_create(name="高新技术企业")
    start = Enterprise.objects.count()
    rows = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"接口测试{start + i:04d}",
                credit_code=f"9137021311{start + i:07d}X"[:18],
                street=licun,
                industry_code="3434",
                industry_section="C",
                is_above_scale=i % 2 == 0,
            )
            for i in range(n)
        ]
    )
    Enterprise.tags.through.objects.bulk_create(
        [Enterprise.tags.through(enterprise=e, tag=tag) for e in rows[::3]]
    )


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        POLICIES,
        PROGRAMMES,
        "/api/v1/policies/applications/",
        NOTICES,
        "/api/v1/notices/deliveries/",
    ],
)
def test_the_anonymous_are_refused(api, org, path) -> None:
    assert api.get(path).status_code in (401, 403)


def test_the_anonymous_cannot_use_the_calculator_or_the_matches(api, programme, tianlu) -> None:
    assert api.post(CALCULATOR, {}, format="json").status_code in (401, 403)
    assert api.get(f"/api/v1/enterprises/{tianlu.pk}/matched-programmes/").status_code in (
        401,
        403,
    )


def test_an_outsider_sees_nothing_of_the_district(api, programme, policy, outsider, tianlu) -> None:
    as_(api, outsider)
    assert api.get(POLICIES).json()["results"] == []
    assert api.get(PROGRAMMES).json()["results"] == []
    assert api.get(f"{POLICIES}{policy.pk}/").status_code == 404
    assert api.get(f"{PROGRAMMES}{programme.pk}/").status_code == 404
    assert api.get(f"{PROGRAMMES}{programme.pk}/matches/").status_code == 404
    assert api.post(f"{PROGRAMMES}{programme.pk}/close/").status_code == 404
    assert api.get(f"/api/v1/enterprises/{tianlu.pk}/matched-programmes/").status_code == 404


def test_an_administrator_is_refused(api, programme, sysadmin) -> None:
    assert as_(api, sysadmin).get(PROGRAMMES).status_code == 403


# --- policies ------------------------------------------------------------------------------------


def test_a_department_creates_filters_and_changes_policies(api, jxj_clerk, jxj) -> None:
    as_(api, jxj_clerk)
    body = {
        "title": "关于推进清洁生产的实施意见",
        "level": "city",
        "issuer": "青岛市人民政府",
        "document_number": "青政发〔2025〕8号",
        "issued_on": "2025-03-01",
        "valid_until": "2026-01-31",
        "department": jxj.pk,
        "categories": ["innovation"],
    }
    response = api.post(POLICIES, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["is_expired"], created["categories"]) == (True, ["innovation"])
    assert [p["id"] for p in api.get(POLICIES, {"q": "清洁"}).json()["results"]] == [created["id"]]
    assert api.get(POLICIES, {"valid": "true", "q": "清洁"}).json()["results"] == []
    assert len(api.get(POLICIES, {"valid": "false", "level": "city"}).json()["results"]) == 1
    assert api.get(POLICIES, {"category": "innovation"}).json()["count"] == 1
    changed = api.patch(f"{POLICIES}{created['id']}/", {"valid_until": None}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["is_expired"] is False


def test_bad_policy_filters_are_400(api, jxj_clerk) -> None:
    as_(api, jxj_clerk)
    assert api.get(POLICIES, {"level": "galaxy"}).status_code == 400
    assert api.get(POLICIES, {"valid": "maybe"}).status_code == 400


def test_an_enterprise_user_reads_policies_but_cannot_write_them(
    api, programme, policy, enterprise_user, jxj
) -> None:
    as_(api, enterprise_user)
    assert [p["id"] for p in api.get(POLICIES).json()["results"]] == [policy.pk]
    body = {"title": "x", "level": "city", "issuer": "y", "issued_on": "2026-01-01"}
    assert api.post(POLICIES, {**body, "department": jxj.pk}, format="json").status_code == 403
    assert api.patch(f"{POLICIES}{policy.pk}/", {"title": "z"}, format="json").status_code == 404


# --- programmes ----------------------------------------------------------------------------------


def _programme_body(policy: Any, jxj: Any, **values: Any) -> dict[str, Any]:
    return {
        "policy": policy.pk,
        "title": "2026年度新产品认定",
        "window_opens": "2026-04-01",
        "window_closes": "2026-05-31",
        "support_amount": "20.00",
        "materials": ["申报书"],
        "criteria": {
            "combine": "all",
            "conditions": [{"field": "industry", "op": "in", "value": ["C"]}],
        },
        "department": jxj.pk,
        **values,
    }


def test_a_department_creates_publishes_and_closes_a_programme(api, jxj_clerk, policy, jxj):
    as_(api, jxj_clerk)
    response = api.post(PROGRAMMES, _programme_body(policy, jxj), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["criteria_words"]) == ("draft", ["行业属于：制造业"])
    path = f"{PROGRAMMES}{data['id']}/"
    assert api.post(f"{path}publish/").json()["status"] == "published"
    assert api.post(f"{path}close/").json()["status"] == "closed"
    again = api.post(f"{path}close/")
    assert again.status_code == 409
    assert again.json()["detail"]
    assert api.patch(path, {"title": "改"}, format="json").status_code == 409


@pytest.mark.parametrize(
    "criteria",
    [
        {"combine": "most", "conditions": []},
        {"conditions": [{"field": "colour", "op": "in", "value": ["red"]}]},
        {"conditions": [{"field": "employees", "op": ">=", "value": "many"}]},
        {"conditions": [{"field": "key", "op": "is", "value": "yes"}]},
        ["not", "an", "object"],
    ],
)
def test_bad_criteria_are_400_with_the_reason_in_chinese(api, jxj_clerk, policy, jxj, criteria):
    response = as_(api, jxj_clerk).post(
        PROGRAMMES, _programme_body(policy, jxj, criteria=criteria), format="json"
    )
    assert response.status_code == 400, response.content
    assert "criteria" in response.json()["errors"]
    assert is_chinese(response.json()["errors"]["criteria"][0])


def test_an_enterprise_user_sees_published_programmes_only(
    api, make_programme, enterprise_user, policy, jxj
) -> None:
    published = make_programme(title="已发布")
    draft = make_programme(title="草稿", publish=False)
    as_(api, enterprise_user)
    assert [p["id"] for p in api.get(PROGRAMMES).json()["results"]] == [published.pk]
    assert api.get(f"{PROGRAMMES}{draft.pk}/").status_code == 404
    assert api.post(PROGRAMMES, _programme_body(policy, jxj), format="json").status_code == 403
    assert api.get(f"{PROGRAMMES}{published.pk}/matches/").status_code == 403


def test_the_matches_of_a_programme_say_the_conditions_met_and_missed(
    api, programme, leader, tianlu, ruifeng
) -> None:
    response = as_(api, leader).get(f"{PROGRAMMES}{programme.pk}/matches/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["heading"] == "同时满足以下全部条件"
    assert [m["enterprise"] for m in data["eligible"]] == [tianlu.pk]
    assert data["eligible"][0]["met"] == ["具有其中任一标签：高新技术企业", "是规模以上企业"]
    assert [m["enterprise"] for m in data["near"]] == [ruifeng.pk]
    assert data["near"][0]["missed"] == ["具有其中任一标签：高新技术企业"]


def test_the_matches_cost_the_same_queries_for_few_and_many(
    api, programme, leader, licun, django_assert_max_num_queries
) -> None:
    as_(api, leader)
    _build(3, licun)
    with django_assert_max_num_queries(20):
        assert api.get(f"{PROGRAMMES}{programme.pk}/matches/").status_code == 200
    _build(60, licun)
    with django_assert_max_num_queries(20):
        data = api.get(f"{PROGRAMMES}{programme.pk}/matches/").json()
    assert len(data["eligible"]) > 10


def test_the_programme_list_costs_the_same_queries_for_few_and_many(
    api, make_programme, jxj_clerk, django_assert_max_num_queries
) -> None:
    as_(api, jxj_clerk)
    for i in range(2):
        make_programme(title=f"少{i}")
    with django_assert_max_num_queries(12):
        assert api.get(PROGRAMMES).json()["count"] == 2
    for i in range(10):
        make_programme(title=f"多{i}")
    with django_assert_max_num_queries(12):
        assert api.get(PROGRAMMES).json()["count"] == 12


def test_the_policy_list_costs_the_same_queries_for_few_and_many(
    api, policy, jxj_clerk, jxj, django_assert_max_num_queries
) -> None:
    as_(api, jxj_clerk)

    def add(n: int) -> None:
        for i in range(n):
            services.policy_save(
                by=jxj_clerk,
                values={
                    "title": f"政策{i}",
                    "level": "district",
                    "issuer": "李沧区人民政府",
                    "issued_on": dt.date(2026, 1, 1),
                    "department": jxj,
                },
                categories=PolicyCategory.objects.all()[:2],
            )

    add(1)
    with django_assert_max_num_queries(10):
        assert api.get(POLICIES).json()["count"] == 2
    add(10)
    with django_assert_max_num_queries(10):
        assert api.get(POLICIES).json()["count"] == 12


# --- matched programmes of an enterprise ---------------------------------------------------------


def test_an_enterprise_sees_what_it_qualifies_for_now_and_soon(
    api, make_programme, enterprise_user, tianlu, ruifeng
) -> None:
    now = make_programme(title="现在")
    soon = make_programme(title="即将", window=(dt.date(2026, 5, 10), dt.date(2026, 6, 10)))
    as_(api, enterprise_user)
    response = api.get(f"/api/v1/enterprises/{tianlu.pk}/matched-programmes/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [m["programme"] for m in data["now"]] == [now.pk]
    assert [m["programme"] for m in data["soon"]] == [soon.pk]
    assert api.get(f"/api/v1/enterprises/{ruifeng.pk}/matched-programmes/").status_code == 404


def test_street_staff_see_the_matches_of_their_street_only(
    api, programme, licun_clerk, tianlu, ruifeng
) -> None:
    as_(api, licun_clerk)
    assert api.get(f"/api/v1/enterprises/{tianlu.pk}/matched-programmes/").status_code == 200
    assert api.get(f"/api/v1/enterprises/{ruifeng.pk}/matched-programmes/").status_code == 404


# --- the calculator ------------------------------------------------------------------------------


def test_the_calculator_weighs_attributes(api, make_programme, leader) -> None:
    make_programme(title="甲", support_amount=Decimal("50"))
    make_programme(title="乙", support_amount=Decimal("30"), criteria={})
    response = as_(api, leader).post(
        CALCULATOR, {"above_scale": False, "tags": ["高新技术企业"]}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert [m["programme_title"] for m in data["eligible"]] == ["乙"]
    assert [m["programme_title"] for m in data["near"]] == ["甲"]
    assert data["near"][0]["missed"] == ["是规模以上企业"]
    assert Decimal(data["support_total"]) == Decimal("30")


def test_the_calculator_weighs_an_enterprise_of_the_scope(
    api, programme, enterprise_user, tianlu, ruifeng
) -> None:
    as_(api, enterprise_user)
    data = api.post(CALCULATOR, {"enterprise": tianlu.pk}, format="json").json()
    assert [m["programme"] for m in data["eligible"]] == [programme.pk]
    assert Decimal(data["support_total"]) == Decimal("50")
    assert api.post(CALCULATOR, {"enterprise": ruifeng.pk}, format="json").status_code == 400
    assert api.post(CALCULATOR, {"employees": "many"}, format="json").status_code == 400


# --- 免申即享 ----------------------------------------------------------------------------------


def test_a_department_confirms_the_list_of_a_programme_without_application(
    api, make_programme, jxj_clerk, tianlu, ruifeng
) -> None:
    programme = make_programme(no_application=True)
    as_(api, jxj_clerk)
    path = f"{PROGRAMMES}{programme.pk}/confirm/"
    response = api.post(path, {"enterprises": [tianlu.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert [(a["enterprise"], a["status"]) for a in response.json()] == [
        (tianlu.pk, ApplicationStatus.CONFIRMED)
    ]
    refused = api.post(path, {"enterprises": [ruifeng.pk]}, format="json")
    assert refused.status_code == 400
    assert "瑞丰气体" in refused.json()["detail"]
    other = make_programme(title="需申报")
    conflict = api.post(f"{PROGRAMMES}{other.pk}/confirm/", {"enterprises": [tianlu.pk]})
    assert conflict.status_code == 409


# --- notices -------------------------------------------------------------------------------------


def test_a_push_reaches_the_eligible_and_records_the_reading(
    api, programme, jxj_clerk, enterprise_user, ruifeng_user, tianlu
) -> None:
    as_(api, jxj_clerk)
    body = {
        "title": "技术创新项目开始申报",
        "body": "4月30日截止。",
        "programme": programme.pk,
        "target": {"eligible": True},
        "client_token": "push-1",
    }
    response = api.post(NOTICES, body, format="json")
    assert response.status_code == 201, response.content
    notice = response.json()
    assert (notice["delivered"], notice["read"]) == (1, 0)
    assert api.post(NOTICES, body, format="json").status_code == 200
    delivery = Delivery.objects.get(notice_id=notice["id"])
    assert delivery.enterprise == tianlu

    as_(api, ruifeng_user)
    assert api.post(f"{NOTICES}deliveries/{delivery.pk}/read/").status_code == 404
    as_(api, enterprise_user)
    assert api.post(NOTICES, body, format="json").status_code == 403
    assert [d["id"] for d in api.get(f"{NOTICES}deliveries/").json()["results"]] == [delivery.pk]
    read = api.post(f"{NOTICES}deliveries/{delivery.pk}/read/")
    assert read.status_code == 200, read.content
    assert read.json()["read"] is True

    rows = as_(api, jxj_clerk).get(NOTICES).json()["results"]
    assert [(r["id"], r["delivered"], r["read"]) for r in rows] == [(notice["id"], 1, 1)]


def test_a_notice_without_a_target_is_400(api, jxj_clerk, enterprise_user) -> None:
    as_(api, jxj_clerk)
    response = api.post(NOTICES, {"title": "通知", "body": "内容", "target": {}}, format="json")
    assert response.status_code == 400
    by_street = {"title": "通知", "body": "内容", "target": {"streets": ["370213007"]}}
    assert api.post(NOTICES, by_street, format="json").json()["delivered"] == 1
    assert as_(api, enterprise_user).get(NOTICES).status_code == 403
