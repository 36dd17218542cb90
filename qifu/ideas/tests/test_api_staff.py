"""/api/v1/ideas/ for staff: every state within their scope, the workflow's actions (404 outside
the scope, 403 for the wrong actor, 409 for the wrong state, 400 for bad input), and the block
list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qifu.ideas import services
from qifu.ideas.models import (
    AnswerStatus,
    BlockedSender,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Progress,
    Status,
    Support,
)
from qifu.ideas.tests.conftest import as_, next_phone

pytestmark = pytest.mark.django_db

URL = "/api/v1/ideas/"


def act(idea: Idea, action: str) -> str:
    return f"{URL}{idea.pk}/{action}/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def later(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# --- the staff list ------------------------------------------------------------------------------


@pytest.fixture
def every_state(make_idea, zrj, leader) -> dict[str, Idea]:
    ideas = {s: make_idea(s) for s in ("submitted", "published", "evaluating", "adopted")}
    ideas["not_published"] = make_idea(Status.NOT_PUBLISHED)
    ideas["withdrawn"] = make_idea(Status.WITHDRAWN, client_token="withdrawn-1")
    ideas["zrj"] = services.idea_assign(idea=make_idea(Status.PUBLISHED), by=leader, department=zrj)
    return ideas


def test_a_leader_lists_every_state_of_the_district(api, leader, every_state) -> None:
    response = as_(api, leader).get(URL)

    assert response.status_code == 200
    assert ids(response) == {i.pk for i in every_state.values()}


def test_a_leader_filters_by_state(api, leader, every_state) -> None:
    response = as_(api, leader).get(URL, {"status": "submitted"})

    assert ids(response) == {every_state["submitted"].pk}
    assert response.json()["results"][0]["status"] == "submitted"


def test_a_department_clerk_lists_only_its_own_departments_ideas(
    api, jxj_clerk, every_state
) -> None:
    response = as_(api, jxj_clerk).get(URL)

    assert ids(response) == {every_state["evaluating"].pk, every_state["adopted"].pk}
    assert ids(as_(api, jxj_clerk).get(URL, {"status": "submitted"})) == set()


def test_another_department_sees_none_of_them(api, zrj_clerk, every_state) -> None:
    assert ids(as_(api, zrj_clerk).get(URL)) == {every_state["zrj"].pk}


def test_an_outsider_lists_nothing_of_another_district(api, outsider, every_state) -> None:
    response = as_(api, outsider).get(URL, {"status": "submitted"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_street_clerk_is_not_ideas_staff_and_gets_the_public_list(
    api, licun_clerk, every_state
) -> None:
    response = as_(api, licun_clerk).get(URL)

    public = {every_state[s].pk for s in ("published", "evaluating", "adopted", "zrj")}
    assert ids(response) == public
    assert "contact" not in response.json()["results"][0]
    assert as_(api, licun_clerk).get(URL, {"status": "submitted"}).status_code == 400


def test_a_leader_sees_the_contact_in_full(api, leader, make_idea) -> None:
    make_idea(Status.SUBMITTED, contact="13812345678")

    row = as_(api, leader).get(URL).json()["results"][0]

    assert row["contact"] == "13812345678"
    assert row["contact_masked"] is False
    assert row["contact_kind"] == "phone"


def test_a_department_clerk_sees_the_contact_masked(api, jxj_clerk, make_idea) -> None:
    make_idea(Status.EVALUATING, contact="13812345678")
    make_idea(Status.EVALUATING, contact="zhang.wei@example.cn")

    response = as_(api, jxj_clerk).get(URL)

    text = response.content.decode()
    assert "13812345678" not in text
    assert "zhang.wei@example.cn" not in text
    assert {row["contact"] for row in response.json()["results"]} == {
        "138****5678",
        "z***@example.cn",
    }
    assert all(row["contact_masked"] for row in response.json()["results"])


def test_the_staff_view_never_shows_keys_nor_the_client_token(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED, client_token="secret-token")

    row = as_(api, leader).get(URL).json()["results"][0]
    detail = as_(api, leader).get(f"{URL}{idea.pk}/").json()

    for body in (row, detail):
        for field in ("ip_key", "contact_key", "tracking_hash", "client_token"):
            assert field not in body
    assert "secret-token" not in str(detail)
    assert idea.tracking_hash not in str(detail)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"topic": "sports"}, "topic"),
        ({"queue": "inbox"}, "queue"),
        ({"department": "nope"}, "department"),
        ({"zone": "north"}, "zone"),
    ],
)
def test_a_bad_staff_filter_is_400(api, leader, params, field) -> None:
    response = as_(api, leader).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert "输入有误" in response.json()["detail"]


def test_staff_filter_by_queue_and_department(api, leader, every_state, make_idea) -> None:
    answered = make_idea("answered")
    as_(api, leader)

    assert ids(api.get(URL, {"queue": "review"})) == {every_state["submitted"].pk}
    assert ids(api.get(URL, {"queue": "approval"})) == {answered.pk}
    assert ids(api.get(URL, {"queue": "evaluating"})) == {
        every_state["evaluating"].pk,
        every_state["zrj"].pk,
    }
    assert ids(api.get(URL, {"department": "zrj"})) == {every_state["zrj"].pk}
    pending = {row["id"]: row["pending_answer"] for row in api.get(URL).json()["results"]}
    assert pending[answered.pk] is True
    assert pending[every_state["evaluating"].pk] is False


# --- the staff detail ----------------------------------------------------------------------------


def test_a_leader_gets_the_staff_view_with_the_timeline_and_the_actions(
    api, leader, make_idea
) -> None:
    idea = make_idea("answered", contact="13812345678")

    response = as_(api, leader).get(f"{URL}{idea.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert body["contact"] == "13812345678"
    assert body["pending_answer"] is True
    assert body["pending"]["text"] == "经研究，拟采纳。"
    assert body["pending"]["outcome"] == "adopt"
    assert [e["action"] for e in body["timeline"]] == ["submit", "publish", "assign", "answer"]
    assert body["timeline"][1]["actor"] == leader.display_name
    assert set(body["actions"]) >= {"approve-answer", "return-answer", "adopt", "hide", "block"}
    assert "publish" not in body["actions"]


def test_a_department_clerk_gets_the_staff_view_of_its_idea(api, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING, contact="13812345678")

    body = as_(api, jxj_clerk).get(f"{URL}{idea.pk}/").json()

    assert body["contact"] == "138****5678"
    assert body["actions"] == ["answer"]
    assert body["department"]["code"] == "jxj"


def test_another_department_gets_the_public_view_only(api, zrj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING, contact="13812345678")
    private = make_idea(Status.SUBMITTED)

    response = as_(api, zrj_clerk).get(f"{URL}{idea.pk}/")

    assert "contact" not in response.json()
    assert "13812345678" not in response.content.decode()
    assert as_(api, zrj_clerk).get(f"{URL}{private.pk}/").status_code == 404


# --- the actions: publish and reject -------------------------------------------------------------


def test_a_leader_publishes_an_idea(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(act(idea, "publish"))

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["published_at"]
    assert "contact" in response.json()  # the staff view
    idea.refresh_from_db()
    assert idea.status == Status.PUBLISHED


def test_publishing_twice_is_409(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = as_(api, leader).post(act(idea, "publish"))

    assert response.status_code == 409
    assert response.json()["detail"]


def test_anonymous_cannot_act(api, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = api.post(act(idea, "publish"))

    assert response.status_code in (401, 403)
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "jxj_clerk", "enterprise_user", "licun_clerk"])
def test_outside_the_scope_an_action_is_404(api, make_idea, request, who) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, request.getfixturevalue(who)).post(act(idea, "publish"))

    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED


def test_an_action_is_a_post(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    assert as_(api, leader).get(act(idea, "publish")).status_code == 405


def test_a_leader_rejects_an_idea_with_a_reason(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    empty = as_(api, leader).post(act(idea, "reject"), {"reason": " "}, format="json")
    response = as_(api, leader).post(act(idea, "reject"), {"reason": "涉及个人隐私"}, format="json")

    assert empty.status_code == 400
    assert "reason" in empty.json()["errors"]
    assert response.status_code == 200
    assert response.json()["status"] == "not_published"
    assert response.json()["rejection_reason"] == "涉及个人隐私"


# --- assign, answer, approve, return -------------------------------------------------------------


def test_a_leader_assigns_a_published_idea_to_a_department(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = as_(api, leader).post(act(idea, "assign"), {"department": "zrj"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "evaluating"
    assert response.json()["department"]["code"] == "zrj"


def test_assigning_to_an_unknown_or_foreign_department_is_400(
    api, leader, make_idea, laoshan
) -> None:
    idea = make_idea(Status.PUBLISHED)
    as_(api, leader)

    unknown = api.post(act(idea, "assign"), {"department": "xyz"}, format="json")
    missing = api.post(act(idea, "assign"), {}, format="json")

    assert unknown.status_code == 400
    assert "department" in unknown.json()["errors"]
    assert missing.status_code == 400
    idea.refresh_from_db()
    assert idea.department is None


def test_assigning_a_submitted_idea_is_409(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(act(idea, "assign"), {"department": "jxj"}, format="json")

    assert response.status_code == 409


def test_a_department_clerk_cannot_reassign_its_idea(api, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    response = as_(api, jxj_clerk).post(act(idea, "assign"), {"department": "zrj"}, format="json")

    assert response.status_code == 403


def test_the_department_drafts_an_answer_for_the_leader_to_approve(
    api, jxj_clerk, leader, make_idea
) -> None:
    idea = make_idea(Status.EVALUATING)
    draft = {
        "text": "经研究，予以采纳。",
        "outcome": "adopt",
        "plan": "明年建成",
        "due_on": later(),
    }

    response = as_(api, jxj_clerk).post(act(idea, "answer"), draft, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "evaluating"
    assert response.json()["pending"]["plan"] == "明年建成"
    assert response.json()["answer"] is None  # not public yet
    assert APIClient().get(f"{URL}{idea.pk}/").json()["answer"] is None  # the public's view
    approved = as_(api, leader).post(act(idea, "approve-answer"))
    assert approved.status_code == 200
    assert approved.json()["status"] == "adopted"
    assert approved.json()["answer"]["text"] == "经研究，予以采纳。"
    assert approved.json()["adoption_plan"] == "明年建成"


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        ({"text": "好", "outcome": "maybe"}, "outcome"),
        ({"text": "", "outcome": "reply"}, "text"),
        ({"text": "采纳", "outcome": "adopt"}, "plan"),
        ({"text": "采纳", "outcome": "adopt", "plan": "建成"}, "due_on"),
        ({"text": "采纳", "outcome": "adopt", "plan": "建成", "due_on": "2000-01-01"}, "due_on"),
        ({"text": "采纳", "outcome": "adopt", "plan": "建成", "due_on": "soon"}, "due_on"),
    ],
)
def test_a_bad_answer_is_400(api, jxj_clerk, make_idea, draft, field) -> None:
    idea = make_idea(Status.EVALUATING)

    response = as_(api, jxj_clerk).post(act(idea, "answer"), draft, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not IdeaAnswer.objects.exists()


def test_a_leader_does_not_draft_the_departments_answer(api, leader, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    response = as_(api, leader).post(
        act(idea, "answer"), {"text": "答复", "outcome": "reply"}, format="json"
    )

    assert response.status_code == 403


def test_a_second_draft_while_one_waits_is_409(api, jxj_clerk, make_idea) -> None:
    idea = make_idea("answered")

    response = as_(api, jxj_clerk).post(
        act(idea, "answer"), {"text": "再答复", "outcome": "reply"}, format="json"
    )

    assert response.status_code == 409


def test_the_department_cannot_approve_its_own_answer(api, jxj_clerk, make_idea) -> None:
    idea = make_idea("answered")

    response = as_(api, jxj_clerk).post(act(idea, "approve-answer"))

    assert response.status_code == 403
    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.PENDING


def test_approving_without_a_draft_is_409(api, leader, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    assert as_(api, leader).post(act(idea, "approve-answer")).status_code == 409


def test_a_leader_returns_the_draft_with_what_to_change(api, leader, make_idea) -> None:
    idea = make_idea("answered")
    as_(api, leader)

    empty = api.post(act(idea, "return-answer"), {"note": ""}, format="json")
    response = api.post(act(idea, "return-answer"), {"note": "请补充时间安排"}, format="json")

    assert empty.status_code == 400
    assert "note" in empty.json()["errors"]
    assert response.status_code == 200
    assert response.json()["pending"] is None
    assert response.json()["answers"][0]["status"] == "returned"
    assert response.json()["answers"][0]["note"] == "请补充时间安排"
    assert api.post(act(idea, "return-answer"), {"note": "again"}).status_code == 409


# --- adopt, decline, duplicate -------------------------------------------------------------------


def test_a_leader_adopts_an_idea_with_a_plan_and_a_date(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = as_(api, leader).post(
        act(idea, "adopt"), {"plan": "年内试点", "due_on": later()}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "adopted"
    assert response.json()["answer"]["text"] == "年内试点"
    assert response.json()["adoption_due"] == later()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"due_on": "2099-01-01"}, "plan"), ({"plan": "试点"}, "due_on")],
)
def test_adopting_without_a_plan_or_a_date_is_400(api, leader, make_idea, data, field) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = as_(api, leader).post(act(idea, "adopt"), data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_adopting_an_idea_that_waits_for_review_is_409(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(
        act(idea, "adopt"), {"plan": "试点", "due_on": later()}, format="json"
    )

    assert response.status_code == 409


def test_a_department_clerk_cannot_adopt(api, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    response = as_(api, jxj_clerk).post(
        act(idea, "adopt"), {"plan": "试点", "due_on": later()}, format="json"
    )

    assert response.status_code == 403


def test_a_leader_declines_an_idea_with_a_reason(api, leader, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)
    as_(api, leader)

    empty = api.post(act(idea, "decline"), {}, format="json")
    response = api.post(act(idea, "decline"), {"reason": "与规划不符"}, format="json")

    assert empty.status_code == 400
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["answer"]["text"] == "与规划不符"
    assert api.post(act(idea, "decline"), {"reason": "再次"}).status_code == 409


def test_a_leader_marks_a_duplicate_of_a_published_idea(api, leader, make_idea) -> None:
    target = make_idea(Status.PUBLISHED)
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(
        act(idea, "mark-duplicate"), {"target": target.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "duplicate"
    assert response.json()["duplicate_of"] == target.pk


@pytest.mark.parametrize("target", ["self", "submitted", "missing", "text"])
def test_a_duplicate_needs_a_published_target(api, leader, make_idea, target) -> None:
    idea = make_idea(Status.SUBMITTED)
    value = {
        "self": idea.pk,
        "submitted": make_idea(Status.SUBMITTED).pk,
        "missing": 999999,
        "text": "第一条",
    }[target]

    response = as_(api, leader).post(act(idea, "mark-duplicate"), {"target": value}, format="json")

    assert response.status_code == 400
    assert "target" in response.json()["errors"]
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED


def test_an_adopted_idea_cannot_become_a_duplicate(api, leader, make_idea) -> None:
    target = make_idea(Status.PUBLISHED)
    idea = make_idea(Status.ADOPTED)

    response = as_(api, leader).post(
        act(idea, "mark-duplicate"), {"target": target.pk}, format="json"
    )

    assert response.status_code == 409


# --- moderation: hide, restore, edit, block ------------------------------------------------------


def test_a_leader_hides_and_restores_an_idea(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    as_(api, leader)

    hidden = api.post(act(idea, "hide"), {"reason": "含广告"}, format="json")
    again = api.post(act(idea, "hide"), {"reason": "含广告"}, format="json")
    restored = api.post(act(idea, "restore"), {"note": "已核实"}, format="json")
    nothing = api.post(act(idea, "restore"), {}, format="json")

    assert hidden.status_code == 200
    assert hidden.json()["hidden"] is True
    assert hidden.json()["hidden_reason"] == "含广告"
    assert again.status_code == 409
    assert restored.status_code == 200
    assert restored.json()["hidden"] is False
    assert nothing.status_code == 409


def test_hiding_needs_a_reason_and_a_public_idea(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    private = make_idea(Status.SUBMITTED)
    as_(api, leader)

    assert api.post(act(idea, "hide"), {"reason": ""}, format="json").status_code == 400
    assert api.post(act(private, "hide"), {"reason": "广告"}, format="json").status_code == 409


def test_restoring_an_idea_hidden_by_reports_shows_it_again(api, leader, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    for n in range(3):
        services.idea_report(idea=idea, contact=next_phone(), reason=f"举报{n}", ip=None)

    response = as_(api, leader).post(act(idea, "restore"), {"note": "内容无问题"}, format="json")

    assert response.json()["hidden"] is False
    assert response.json()["open_reports"] == 0
    api.logout()
    assert api.get(f"{URL}{idea.pk}/").status_code == 200


def test_a_department_clerk_cannot_hide(api, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    response = as_(api, jxj_clerk).post(act(idea, "hide"), {"reason": "广告"}, format="json")

    assert response.status_code == 403


def test_a_moderators_edit_keeps_the_original_in_the_timeline(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED, body="我的电话是13812345678，建议修路。")

    response = as_(api, leader).post(
        act(idea, "edit"),
        {"title": idea.title, "body": "建议修路。", "note": "删除个人信息"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["body"] == "建议修路。"
    edit = response.json()["timeline"][-1]
    assert edit["action"] == "edit"
    assert edit["data"]["before"]["body"] == "我的电话是13812345678，建议修路。"
    assert IdeaEvent.objects.filter(idea=idea, action="edit").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "body": "新内容", "note": "改"}, "title"),
        ({"title": "标题", "body": "新内容", "note": ""}, "note"),
        ({"title": "长" * 61, "body": "新内容", "note": "改"}, "title"),
    ],
)
def test_a_bad_edit_is_400(api, leader, make_idea, data, field) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(act(idea, "edit"), data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_edit_that_changes_nothing_is_400(api, leader, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = as_(api, leader).post(
        act(idea, "edit"), {"title": idea.title, "body": idea.body, "note": "无"}, format="json"
    )

    assert response.status_code == 400


def test_the_department_records_progress_on_an_adopted_idea(api, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.ADOPTED)

    response = as_(api, jxj_clerk).post(
        act(idea, "progress"), {"text": "已完成选址", "done": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["progress"][0]["text"] == "已完成选址"
    assert response.json()["progress"][0]["done"] is True
    assert response.json()["progress"][0]["on"] == timezone.localdate().isoformat()


def test_progress_needs_an_adopted_idea_a_text_and_no_future_date(api, leader, make_idea) -> None:
    adopted = make_idea(Status.ADOPTED)
    published = make_idea(Status.PUBLISHED)
    as_(api, leader)

    assert api.post(act(published, "progress"), {"text": "做了"}).status_code == 409
    assert api.post(act(adopted, "progress"), {"text": ""}).status_code == 400
    future = api.post(act(adopted, "progress"), {"text": "做了", "on": later(3)}, format="json")
    assert future.status_code == 400
    assert "on" in future.json()["errors"]
    assert not Progress.objects.exists()


def test_a_leader_blocks_the_sender_of_an_idea(api, leader, make_idea) -> None:
    phone = next_phone()
    idea = make_idea(Status.PUBLISHED, contact=phone)
    other = make_idea(Status.PUBLISHED)

    response = as_(api, leader).post(
        act(idea, "block"), {"reason": "反复发广告", "network": True}, format="json"
    )

    assert response.status_code == 200
    assert BlockedSender.objects.count() == 2  # the contact and the network address
    assert phone not in str(BlockedSender.objects.values())
    api.logout()
    refused = api.post(f"{URL}{other.pk}/support/", {"contact": phone}, format="json")
    assert refused.status_code == 403
    assert not Support.objects.exists()


def test_blocking_needs_a_reason_and_a_leader(api, leader, jxj_clerk, make_idea) -> None:
    idea = make_idea(Status.EVALUATING)

    assert as_(api, leader).post(act(idea, "block"), {"reason": ""}).status_code == 400
    assert as_(api, jxj_clerk).post(act(idea, "block"), {"reason": "广告"}).status_code == 403
    assert not BlockedSender.objects.exists()


# --- the block list ------------------------------------------------------------------------------

BLOCKS = f"{URL}blocks/"


@pytest.fixture
def block(make_idea, leader) -> BlockedSender:
    idea = make_idea(contact="13812345678")
    return services.sender_block(by=leader, idea=idea, reason="广告")[0]


def test_a_leader_lists_the_block_list_without_the_contacts(api, leader, block) -> None:
    response = as_(api, leader).get(BLOCKS)

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id"] == block.pk
    assert row["label"] == "138****5678"
    assert row["active"] is True
    assert "key" not in row
    assert "13812345678" not in response.content.decode()


@pytest.mark.parametrize("who", ["jxj_clerk", "licun_clerk", "enterprise_user"])
def test_others_may_not_see_the_block_list(api, block, request, who) -> None:
    assert as_(api, request.getfixturevalue(who)).get(BLOCKS).status_code == 403


def test_anonymous_may_not_see_the_block_list(api, block) -> None:
    assert api.get(BLOCKS).status_code in (401, 403)


def test_a_leader_of_another_district_sees_an_empty_list_and_cannot_unblock(
    api, outsider, block
) -> None:
    assert as_(api, outsider).get(BLOCKS).json()["count"] == 0
    assert as_(api, outsider).delete(f"{BLOCKS}{block.pk}/").status_code == 404
    assert BlockedSender.objects.filter(pk=block.pk).exists()


def test_a_leader_unblocks_a_sender(api, leader, block) -> None:
    response = as_(api, leader).delete(f"{BLOCKS}{block.pk}/")

    assert response.status_code == 204
    assert not BlockedSender.objects.exists()
    assert as_(api, leader).delete(f"{BLOCKS}{block.pk}/").status_code == 404


def test_the_block_list_cannot_be_written_to_directly(api, leader, block) -> None:
    as_(api, leader)

    assert api.post(BLOCKS, {"reason": "x"}).status_code == 405
    assert api.get(f"{BLOCKS}{block.pk}/").status_code == 405
