"""services.appeals_tick (`manage.py appeals_tick`, the Celery beat task): idempotent. It marks
overdue appeals once and tells their department and the leaders, reminds enterprises to rate
once, and rates as satisfied what is not rated within 5 working days."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from qifu.appeals import services, tasks
from qifu.appeals.models import Appeal, AppealEvent, Satisfaction, Status
from qifu.appeals.tests.conftest import frozen
from qifu.core.tests.helpers import is_chinese, zh
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db

D = dt.date


def update(appeal: Appeal, **fields) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(**fields)
    appeal.refresh_from_db()
    return appeal


def told(user, appeal, what: str) -> int:
    return Notification.objects.filter(user=user, title=f"{appeal.number} {zh(what)}").count()


# --- Overdue --------------------------------------------------------------------------------


def test_an_appeal_past_its_deadline_is_marked_overdue_once(flow, jxj_clerk) -> None:
    appeal = update(flow.in_progress(), deadline=D(2026, 3, 9))

    first = services.appeals_tick(today=D(2026, 3, 10))
    second = services.appeals_tick(today=D(2026, 3, 10))
    third = services.appeals_tick(today=D(2026, 3, 11))

    appeal.refresh_from_db()
    assert appeal.overdue is True
    assert appeal.status == Status.IN_PROGRESS
    assert (first["overdue"], second["overdue"], third["overdue"]) == (1, 0, 0)
    assert appeal.events.filter(action="overdue").count() == 1
    assert appeal.events.get(action="overdue").actor is None  # the system
    # the department and the leader are told once; the service centre is not its handler
    assert told(flow.lead, appeal, "overdue") == 1
    assert told(flow.leader, appeal, "overdue") == 1
    assert told(jxj_clerk, appeal, "overdue") == 0


def test_an_appeal_due_today_is_not_overdue_yet(flow) -> None:
    appeal = update(flow.assigned(), deadline=D(2026, 3, 10))

    assert services.appeals_tick(today=D(2026, 3, 10))["overdue"] == 0
    appeal.refresh_from_db()
    assert appeal.overdue is False


def test_an_appeal_not_accepted_in_time_is_overdue_and_the_dispatchers_are_told(
    flow, jxj_clerk
) -> None:
    appeal = update(flow.submitted(), accept_deadline=D(2026, 3, 3))

    services.appeals_tick(today=D(2026, 3, 4))

    appeal.refresh_from_db()
    assert appeal.overdue is True
    assert told(jxj_clerk, appeal, "overdue") == 1
    assert told(flow.leader, appeal, "overdue") == 1  # once, though a dispatcher and a leader


def test_replied_closed_and_returned_appeals_are_never_overdue(flow) -> None:
    past = D(2026, 1, 5)
    appeals = [
        update(flow.replied(), deadline=past),
        update(flow.closed(), deadline=past),
        update(flow.returned(), accept_deadline=past),
    ]

    services.appeals_tick(today=D(2026, 3, 10))

    assert not Appeal.objects.filter(pk__in=[a.pk for a in appeals], overdue=True).exists()


def test_the_overdue_appeal_waits_in_the_overdue_inboxes(client, flow, licun_clerk) -> None:
    appeal = update(flow.in_progress(), deadline=D(2026, 3, 9))
    services.appeals_tick(today=D(2026, 3, 10))

    for user in (flow.leader, flow.lead, licun_clerk):
        client.force_login(user)
        html = client.get("/appeals/inbox/").content.decode()
        overdue = html.split('data-testid="inbox-overdue"')[1].split("</section>")[0]
        assert appeal.number in overdue, user.username


# --- Rating reminders and rating by default -------------------------------------------------


def test_the_enterprise_is_reminded_to_rate_once_the_day_before_the_limit(flow) -> None:
    with frozen("2026-03-02 10:00"):
        appeal = flow.replied()
    assert appeal.rate_deadline == D(2026, 3, 9)  # 5 working days

    counts = [services.appeals_tick(today=D(2026, 3, day))["reminded"] for day in (5, 6, 6, 9)]

    assert counts == [0, 1, 0, 0]
    assert told(flow.enterprise_user, appeal, "please rate the reply") == 1
    assert appeal.events.filter(action="rate_reminder").count() == 1


def test_an_appeal_not_rated_within_5_working_days_is_rated_satisfied_by_default(flow) -> None:
    with frozen("2026-03-02 10:00"):
        appeal = flow.replied()

    on_the_day = services.appeals_tick(today=D(2026, 3, 9))
    after = services.appeals_tick(today=D(2026, 3, 10))
    again = services.appeals_tick(today=D(2026, 3, 11))

    appeal.refresh_from_db()
    assert (on_the_day["auto_rated"], after["auto_rated"], again["auto_rated"]) == (0, 1, 0)
    assert appeal.status == Status.CLOSED
    assert appeal.satisfaction == Satisfaction.SATISFIED
    assert appeal.auto_rated is True
    assert appeal.resolved is True
    assert is_chinese(appeal.rating_comment)
    event = appeal.events.order_by("-id").first()
    assert (event.action, event.actor, event.to_status) == ("auto_rate", None, "closed")


def test_the_default_rating_counts_working_days_across_the_spring_festival(flow) -> None:
    with frozen("2026-02-13 16:00"):
        appeal = flow.replied()

    # 02-14 (worked Saturday), 02-24, 02-25, 02-26, 02-27
    assert appeal.rate_deadline == D(2026, 2, 27)
    assert services.appeals_tick(today=D(2026, 2, 23))["auto_rated"] == 0
    assert services.appeals_tick(today=D(2026, 2, 28))["auto_rated"] == 1


def test_an_appeal_rated_in_time_is_left_alone(flow) -> None:
    with frozen("2026-03-02 10:00"):
        appeal = flow.closed()

    counts = services.appeals_tick(today=D(2026, 3, 20))

    assert counts == {"overdue": 0, "reminded": 0, "auto_rated": 0}
    appeal.refresh_from_db()
    assert appeal.auto_rated is False


# --- How it runs ----------------------------------------------------------------------------


def test_the_command_reports_what_it_did_and_a_second_run_does_nothing(flow) -> None:
    update(flow.in_progress(), deadline=D(2020, 1, 6))
    events = AppealEvent.objects.count

    first, second = io.StringIO(), io.StringIO()
    call_command("appeals_tick", stdout=first)
    after_first = events()
    call_command("appeals_tick", stdout=second)

    assert "overdue 1" in first.getvalue()
    assert "overdue 0, reminded 0, rated by default 0" in second.getvalue()
    assert events() == after_first


def test_the_beat_task_runs_the_same_tick(flow) -> None:
    update(flow.in_progress(), deadline=D(2020, 1, 6))

    result = tasks.appeals_tick.delay()

    assert result.get() == {"overdue": 1, "reminded": 0, "auto_rated": 0}


def test_a_reply_given_again_after_reopening_is_reminded_again(flow) -> None:
    with frozen("2026-03-02 10:00"):
        appeal = flow.replied()
    with frozen("2026-03-06 08:00"):
        services.appeals_tick()
    with frozen("2026-03-06 11:00"):
        appeal = services.appeal_rate(
            by=flow.enterprise_user, appeal=appeal, satisfaction="dissatisfied"
        )
    with frozen("2026-03-10 10:00"):
        appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已重新办理")
    assert appeal.rate_deadline == D(2026, 3, 17)

    with frozen("2026-03-16 08:00"):
        counts = services.appeals_tick()

    assert counts["reminded"] == 1
    assert told(flow.enterprise_user, appeal, "please rate the reply") == 2
