"""REST /api/v1/visits/red-flags/ (the leader's list of risk signals, resolved once) and
/api/v1/visits/plans/ (planned visits, cancelled once). Neither path is taken for a visit's id."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.core.tests.helpers import is_chinese
from qifu.visits import services
from qifu.visits.models import PlanStatus, VisitPlan
from qifu.visits.tests.conftest import D, as_

pytestmark = pytest.mark.django_db

FLAGS = "/api/v1/visits/red-flags/"
PLANS = "/api/v1/visits/plans/"


# --- red flags ------------------------------------------------------------------------------------


@pytest.fixture
def flagged(record, licun_clerk, leader, tianlu, ruifeng) -> dict[str, Any]:
    """An open flag from a completed visit to 天路集团, an open flag on 瑞丰气体 (楼山) raised by
    the leader, and a draft's flag, not raised yet."""
    visit = record(licun_clerk, [tianlu], red_flags=[(tianlu, "layoffs", "四季度放假两周")])
    record(licun_clerk, [tianlu], complete=False, red_flags=[(tianlu, "land", "缺地")])
    other = services.red_flag_raise(by=leader, enterprise=ruifeng, kind="relocation", note="拟外迁")
    return {"visit": visit, "tianlu": visit.red_flags.get(), "ruifeng": other}


def test_a_leader_lists_the_open_red_flags(api, flagged, leader, tianlu) -> None:
    response = as_(api, leader).get(FLAGS)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    # the latest first
    assert [row["id"] for row in rows] == [flagged["ruifeng"].pk, flagged["tianlu"].pk]
    first = rows[1]
    assert (first["enterprise"], first["enterprise_name"], first["street"]) == (
        tianlu.pk,
        "天路集团",
        "李村街道",
    )
    assert (first["kind"], first["source"], first["visit"]) == (
        "layoffs",
        "official",
        flagged["visit"].pk,
    )
    assert (first["raised_by"], first["raised_on"], first["resolved"]) == (
        "licun_clerk",
        "2026-10-09",
        False,
    )


def test_a_street_clerk_lists_the_flags_of_its_street(api, flagged, licun_clerk) -> None:
    rows = as_(api, licun_clerk).get(FLAGS).json()["results"]
    assert [row["id"] for row in rows] == [flagged["tianlu"].pk]
    assert as_(api, licun_clerk).get(f"{FLAGS}{flagged['ruifeng'].pk}/").status_code == 404


def test_a_red_flag_is_resolved_once(api, flagged, leader) -> None:
    as_(api, leader)
    path = f"{FLAGS}{flagged['tianlu'].pk}/resolve/"
    response = api.post(path, {"resolution": "已协调社保补贴，稳岗"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["resolved"], data["resolved_by"]) == (True, "leader")
    assert data["resolution"] == "已协调社保补贴，稳岗"
    assert api.post(path, {"resolution": "再次"}, format="json").status_code == 409
    assert [row["id"] for row in api.get(FLAGS).json()["results"]] == [flagged["ruifeng"].pk]
    everything = api.get(FLAGS, {"open": "false"}).json()["results"]
    assert len(everything) == 2


def test_resolving_without_saying_how_is_400(api, flagged, leader) -> None:
    response = as_(api, leader).post(
        f"{FLAGS}{flagged['tianlu'].pk}/resolve/", {"resolution": ""}, format="json"
    )
    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])


def test_an_official_who_did_not_raise_it_cannot_resolve_it(api, flagged, jxj_clerk) -> None:
    response = as_(api, jxj_clerk).post(
        f"{FLAGS}{flagged['tianlu'].pk}/resolve/", {"resolution": "已处理"}, format="json"
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(api, flagged, outsider) -> None:
    as_(api, outsider)
    assert api.get(FLAGS).json()["results"] == []
    path = f"{FLAGS}{flagged['tianlu'].pk}/resolve/"
    assert api.post(path, {"resolution": "x"}, format="json").status_code == 404


def test_a_red_flag_heard_outside_a_visit_is_raised(api, licun_clerk, tianlu, ruifeng) -> None:
    as_(api, licun_clerk)
    response = api.post(
        FLAGS, {"enterprise": tianlu.pk, "kind": "financing", "note": "银行抽贷"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["visit"], response.json()["source"]) == (None, "official")
    other = api.post(FLAGS, {"enterprise": ruifeng.pk, "kind": "land", "note": "x"}, "json")
    assert other.status_code == 400
    bad = api.post(FLAGS, {"enterprise": tianlu.pk, "kind": "weather", "note": "x"}, "json")
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin"])
def test_who_is_not_an_official_is_refused(api, request, who) -> None:
    as_(api, request.getfixturevalue(who))
    assert api.get(FLAGS).status_code == 403
    assert api.get(PLANS).status_code == 403


def test_the_red_flag_list_takes_the_same_number_of_queries_for_few_and_many(
    api, django_assert_max_num_queries, leader, licun
) -> None:
    from qifu.enterprises.tests.factories import EnterpriseFactory

    as_(api, leader)
    for i in range(2):
        services.red_flag_raise(by=leader, enterprise=EnterpriseFactory(), kind="land", note=f"{i}")
    with django_assert_max_num_queries(3):
        assert len(api.get(FLAGS).json()["results"]) == 2
    for i in range(10):
        services.red_flag_raise(by=leader, enterprise=EnterpriseFactory(), kind="land", note=f"{i}")
    with django_assert_max_num_queries(3):
        assert len(api.get(FLAGS).json()["results"]) == 12


# --- plans ----------------------------------------------------------------------------------------


def plan_body(enterprise: Any, **changes: Any) -> dict[str, Any]:
    return {
        "date": "2026-10-28",
        "purpose": "了解扩产用地需求",
        "kind": "onsite",
        "enterprises": [enterprise.pk],
        "officials": ["licun_clerk"],
        **changes,
    }


def test_a_visit_is_planned_and_cancelled_once(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    response = api.post(PLANS, plan_body(tianlu), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["enterprises"], data["officials"]) == (
        "planned",
        [tianlu.pk],
        ["licun_clerk"],
    )
    assert [row["id"] for row in api.get(PLANS).json()["results"]] == [data["id"]]
    assert api.get(f"{PLANS}{data['id']}/").json() == data
    cancelled = api.post(f"{PLANS}{data['id']}/cancel/")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert api.post(f"{PLANS}{data['id']}/cancel/").status_code == 409
    assert api.get(PLANS).json()["results"] == []
    assert len(api.get(PLANS, {"all": "true"}).json()["results"]) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2026-10-19"}, "date"),
        ({"kind": "letter"}, "kind"),
        ({"enterprises": []}, "enterprises"),
        ({"officials": ["outsider"]}, "officials"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_a_bad_plan_is_400(api, licun_clerk, outsider, tianlu, changes, field) -> None:
    response = as_(api, licun_clerk).post(PLANS, plan_body(tianlu, **changes), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert is_chinese(response.json()["detail"])
    assert not VisitPlan.objects.exists()


def test_a_plan_is_cancelled_only_by_who_made_it_or_goes(
    api, licun_clerk, leader, outsider, tianlu
) -> None:
    plan = services.plan_create(
        by=licun_clerk,
        date=D(2026, 10, 28),
        purpose="走访",
        enterprises=[tianlu],
        officials=[licun_clerk],
    )
    assert as_(api, leader).post(f"{PLANS}{plan.pk}/cancel/").status_code == 403
    assert as_(api, outsider).post(f"{PLANS}{plan.pk}/cancel/").status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED


def test_a_recorded_visit_carries_out_its_plan(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    plan = api.post(PLANS, plan_body(tianlu, date="2026-10-20"), format="json").json()
    visit = api.post(
        "/api/v1/visits/",
        {
            "plan": plan["id"],
            "date": "2026-10-20",
            "enterprises": [tianlu.pk],
            "officials": ["licun_clerk"],
            "notes": "按计划走访",
            "answers": {"output_outlook": "基本持平", "relocation": "no"},
            "complete": True,
        },
        format="json",
    )
    assert visit.status_code == 201, visit.content
    assert visit.json()["plan"] == plan["id"]
    assert api.get(f"{PLANS}{plan['id']}/").json()["status"] == "done"
