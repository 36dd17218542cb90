"""services.TRANSITIONS: every transition from every state it allows, each refusal from the states
it does not (TransitionError, a Chinese message naming the state), and each wrong actor
(PermissionDenied). Every change writes a timeline event and an audit record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from qifu.appeals import services
from qifu.appeals.models import AppealEvent, Status
from qifu.appeals.tests.conftest import department, set_status, status_label
from qifu.appeals.tests.factories import AppealFactory
from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese, zh

pytestmark = pytest.mark.django_db

S = Status

# Who may do each action on an appeal led by 区自然资源局 and co-handled by 区住房和城乡建设局
RIGHT_ACTOR = {
    "accept": "leader",
    "return": "jxj_clerk",
    "assign": "leader",
    "dispute": "zrj_clerk",
    "progress": "zrj_clerk",
    "contribute": "zjj_clerk",
    "reply": "zrj_clerk",
    "extend_request": "zrj_clerk",
    "extend_decide": "jxj_clerk",
    "rate": "enterprise_user",
    "supervise": "leader",
    "mark_duplicate": "jxj_clerk",
    "join": "ruifeng_user",
    "mark_common": "leader",
    "analyse": "zrj_clerk",
}
# The event each action writes on the timeline (the name differs where the outcome does)
EVENT = {**{a: a for a in RIGHT_ACTOR}, "extend_decide": "extend_approve"}


def act(action: str, appeal: Any, by: Any) -> Any:
    """Call the service of `action` with valid input."""
    if action == "accept":
        return services.appeal_accept(by=by, appeal=appeal, note="材料齐全")
    if action == "return":
        return services.appeal_return(by=by, appeal=appeal, reason="属于企业间民事纠纷")
    if action == "assign":
        return services.appeal_assign(by=by, appeal=appeal, department=department("zrj"))
    if action == "dispute":
        return services.appeal_dispute(by=by, appeal=appeal, reason="非本部门职责")
    if action == "progress":
        return services.appeal_progress(by=by, appeal=appeal, note="已约谈企业")
    if action == "contribute":
        return services.appeal_contribute(by=by, appeal=appeal, text="规划许可已核实")
    if action == "reply":
        return services.appeal_reply(by=by, appeal=appeal, reply="已办结", cause="手续不全")
    if action == "extend_request":
        return services.appeal_extend_request(by=by, appeal=appeal, working_days=5, reason="需测绘")
    if action == "extend_decide":
        return services.appeal_extend_decide(by=by, appeal=appeal, approve=True)
    if action == "rate":
        return services.appeal_rate(by=by, appeal=appeal, satisfaction="satisfied")
    if action == "supervise":
        return services.appeal_supervise(by=by, appeal=appeal, note="请加快办理")
    if action == "mark_duplicate":
        target = AppealFactory(enterprise=appeal.enterprise)
        return services.appeal_mark_duplicate(by=by, appeal=appeal, target=target)
    if action == "join":
        return services.appeal_join(by=by, appeal=appeal, note="我公司也有同样问题")
    if action == "mark_common":
        other = AppealFactory(enterprise=appeal.enterprise)
        return services.appeal_mark_common(by=by, appeals=[appeal, other], title="老厂房确权难")
    if action == "analyse":
        return services.appeal_analyse(by=by, appeal=appeal, cause="历史遗留问题")
    raise AssertionError(action)


# --- The table ------------------------------------------------------------------------------


def test_the_table_is_the_workflow_of_the_issue() -> None:
    active = {S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}
    running = {S.SUBMITTED, S.ACCEPTED, *active}
    expected = {
        "accept": ({S.SUBMITTED}, S.ACCEPTED, "dispatcher"),
        "return": ({S.SUBMITTED, S.ACCEPTED}, S.RETURNED, "dispatcher"),
        "assign": ({S.ACCEPTED}, S.ASSIGNED, "dispatcher"),
        "dispute": ({S.ASSIGNED}, S.ACCEPTED, "lead"),
        "progress": (active, S.IN_PROGRESS, "lead"),
        "contribute": (active, None, "co"),
        "reply": (active, S.REPLIED, "lead"),
        "extend_request": (active, None, "lead"),
        "extend_decide": (active, None, "dispatcher"),
        "rate": ({S.REPLIED}, S.CLOSED, "enterprise"),
        "auto_rate": ({S.REPLIED}, S.CLOSED, "system"),
        "supervise": (running | {S.REPLIED}, None, "leader"),
        "mark_duplicate": ({S.SUBMITTED, S.ACCEPTED}, S.CLOSED, "dispatcher"),
        "join": (running | {S.REPLIED}, None, "enterprise"),
        "mark_common": (running | {S.REPLIED, S.CLOSED}, None, "dispatcher"),
        "analyse": (active | {S.REPLIED}, None, "lead"),
    }

    table = {a: (set(t.sources), t.target, t.who) for a, t in services.TRANSITIONS.items()}

    assert table == expected


def test_every_action_of_the_table_is_tested_here() -> None:
    assert set(services.TRANSITIONS) == {*RIGHT_ACTOR, "auto_rate"}  # auto_rate: test_appeals_tick


# --- Every transition -----------------------------------------------------------------------

HAPPY = [
    ("accept", "submitted", S.ACCEPTED),
    ("return", "submitted", S.RETURNED),
    ("return", "accepted", S.RETURNED),
    ("assign", "accepted", S.ASSIGNED),
    ("dispute", "assigned", S.ACCEPTED),
    ("progress", "assigned", S.IN_PROGRESS),
    ("progress", "in_progress", S.IN_PROGRESS),
    ("progress", "reopened", S.IN_PROGRESS),
    ("contribute", "assigned", S.ASSIGNED),
    ("contribute", "in_progress", S.IN_PROGRESS),
    ("contribute", "reopened", S.REOPENED),
    ("reply", "assigned", S.REPLIED),
    ("reply", "in_progress", S.REPLIED),
    ("reply", "reopened", S.REPLIED),
    ("extend_request", "assigned", S.ASSIGNED),
    ("extend_request", "in_progress", S.IN_PROGRESS),
    ("rate", "replied", S.CLOSED),
    ("supervise", "submitted", S.SUBMITTED),
    ("supervise", "accepted", S.ACCEPTED),
    ("supervise", "in_progress", S.IN_PROGRESS),
    ("supervise", "replied", S.REPLIED),
    ("mark_duplicate", "submitted", S.CLOSED),
    ("mark_duplicate", "accepted", S.CLOSED),
    ("join", "submitted", S.SUBMITTED),
    ("join", "replied", S.REPLIED),
    ("mark_common", "submitted", S.SUBMITTED),
    ("mark_common", "closed", S.CLOSED),
    ("analyse", "in_progress", S.IN_PROGRESS),
    ("analyse", "replied", S.REPLIED),
]


@pytest.mark.parametrize(
    ("action", "source", "target"), HAPPY, ids=[f"{a}-from-{s}" for a, s, _t in HAPPY]
)
def test_each_transition_moves_the_appeal_and_writes_an_event_and_an_audit_record(
    request, flow, action, source, target
) -> None:
    appeal = flow.at(source)
    who = request.getfixturevalue(RIGHT_ACTOR[action])
    before = AuditEvent.objects.filter(action=f"appeal.{action}", object_id=str(appeal.pk)).count()

    act(action, appeal, who)

    appeal.refresh_from_db()
    assert appeal.status == target
    event = AppealEvent.objects.filter(appeal=appeal).order_by("-id").first()
    assert (event.action, event.from_status, event.to_status) == (action, source, target)
    assert event.actor == who
    assert event.department_id == who.department_id
    audited = AuditEvent.objects.filter(action=f"appeal.{action}", object_id=str(appeal.pk))
    assert audited.count() == before + 1
    assert audited.order_by("-id").first().changes["status"] == [source, target]


def test_a_decided_extension_writes_its_event_and_audit_record(flow, jxj_clerk) -> None:
    appeal = flow.in_progress()
    act("extend_request", appeal, flow.lead)

    act("extend_decide", appeal, jxj_clerk)

    event = appeal.events.order_by("-id").first()
    assert (event.action, event.actor) == ("extend_approve", jxj_clerk)
    assert AuditEvent.objects.filter(action="appeal.extend_approve", object_id=str(appeal.pk))


def test_the_timeline_tells_the_whole_story_in_order(flow) -> None:
    appeal = flow.closed()

    steps = [(e.action, e.from_status, e.to_status) for e in appeal.events.order_by("at", "id")]

    assert steps == [
        ("submit", "", "submitted"),
        ("accept", "submitted", "accepted"),
        ("assign", "accepted", "assigned"),
        ("progress", "assigned", "in_progress"),
        ("reply", "in_progress", "replied"),
        ("rate", "replied", "closed"),
    ]


# --- Refusals: the wrong state --------------------------------------------------------------

ALL_STATES = [s.value for s in S]
WRONG_STATE = [
    (action, state)
    for action, rule in services.TRANSITIONS.items()
    if action != "auto_rate"
    for state in ALL_STATES
    if state not in rule.sources
]


@pytest.mark.parametrize(
    ("action", "state"), WRONG_STATE, ids=[f"{a}-when-{s}" for a, s in WRONG_STATE]
)
def test_an_action_the_state_does_not_allow_is_refused_in_chinese(
    request, flow, action, state
) -> None:
    appeal = set_status(flow.assigned(), state)
    who = request.getfixturevalue(RIGHT_ACTOR[action])
    events = AppealEvent.objects.filter(appeal=appeal).count()

    with pytest.raises(services.TransitionError) as refused:
        act(action, appeal, who)

    message = str(refused.value)
    assert is_chinese(message)
    if action != "join":
        assert status_label(state) in message
    appeal.refresh_from_db()
    assert appeal.status == state
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_the_refusal_message_is_the_translated_one(flow, leader) -> None:
    appeal = flow.accepted()

    with pytest.raises(services.TransitionError) as refused:
        services.appeal_accept(by=leader, appeal=appeal)

    expected = zh("This cannot be done now: the appeal is %(status)s.") % {
        "status": status_label("accepted")
    }
    assert str(refused.value) == expected


# --- Refusals: the wrong actor --------------------------------------------------------------

WRONG_ACTOR = [
    ("accept", "submitted", "zrj_clerk"),  # a department that is not the service centre
    ("accept", "submitted", "licun_clerk"),
    ("accept", "submitted", "enterprise_user"),
    ("return", "submitted", "zjj_clerk"),
    ("assign", "accepted", "zrj_clerk"),
    ("assign", "accepted", "licun_clerk"),
    ("dispute", "assigned", "zjj_clerk"),  # co-handling may not dispute
    ("dispute", "assigned", "jxj_clerk"),  # the dispatcher is not the lead
    ("progress", "assigned", "zjj_clerk"),
    ("progress", "assigned", "licun_clerk"),
    ("contribute", "assigned", "zrj_clerk"),  # the lead does not send itself a part
    ("contribute", "assigned", "jxj_clerk"),
    ("reply", "in_progress", "zjj_clerk"),  # the lead gives the one reply
    ("reply", "in_progress", "jxj_clerk"),
    ("reply", "in_progress", "leader"),
    ("extend_request", "in_progress", "zjj_clerk"),
    ("extend_request", "in_progress", "jxj_clerk"),
    ("rate", "replied", "leader"),
    ("rate", "replied", "zrj_clerk"),
    ("rate", "replied", "ruifeng_user"),  # another enterprise
    ("supervise", "assigned", "jxj_clerk"),  # a dispatcher, but not a district leader
    ("supervise", "assigned", "zrj_clerk"),
    ("supervise", "assigned", "enterprise_user"),
    ("mark_duplicate", "submitted", "zrj_clerk"),
    ("mark_duplicate", "submitted", "enterprise_user"),
    ("join", "submitted", "licun_clerk"),  # only an enterprise adds its case
    ("mark_common", "submitted", "zrj_clerk"),
    ("analyse", "in_progress", "zjj_clerk"),
    ("analyse", "in_progress", "enterprise_user"),
]


@pytest.mark.parametrize(
    ("action", "state", "who"),
    WRONG_ACTOR,
    ids=[f"{a}-by-{w}" for a, _s, w in WRONG_ACTOR],
)
def test_an_action_by_the_wrong_actor_is_denied(request, flow, action, state, who) -> None:
    appeal = flow.at(state)
    events = AppealEvent.objects.filter(appeal=appeal).count()

    with pytest.raises(PermissionDenied):
        act(action, appeal, request.getfixturevalue(who))

    appeal.refresh_from_db()
    assert appeal.status == state
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_an_extension_is_decided_by_a_dispatcher_not_by_the_department(flow) -> None:
    appeal = flow.in_progress()
    act("extend_request", appeal, flow.lead)

    with pytest.raises(PermissionDenied):
        services.appeal_extend_decide(by=flow.lead, appeal=appeal, approve=True)


def test_a_leader_and_the_service_centre_may_both_dispatch(flow, jxj_clerk, leader) -> None:
    first, second = flow.submitted(), flow.submitted(title="另一处厂房的房产证")

    services.appeal_accept(by=leader, appeal=first)
    services.appeal_accept(by=jxj_clerk, appeal=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == S.ACCEPTED


def test_a_department_that_stops_being_the_service_centre_stops_dispatching(
    flow, jxj_clerk
) -> None:
    appeal = flow.submitted()
    jxj = jxj_clerk.department
    jxj.is_service_centre = False
    jxj.save()
    jxj_clerk.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.appeal_accept(by=jxj_clerk, appeal=appeal)


def test_the_demo_service_centre_is_the_economy_and_information_bureau(jxj_clerk) -> None:
    assert jxj_clerk.department.name == "区经济和信息化局"
    assert jxj_clerk.department.is_service_centre is True
    assert department("zrj").is_service_centre is False


def test_a_leader_of_another_district_can_neither_dispatch_nor_supervise(outsider, tianlu) -> None:
    appeal = AppealFactory(enterprise=tianlu)

    with pytest.raises(PermissionDenied):
        services.appeal_accept(by=outsider, appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(by=outsider, appeal=appeal, note="督办")

    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED
    assert not appeal.supervised


def test_the_enterprise_is_told_in_chinese_that_its_appeal_was_accepted(
    leader, tianlu, enterprise_user
) -> None:
    from qifu.notices.models import Notification

    appeal = AppealFactory(enterprise=tianlu)
    services.appeal_accept(by=leader, appeal=appeal)

    note = Notification.objects.get(user=enterprise_user, title__startswith=appeal.number)
    assert note.title == f"{appeal.number} 已受理"
