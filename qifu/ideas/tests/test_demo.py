"""The demo's golden ideas: forty ideas of the public over the last ten months, in every state, in
the three zones and for the whole district, on every topic, answered by the departments' demo
accounts and approved by `leader`, adopted ones with progress, supports; work waiting for `leader`
and `jxj`; built through the services, dated in the past; a second build adds nothing."""

from __future__ import annotations

import datetime as dt
import inspect
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from qifu.accounts.models import User
from qifu.appeals import demo as appeals_demo
from qifu.audit.models import AuditEvent
from qifu.core import demo as core_demo
from qifu.ideas import demo, selectors, services
from qifu.ideas.models import (
    AnswerStatus,
    BlockedSender,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Outcome,
    Progress,
    Report,
    Status,
    Support,
    Topic,
)
from qifu.notices.models import Notification, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Idea,
            IdeaEvent,
            IdeaAnswer,
            Support,
            Report,
            Progress,
            BlockedSender,
            AuditEvent,
            OutboxMessage,
            Notification,
        )
    )


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """What runs before the ideas in `qifu.core.demo.build` and matters to them (the accounts of
    the core demo and the departments' staff of the appeals demo), then the ideas demo twice;
    built once for the module and rolled back after it."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        core_demo.build_accounts()
        appeals_demo.build_staff()
        made = demo.build()
        first = _counts()
        again = demo.build()
        yield {"made": made, "first": first, "again": again, "second": _counts()}
        transaction.set_rollback(True)


def _ideas() -> Any:
    return Idea.objects.filter(client_token__startswith=demo.PREFIX)


def test_the_demo_builds_forty_ideas_and_a_second_build_adds_nothing(built) -> None:
    assert built["made"]["ideas"] == len(demo.IDEAS) == 40
    assert built["made"]["total"] == 40
    assert (built["again"]["ideas"], built["again"]["supports"]) == (0, 0)
    assert built["second"] == built["first"]


def test_the_ideas_are_in_every_state(built) -> None:
    statuses = Counter(_ideas().values_list("status", flat=True))

    assert set(statuses) == set(Status.values)
    assert statuses[Status.ADOPTED] >= 8
    assert statuses[Status.DECLINED] >= 3
    assert statuses[Status.DUPLICATE] >= 2
    assert statuses[Status.WITHDRAWN] >= 2
    # two hidden after three reports from the public, waiting for review
    hidden = _ideas().filter(hidden=True)
    assert hidden.count() == 2
    assert all(
        i.open_reports == 3 and i.status in (Status.PUBLISHED, Status.EVALUATING) for i in hidden
    )
    assert all(i.events.filter(action="hidden_by_reports").exists() for i in hidden)
    # and one restored after review
    assert IdeaEvent.objects.filter(idea__in=_ideas(), action="restore").exists()


def test_the_ideas_cover_the_three_zones_the_whole_district_and_every_topic(built) -> None:
    zones = set(_ideas().values_list("zone__code", flat=True))
    assert zones == {"east", "central", "west", None}
    assert set(_ideas().values_list("topic", flat=True)) == set(Topic.values)
    public = _ideas().filter(status__in=[Status.PUBLISHED, Status.ADOPTED], hidden=False)
    assert {i.zone.code if i.zone else None for i in public} == zones


def test_adopted_ideas_have_a_plan_a_due_date_and_progress(built) -> None:
    adopted = list(_ideas().filter(status=Status.ADOPTED).prefetch_related("progress"))

    for idea in adopted:
        assert idea.adoption_plan and idea.answer_text and idea.answered_by
        # the due date was not in the past when the idea was adopted
        assert idea.adoption_due >= timezone.localdate(idea.decided_at)
        assert idea.progress.all()
    done = [i for i in adopted if any(p.done for p in i.progress.all())]
    assert 0 < len(done) < len(adopted)
    today = timezone.localdate()
    assert not Progress.objects.filter(idea__in=_ideas(), on__gt=today).exists()
    # adopted at once by the leader, or on the department's answer
    assert any(i.department_id is None for i in adopted)


def test_not_adopted_and_not_published_ideas_have_their_reasons(built) -> None:
    for idea in _ideas().filter(status=Status.DECLINED):
        assert idea.answer_text and idea.decided_at
    for idea in _ideas().filter(status=Status.NOT_PUBLISHED):
        assert idea.rejection_reason
        assert OutboxMessage.objects.filter(
            recipient=idea.contact, body__contains=idea.rejection_reason
        ).exists()
    for idea in _ideas().filter(status=Status.DUPLICATE):
        assert idea.duplicate_of.is_public
    assert BlockedSender.objects.filter(reason__contains="广告").exists()


def test_the_ideas_have_supports_from_none_to_forty(built) -> None:
    counts = [i.support_count for i in _ideas()]

    assert min(counts) == 0
    assert max(counts) == 40
    assert len(set(counts)) > 20
    assert sum(counts) == Support.objects.filter(idea__in=_ideas()).count() > 400
    assert all(i.support_count == i.n for i in _ideas().annotate(n=Count("supports")))
    # never on an idea the public could not see when it was supported
    assert not Support.objects.filter(
        idea__status__in=[Status.SUBMITTED, Status.NOT_PUBLISHED]
    ).exists()


def test_answers_are_drafted_by_the_departments_and_approved_by_the_leader(built) -> None:
    answers = IdeaAnswer.objects.filter(idea__in=_ideas()).select_related(
        "drafted_by", "decided_by", "department"
    )
    clerks = set(demo.CLERKS.values())

    assert len({a.department.code for a in answers}) >= 8
    for answer in answers:
        assert answer.drafted_by.username in clerks
        assert answer.drafted_by.department_id == answer.department_id
        if answer.status == AnswerStatus.APPROVED:
            assert answer.decided_by.username == "leader"
    assert {a.outcome for a in answers if a.status == AnswerStatus.APPROVED} == set(Outcome.values)
    approved = _ideas().exclude(answered_by=None)
    assert set(approved.values_list("answered_by__username", flat=True)) == {"leader"}


def test_work_waits_for_the_leader_and_for_jxj(built) -> None:
    leader = User.objects.get(username="leader")
    jxj = User.objects.get(username="jxj")
    today = timezone.localdate()

    queues = selectors.queue_counts(user=leader)
    assert queues["review"] >= 1 and queues["approval"] == 2 and queues["reports"] >= 2
    fresh = _ideas().filter(status=Status.SUBMITTED).order_by("-submitted_at").first()
    assert timezone.localdate(fresh.submitted_at) >= today - dt.timedelta(days=1)
    # 经信局 has an idea to answer, with no answer drafted yet
    waiting = selectors.ideas_for_user(user=jxj).filter(status=Status.EVALUATING, answers=None)
    assert waiting.count() == 1
    # one answer returned to its department, not drafted again yet
    returned = _ideas().filter(answers__status=AnswerStatus.RETURNED, status=Status.EVALUATING)
    assert any(not i.answers.filter(status=AnswerStatus.PENDING).exists() for i in returned)
    # the leader's bell: what came in this week is unread, older notices are read
    unread = Notification.objects.filter(user=leader, read_at=None)
    assert unread.exists()
    assert not unread.filter(created_at__lt=timezone.now() - dt.timedelta(days=8)).exists()


def test_everything_happened_in_the_past_over_ten_months(built) -> None:
    now = timezone.now()
    ideas = list(_ideas())
    first = min(i.submitted_at for i in ideas)

    assert now - dt.timedelta(days=310) < first < now - dt.timedelta(days=250)
    assert max(i.submitted_at for i in ideas) < now
    events = IdeaEvent.objects.filter(idea__in=ideas)
    assert not events.filter(at__gt=now).exists()
    assert not Support.objects.filter(created_at__gt=now).exists()
    assert not AuditEvent.objects.filter(created_at__gt=now).exists()
    for idea in ideas:
        timeline = list(idea.events.order_by("at", "id"))
        assert timeline[0].action == "submit"
        assert timeline[0].at == idea.submitted_at
        if idea.published_at:
            assert idea.published_at > idea.submitted_at
    # the audit trail was written at the same moments
    idea = next(i for i in ideas if i.status == Status.ADOPTED)
    audit = AuditEvent.objects.get(action="idea.submit", object_id=str(idea.pk))
    assert audit.created_at == idea.submitted_at


def test_answers_took_five_to_forty_days(built) -> None:
    answered = _ideas().exclude(answered_at=None)

    days = [(i.answered_at - i.submitted_at).days for i in answered]

    assert len(days) >= 15
    assert all(5 <= d <= 40 for d in days)
    stats = selectors.idea_stats(
        ideas=selectors.public_ideas(district=answered[0].district), district=answered[0].district
    )
    assert 10 <= stats["average_days_to_answer"] <= 30


def test_the_authors_messages_are_recorded_as_sent_when_written(built) -> None:
    contacts = set(_ideas().values_list("contact", flat=True))
    messages = OutboxMessage.objects.filter(recipient__in=contacts)

    assert messages.count() >= 80
    assert not messages.exclude(status=OutboxStatus.SENT).exists()
    assert all(m.sent_at == m.created_at < timezone.now() for m in messages)
    assert all(c.endswith("@example.com") for c in contacts if "@" in c)


def test_a_moderators_edit_removed_a_phone_number_and_kept_the_original(built) -> None:
    event = IdeaEvent.objects.get(idea__in=_ideas(), action="edit")
    assert "13500001234" in event.data["before"]["body"]
    assert "13500001234" not in event.idea.body


def test_the_summary_gives_the_tracking_code_of_the_newest_idea(built) -> None:
    code = built["made"]["code"]
    idea = selectors.idea_by_tracking_code(code=code)

    assert idea.status == Status.SUBMITTED
    assert code == services.tracking_code_for(idea.client_token)
    assert built["made"]["to_approve"] == 2
    assert built["made"]["adopted"] == _ideas().filter(status=Status.ADOPTED).count()


def test_the_core_demo_builds_the_ideas_after_the_departments_staff() -> None:
    source = inspect.getsource(core_demo.build)

    assert source.index("build_accounts()") < source.index("ideas_demo.build()")
    assert source.index("appeal_demo.build()") < source.index("ideas_demo.build()")
