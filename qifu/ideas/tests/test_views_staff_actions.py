"""The actions on an idea through the staff pages (`ideas:manage-action`): each one's happy path,
and its refusals: a state that no longer allows it is a 409 page (a double submission changes
nothing twice), the wrong actor is 403, bad input is the detail page with the form's errors, 400,
with nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from qifu.ideas import abuse, services
from qifu.ideas.models import (
    AnswerStatus,
    BlockedSender,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Outcome,
    Progress,
    Status,
)
from qifu.ideas.tests.conftest import idea_input
from qifu.notices.models import OutboxMessage

pytestmark = pytest.mark.django_db

LATER = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
YESTERDAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def url(idea: Idea, action: str) -> str:
    return reverse("ideas:manage-action", args=[idea.pk, action])


def detail_url(idea: Idea) -> str:
    return reverse("ideas:manage-detail", args=[idea.pk])


def fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def events(idea: Idea, action: str) -> int:
    return IdeaEvent.objects.filter(idea=idea, action=action).count()


def post(client: Any, idea: Idea, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url(idea, action), data or {})


def assert_done(response: Any, idea: Idea) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == detail_url(idea)


def assert_bad_input(response: Any, message: str = "") -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="field-error"' in html or "alert-danger" in html
    if message:
        assert message in html


@pytest.fixture
def as_leader(client: Any, leader: Any) -> Any:
    client.force_login(leader)
    return client


@pytest.fixture
def as_clerk(client: Any, jxj_clerk: Any) -> Any:
    client.force_login(jxj_clerk)
    return client


# --- the dispatcher -----------------------------------------------------------------------------


def test_an_unknown_action_is_a_404(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    assert post(as_leader, idea, "explode").status_code == 404
    assert post(as_leader, idea, "approve_answer").status_code == 404  # the slug has a hyphen
    assert fresh(idea).status == Status.SUBMITTED


def test_an_action_on_an_idea_that_does_not_exist_is_a_404(as_leader):
    assert as_leader.post(reverse("ideas:manage-action", args=[999999, "publish"])).status_code == (
        404
    )


def test_a_success_redirects_with_a_message(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    response = post(as_leader, idea, "publish")
    assert_done(response, idea)
    assert [str(m) for m in get_messages(response.wsgi_request)]
    page = as_leader.get(response["Location"])
    assert 'class="alert alert-success' in page.content.decode()


# --- publish ------------------------------------------------------------------------------------


def test_the_leader_publishes_an_idea_once(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    assert_done(post(as_leader, idea, "publish"), idea)
    assert fresh(idea).status == Status.PUBLISHED
    again = post(as_leader, idea, "publish")
    assert again.status_code == 409
    assert 'data-testid="conflict"' in again.content.decode()
    assert events(idea, "publish") == 1


def test_a_department_clerk_may_not_publish(client, jxj_clerk, make_idea, leader, jxj):
    idea = make_idea(Status.SUBMITTED)
    client.force_login(jxj_clerk)
    assert post(client, idea, "publish").status_code == 404  # not his department's idea
    evaluating = make_idea(Status.EVALUATING)
    assert post(client, evaluating, "publish").status_code == 409  # the state comes first
    assert fresh(evaluating).status == Status.EVALUATING


# --- reject -------------------------------------------------------------------------------------


def test_the_leader_does_not_publish_an_idea_and_tells_the_author_why(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED, contact="13833334444")
    assert_done(post(as_leader, idea, "reject", {"reason": "含有他人的个人信息"}), idea)
    idea = fresh(idea)
    assert idea.status == Status.NOT_PUBLISHED
    assert idea.rejection_reason == "含有他人的个人信息"
    assert OutboxMessage.objects.filter(
        recipient="13833334444", body__contains="含有他人的个人信息"
    ).exists()
    assert post(as_leader, idea, "reject", {"reason": "再次"}).status_code == 409


def test_rejecting_needs_a_reason(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    response = post(as_leader, idea, "reject", {"reason": "  "})
    assert_bad_input(response)
    assert response.context["open_action"] == "reject"
    assert fresh(idea).status == Status.SUBMITTED
    assert_bad_input(post(as_leader, idea, "reject", {"reason": "长" * 501}))
    assert fresh(idea).status == Status.SUBMITTED


# --- assign -------------------------------------------------------------------------------------


def test_the_leader_assigns_a_published_idea_to_a_department(as_leader, make_idea, zrj):
    idea = make_idea(Status.PUBLISHED)
    assert_done(post(as_leader, idea, "assign", {"department": zrj.pk, "note": "请评估"}), idea)
    idea = fresh(idea)
    assert idea.status == Status.EVALUATING
    assert idea.department == zrj
    again = post(as_leader, idea, "assign", {"department": zrj.pk})
    assert again.status_code == 409  # already with this department
    assert events(idea, "assign") == 1


def test_assigning_needs_a_department_of_the_district(as_leader, make_idea, laoshan):
    idea = make_idea(Status.PUBLISHED)
    other = laoshan.departments.get()
    assert_bad_input(post(as_leader, idea, "assign", {"department": ""}))
    assert_bad_input(post(as_leader, idea, "assign", {"department": other.pk}))
    assert fresh(idea).status == Status.PUBLISHED


def test_an_idea_awaiting_review_cannot_be_assigned(as_leader, make_idea, zrj):
    idea = make_idea(Status.SUBMITTED)
    assert post(as_leader, idea, "assign", {"department": zrj.pk}).status_code == 409
    assert fresh(idea).department is None


def test_a_department_clerk_may_not_assign(as_clerk, make_idea, zrj):
    idea = make_idea(Status.EVALUATING)
    assert post(as_clerk, idea, "assign", {"department": zrj.pk}).status_code == 403
    assert fresh(idea).department.code == "jxj"


# --- answer -------------------------------------------------------------------------------------


def test_the_department_drafts_the_answer(as_clerk, make_idea):
    idea = make_idea(Status.EVALUATING)
    response = post(
        as_clerk,
        idea,
        "answer",
        {"text": "经研究，拟采纳。", "outcome": "adopt", "plan": "年内完成选址", "due_on": LATER},
    )
    assert_done(response, idea)
    answer = IdeaAnswer.objects.get(idea=idea)
    assert (answer.status, answer.outcome, answer.plan) == ("pending", "adopt", "年内完成选址")
    assert fresh(idea).answer_text == ""  # not public before a leader approves it
    again = post(as_clerk, idea, "answer", {"text": "第二次", "outcome": "reply"})
    assert again.status_code == 409
    assert IdeaAnswer.objects.filter(idea=idea).count() == 1


def test_another_department_may_not_answer(client, zrj_clerk, make_idea):
    idea = make_idea(Status.EVALUATING)  # given to 经信局
    client.force_login(zrj_clerk)
    assert post(client, idea, "answer", {"text": "答复", "outcome": "reply"}).status_code == 404
    assert not IdeaAnswer.objects.filter(idea=idea).exists()


def test_the_leader_does_not_draft_the_departments_answer(as_leader, make_idea):
    idea = make_idea(Status.EVALUATING)
    assert post(as_leader, idea, "answer", {"text": "答复", "outcome": "reply"}).status_code == 403
    assert not IdeaAnswer.objects.filter(idea=idea).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "outcome": "reply"},
        {"text": "答复", "outcome": "maybe"},
        {"text": "拟采纳", "outcome": "adopt", "plan": "", "due_on": LATER},
        {"text": "拟采纳", "outcome": "adopt", "plan": "选址", "due_on": ""},
        {"text": "拟采纳", "outcome": "adopt", "plan": "选址", "due_on": YESTERDAY},
        {"text": "拟采纳", "outcome": "adopt", "plan": "选址", "due_on": "not a date"},
    ],
)
def test_a_draft_answer_needs_its_text_outcome_and_for_adoption_a_plan_and_date(
    as_clerk, make_idea, data
):
    idea = make_idea(Status.EVALUATING)
    assert_bad_input(post(as_clerk, idea, "answer", data))
    assert not IdeaAnswer.objects.filter(idea=idea).exists()


# --- approve and return -------------------------------------------------------------------------


def test_approving_the_answer_makes_it_public(client, leader, make_idea):
    idea = make_idea("answered", outcome=Outcome.ADOPT)
    public = reverse("ideas:detail", args=[idea.pk])
    assert "经研究，拟采纳。" not in client.get(public).content.decode()
    client.force_login(leader)
    assert_done(post(client, idea, "approve-answer"), idea)
    idea = fresh(idea)
    assert idea.status == Status.ADOPTED
    assert idea.answer_text == "经研究，拟采纳。"
    assert idea.adoption_plan == "年内完成选址"
    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.APPROVED
    assert post(client, idea, "approve-answer").status_code == 409
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    assert "经研究，拟采纳。" in page.content.decode()


def test_returning_the_answer_keeps_it_from_the_public(client, leader, make_idea):
    idea = make_idea("answered", outcome=Outcome.REPLY)
    client.force_login(leader)
    assert_bad_input(post(client, idea, "return-answer", {"note": ""}))
    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.PENDING

    assert_done(post(client, idea, "return-answer", {"note": "请补充依据"}), idea)
    answer = IdeaAnswer.objects.get(idea=idea)
    assert (answer.status, answer.note) == (AnswerStatus.RETURNED, "请补充依据")
    assert fresh(idea).answer_text == ""
    assert post(client, idea, "return-answer", {"note": "再退"}).status_code == 409
    assert post(client, idea, "approve-answer").status_code == 409
    client.logout()
    assert (
        "经研究，拟采纳。"
        not in client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    )


def test_a_department_clerk_may_not_approve_his_own_answer(as_clerk, make_idea):
    idea = make_idea("answered")
    assert post(as_clerk, idea, "approve-answer").status_code == 403
    assert post(as_clerk, idea, "return-answer", {"note": "x"}).status_code == 403
    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.PENDING


# --- adopt and decline --------------------------------------------------------------------------


def test_the_leader_adopts_an_idea_with_a_plan_and_a_date(as_leader, make_idea):
    idea = make_idea(Status.EVALUATING)
    data = {"plan": "明年建成孵化器", "due_on": LATER, "text": ""}
    assert_done(post(as_leader, idea, "adopt", data), idea)
    idea = fresh(idea)
    assert idea.status == Status.ADOPTED
    assert idea.adoption_plan == "明年建成孵化器"
    assert idea.adoption_due.isoformat() == LATER
    assert idea.answer_text == "明年建成孵化器"
    assert post(as_leader, idea, "adopt", data).status_code == 409
    assert events(idea, "adopt") == 1


@pytest.mark.parametrize(
    "data",
    [
        {"plan": "", "due_on": LATER},
        {"plan": "建成孵化器", "due_on": ""},
        {"plan": "建成孵化器", "due_on": YESTERDAY},
        {"plan": "建成孵化器", "due_on": "2026-13-40"},
    ],
)
def test_adopting_needs_a_plan_and_a_date(as_leader, make_idea, data):
    idea = make_idea(Status.PUBLISHED)
    assert_bad_input(post(as_leader, idea, "adopt", data))
    assert fresh(idea).status == Status.PUBLISHED


def test_a_submitted_idea_cannot_be_adopted_and_a_clerk_may_not_adopt(
    as_leader, client, jxj_clerk, make_idea
):
    submitted = make_idea(Status.SUBMITTED)
    assert post(as_leader, submitted, "adopt", {"plan": "x", "due_on": LATER}).status_code == 409
    evaluating = make_idea(Status.EVALUATING)
    client.force_login(jxj_clerk)
    assert post(client, evaluating, "adopt", {"plan": "x", "due_on": LATER}).status_code == 403
    assert fresh(evaluating).status == Status.EVALUATING


def test_the_leader_declines_an_idea_with_a_reason(as_leader, make_idea):
    idea = make_idea(Status.EVALUATING)
    assert_bad_input(post(as_leader, idea, "decline", {"reason": ""}))
    assert fresh(idea).status == Status.EVALUATING
    assert_done(post(as_leader, idea, "decline", {"reason": "与现有规划不符"}), idea)
    idea = fresh(idea)
    assert (idea.status, idea.answer_text) == (Status.DECLINED, "与现有规划不符")
    assert post(as_leader, idea, "decline", {"reason": "再次"}).status_code == 409


# --- mark duplicate -----------------------------------------------------------------------------


def test_the_leader_marks_a_duplicate_of_a_published_idea(as_leader, make_idea):
    target = make_idea(Status.PUBLISHED, title="已有的建议")
    idea = make_idea(Status.SUBMITTED)
    assert_done(post(as_leader, idea, "mark-duplicate", {"target": target.pk}), idea)
    idea = fresh(idea)
    assert (idea.status, idea.duplicate_of_id) == (Status.DUPLICATE, target.pk)
    assert post(as_leader, idea, "mark-duplicate", {"target": target.pk}).status_code == 409


def test_marking_a_duplicate_needs_a_published_target_other_than_itself(as_leader, make_idea):
    idea = make_idea(Status.PUBLISHED)
    waiting = make_idea(Status.SUBMITTED)
    assert_bad_input(post(as_leader, idea, "mark-duplicate", {"target": ""}))
    assert_bad_input(post(as_leader, idea, "mark-duplicate", {"target": idea.pk}))
    assert_bad_input(post(as_leader, idea, "mark-duplicate", {"target": waiting.pk}))
    assert_bad_input(post(as_leader, idea, "mark-duplicate", {"target": 999999}))
    assert_bad_input(post(as_leader, idea, "mark-duplicate", {"target": "abc"}))
    assert fresh(idea).status == Status.PUBLISHED


def test_a_department_clerk_may_not_mark_a_duplicate(as_clerk, make_idea):
    target = make_idea(Status.PUBLISHED)
    idea = make_idea(Status.EVALUATING)
    assert post(as_clerk, idea, "mark-duplicate", {"target": target.pk}).status_code == 403
    assert fresh(idea).status == Status.EVALUATING


# --- hide and restore ---------------------------------------------------------------------------


def test_the_leader_hides_and_restores_an_idea(client, leader, make_idea):
    idea = make_idea(Status.PUBLISHED, title="要隐藏的建议")
    client.force_login(leader)
    assert_bad_input(post(client, idea, "hide", {"reason": ""}))
    assert not fresh(idea).hidden

    assert_done(post(client, idea, "hide", {"reason": "含有广告"}), idea)
    assert (fresh(idea).hidden, fresh(idea).hidden_reason) == (True, "含有广告")
    assert post(client, idea, "hide", {"reason": "再次"}).status_code == 409
    assert events(idea, "hide") == 1
    client.logout()
    assert client.get(reverse("ideas:detail", args=[idea.pk])).status_code == 404

    client.force_login(leader)
    assert_done(post(client, idea, "restore", {"note": "已核实"}), idea)
    assert not fresh(idea).hidden
    assert post(client, idea, "restore").status_code == 409
    assert events(idea, "restore") == 1


def test_an_idea_awaiting_review_cannot_be_hidden(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    assert post(as_leader, idea, "hide", {"reason": "广告"}).status_code == 409
    assert not fresh(idea).hidden


def test_a_department_clerk_may_not_hide(as_clerk, make_idea):
    idea = make_idea(Status.EVALUATING)
    assert post(as_clerk, idea, "hide", {"reason": "广告"}).status_code == 403
    assert not fresh(idea).hidden


# --- edit ---------------------------------------------------------------------------------------


def test_an_edit_keeps_the_original_text_in_the_moderation_log(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED, title="联系我13800001111", body="原文含电话13800001111")
    data = {"title": "联系我（已删除电话）", "body": "原文含电话（已删除）", "note": "删除个人信息"}
    assert_done(post(as_leader, idea, "edit", data), idea)
    idea = fresh(idea)
    assert (idea.title, idea.body) == ("联系我（已删除电话）", "原文含电话（已删除）")
    response = as_leader.get(detail_url(idea))
    (edit,) = [e for e in response.context["moderation"] if e.action == "edit"]
    assert edit.before == {"title": "联系我13800001111", "body": "原文含电话13800001111"}
    html = response.content.decode()
    assert 'data-testid="edit-before"' in html
    assert "原文含电话13800001111" in html
    assert "删除个人信息" in html


@pytest.mark.parametrize(
    "data",
    [
        {"title": "新标题", "body": "新内容", "note": ""},
        {"title": "", "body": "新内容", "note": "理由"},
        {"title": "长" * 61, "body": "新内容", "note": "理由"},
        {"title": "在东部片区建设科技企业孵化器", "body": None, "note": "理由"},  # nothing changed
    ],
)
def test_an_edit_needs_a_reason_and_a_change(as_leader, make_idea, data):
    idea = make_idea(Status.SUBMITTED)
    if data["body"] is None:
        data = {**data, "body": idea.body}
    assert_bad_input(post(as_leader, idea, "edit", data))
    assert (fresh(idea).title, fresh(idea).body) == (idea.title, idea.body)
    assert events(idea, "edit") == 0


def test_a_withdrawn_idea_cannot_be_edited_and_a_clerk_may_not_edit(
    as_leader, client, jxj_clerk, make_idea
):
    withdrawn = make_idea(Status.WITHDRAWN, client_token="withdraw-me-1")
    data = {"title": "新标题", "body": "新内容", "note": "理由"}
    assert post(as_leader, withdrawn, "edit", data).status_code == 409
    evaluating = make_idea(Status.EVALUATING)
    client.force_login(jxj_clerk)
    assert post(client, evaluating, "edit", data).status_code == 403
    assert fresh(evaluating).title != "新标题"


# --- progress -----------------------------------------------------------------------------------


def test_the_department_records_progress_on_an_adopted_idea(as_clerk, make_idea):
    idea = make_idea(Status.ADOPTED)
    data = {"text": "已完成选址", "on": timezone.localdate().isoformat(), "done": "on"}
    assert_done(post(as_clerk, idea, "progress", data), idea)
    progress = Progress.objects.get(idea=idea)
    assert (progress.text, progress.done) == ("已完成选址", True)


def test_progress_is_only_for_adopted_ideas_and_needs_its_text(as_clerk, make_idea):
    evaluating = make_idea(Status.EVALUATING)
    assert post(as_clerk, evaluating, "progress", {"text": "进展"}).status_code == 409
    adopted = make_idea(Status.ADOPTED)
    assert_bad_input(post(as_clerk, adopted, "progress", {"text": ""}))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert_bad_input(post(as_clerk, adopted, "progress", {"text": "进展", "on": tomorrow}))
    assert not Progress.objects.exists()


def test_another_department_may_not_record_progress(client, zrj_clerk, make_idea):
    idea = make_idea(Status.ADOPTED)
    client.force_login(zrj_clerk)
    assert post(client, idea, "progress", {"text": "进展"}).status_code == 404
    assert not Progress.objects.exists()


# --- block --------------------------------------------------------------------------------------


def test_a_blocked_contact_cannot_submit_again(as_leader, make_idea, district):
    idea = make_idea(Status.SUBMITTED, contact="13855556666", ip="10.20.30.40")
    data = {"reason": "恶意刷屏", "until": "", "network": "on"}
    assert_done(post(as_leader, idea, "block", data), idea)
    assert BlockedSender.objects.filter(district=district).count() == 2
    with pytest.raises(abuse.Blocked):
        services.idea_submit(
            data=idea_input(contact="13855556666", title="又一条建议"),
            ip="10.99.99.99",
            district=district,
            captcha_passed=True,
        )
    with pytest.raises(abuse.Blocked):
        services.idea_submit(
            data=idea_input(title="换个号码再来"),
            ip="10.20.30.40",
            district=district,
            captcha_passed=True,
        )


def test_blocking_needs_a_reason_and_a_date_not_in_the_past(as_leader, make_idea):
    idea = make_idea(Status.SUBMITTED)
    assert_bad_input(post(as_leader, idea, "block", {"reason": ""}))
    assert_bad_input(post(as_leader, idea, "block", {"reason": "刷屏", "until": YESTERDAY}))
    assert not BlockedSender.objects.exists()


def test_a_department_clerk_may_not_block(as_clerk, make_idea):
    idea = make_idea(Status.EVALUATING)
    assert post(as_clerk, idea, "block", {"reason": "刷屏"}).status_code == 403
    assert not BlockedSender.objects.exists()
