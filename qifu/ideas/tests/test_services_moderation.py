"""Moderation through the services: hiding and restoring (after reports too), edits that keep the
original text in the timeline, duplicates (a public idea of the same district, never itself, at
the end of a chain), and the block list of senders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.ideas import abuse, selectors, services
from qifu.ideas.models import (
    AnswerStatus,
    BlockedSender,
    BlockKind,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Report,
    Status,
)
from qifu.ideas.tests.conftest import idea_input, next_phone
from qifu.notices.models import OutboxMessage

pytestmark = pytest.mark.django_db


def fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def report_three_times(idea: Idea) -> Idea:
    for n in range(abuse.REPORTS_TO_HIDE):
        services.idea_report(idea=idea, contact=next_phone(), reason="广告", ip=f"10.5.0.{n}")
    return fresh(idea)


# --- hide and restore ---------------------------------------------------------------------------


def test_a_moderator_hides_an_idea_from_the_public_and_restores_it(make_idea, leader) -> None:
    idea = make_idea(Status.ADOPTED)
    public = selectors.public_ideas(district=idea.district)

    services.idea_hide(idea=idea, by=leader, reason="含有他人的个人信息")

    hidden = fresh(idea)
    assert (hidden.hidden, hidden.hidden_reason, hidden.status) == (
        True,
        "含有他人的个人信息",
        Status.ADOPTED,
    )
    assert not public.filter(pk=idea.pk).exists()
    with pytest.raises(services.TransitionError):
        services.idea_hide(idea=idea, by=leader, reason="再次隐藏")

    services.idea_restore(idea=idea, by=leader, note="已删除个人信息")

    restored = fresh(idea)
    assert (restored.hidden, restored.hidden_reason) == (False, "")
    assert public.filter(pk=idea.pk).exists()
    actions = IdeaEvent.objects.filter(idea=idea, action__in=["hide", "restore"])
    assert list(actions.values_list("action", "note")) == [
        ("hide", "含有他人的个人信息"),
        ("restore", "已删除个人信息"),
    ]


def test_hiding_needs_a_reason(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.idea_hide(idea=idea, by=leader, reason="")
    assert not fresh(idea).hidden


def test_restoring_after_three_reports_shows_the_idea_and_closes_the_reports(
    make_idea, leader
) -> None:
    idea = report_three_times(make_idea(Status.PUBLISHED))
    assert idea.hidden

    services.idea_restore(idea=idea, by=leader, note="举报不成立")

    idea = fresh(idea)
    assert (idea.hidden, idea.open_reports) == (False, 0)
    assert not Report.objects.filter(idea=idea, reviewed_at__isnull=True).exists()
    # new reports count from zero again
    services.idea_report(idea=idea, contact=next_phone(), reason="广告", ip="10.5.1.1")
    assert (fresh(idea).open_reports, fresh(idea).hidden) == (1, False)


def test_restoring_dismisses_the_reports_of_an_idea_still_shown(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    services.idea_report(idea=idea, contact=next_phone(), reason="广告", ip="10.5.2.1")

    services.idea_restore(idea=idea, by=leader)

    assert fresh(idea).open_reports == 0
    assert Report.objects.get(idea=idea).reviewed_at is not None


def test_restoring_an_idea_with_nothing_to_review_is_refused(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    with pytest.raises(services.TransitionError):
        services.idea_restore(idea=idea, by=leader)
    assert not IdeaEvent.objects.filter(idea=idea, action="restore").exists()


def test_hiding_closes_the_open_reports(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    services.idea_report(idea=idea, contact=next_phone(), reason="谩骂", ip="10.5.3.1")

    services.idea_hide(idea=idea, by=leader, reason="谩骂他人")

    idea = fresh(idea)
    assert (idea.hidden, idea.open_reports) == (True, 0)
    assert Report.objects.get(idea=idea).reviewed_at is not None


# --- edits --------------------------------------------------------------------------------------


def test_an_edit_keeps_the_original_text_in_the_timeline(make_idea, leader) -> None:
    idea = make_idea(Status.SUBMITTED, title="老厂房改造", body="请联系我13912345678，详谈。")

    services.idea_edit(
        idea=idea, by=leader, title="  老厂房  改造 ", body="详谈。", note="删除个人电话"
    )

    idea = fresh(idea)
    assert (idea.title, idea.body) == ("老厂房 改造", "详谈。")
    event = IdeaEvent.objects.get(idea=idea, action="edit")
    assert event.note == "删除个人电话"
    assert event.actor == leader
    assert event.data == {
        "before": {"title": "老厂房改造", "body": "请联系我13912345678，详谈。"},
        "after": {"title": "老厂房 改造", "body": "详谈。"},
    }
    assert AuditEvent.objects.filter(action="idea.edit", object_id=str(idea.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "", "body": "新正文", "note": "修改"}, "title"),
        ({"title": "长" * 61, "body": "新正文", "note": "修改"}, "title"),
        ({"title": "新标题", "body": " ", "note": "修改"}, "body"),
        ({"title": "新标题", "body": "新正文", "note": ""}, "note"),
        ({"title": "same", "body": "same", "note": "修改"}, "body"),  # nothing changed
    ],
)
def test_a_bad_edit_is_refused_with_nothing_changed(make_idea, leader, fields, field) -> None:
    idea = make_idea(Status.PUBLISHED)
    if fields["title"] == "same":
        fields = {**fields, "title": idea.title, "body": idea.body}

    with pytest.raises(ValidationError) as refused:
        services.idea_edit(idea=idea, by=leader, **fields)

    assert field in refused.value.message_dict
    after = fresh(idea)
    assert (after.title, after.body) == (idea.title, idea.body)
    assert not IdeaEvent.objects.filter(idea=idea, action="edit").exists()


# --- duplicates ---------------------------------------------------------------------------------


def test_a_duplicate_points_to_the_public_idea_and_the_author_is_told(make_idea, leader) -> None:
    target = make_idea(Status.ADOPTED, title="李村商圈建设立体停车楼")
    idea = make_idea(Status.SUBMITTED)

    services.idea_mark_duplicate(idea=idea, by=leader, target=target, note="同类建议")

    idea = fresh(idea)
    assert (idea.status, idea.duplicate_of) == (Status.DUPLICATE, target)
    assert idea.published_at is not None  # a duplicate is shown, pointing to its target
    assert IdeaEvent.objects.get(idea=idea, action="mark_duplicate").data == {"target": target.pk}
    message = OutboxMessage.objects.filter(recipient=idea.contact).latest("id")
    assert "李村商圈建设立体停车楼" in message.body


def test_a_duplicate_follows_the_chain_to_the_idea_it_repeats(make_idea, leader) -> None:
    original = make_idea(Status.PUBLISHED, title="原始建议")
    first = services.idea_mark_duplicate(
        idea=make_idea(Status.PUBLISHED), by=leader, target=original
    )
    second = make_idea(Status.SUBMITTED)

    services.idea_mark_duplicate(idea=second, by=leader, target=first)

    assert fresh(second).duplicate_of == original


def test_a_duplicate_supersedes_the_departments_pending_draft(make_idea, leader) -> None:
    target = make_idea(Status.PUBLISHED)
    idea = make_idea("answered")

    services.idea_mark_duplicate(idea=idea, by=leader, target=target)

    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.RETURNED


def test_an_idea_cannot_duplicate_itself(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)

    with pytest.raises(ValidationError) as refused:
        services.idea_mark_duplicate(idea=idea, by=leader, target=idea)

    assert "target" in refused.value.message_dict
    assert fresh(idea).status == Status.PUBLISHED


def test_a_chain_that_leads_back_to_the_idea_is_refused(make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    other = services.idea_mark_duplicate(idea=make_idea(Status.PUBLISHED), by=leader, target=idea)

    with pytest.raises(ValidationError):
        services.idea_mark_duplicate(idea=idea, by=leader, target=other)

    assert fresh(idea).status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.NOT_PUBLISHED, Status.WITHDRAWN])
def test_the_target_must_be_public(make_idea, leader, status) -> None:
    target = make_idea(status, client_token=f"target-{status}")
    idea = make_idea(Status.PUBLISHED)

    with pytest.raises(ValidationError):
        services.idea_mark_duplicate(idea=idea, by=leader, target=target)

    assert fresh(idea).status == Status.PUBLISHED


def test_the_target_must_be_of_the_same_district(make_idea, leader, laoshan, outsider) -> None:
    theirs = services.idea_submit(
        data=idea_input(), ip="10.5.4.1", district=laoshan, captcha_passed=True
    ).idea
    theirs = services.idea_publish(idea=theirs, by=outsider)
    idea = make_idea(Status.PUBLISHED)

    with pytest.raises(ValidationError):
        services.idea_mark_duplicate(idea=idea, by=leader, target=theirs)

    assert fresh(idea).duplicate_of is None


# --- the block list -----------------------------------------------------------------------------


@pytest.fixture
def blocked(make_idea, leader) -> tuple[Idea, str]:
    """An idea whose author (a known phone number) is blocked."""
    phone = next_phone()
    idea = make_idea(Status.PUBLISHED, contact=phone)
    services.sender_block(by=leader, idea=idea, reason="多次发布广告")
    return idea, phone


def test_a_block_keeps_the_sender_as_a_key_and_a_masked_label(blocked, leader) -> None:
    idea, phone = blocked
    block = BlockedSender.objects.get()
    assert (block.kind, block.key) == (BlockKind.CONTACT, idea.contact_key)
    assert phone not in block.label
    assert block.label.startswith(phone[:3]) and block.label.endswith(phone[-4:])
    assert block.created_by == leader
    assert IdeaEvent.objects.filter(idea=idea, action="block").exists()
    assert AuditEvent.objects.filter(action="idea_block.create", object_id=str(block.pk)).exists()


def test_a_blocked_contact_may_not_submit_support_or_report(
    blocked, district, make_idea, submit
) -> None:
    _idea, phone = blocked
    other = make_idea(Status.PUBLISHED)
    before = (Idea.objects.count(), other.supports.count(), other.reports.count())

    with pytest.raises(abuse.Blocked):
        services.idea_submit(
            data=idea_input(contact=phone, title="新的建议"),
            ip="10.5.5.1",
            district=district,
            captcha_passed=True,
        )
    with pytest.raises(abuse.Blocked):
        services.idea_support(idea=other, contact=phone, ip="10.5.5.2")
    with pytest.raises(abuse.Blocked):
        services.idea_report(idea=other, contact=phone, reason="广告", ip="10.5.5.3")

    assert (Idea.objects.count(), other.supports.count(), other.reports.count()) == before
    # anyone else still may
    services.idea_support(idea=other, contact=next_phone(), ip="10.5.5.2")


def test_unblocking_lets_the_sender_through_again(blocked, leader, district) -> None:
    _idea, phone = blocked
    block = BlockedSender.objects.get()
    pk = block.pk

    services.sender_unblock(by=leader, block=block)

    assert not BlockedSender.objects.exists()
    assert AuditEvent.objects.filter(action="idea_block.delete", object_id=str(pk)).exists()
    result = services.idea_submit(
        data=idea_input(contact=phone, title="新的建议"),
        ip="10.5.6.1",
        district=district,
        captcha_passed=True,
    )
    assert result.created


def test_a_block_that_has_expired_no_longer_blocks(blocked, district) -> None:
    _idea, phone = blocked
    today = timezone.localdate()
    data = idea_input(contact=phone, title="过期之后的建议")

    BlockedSender.objects.update(until=today)  # the last day of the block
    with pytest.raises(abuse.Blocked):
        services.idea_submit(data=data, ip="10.5.7.1", district=district, captcha_passed=True)

    BlockedSender.objects.update(until=today - dt.timedelta(days=1))
    assert services.idea_submit(
        data=data, ip="10.5.7.1", district=district, captcha_passed=True
    ).created


def test_a_block_of_the_network_address_blocks_other_contacts_from_it(
    make_idea, leader, district
) -> None:
    idea = make_idea(Status.PUBLISHED, ip="10.5.8.1")

    blocks = services.sender_block(by=leader, idea=idea, reason="刷单", network=True)

    assert {b.kind for b in blocks} == {BlockKind.CONTACT, BlockKind.IP}
    with pytest.raises(abuse.Blocked):
        services.idea_support(idea=make_idea(Status.PUBLISHED), contact=next_phone(), ip="10.5.8.1")
    services.idea_support(idea=make_idea(Status.PUBLISHED), contact=next_phone(), ip="10.5.8.2")


def test_a_block_elsewhere_does_not_block_here(make_idea, leader, laoshan, outsider) -> None:
    theirs = services.idea_submit(
        data=idea_input(), ip="10.5.9.1", district=laoshan, captcha_passed=True
    ).idea
    services.sender_block(by=outsider, idea=theirs, reason="广告")
    ours = make_idea(Status.PUBLISHED)

    services.idea_support(idea=ours, contact=theirs.contact, ip="10.5.9.2")

    assert fresh(ours).support_count == 1


@pytest.mark.parametrize("who", ["jxj_clerk", "licun_clerk", "enterprise_user", "outsider"])
def test_only_a_leader_of_the_district_blocks_and_unblocks(request, make_idea, leader, who) -> None:
    user = request.getfixturevalue(who)
    idea = make_idea(Status.EVALUATING)

    with pytest.raises(PermissionDenied):
        services.sender_block(by=user, idea=idea, reason="广告")
    assert not BlockedSender.objects.exists()

    block = services.sender_block(by=leader, idea=idea, reason="广告")[0]
    with pytest.raises(PermissionDenied):
        services.sender_unblock(by=user, block=block)
    assert BlockedSender.objects.filter(pk=block.pk).exists()


@pytest.mark.parametrize(("reason", "days"), [("", None), ("广告", -1)])
def test_a_block_needs_a_reason_and_an_end_not_in_the_past(make_idea, leader, reason, days):
    idea = make_idea(Status.PUBLISHED)
    until = timezone.localdate() + dt.timedelta(days=days) if days is not None else None

    with pytest.raises(ValidationError):
        services.sender_block(by=leader, idea=idea, reason=reason, until=until)

    assert not BlockedSender.objects.exists()
    assert not IdeaEvent.objects.filter(idea=idea, action="block").exists()
