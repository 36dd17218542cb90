"""Publishing, assigning and answering: the department drafts, a district leader approves before the
public sees anything, or returns the draft; a leader may also adopt or decline at once. The author
is told through the outbox; bad input is refused with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.core.tests.factories import DepartmentFactory
from qifu.ideas import services
from qifu.ideas.models import AnswerStatus, Idea, IdeaAnswer, IdeaEvent, Outcome, Status
from qifu.notices.models import Channel, Notification, OutboxMessage

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LATER = dt.timedelta(days=90)


def fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def to_author(idea: Idea) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=idea.contact).order_by("id"))


# --- publish, reject ----------------------------------------------------------------------------


def test_publishing_stamps_the_time_and_texts_the_author(make_idea, leader) -> None:
    idea = make_idea(Status.SUBMITTED)

    services.idea_publish(idea=idea, by=leader)

    idea = fresh(idea)
    assert idea.status == Status.PUBLISHED
    assert idea.published_at is not None
    message = to_author(idea)[-1]
    assert message.channel == Channel.SMS
    assert idea.title in message.body


def test_an_author_who_gave_an_e_mail_address_is_told_by_e_mail(make_idea, leader) -> None:
    idea = make_idea(Status.SUBMITTED, contact="Wang.Li@Example.com")

    services.idea_publish(idea=idea, by=leader)

    message = to_author(fresh(idea))[-1]
    assert message.recipient == "wang.li@example.com"
    assert message.channel == Channel.EMAIL
    assert message.subject


def test_not_publishing_keeps_the_reason_and_sends_it_to_the_author(make_idea, leader) -> None:
    idea = make_idea(Status.SUBMITTED)

    services.idea_reject(idea=idea, by=leader, reason="  含有他人的个人信息 ")

    idea = fresh(idea)
    assert idea.status == Status.NOT_PUBLISHED
    assert idea.rejection_reason == "含有他人的个人信息"
    assert idea.decided_at is not None
    assert "含有他人的个人信息" in to_author(idea)[-1].body
    assert IdeaEvent.objects.get(idea=idea, action="reject").note == "含有他人的个人信息"


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_not_publishing_needs_a_reason_of_reasonable_length(make_idea, leader, reason) -> None:
    idea = make_idea(Status.SUBMITTED)
    messages = len(to_author(idea))

    with pytest.raises(ValidationError) as refused:
        services.idea_reject(idea=idea, by=leader, reason=reason)

    assert "reason" in refused.value.message_dict
    assert fresh(idea).status == Status.SUBMITTED
    assert len(to_author(idea)) == messages


# --- assign -------------------------------------------------------------------------------------


def test_assigning_hands_the_idea_to_the_department_and_rings_its_staff(
    make_idea, leader, jxj, jxj_clerk, zrj_clerk
) -> None:
    idea = make_idea(Status.PUBLISHED)

    services.idea_assign(idea=idea, by=leader, department=jxj, note="请评估可行性")

    idea = fresh(idea)
    assert (idea.status, idea.department) == (Status.EVALUATING, jxj)
    event = IdeaEvent.objects.get(idea=idea, action="assign")
    assert event.data == {"department": jxj.name}
    assert event.note == "请评估可行性"
    assert Notification.objects.filter(user=jxj_clerk, title__contains=idea.title).exists()
    assert not Notification.objects.filter(user=zrj_clerk).exists()


def test_a_department_of_another_district_is_refused(make_idea, leader, laoshan) -> None:
    idea = make_idea(Status.PUBLISHED)
    other = laoshan.departments.get(code="jxj")

    with pytest.raises(ValidationError) as refused:
        services.idea_assign(idea=idea, by=leader, department=other)

    assert "department" in refused.value.message_dict
    idea = fresh(idea)
    assert (idea.status, idea.department) == (Status.PUBLISHED, None)
    assert not IdeaEvent.objects.filter(idea=idea, action="assign").exists()


def test_an_inactive_department_is_refused(make_idea, leader, district) -> None:
    idea = make_idea(Status.PUBLISHED)
    closed = DepartmentFactory(district=district, code="old", name="已撤销的局", is_active=False)

    with pytest.raises(ValidationError):
        services.idea_assign(idea=idea, by=leader, department=closed)

    assert fresh(idea).status == Status.PUBLISHED


def test_assigning_again_to_the_same_department_is_refused(make_idea, leader, jxj) -> None:
    idea = make_idea(Status.EVALUATING)

    with pytest.raises(services.TransitionError):
        services.idea_assign(idea=idea, by=leader, department=jxj)

    assert IdeaEvent.objects.filter(idea=idea, action="assign").count() == 1


def test_moving_the_idea_to_another_department_returns_the_pending_draft(
    make_idea, leader, zrj, zrj_clerk
) -> None:
    idea = make_idea("answered")

    services.idea_assign(idea=idea, by=leader, department=zrj)

    assert fresh(idea).department == zrj
    answer = IdeaAnswer.objects.get(idea=idea)
    assert answer.status == AnswerStatus.RETURNED
    # the new department may answer now
    services.idea_answer(idea=idea, by=zrj_clerk, text="由我局答复", outcome=Outcome.REPLY)
    assert IdeaAnswer.objects.filter(idea=idea, status=AnswerStatus.PENDING).count() == 1


# --- the department's draft and the leader's approval -------------------------------------------


def test_the_draft_answer_is_not_public_until_a_leader_approves_it(
    make_idea, jxj_clerk, leader
) -> None:
    idea = make_idea(Status.EVALUATING)
    messages = len(to_author(idea))

    answer = services.idea_answer(
        idea=idea,
        by=jxj_clerk,
        text="经研究，拟采纳。",
        outcome=Outcome.ADOPT,
        plan="年内完成选址",
        due_on=TODAY() + LATER,
    )

    idea = fresh(idea)
    assert answer.status == AnswerStatus.PENDING
    assert (answer.department.code, answer.drafted_by) == ("jxj", jxj_clerk)
    assert idea.status == Status.EVALUATING
    assert (idea.answer_text, idea.answered_at, idea.adoption_plan) == ("", None, "")
    assert len(to_author(idea)) == messages  # nothing goes to the author yet
    assert Notification.objects.filter(user=leader, title__contains=idea.title).exists()


def test_approving_an_adopting_answer_adopts_the_idea_with_its_plan_and_date(
    make_idea, jxj_clerk, leader
) -> None:
    idea = make_idea(Status.EVALUATING)
    due = TODAY() + LATER
    services.idea_answer(
        idea=idea,
        by=jxj_clerk,
        text="经研究，予以采纳。",
        outcome=Outcome.ADOPT,
        plan="年内完成选址",
        due_on=due,
    )

    services.idea_approve_answer(idea=idea, by=leader)

    idea = fresh(idea)
    assert idea.status == Status.ADOPTED
    assert (idea.answer_text, idea.adoption_plan, idea.adoption_due) == (
        "经研究，予以采纳。",
        "年内完成选址",
        due,
    )
    assert idea.answered_by == leader
    assert idea.answered_at is not None and idea.decided_at is not None
    answer = IdeaAnswer.objects.get(idea=idea)
    assert (answer.status, answer.decided_by) == (AnswerStatus.APPROVED, leader)
    message = to_author(idea)[-1]
    assert "年内完成选址" in message.body


def test_approving_a_declining_answer_declines_the_idea(make_idea, jxj_clerk, leader) -> None:
    idea = make_idea(Status.EVALUATING)
    services.idea_answer(
        idea=idea, by=jxj_clerk, text="与现有规划不符，不予采纳。", outcome=Outcome.DECLINE
    )

    services.idea_approve_answer(idea=idea, by=leader)

    idea = fresh(idea)
    assert idea.status == Status.DECLINED
    assert idea.answer_text == "与现有规划不符，不予采纳。"
    assert idea.decided_at is not None
    assert "与现有规划不符" in to_author(idea)[-1].body


def test_approving_a_reply_publishes_the_answer_and_the_evaluation_goes_on(
    make_idea, jxj_clerk, leader
) -> None:
    idea = make_idea(Status.EVALUATING)
    services.idea_answer(idea=idea, by=jxj_clerk, text="正在研究，年底前答复。", outcome="reply")

    services.idea_approve_answer(idea=idea, by=leader)

    idea = fresh(idea)
    assert idea.status == Status.EVALUATING
    assert idea.answer_text == "正在研究，年底前答复。"
    assert idea.decided_at is None
    assert "正在研究" in to_author(idea)[-1].body
    # and the department may answer again later
    services.idea_answer(idea=idea, by=jxj_clerk, text="不予采纳", outcome=Outcome.DECLINE)
    assert idea.answers.count() == 2


def test_only_one_answer_waits_for_approval(make_idea, jxj_clerk) -> None:
    idea = make_idea("answered")

    with pytest.raises(services.TransitionError):
        services.idea_answer(idea=idea, by=jxj_clerk, text="第二稿", outcome=Outcome.REPLY)

    assert idea.answers.count() == 1


def test_approving_or_returning_without_a_draft_is_refused(make_idea, leader) -> None:
    idea = make_idea(Status.EVALUATING)

    with pytest.raises(services.TransitionError):
        services.idea_approve_answer(idea=idea, by=leader)
    with pytest.raises(services.TransitionError):
        services.idea_return_answer(idea=idea, by=leader, note="请修改")

    assert fresh(idea).answer_text == ""


def test_a_returned_draft_goes_back_to_the_department_which_drafts_again(
    make_idea, jxj_clerk, leader
) -> None:
    idea = make_idea("answered")

    services.idea_return_answer(idea=idea, by=leader, note="请补充资金来源")

    first = IdeaAnswer.objects.get(idea=idea)
    assert (first.status, first.note, first.decided_by) == (
        AnswerStatus.RETURNED,
        "请补充资金来源",
        leader,
    )
    assert fresh(idea).answer_text == ""
    assert Notification.objects.filter(user=jxj_clerk, body="请补充资金来源").exists()

    services.idea_answer(idea=idea, by=jxj_clerk, text="第二稿", outcome=Outcome.REPLY)
    services.idea_approve_answer(idea=idea, by=leader)
    assert fresh(idea).answer_text == "第二稿"
    assert list(idea.answers.order_by("id").values_list("status", flat=True)) == [
        AnswerStatus.RETURNED,
        AnswerStatus.APPROVED,
    ]


def test_returning_needs_what_to_change(make_idea, leader) -> None:
    idea = make_idea("answered")

    with pytest.raises(ValidationError):
        services.idea_return_answer(idea=idea, by=leader, note=" ")

    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.PENDING


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "", "outcome": "reply"}, "text"),
        ({"text": "长" * 2001, "outcome": "reply"}, "text"),
        ({"text": "答复", "outcome": "maybe"}, "outcome"),
        ({"text": "采纳", "outcome": "adopt", "plan": "", "due_on": "later"}, "plan"),
        ({"text": "采纳", "outcome": "adopt", "plan": "年内完成"}, "due_on"),
        ({"text": "采纳", "outcome": "adopt", "plan": "年内完成", "due_on": "past"}, "due_on"),
    ],
)
def test_a_bad_draft_is_refused_with_nothing_saved(make_idea, jxj_clerk, fields, error) -> None:
    idea = make_idea(Status.EVALUATING)
    dates = {"later": TODAY() + LATER, "past": TODAY() - dt.timedelta(days=1)}
    if "due_on" in fields:
        fields = {**fields, "due_on": dates[fields["due_on"]]}

    with pytest.raises(ValidationError) as refused:
        services.idea_answer(idea=idea, by=jxj_clerk, **fields)

    assert error in refused.value.message_dict
    assert not idea.answers.exists()
    assert not IdeaEvent.objects.filter(idea=idea, action="answer").exists()


def test_a_reply_or_a_decline_drops_any_plan_given_with_it(make_idea, jxj_clerk) -> None:
    idea = make_idea(Status.EVALUATING)

    answer = services.idea_answer(
        idea=idea,
        by=jxj_clerk,
        text="不予采纳",
        outcome=Outcome.DECLINE,
        plan="不该留下",
        due_on=TODAY() + LATER,
    )

    assert (answer.plan, answer.due_on) == ("", None)


# --- the leader decides at once -----------------------------------------------------------------


def test_the_leader_adopts_a_published_idea_at_once(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    due = TODAY() + LATER

    services.idea_adopt(idea=idea, by=leader, plan="年内建成2处公厕", due_on=due)

    idea = fresh(idea)
    assert (idea.status, idea.adoption_plan, idea.adoption_due) == (
        Status.ADOPTED,
        "年内建成2处公厕",
        due,
    )
    # without an answer text the plan is the published answer
    assert idea.answer_text == "年内建成2处公厕"
    assert "年内建成2处公厕" in to_author(idea)[-1].body


def test_the_leaders_decision_supersedes_the_pending_draft(make_idea, leader) -> None:
    idea = make_idea("answered", outcome=Outcome.ADOPT)

    services.idea_decline(idea=idea, by=leader, reason="资金无法落实")

    idea = fresh(idea)
    assert (idea.status, idea.answer_text) == (Status.DECLINED, "资金无法落实")
    answer = IdeaAnswer.objects.get(idea=idea)
    assert (answer.status, answer.decided_by) == (AnswerStatus.RETURNED, leader)


@pytest.mark.parametrize(
    ("plan", "due"),
    [("", dt.timedelta(days=30)), ("年内完成", None), ("年内完成", dt.timedelta(days=-1))],
)
def test_adopting_needs_a_plan_and_a_date_not_in_the_past(make_idea, leader, plan, due) -> None:
    idea = make_idea(Status.PUBLISHED)
    messages = len(to_author(idea))

    with pytest.raises(ValidationError):
        services.idea_adopt(
            idea=idea, by=leader, plan=plan, due_on=TODAY() + due if due is not None else None
        )

    idea = fresh(idea)
    assert (idea.status, idea.adoption_plan, idea.answer_text) == (Status.PUBLISHED, "", "")
    assert len(to_author(idea)) == messages


def test_a_due_date_of_today_is_accepted(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    services.idea_adopt(idea=idea, by=leader, plan="今日完成", due_on=TODAY())
    assert fresh(idea).adoption_due == TODAY()


def test_declining_needs_a_reason(make_idea, leader) -> None:
    idea = make_idea(Status.EVALUATING)

    with pytest.raises(ValidationError):
        services.idea_decline(idea=idea, by=leader, reason="")

    assert fresh(idea).status == Status.EVALUATING


# --- progress after adoption --------------------------------------------------------------------


def test_progress_is_recorded_on_an_adopted_idea_only(make_idea, jxj_clerk) -> None:
    adopted = make_idea(Status.ADOPTED)
    evaluating = make_idea(Status.EVALUATING)

    progress = services.idea_progress(idea=adopted, by=jxj_clerk, text="完成选址", done=True)

    assert (progress.on, progress.done, progress.by) == (TODAY(), True, jxj_clerk)
    event = IdeaEvent.objects.get(idea=adopted, action="progress")
    assert (event.note, event.data) == ("完成选址", {"done": True})
    with pytest.raises(services.TransitionError):
        services.idea_progress(idea=evaluating, by=jxj_clerk, text="完成选址")
    assert not evaluating.progress.exists()


def test_progress_may_be_dated_back_but_not_ahead(make_idea, jxj_clerk) -> None:
    idea = make_idea(Status.ADOPTED)
    last_week = TODAY() - dt.timedelta(days=7)

    services.idea_progress(idea=idea, by=jxj_clerk, text="完成选址", on=last_week)
    with pytest.raises(ValidationError):
        services.idea_progress(
            idea=idea, by=jxj_clerk, text="开工", on=TODAY() + dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.idea_progress(idea=idea, by=jxj_clerk, text="  ")

    assert list(idea.progress.values_list("on", flat=True)) == [last_week]
