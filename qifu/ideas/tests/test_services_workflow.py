"""services.TRANSITIONS: every transition from every state it allows (the status it leads to, its
timeline event, its audit record, and the message to the author where the module says so), every
state it does not allow (TransitionError), and every wrong actor (PermissionDenied), with nothing
changed by a refusal."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.ideas import services
from qifu.ideas.models import Idea, IdeaEvent, Outcome, Status
from qifu.ideas.tests.conftest import next_phone
from qifu.notices.models import OutboxMessage

pytestmark = pytest.mark.django_db

S = Status
ALL = set(Status.values)
LIVE = {S.SUBMITTED, S.PUBLISHED, S.EVALUATING}
PUBLIC = {S.PUBLISHED, S.EVALUATING, S.ADOPTED, S.DECLINED, S.DUPLICATE}
_tokens = itertools.count(1)

# The actions that tell the author through the outbox (the module's docstring: published or not,
# answered, adopted or declined; and a duplicate is pointed to the idea it repeats)
TELLS_THE_AUTHOR = {"publish", "reject", "approve_answer", "adopt", "decline", "mark_duplicate"}
# The right actor of each action (a fixture of the cast; "public": no account at all)
RIGHT_ACTOR = {
    "publish": "leader",
    "reject": "leader",
    "assign": "leader",
    "answer": "jxj_clerk",
    "approve_answer": "leader",
    "return_answer": "leader",
    "adopt": "leader",
    "decline": "leader",
    "mark_duplicate": "leader",
    "withdraw": "public",
    "hide": "leader",
    "restore": "leader",
    "edit": "leader",
    "progress": "jxj_clerk",
    "support": "public",
    "report": "public",
}
# Who else tries, for each kind of actor; the idea is with 经信局 where it has a department
WRONG_ACTORS = {
    "moderator": [
        "jxj_clerk",
        "zrj_clerk",
        "licun_clerk",
        "enterprise_user",
        "outsider",
        "anonymous",
    ],
    "evaluator": ["leader", "zrj_clerk", "licun_clerk", "enterprise_user", "outsider", "anonymous"],
    "staff": ["zrj_clerk", "licun_clerk", "enterprise_user", "outsider", "anonymous"],
}


class World:
    """What the actions need: the cast, the departments and a builder of ideas in any state."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request
        self.make_idea = request.getfixturevalue("make_idea")
        self.jxj = request.getfixturevalue("jxj")
        self.zrj = request.getfixturevalue("zrj")
        self.tokens: dict[int, str] = {}

    def user(self, name: str) -> Any:
        if name in ("public", "anonymous"):
            return AnonymousUser()
        return self.request.getfixturevalue(name)

    def idea(self, status: str, **kw: Any) -> Idea:
        """An idea in `status` ("answered": evaluating with a pending answer; "hidden:<status>":
        hidden by a moderator), with a known tracking code."""
        hidden = status.startswith("hidden:")
        status = status.removeprefix("hidden:")
        token = f"workflow-{next(_tokens)}"
        if status == "answered":
            kw.setdefault("outcome", Outcome.REPLY)  # approving it keeps the idea under evaluation
        idea = self.make_idea(status, client_token=token, **kw)
        self.tokens[idea.pk] = token
        if hidden:
            idea = services.idea_hide(idea=idea, by=self.user("leader"), reason="待核实")
        return Idea.objects.get(pk=idea.pk)

    def act(self, action: str, idea: Idea, by: Any) -> Any:
        """Call the service of `action` with valid input."""
        later = timezone.localdate() + dt.timedelta(days=60)
        if action == "publish":
            return services.idea_publish(idea=idea, by=by)
        if action == "reject":
            return services.idea_reject(idea=idea, by=by, reason="内容为商业广告")
        if action == "assign":
            department = self.zrj if idea.department_id == self.jxj.pk else self.jxj
            return services.idea_assign(idea=idea, by=by, department=department, note="请评估")
        if action == "answer":
            return services.idea_answer(idea=idea, by=by, text="已纳入研究", outcome="reply")
        if action == "approve_answer":
            return services.idea_approve_answer(idea=idea, by=by)
        if action == "return_answer":
            return services.idea_return_answer(idea=idea, by=by, note="请补充依据")
        if action == "adopt":
            return services.idea_adopt(idea=idea, by=by, plan="年内完成选址", due_on=later)
        if action == "decline":
            return services.idea_decline(idea=idea, by=by, reason="与现有规划不符")
        if action == "mark_duplicate":
            target = services.idea_publish(
                idea=self.make_idea(S.SUBMITTED, title="已有的同类建议"), by=self.user("leader")
            )
            return services.idea_mark_duplicate(idea=idea, by=by, target=target)
        if action == "withdraw":
            code = services.tracking_code_for(self.tokens[idea.pk])
            return services.idea_withdraw(idea=idea, code=code)
        if action == "hide":
            return services.idea_hide(idea=idea, by=by, reason="涉嫌人身攻击")
        if action == "restore":
            return services.idea_restore(idea=idea, by=by, note="举报不成立")
        if action == "edit":
            return services.idea_edit(
                idea=idea, by=by, title="修改后的标题", body="修改后的正文", note="删除个人信息"
            )
        if action == "progress":
            return services.idea_progress(idea=idea, by=by, text="已完成选址")
        if action == "support":
            return services.idea_support(idea=idea, contact=next_phone(), ip="10.1.1.1")
        if action == "report":
            return services.idea_report(
                idea=idea, contact=next_phone(), reason="广告", ip="10.1.1.2"
            )
        raise AssertionError(action)


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    return World(request)


def snapshot(idea: Idea) -> tuple[Any, ...]:
    fresh = Idea.objects.get(pk=idea.pk)
    return (
        fresh.status,
        fresh.hidden,
        fresh.department_id,
        fresh.answer_text,
        fresh.support_count,
        fresh.open_reports,
        fresh.answers.count(),
        fresh.progress.count(),
        IdeaEvent.objects.filter(idea=idea).count(),
        AuditEvent.objects.filter(object_type="ideas.idea", object_id=str(idea.pk)).count(),
    )


# --- The table ----------------------------------------------------------------------------------


def test_the_table_is_the_workflow_of_the_issue() -> None:
    expected = {
        "publish": ({S.SUBMITTED}, S.PUBLISHED, "moderator"),
        "reject": ({S.SUBMITTED}, S.NOT_PUBLISHED, "moderator"),
        "assign": ({S.PUBLISHED, S.EVALUATING}, S.EVALUATING, "moderator"),
        "answer": ({S.EVALUATING}, None, "evaluator"),
        "approve_answer": ({S.EVALUATING}, None, "moderator"),
        "return_answer": ({S.EVALUATING}, None, "moderator"),
        "adopt": ({S.PUBLISHED, S.EVALUATING}, S.ADOPTED, "moderator"),
        "decline": ({S.PUBLISHED, S.EVALUATING}, S.DECLINED, "moderator"),
        "mark_duplicate": (LIVE, S.DUPLICATE, "moderator"),
        "withdraw": (LIVE, S.WITHDRAWN, "author"),
        "hide": (PUBLIC, None, "moderator"),
        "restore": (PUBLIC, None, "moderator"),
        "edit": (LIVE | {S.ADOPTED, S.DECLINED, S.DUPLICATE}, None, "moderator"),
        "progress": ({S.ADOPTED}, None, "staff"),
        "support": ({S.PUBLISHED, S.EVALUATING}, None, "public"),
        "report": (PUBLIC, None, "public"),
    }

    table = {a: (set(t.sources), t.target, t.who) for a, t in services.TRANSITIONS.items()}

    assert table == expected


def test_every_action_of_the_table_is_tested_here() -> None:
    assert set(services.TRANSITIONS) == set(RIGHT_ACTOR)


# --- Every transition from every state it allows ------------------------------------------------


def _source(action: str, status: str) -> str:
    """The idea to start from: an answer must be waiting for approve / return; a restore needs a
    hidden idea."""
    if action in ("approve_answer", "return_answer"):
        return "answered"
    if action == "restore":
        return f"hidden:{status}"
    return status


HAPPY = [
    (action, status)
    for action, rule in services.TRANSITIONS.items()
    for status in sorted(rule.sources)
]


@pytest.mark.parametrize(("action", "status"), HAPPY)
def test_each_transition_changes_the_state_writes_the_timeline_and_the_audit_trail(
    world: World, action: str, status: str
) -> None:
    idea = world.idea(_source(action, status))
    author_messages = OutboxMessage.objects.filter(recipient=idea.contact)
    messages_before = author_messages.count()
    events_before = IdeaEvent.objects.filter(idea=idea).count()

    world.act(action, idea, world.user(RIGHT_ACTOR[action]))

    idea.refresh_from_db()
    rule = services.TRANSITIONS[action]
    assert idea.status == (rule.target or status)
    event_rows = list(IdeaEvent.objects.filter(idea=idea).order_by("id"))
    if action == "support":
        # a support is counted and audited; the timeline is not cluttered with it
        assert len(event_rows) == events_before
        assert idea.support_count == 1
    else:
        last = event_rows[-1]
        assert last.action == action
        assert (last.from_status, last.to_status) == (status, idea.status)
    assert AuditEvent.objects.filter(
        action=f"idea.{action}", object_type="ideas.idea", object_id=str(idea.pk)
    ).exists()
    told = author_messages.count() - messages_before
    assert told == (1 if action in TELLS_THE_AUTHOR else 0)


def test_the_actor_of_a_change_is_on_its_event_and_its_audit_record(world: World, leader) -> None:
    idea = world.idea(S.SUBMITTED)

    services.idea_publish(idea=idea, by=leader)

    event = IdeaEvent.objects.get(idea=idea, action="publish")
    audit = AuditEvent.objects.get(action="idea.publish", object_id=str(idea.pk))
    assert event.actor == leader
    assert audit.actor == leader
    assert audit.changes["status"] == [S.SUBMITTED, S.PUBLISHED]
    # what the public does has no actor
    assert IdeaEvent.objects.get(idea=idea, action="submit").actor is None


# --- Every state it does not allow --------------------------------------------------------------

WRONG_STATE = [
    (action, status)
    for action, rule in services.TRANSITIONS.items()
    for status in sorted(ALL - set(rule.sources))
]


@pytest.mark.parametrize(("action", "status"), WRONG_STATE)
def test_each_transition_is_refused_from_a_state_that_does_not_allow_it(
    world: World, action: str, status: str
) -> None:
    idea = world.idea(status)
    before = snapshot(idea)

    with pytest.raises(services.TransitionError) as refused:
        world.act(action, idea, world.user(RIGHT_ACTOR[action]))

    assert str(refused.value)  # a message for the page (409 in the API)
    assert snapshot(idea) == before


def test_the_refusal_names_the_state_of_the_idea(world: World, leader) -> None:
    idea = world.idea(S.ADOPTED)
    with pytest.raises(services.TransitionError) as refused:
        services.idea_publish(idea=idea, by=leader)
    assert str(idea.get_status_display()) in str(refused.value)


# --- Every wrong actor --------------------------------------------------------------------------

# a state that allows the action, with the idea in 经信局's hands where it can be
VALID_STATE = {
    "publish": S.SUBMITTED,
    "reject": S.SUBMITTED,
    "assign": S.EVALUATING,
    "answer": S.EVALUATING,
    "approve_answer": "answered",
    "return_answer": "answered",
    "adopt": S.EVALUATING,
    "decline": S.EVALUATING,
    "mark_duplicate": S.EVALUATING,
    "hide": S.EVALUATING,
    "restore": f"hidden:{S.EVALUATING}",
    "edit": S.EVALUATING,
    "progress": S.ADOPTED,
}
WRONG_ACTOR = [
    (action, who)
    for action, state in VALID_STATE.items()
    for who in WRONG_ACTORS[services.TRANSITIONS[action].who]
]


@pytest.mark.parametrize(("action", "who"), WRONG_ACTOR)
def test_each_transition_is_refused_to_the_wrong_actor(world: World, action: str, who: str) -> None:
    idea = world.idea(VALID_STATE[action])
    # an adopted idea keeps its department: this one was adopted from 经信局's evaluation
    assert idea.department_id in (None, world.jxj.pk)
    before = snapshot(idea)

    with pytest.raises(PermissionDenied):
        world.act(action, idea, world.user(who))

    assert snapshot(idea) == before


def test_the_right_actor_passes_where_the_wrong_ones_are_refused(world: World) -> None:
    # the same states as above: the refusals come from the actor, not from the state
    for action, state in VALID_STATE.items():
        idea = world.idea(state)
        world.act(action, idea, world.user(RIGHT_ACTOR[action]))


def test_the_leader_and_the_department_both_record_progress(world: World, leader, jxj_clerk):
    idea = world.idea(S.ADOPTED)
    assert Idea.objects.get(pk=idea.pk).department_id == world.jxj.pk

    services.idea_progress(idea=idea, by=leader, text="完成选址")
    services.idea_progress(idea=idea, by=jxj_clerk, text="开工建设", done=True)

    assert list(idea.progress.values_list("text", "done", "by__username")) == [
        ("完成选址", False, "leader"),
        ("开工建设", True, "jxj_clerk"),
    ]


def test_allowed_says_what_the_services_let_through(world: World, leader, jxj_clerk, zrj_clerk):
    evaluating = world.idea(S.EVALUATING)
    answered = world.idea("answered")

    assert services.allowed(idea=evaluating, action="answer", user=jxj_clerk)
    assert not services.allowed(idea=evaluating, action="answer", user=zrj_clerk)
    assert not services.allowed(idea=evaluating, action="approve_answer", user=leader)
    assert not services.allowed(idea=answered, action="answer", user=jxj_clerk)
    assert services.allowed(idea=answered, action="approve_answer", user=leader)
    assert not services.allowed(idea=evaluating, action="publish", user=leader)
    assert not services.allowed(idea=evaluating, action="restore", user=leader)
    assert services.allowed(idea=evaluating, action="hide", user=leader)
