"""/api/v1/stats/: indicators and data sets, submissions (draft, submit with explanations by rule
code, accept, return), approvals (POST / DELETE), completeness and the rollup with its
comparable-basis growth and contributions. Scope as on the pages: 404 outside it, 403 for the
wrong role, 401 for anonymous callers; errors carry a `detail` message and field `errors`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qifu.core.models import OrgUnit
from qifu.core.tests.helpers import is_chinese
from qifu.notices.models import Notification
from qifu.stats import periods
from qifu.stats.models import Approval, Submission, SubmissionStatus
from qifu.stats.tests import conftest
from qifu.stats.tests.conftest import (
    VALID,
    approve,
    approve_other_streets,
    count_queries,
    enterprise,
    entries,
    form,
    grow,
    list_on,
    not_a_period,
    status_of,
)

# the services' clock reads 2026-03-25 (`clock`), when entry for March 2026 is open
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PERIOD = str(conftest.PERIOD)
DATASET = "industry-monthly"
API = "/api/v1/stats"
SUBMISSIONS = f"{API}/submissions/"
APPROVALS = f"{API}/approvals/"

ROLLUP_FIELDS = {
    "month",
    "ytd",
    "month_base",
    "ytd_base",
    "month_yoy",
    "ytd_yoy",
    "yoy_note",
    "naive_ytd_yoy",
    "mom",
    "enterprises",
}


# --- fixtures and builders --------------------------------------------------------------------


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def draft(enterprise: Any, **extra: Any) -> dict[str, Any]:
    return {
        "dataset": DATASET,
        "enterprise": enterprise.pk,
        "period": PERIOD,
        "values": entries(),
        **extra,
    }


def one(submission: Any) -> str:
    pk = submission if isinstance(submission, int) else submission.pk
    return f"{SUBMISSIONS}{pk}/"


def action(submission: Any, name: str) -> str:
    return f"{one(submission)}{name}/"


def approval(unit: OrgUnit, period: str = PERIOD) -> dict[str, Any]:
    return {"dataset": DATASET, "period": period, "org_unit": unit.pk}


# --- who may call it --------------------------------------------------------------------------


def test_anonymous_is_refused_with_401(api, listed, dataset, tianlu, district) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)

    for response in (
        api.get(f"{API}/indicators/"),
        api.get(f"{API}/datasets/"),
        api.get(SUBMISSIONS),
        api.get(one(submission)),
        api.post(SUBMISSIONS, draft(tianlu), format="json"),
        api.post(action(submission, "accept")),
        api.post(APPROVALS, approval(district), format="json"),
        api.get(f"{API}/completeness/?period={PERIOD}"),
        api.get(f"{API}/rollup/?period={PERIOD}"),
    ):
        assert response.status_code == 401
        assert response.json()["detail"]
    assert status_of(submission.pk) == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("who", ["no_role_user", "auditor", "sysadmin"])
def test_users_without_business_data_are_refused(
    api, request, who, listed, dataset, tianlu, district
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(request.getfixturevalue(who))

    for response in (
        api.get(f"{API}/indicators/"),
        api.get(SUBMISSIONS),
        api.get(one(submission)),
        api.post(SUBMISSIONS, draft(tianlu), format="json"),
        api.post(action(submission, "accept")),
        api.post(APPROVALS, approval(district), format="json"),
        api.get(f"{API}/completeness/?period={PERIOD}"),
        api.get(f"{API}/rollup/?period={PERIOD}"),
    ):
        assert response.status_code == 403
        assert response.json()["detail"]
    assert status_of(submission.pk) == SubmissionStatus.SUBMITTED
    assert Submission.objects.count() == 1


def test_the_leader_of_another_district_sees_nothing_of_licang(
    api, outsider, listed, dataset, tianlu, district, licun
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(outsider)

    assert api.get(SUBMISSIONS).json()["count"] == 0
    for response in (
        api.get(one(submission)),
        api.post(action(submission, "accept")),
        api.post(action(submission, "return"), {"reason": "重填"}, format="json"),
        api.post(action(submission, "submit"), {}, format="json"),
        api.post(APPROVALS, approval(licun), format="json"),
        api.delete(APPROVALS, approval(district), format="json"),
        api.get(f"{API}/completeness/?period={PERIOD}&org_unit={district.pk}"),
        api.get(f"{API}/completeness/?period={PERIOD}&zone={licun.zone_id}"),
        api.get(f"{API}/rollup/?period={PERIOD}&org_unit={licun.pk}"),
        api.get(f"{API}/rollup/?period={PERIOD}&zone={licun.zone_id}"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]
    created = api.post(SUBMISSIONS, draft(tianlu), format="json")
    assert created.status_code == 400
    assert "enterprise" in created.json()["errors"]
    assert status_of(submission.pk) == SubmissionStatus.SUBMITTED
    assert not Approval.objects.exists()


# --- indicators and data sets -----------------------------------------------------------------


def test_indicators_and_data_sets_are_listed(api, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)

    indicators = api.get(f"{API}/indicators/")
    output = api.get(f"{API}/indicators/output/")
    datasets = api.get(f"{API}/datasets/")

    assert indicators.status_code == output.status_code == datasets.status_code == 200
    codes = [row["code"] for row in indicators.json()["results"]]
    assert codes[:2] == ["output", "sales"]
    assert set(VALID) <= set(codes)
    assert output.json() == {
        "code": "output",
        "name": "工业总产值",
        "unit": "千元",
        "kind": "flow",
        "is_money": True,
        "may_be_negative": False,
    }
    (dataset,) = [d for d in datasets.json()["results"] if d["code"] == DATASET]
    assert set(dataset["indicators"]) == set(VALID)
    assert (dataset["opens_day"], dataset["deadline_day"]) == (20, 8)


# --- drafts -----------------------------------------------------------------------------------


def test_a_draft_is_created_then_updated(api, enterprise_user, listed, tianlu) -> None:
    api.force_authenticate(enterprise_user)

    created = api.post(SUBMISSIONS, draft(tianlu), format="json")
    updated = api.post(
        SUBMISSIONS, draft(tianlu, values=entries(output={"month": "1200"})), format="json"
    )

    assert created.status_code == 201, created.content
    assert updated.status_code == 200, updated.content
    body = updated.json()
    assert body["id"] == created.json()["id"]
    assert body["status"] == "draft"
    assert body["enterprise_name"] == "天路集团"
    assert body["street"] == "李村街道"
    values = {v["indicator"]: v for v in body["values"]}
    assert values["output"]["month"] == "1200.00"
    assert values["output"]["ytd"] == "3000.00"
    assert Submission.objects.get().values.get(indicator__code="output").month == Decimal("1200")


def test_a_street_clerk_saves_a_draft_on_behalf_but_not_for_another_street(
    api, licun_clerk, listed, tianlu, ruifeng
) -> None:
    api.force_authenticate(licun_clerk)

    own = api.post(SUBMISSIONS, draft(tianlu), format="json")
    other = api.post(SUBMISSIONS, draft(ruifeng), format="json")

    assert own.status_code == 201
    assert other.status_code == 400
    assert "enterprise" in other.json()["errors"]
    assert list(Submission.objects.values_list("enterprise__name", flat=True)) == ["天路集团"]


def test_another_enterprise_cannot_write_the_form(api, ruifeng_user, listed, tianlu) -> None:
    api.force_authenticate(ruifeng_user)

    response = api.post(SUBMISSIONS, draft(tianlu), format="json")

    assert response.status_code == 400
    assert "enterprise" in response.json()["errors"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"values": entries(profit={"month": "一百"})}, "values"),
        ({"values": entries(profit={"month": "12.345"})}, "values"),
        ({"values": [*entries(), {"indicator": "nosuch", "month": "1"}]}, "values[9].indicator"),
        ({"period": "2026-13"}, "period"),
        ({"period": "202613"}, "period"),
        ({"dataset": "nosuch"}, "dataset"),
        ({"values": []}, "values"),
    ],
)
def test_a_bad_field_is_a_400_with_the_field_named(
    api, enterprise_user, listed, tianlu, change, field
) -> None:
    api.force_authenticate(enterprise_user)

    response = api.post(SUBMISSIONS, draft(tianlu, **change), format="json")

    body = response.json()
    assert response.status_code == 400, body
    assert field in body["errors"]
    assert is_chinese(body["detail"])
    assert not Submission.objects.exists()


def test_entry_outside_the_window_is_a_409(api, enterprise_user, listed, tianlu) -> None:
    api.force_authenticate(enterprise_user)

    response = api.post(SUBMISSIONS, draft(tianlu, period="202604"), format="json")

    assert response.status_code == 409
    assert "2026-04-20" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_an_enterprise_not_on_the_list_cannot_report(api, enterprise_user, tianlu) -> None:
    api.force_authenticate(enterprise_user)

    response = api.post(SUBMISSIONS, draft(tianlu), format="json")

    assert response.status_code == 400
    assert "enterprise" in response.json()["errors"]


# --- reading submissions ----------------------------------------------------------------------


def test_a_submission_shows_its_status_values_and_violations(
    api, enterprise_user, listed, tianlu
) -> None:
    api.force_authenticate(enterprise_user)
    created = api.post(
        SUBMISSIONS, draft(tianlu, values=entries(sales={"ytd": "2000"})), format="json"
    )

    response = api.get(one(created.json()["id"]))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "draft"
    assert body["hard_violations"] == 0
    assert body["soft_violations"] == 1
    (violation,) = body["violations"]
    assert violation["rule"] == "sales-ratio-low"
    assert violation["importance"] == "soft"
    assert violation["instruction"] == "工业销售产值与工业总产值之比低于80%，请说明原因。"
    assert len(body["values"]) == len(VALID)


def test_the_list_is_scoped_and_filtered(
    api, licun_clerk, leader, enterprise_user, listed, dataset, tianlu, ruifeng, licun
) -> None:
    form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    form(dataset, tianlu, "202602")
    form(dataset, ruifeng, status=SubmissionStatus.DRAFT)

    api.force_authenticate(leader)
    everything = api.get(SUBMISSIONS).json()
    submitted = api.get(f"{SUBMISSIONS}?status=submitted").json()
    march = api.get(f"{SUBMISSIONS}?period={PERIOD}").json()
    street = api.get(f"{SUBMISSIONS}?street={licun.pk}").json()
    bad_period = api.get(f"{SUBMISSIONS}?period=2026-13")
    bad_street = api.get(f"{SUBMISSIONS}?street=licun")
    api.force_authenticate(licun_clerk)
    clerk = api.get(SUBMISSIONS).json()
    api.force_authenticate(enterprise_user)
    own = api.get(SUBMISSIONS).json()

    assert everything["count"] == 3
    assert [r["period"] for r in everything["results"]] == ["202603", "202603", "202602"]
    assert submitted["count"] == 1
    assert march["count"] == 2
    assert street["count"] == 2
    assert bad_period.status_code == bad_street.status_code == 400
    assert "period" in bad_period.json()["errors"]
    assert clerk["count"] == 2
    assert {r["enterprise_name"] for r in clerk["results"]} == {"天路集团"}
    assert own["count"] == 2


@pytest.mark.parametrize("who", ["loushan_clerk", "ruifeng_user"])
def test_a_form_of_another_street_or_enterprise_is_not_found(
    api, request, who, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(one(submission)).status_code == 404
    assert api.post(action(submission, "accept")).status_code == 404
    assert status_of(submission.pk) == SubmissionStatus.SUBMITTED


# --- submit, accept, return -------------------------------------------------------------------


def test_submit_needs_an_explanation_for_each_soft_rule_by_code(
    api, enterprise_user, licun_clerk, listed, tianlu
) -> None:
    api.force_authenticate(enterprise_user)
    pk = api.post(
        SUBMISSIONS, draft(tianlu, values=entries(sales={"ytd": "2000"})), format="json"
    ).json()["id"]

    unexplained = api.post(action(pk, "submit"), {}, format="json")
    wrong_code = api.post(
        action(pk, "submit"), {"explanations": {"yoy-within-30": "说明"}}, format="json"
    )
    explained = api.post(
        action(pk, "submit"),
        {"explanations": {"sales-ratio-low": "库存增加，下月集中发货"}},
        format="json",
    )
    again = api.post(action(pk, "submit"), {}, format="json")

    assert unexplained.status_code == 400
    assert "explanations.sales-ratio-low" in unexplained.json()["errors"]
    assert wrong_code.status_code == 400
    assert explained.status_code == 200, explained.content
    body = explained.json()
    assert body["status"] == "submitted"
    assert body["explanations"] == {"sales-ratio-low": "库存增加，下月集中发货"}
    assert body["submitted_at"]
    assert again.status_code == 409
    assert again.json()["detail"]
    assert Notification.objects.filter(user=licun_clerk).count() == 1


def test_a_hard_violation_blocks_submission(api, enterprise_user, listed, tianlu) -> None:
    api.force_authenticate(enterprise_user)
    pk = api.post(
        SUBMISSIONS, draft(tianlu, values=entries(export={"ytd": "5000"})), format="json"
    ).json()["id"]

    response = api.post(action(pk, "submit"), {}, format="json")

    assert response.status_code == 400
    assert "出口交货值是工业销售产值的一部分，不能大于它。" in response.json()["detail"]
    assert status_of(pk) == SubmissionStatus.DRAFT


def test_an_incomplete_form_cannot_be_submitted(api, enterprise_user, listed, tianlu) -> None:
    api.force_authenticate(enterprise_user)
    pk = api.post(SUBMISSIONS, draft(tianlu, values=entries()[:3]), format="json").json()["id"]

    response = api.post(action(pk, "submit"), {}, format="json")

    assert response.status_code == 400
    assert "values" in response.json()["errors"]
    assert status_of(pk) == SubmissionStatus.DRAFT


def test_the_street_clerk_accepts_and_returns(
    api, licun_clerk, enterprise_user, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(enterprise_user)
    by_enterprise = api.post(action(submission, "accept"))
    api.force_authenticate(licun_clerk)

    accepted = api.post(action(submission, "accept"))
    twice = api.post(action(submission, "accept"))
    no_reason = api.post(action(submission, "return"), {}, format="json")
    blank = api.post(action(submission, "return"), {"reason": "  "}, format="json")
    returned = api.post(
        action(submission, "return"), {"reason": "用电量与产值不匹配"}, format="json"
    )

    assert by_enterprise.status_code == 403
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["reviewed_at"]
    assert twice.status_code == 409
    assert no_reason.status_code == blank.status_code == 400
    assert "reason" in no_reason.json()["errors"]
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "用电量与产值不匹配"
    assert Notification.objects.filter(user=enterprise_user).count() == 1


def test_a_returned_form_is_corrected_and_submitted_again(
    api, licun_clerk, enterprise_user, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(licun_clerk)
    api.post(action(submission, "return"), {"reason": "请核实用电量"}, format="json")
    api.force_authenticate(enterprise_user)

    saved = api.post(
        SUBMISSIONS, draft(tianlu, values=entries(electricity={"month": "31"})), format="json"
    )
    submitted = api.post(action(submission, "submit"), {}, format="json")

    assert saved.status_code == 200
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["return_reason"] == ""


# --- approvals --------------------------------------------------------------------------------


def test_statistics_staff_approve_and_undo_from_the_top(
    api, tjj, listed, dataset, tianlu, ruifeng, district, licun
) -> None:
    form(dataset, tianlu)
    form(dataset, ruifeng)
    approve_other_streets(dataset, district, tjj, but=licun)
    api.force_authenticate(tjj)

    street = api.post(APPROVALS, approval(licun), format="json")
    twice = api.post(APPROVALS, approval(licun), format="json")
    whole = api.post(APPROVALS, approval(district), format="json")
    undo_street = api.delete(APPROVALS, approval(licun), format="json")
    undo_whole = api.delete(APPROVALS, approval(district), format="json")
    undo_street_now = api.delete(APPROVALS, approval(licun), format="json")
    undo_again = api.delete(APPROVALS, approval(licun), format="json")

    assert street.status_code == 201, street.content
    assert street.json()["org_unit"] == licun.pk
    assert street.json()["period"] == PERIOD
    assert street.json()["approved_by"] == "tjj"
    assert twice.status_code == 409
    assert whole.status_code == 201
    assert undo_street.status_code == 409
    assert "李沧区" in undo_street.json()["detail"]
    assert undo_whole.status_code == undo_street_now.status_code == 204
    assert undo_again.status_code == 409
    assert not Approval.objects.filter(org_unit__in=[licun, district]).exists()


def test_undo_takes_its_parameters_from_the_query_string(
    api, tjj, listed, dataset, tianlu, licun
) -> None:
    form(dataset, tianlu)
    api.force_authenticate(tjj)
    api.post(APPROVALS, approval(licun), format="json")

    response = api.delete(f"{APPROVALS}?dataset={DATASET}&period={PERIOD}&org_unit={licun.pk}")

    assert response.status_code == 204
    assert not Approval.objects.exists()


def test_a_street_with_forms_not_accepted_cannot_be_approved(
    api, tjj, listed, dataset, tianlu, district, licun
) -> None:
    form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(tjj)

    street = api.post(APPROVALS, approval(licun), format="json")
    whole = api.post(APPROVALS, approval(district), format="json")

    assert street.status_code == whole.status_code == 409
    assert "李村街道" in street.json()["detail"]
    assert "李村街道" in whole.json()["detail"]  # waiting for it
    assert not Approval.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("leader", 403), ("licun_clerk", 403), ("jxj_clerk", 403), ("enterprise_user", 404)],
)
def test_only_statistics_staff_approve(
    api, request, who, code, tjj, listed, dataset, tianlu, licun
) -> None:
    form(dataset, tianlu)
    approve(dataset, PERIOD, licun, tjj)
    api.force_authenticate(request.getfixturevalue(who))

    delete = api.delete(APPROVALS, approval(licun), format="json")
    post = api.post(APPROVALS, approval(licun), format="json")

    # officials are refused; an enterprise user has no org unit, so none is found
    assert delete.status_code == post.status_code == code
    assert delete.json()["detail"]
    assert Approval.objects.count() == 1


def test_an_org_unit_outside_the_scope_is_not_found(api, tjj, laoshan, licun, dataset) -> None:
    api.force_authenticate(tjj)

    post = api.post(APPROVALS, approval(laoshan), format="json")
    delete = api.delete(APPROVALS, approval(laoshan), format="json")
    missing = api.post(APPROVALS, {"dataset": DATASET, "period": PERIOD}, format="json")
    bad_period = api.post(APPROVALS, {**approval(licun), "period": "2026-13"}, format="json")

    assert post.status_code == delete.status_code == 404
    assert missing.status_code == 400
    assert "org_unit" in missing.json()["errors"]
    assert bad_period.status_code == 400
    assert "period" in bad_period.json()["errors"]
    assert not Approval.objects.exists()


# --- completeness -----------------------------------------------------------------------------


def test_completeness_of_the_district_with_its_streets_and_the_missing(
    api, leader, listed, dataset, tianlu, ruifeng, licun
) -> None:
    late = enterprise(licun, name="迟报厂")
    list_on(dataset, late)
    form(dataset, tianlu)
    form(dataset, ruifeng, status=SubmissionStatus.SUBMITTED)
    api.force_authenticate(leader)

    response = api.get(f"{API}/completeness/?period={PERIOD}")

    body = response.json()
    assert response.status_code == 200
    assert body["dataset"] == DATASET
    assert body["period"] == PERIOD
    assert body["zone"] is False
    assert body["name"] == "李沧区"
    assert (body["expected"], body["submitted"], body["accepted"], body["missing"]) == (3, 2, 1, 1)
    assert Decimal(body["rate"]) == Decimal("66.7")
    assert body["approved"] is False
    children = {c["name"]: c for c in body["children"]}
    assert len(children) == OrgUnit.objects.filter(parent__code="370213").count()
    assert (children["李村街道"]["expected"], children["李村街道"]["submitted"]) == (2, 1)
    assert (children["楼山街道"]["expected"], children["楼山街道"]["accepted"]) == (1, 0)
    assert children["楼山街道"]["rate"] == "100.0"
    assert all(
        c["rate"] is None for c in body["children"] if c["name"] not in ("李村街道", "楼山街道")
    )
    assert body["missing_enterprises"] == [{"id": late.pk, "name": "迟报厂", "street": "李村街道"}]


def test_completeness_of_a_street_a_zone_and_a_bad_period(
    api, licun_clerk, leader, enterprise_user, listed, dataset, tianlu, licun
) -> None:
    form(dataset, tianlu)
    api.force_authenticate(licun_clerk)
    street = api.get(f"{API}/completeness/?period={PERIOD}").json()
    above = api.get(f"{API}/completeness/?period={PERIOD}&org_unit={licun.parent_id}")
    api.force_authenticate(leader)
    zone = api.get(f"{API}/completeness/?period={PERIOD}&zone={licun.zone_id}").json()
    bad = api.get(f"{API}/completeness/?period=2026-13")
    none = api.get(f"{API}/completeness/")
    api.force_authenticate(enterprise_user)
    enterprise = api.get(f"{API}/completeness/?period={PERIOD}")

    assert (street["name"], street["expected"], street["accepted"]) == ("李村街道", 1, 1)
    assert street["children"] == []
    assert above.status_code == 404
    assert zone["zone"] is True
    assert zone["expected"] == 1
    assert bad.status_code == 400
    assert "period" in bad.json()["errors"]
    # without a period: the one open for entry today
    assert none.status_code == 200
    assert none.json()["period"] == str(periods.current(dataset, timezone.localdate()))
    assert enterprise.status_code == 403


# --- rollup -----------------------------------------------------------------------------------


@pytest.fixture
def two_streets(dataset, tianlu, ruifeng, listed):
    """1–March output, accepted: 李村 110 against 100 last year, 楼山 900 against 1000.

    The comparable growth of the district is (110 + 900) / (100 + 1000) − 1 = −8.18%.
    """
    form(dataset, tianlu, figures={"output": (40, 110, 30, 100)})
    form(dataset, ruifeng, figures={"output": (300, 900, 320, 1000)})


def test_the_rollup_has_every_documented_field(api, leader, two_streets, district) -> None:
    api.force_authenticate(leader)

    response = api.get(f"{API}/rollup/?period={PERIOD}&org_unit={district.pk}")

    body = response.json()
    assert response.status_code == 200
    assert ROLLUP_FIELDS | {"children", "dataset", "period", "indicator"} <= set(body)
    assert (body["dataset"], body["period"], body["indicator"]) == (DATASET, PERIOD, "output")
    assert body["org_unit"] == district.pk
    assert body["unit"] == "千元"
    for child in body["children"]:
        assert ROLLUP_FIELDS | {"contribution", "name", "org_unit"} <= set(child)


def test_the_district_growth_is_minus_8_18_percent(api, leader, two_streets, district) -> None:
    api.force_authenticate(leader)

    body = api.get(f"{API}/rollup/?period={PERIOD}&org_unit={district.pk}").json()

    assert Decimal(body["ytd"]) == Decimal("1010")
    assert Decimal(body["ytd_base"]) == Decimal("1100")
    assert body["ytd_yoy"].startswith("-8.18")
    assert body["yoy_note"] == ""
    assert Decimal(body["month"]) == Decimal("340")
    assert Decimal(body["month_base"]) == Decimal("350")
    assert body["month_yoy"].startswith("-2.85")
    assert body["naive_ytd_yoy"] is None  # no forms last year
    assert body["mom"] is None  # no forms last month
    assert body["enterprises"] == 2
    children = {c["name"]: c for c in body["children"]}
    licun, loushan = children["李村街道"], children["楼山街道"]
    assert licun["ytd_yoy"].startswith("10")
    assert loushan["ytd_yoy"].startswith("-10")
    assert licun["contribution"].startswith("0.90")  # +10 of 1100
    assert loushan["contribution"].startswith("-9.09")  # −100 of 1100
    total = Decimal(licun["contribution"]) + Decimal(loushan["contribution"])
    assert round(total, 2) == round(Decimal(body["ytd_yoy"]), 2)
    quiet = [c for n, c in children.items() if n not in ("李村街道", "楼山街道")]
    assert all(c["ytd"] is None and c["ytd_yoy"] is None for c in quiet)
    assert all(c["enterprises"] == 0 for c in quiet)


def test_the_rollup_compares_with_last_year_and_last_month(
    api, leader, dataset, tianlu, listed, licun
) -> None:
    form(dataset, tianlu, "202503", {"output": (30, 100)})
    form(dataset, tianlu, "202602", {"output": (35, 70)})
    form(dataset, tianlu, figures={"output": (40, 110, 30, 100)})
    api.force_authenticate(leader)

    body = api.get(f"{API}/rollup/?period={PERIOD}&org_unit={licun.pk}").json()

    assert body["ytd_yoy"].startswith("10")
    assert body["naive_ytd_yoy"].startswith("10")
    assert Decimal(body["last_year_ytd"]) == Decimal("100")
    assert body["mom"].startswith("14.28")  # 40 against 35
    assert body["children"] == []


def test_a_loss_case_has_no_rate_but_a_note(api, leader, dataset, tianlu, listed, licun) -> None:
    form(dataset, tianlu, figures={"profit": (5, 20, -3, -10)})
    api.force_authenticate(leader)

    body = api.get(f"{API}/rollup/?period={PERIOD}&org_unit={licun.pk}&indicator=profit").json()

    assert body["indicator"] == "profit"
    assert body["ytd_yoy"] is None
    assert body["yoy_note"]  # the bureau's words, e.g. 扭亏为盈


def test_the_rollup_of_a_zone_and_of_a_street_clerk(
    api, leader, licun_clerk, two_streets, licun, district
) -> None:
    api.force_authenticate(leader)
    zone = api.get(f"{API}/rollup/?period={PERIOD}&zone={licun.zone_id}").json()
    api.force_authenticate(licun_clerk)
    own = api.get(f"{API}/rollup/?period={PERIOD}").json()
    above = api.get(f"{API}/rollup/?period={PERIOD}&org_unit={district.pk}")

    assert zone["zone"] == licun.zone_id
    assert zone["org_unit"] is None
    assert Decimal(zone["ytd"]) == Decimal("110")
    assert own["name"] == "李村街道"
    assert Decimal(own["ytd"]) == Decimal("110")
    assert above.status_code == 404


def test_rollup_without_a_period_reads_the_latest_approved_one(
    api, leader, dataset, two_streets, district
) -> None:
    for street in OrgUnit.objects.filter(parent=district):
        approve(dataset, PERIOD, street, leader)
    approve(dataset, PERIOD, district, leader)
    api.force_authenticate(leader)

    response = api.get(f"{API}/rollup/?org_unit={district.pk}&indicator=output")

    assert response.status_code == 200
    assert response.json()["period"] == PERIOD


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=2026-13&indicator=output", "period"),
        (f"period={PERIOD}&indicator=nosuch", "indicator"),
        (f"period={PERIOD}&dataset=nosuch", "dataset"),
    ],
)
def test_a_bad_rollup_parameter_is_a_400(api, leader, dataset, query, field) -> None:
    api.force_authenticate(leader)

    response = api.get(f"{API}/rollup/?{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["detail"]


def test_an_enterprise_has_no_rollup(api, enterprise_user, two_streets) -> None:
    api.force_authenticate(enterprise_user)

    assert api.get(f"{API}/rollup/?period={PERIOD}").status_code == 403


def test_the_period_message_is_the_translated_one(api, leader, dataset) -> None:
    api.force_authenticate(leader)

    response = api.get(f"{API}/rollup/?period=2026-13")

    assert response.json()["errors"]["period"] == [not_a_period("2026-13")]


# --- query budgets ----------------------------------------------------------------------------


# (url, budget) read by the leader of the district (authenticated without a session)
LISTS = [
    (f"{SUBMISSIONS}?period={PERIOD}", 2),  # the count, the rows with their enterprise and street
    # data set, expected by street, handed in by street, the org tree, approvals, the missing
    (f"{API}/completeness/?period={PERIOD}", 6),
    # data set, its indicator, the org tree, this period, the same period last year, last month
    (f"{API}/rollup/?period={PERIOD}", 6),
]


@pytest.mark.parametrize(("url", "budget"), LISTS)
def test_lists_stay_within_their_query_budget(
    api, leader, dataset, licun, loushan, url, budget, django_assert_max_num_queries
) -> None:
    grow(dataset, 6, [licun, loushan])
    api.force_authenticate(leader)
    api.get(url)

    with django_assert_max_num_queries(budget):
        response = api.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "_budget"), LISTS)
def test_lists_read_15_enterprises_with_as_many_queries_as_3(
    api, leader, dataset, licun, loushan, url, _budget
) -> None:
    api.force_authenticate(leader)
    grow(dataset, 3, [licun, loushan])
    few = count_queries(api, url)
    grow(dataset, 12, [licun, loushan])
    many = count_queries(api, url)

    assert many == few
