"""/api/v1/appeals/: intake (idempotent), the documented fields, filters, categories, and the
workflow's actions (409 with a Chinese detail from the wrong state, 403 for the wrong actor)."""

from __future__ import annotations

import pytest

from qifu.appeals.models import Appeal, Category, Status
from qifu.appeals.tests.conftest import department, set_status
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

URL = "/api/v1/appeals/"


def one(appeal) -> str:
    return f"{URL}{appeal.pk}/"


def action(appeal, name: str) -> str:
    return f"{URL}{appeal.pk}/{name}/"


def new(enterprise, **values) -> dict:
    return {
        "enterprise": enterprise.pk,
        "kind": "problem",
        "category": "land",
        "title": "厂房没有房产证",
        "description": "厂房建成多年一直没有房产证。",
        **values,
    }


# --- Who may call it ------------------------------------------------------------------------


def test_anonymous_is_refused_with_401_and_a_chinese_detail(api, flow) -> None:
    appeal = flow.submitted()

    for response in (api.get(URL), api.get(one(appeal)), api.post(action(appeal, "accept"))):
        assert response.status_code == 401
        assert is_chinese(response.json()["detail"])


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_are_refused(api, request, who, flow) -> None:
    appeal = flow.submitted()
    api.force_authenticate(request.getfixturevalue(who))

    for response in (
        api.get(URL),
        api.get(one(appeal)),
        api.post(action(appeal, "accept")),
        api.get(f"{URL}categories/"),
        api.get(f"{URL}stats/"),
    ):
        assert response.status_code == 403
        assert is_chinese(response.json()["detail"])
    assert Appeal.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "loushan_clerk", "ruifeng_user"])
def test_an_appeal_outside_the_scope_is_not_found(api, request, who, flow) -> None:
    appeal = flow.submitted()
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(URL).json()["count"] == 0
    assert api.get(one(appeal)).status_code == 404
    response = api.post(action(appeal, "accept"))
    assert response.status_code == 404
    assert is_chinese(response.json()["detail"])


# --- Intake ---------------------------------------------------------------------------------


def test_an_enterprise_submits_and_gets_the_number_and_time_limit(
    api, enterprise_user, tianlu
) -> None:
    api.force_authenticate(enterprise_user)

    response = api.post(URL, new(tianlu, channel="visit"), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("SQ-")
    assert body["status"] == "submitted"
    assert body["channel"] == "portal"
    assert body["green_channel"] is True
    assert body["accept_deadline"]
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert "client_token" not in body


def test_an_official_submits_on_behalf_naming_the_channel(api, leader, tianlu) -> None:
    api.force_authenticate(leader)

    missing = api.post(URL, new(tianlu), format="json")
    named = api.post(URL, new(tianlu, channel="hotline"), format="json")

    assert missing.status_code == 400
    assert is_chinese(missing.json()["detail"])
    assert "channel" in missing.json()["errors"]
    assert named.status_code == 201
    assert named.json()["channel"] == "hotline"


def test_an_enterprise_out_of_scope_or_an_unknown_category_is_refused(
    api, enterprise_user, licun_clerk, ruifeng, tianlu
) -> None:
    api.force_authenticate(enterprise_user)
    other = api.post(URL, new(ruifeng), format="json")
    api.force_authenticate(licun_clerk)
    street = api.post(URL, new(ruifeng, channel="visit"), format="json")
    unknown = api.post(URL, new(tianlu, category="nosuch", channel="visit"), format="json")

    assert other.status_code == street.status_code == unknown.status_code == 400
    assert "enterprise" in other.json()["errors"]
    assert "category" in unknown.json()["errors"]
    assert not Appeal.objects.exists()


def test_a_retry_with_the_same_client_token_returns_the_first_appeal(
    api, enterprise_user, tianlu
) -> None:
    api.force_authenticate(enterprise_user)

    first = api.post(URL, new(tianlu, client_token="retry-1"), format="json")
    again = api.post(URL, new(tianlu, client_token="retry-1"), format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["number"] == again.json()["number"]
    assert Appeal.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_header_returns_the_first_appeal(
    api, enterprise_user, tianlu
) -> None:
    api.force_authenticate(enterprise_user)

    first = api.post(URL, new(tianlu), format="json", HTTP_IDEMPOTENCY_KEY="8e1f-42")
    again = api.post(URL, new(tianlu), format="json", HTTP_IDEMPOTENCY_KEY="8e1f-42")
    other = api.post(URL, new(tianlu), format="json", HTTP_IDEMPOTENCY_KEY="8e1f-43")

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert Appeal.objects.count() == 2


# --- Reading --------------------------------------------------------------------------------


def test_an_appeal_has_the_documented_fields(api, flow) -> None:
    appeal = flow.assigned()
    api.force_authenticate(flow.leader)

    body = api.get(one(appeal)).json()

    assert body["number"] == appeal.number
    assert body["status"] == "assigned"
    assert body["deadline"] == appeal.deadline.isoformat()
    assert body["deadline_provisional"] is False
    assert body["overdue"] is False
    assert body["lead_department"] == "zrj"
    assert body["co_departments"] == ["zjj"]
    assert body["category"] == "land"
    assert body["kind"] == "problem"
    assert body["deadline_colour"] in {"green", "yellow", "red"}
    assert [e["action"] for e in body["events"]] == ["submit", "accept", "assign"]
    event = body["events"][-1]
    assert event["actor"] == "leader"
    assert (event["from_status"], event["to_status"]) == ("accepted", "assigned")


def test_the_list_filters_by_status_category_department_enterprise_and_overdue(
    api, flow, ruifeng
) -> None:
    submitted = flow.submitted()
    assigned = flow.assigned()
    demand = flow.submitted(kind="demand", category=Category.objects.get(code="finance"))
    set_status(demand, "accepted", overdue=True)
    api.force_authenticate(flow.leader)

    def ids(**query) -> set[int]:
        response = api.get(URL, query)
        assert response.status_code == 200
        return {a["id"] for a in response.json()["results"]}

    assert ids() == {submitted.pk, assigned.pk, demand.pk}
    assert ids(status="submitted") == {submitted.pk}
    assert ids(category="finance") == {demand.pk}
    assert ids(department="zrj") == {assigned.pk}
    assert ids(department="zjj") == {assigned.pk}  # co-handling counts
    assert ids(enterprise=flow.enterprise_user.enterprise_id) == ids()
    assert ids(enterprise=ruifeng.pk) == set()
    assert ids(overdue="true") == {demand.pk}
    assert ids(overdue="false") == {submitted.pk, assigned.pk}
    assert ids(kind="demand") == {demand.pk}


def test_a_malformed_filter_finds_nothing_instead_of_failing(api, client, flow) -> None:
    flow.submitted()
    api.force_authenticate(flow.leader)
    client.force_login(flow.leader)

    response = api.get(URL, {"enterprise": "abc", "status": "nonsense", "overdue": "maybe"})
    page = client.get("/appeals/", {"enterprise": "abc", "page": "zz", "date_from": "xx"})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0


def test_the_categories_are_the_twelve_of_the_issue(api, leader) -> None:
    zrj = department("zrj")
    Category.objects.filter(code="land").update(default_department=zrj)
    api.force_authenticate(leader)

    body = api.get(f"{URL}categories/").json()

    assert [c["name"] for c in body] == [
        "土地房产",
        "融资信贷",
        "用工人才",
        "政策兑现",
        "审批手续",
        "水电气暖与基础设施",
        "规划建设",
        "市场开拓",
        "科技创新",
        "环保安全",
        "税费",
        "其他",
    ]
    assert body[0] == {
        "code": "land",
        "name": "土地房产",
        "description": body[0]["description"],
        "default_department": "zrj",
    }


def test_an_enterprise_user_may_read_the_categories(api, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)

    assert len(api.get(f"{URL}categories/").json()) == 12


# --- The actions ----------------------------------------------------------------------------


def test_the_whole_workflow_over_the_api(api, flow, jxj_clerk) -> None:
    appeal = flow.submitted()

    api.force_authenticate(jxj_clerk)
    accepted = api.post(action(appeal, "accept"), {"note": "材料齐全"}, format="json")
    assigned = api.post(
        action(appeal, "assign"),
        {"department": "zrj", "co_departments": ["zjj"]},
        format="json",
    )
    api.force_authenticate(flow.co)
    api.post(action(appeal, "contribute"), {"note": "规划用途为工业"}, format="json")
    api.force_authenticate(flow.lead)
    progress = api.post(action(appeal, "progress"), {"note": "已踏勘"}, format="json")
    asked = api.post(
        action(appeal, "extend"), {"working_days": 3, "reason": "需测绘"}, format="json"
    )
    api.force_authenticate(jxj_clerk)
    decided = api.post(action(appeal, "extend"), {"approve": True}, format="json")
    api.force_authenticate(flow.lead)
    replied = api.post(
        action(appeal, "reply"), {"reply": "已补办", "cause": "历史遗留"}, format="json"
    )
    api.force_authenticate(flow.enterprise_user)
    rated = api.post(
        action(appeal, "rate"), {"satisfaction": "very_satisfied", "comment": "好"}, format="json"
    )

    assert accepted.json()["status"] == "accepted"
    assert assigned.json()["lead_department"] == "zrj"
    assert progress.json()["status"] == "in_progress"
    assert asked.status_code == 200
    assert decided.json()["deadline"] > accepted.json()["deadline"]
    assert replied.json()["status"] == "replied"
    assert rated.status_code == 200, rated.content
    body = rated.json()
    assert (body["status"], body["satisfaction"]) == ("closed", "very_satisfied")
    actions = [e["action"] for e in body["events"]]
    assert actions == [
        "submit",
        "accept",
        "assign",
        "contribute",
        "progress",
        "extend_request",
        "extend_approve",
        "reply",
        "rate",
    ]


def test_return_dispute_supervise_and_mark_duplicate_over_the_api(api, flow) -> None:
    returned, disputed, supervised = flow.submitted(), flow.assigned(), flow.assigned()
    original, repeat = flow.submitted(), flow.submitted()

    api.force_authenticate(flow.leader)
    r1 = api.post(action(returned, "return"), {"reason": "非政府职责"}, format="json")
    r2 = api.post(action(supervised, "supervise"), {"note": "限期办结"}, format="json")
    r3 = api.post(action(repeat, "mark-duplicate"), {"target": original.number}, format="json")
    api.force_authenticate(flow.lead)
    r4 = api.post(action(disputed, "dispute"), {"reason": "非本部门职责"}, format="json")

    assert r1.json()["status"] == "returned"
    assert r2.json()["supervised"] is True
    assert r3.json()["status"] == "closed"
    # the department that disputed no longer sees the appeal, but is told what became of it
    assert r4.status_code == 200, r4.content
    assert r4.json()["status"] == "accepted"
    assert (r4.json()["lead_department"], r4.json()["co_departments"]) == (None, [])
    disputed.refresh_from_db()
    assert disputed.lead_department is None


def test_an_action_the_state_does_not_allow_answers_409_with_a_chinese_detail(api, flow) -> None:
    appeal = flow.replied()
    api.force_authenticate(flow.leader)

    response = api.post(action(appeal, "accept"), format="json")

    assert response.status_code == 409
    assert is_chinese(response.json()["detail"])
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED


@pytest.mark.parametrize(
    ("who", "state", "name", "data"),
    [
        ("licun_clerk", "submitted", "accept", {}),
        ("zjj_clerk", "in_progress", "reply", {"reply": "已办", "cause": "x"}),
        ("zrj_clerk", "in_progress", "extend", {"approve": True}),
        ("jxj_clerk", "assigned", "supervise", {"note": "督办"}),
        ("leader", "replied", "rate", {"satisfaction": "satisfied"}),
    ],
)
def test_an_action_by_the_wrong_actor_answers_403_with_a_chinese_detail(
    api, request, flow, who, state, name, data
) -> None:
    appeal = flow.at(state)
    api.force_authenticate(request.getfixturevalue(who))

    response = api.post(action(appeal, name), data, format="json")

    assert response.status_code == 403
    assert is_chinese(response.json()["detail"])
    assert Appeal.objects.get(pk=appeal.pk).status == state


def test_an_unknown_department_code_answers_400(api, flow) -> None:
    appeal = flow.accepted()
    api.force_authenticate(flow.leader)

    response = api.post(action(appeal, "assign"), {"department": "nosuch"}, format="json")

    assert response.status_code == 400
    assert "nosuch" in response.json()["detail"]


def test_an_extension_request_without_days_answers_400(api, flow) -> None:
    appeal = flow.in_progress()
    api.force_authenticate(flow.lead)

    response = api.post(action(appeal, "extend"), {"reason": "需测绘"}, format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])


def test_a_rating_outside_the_five_levels_answers_400(api, flow) -> None:
    appeal = flow.replied()
    api.force_authenticate(flow.enterprise_user)

    response = api.post(action(appeal, "rate"), {"satisfaction": "meh"}, format="json")

    assert response.status_code == 400
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED
