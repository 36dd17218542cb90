"""Extensions (延期): the lead department asks once with a reason; a dispatcher decides; the
deadline moves by working days; 30 working days in all at most."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import services
from qifu.appeals.models import Appeal, Extension, ExtensionStatus, TimeLimits
from qifu.appeals.tests.conftest import frozen
from qifu.core.tests.helpers import is_chinese
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db


def ask(flow, appeal, days: int = 5, reason: str = "需要委托测绘单位测量") -> Extension:
    return services.appeal_extend_request(
        by=flow.lead, appeal=appeal, working_days=days, reason=reason
    )


def with_deadline(appeal: Appeal, day: dt.date, **fields) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(deadline=day, **fields)
    appeal.refresh_from_db()
    return appeal


def test_the_lead_asks_with_a_reason_and_the_service_centre_is_told(flow, jxj_clerk) -> None:
    appeal = flow.in_progress()

    extension = ask(flow, appeal)

    assert (extension.status, extension.working_days) == (ExtensionStatus.PENDING, 5)
    told = Notification.objects.filter(body="需要委托测绘单位测量")
    assert set(told.values_list("user", flat=True)) == {jxj_clerk.pk}
    appeal.refresh_from_db()
    assert appeal.extension_days == 0  # nothing moves until it is approved


def test_an_extension_needs_a_reason(flow) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(flow, flow.in_progress(), reason="")

    assert "reason" in refused.value.message_dict


@pytest.mark.parametrize("who", ["leader", "jxj_clerk"])
def test_a_dispatcher_approves_and_the_deadline_moves_by_working_days(flow, request, who) -> None:
    appeal = with_deadline(flow.in_progress(), dt.date(2026, 2, 13))
    ask(flow, appeal, days=5)

    with frozen("2026-02-10 10:00"):
        appeal = services.appeal_extend_decide(
            by=request.getfixturevalue(who), appeal=appeal, approve=True
        )

    # 02-14 (worked Saturday), then 02-24..02-27 after the Spring Festival
    assert appeal.deadline == dt.date(2026, 2, 27)
    assert appeal.extension_days == 5
    assert Extension.objects.get().status == ExtensionStatus.APPROVED
    assert appeal.events.order_by("-id").first().action == "extend_approve"
    assert Notification.objects.filter(user=flow.lead, title__contains=appeal.number).exists()


def test_a_refused_extension_leaves_the_deadline(flow) -> None:
    appeal = flow.in_progress()
    deadline = appeal.deadline
    ask(flow, appeal)

    appeal = services.appeal_extend_decide(
        by=flow.leader, appeal=appeal, approve=False, note="请按期办结"
    )

    assert (appeal.deadline, appeal.extension_days) == (deadline, 0)
    assert Extension.objects.get().status == ExtensionStatus.REFUSED
    assert appeal.events.order_by("-id").first().action == "extend_refuse"


@pytest.mark.parametrize("decision", [True, False])
def test_an_extension_is_asked_for_once_only(flow, decision) -> None:
    appeal = flow.in_progress()
    ask(flow, appeal, days=3)
    services.appeal_extend_decide(by=flow.leader, appeal=appeal, approve=decision)

    with pytest.raises(services.TransitionError) as refused:
        ask(flow, appeal, days=3)

    assert is_chinese(str(refused.value))
    assert Extension.objects.count() == 1


def test_a_second_request_while_the_first_waits_is_refused(flow) -> None:
    appeal = flow.in_progress()
    ask(flow, appeal)

    with pytest.raises(services.TransitionError):
        ask(flow, appeal)


def test_30_working_days_may_be_asked_for_but_not_31(flow) -> None:
    long, longer = flow.in_progress(), flow.in_progress()

    ask(flow, long, days=30)
    with pytest.raises(ValidationError) as refused:
        ask(flow, longer, days=31)

    assert "working_days" in refused.value.message_dict
    assert is_chinese(refused.value.message_dict["working_days"][0])


def test_the_total_counts_days_already_granted(flow) -> None:
    appeal = flow.in_progress()
    Appeal.objects.filter(pk=appeal.pk).update(extension_days=25)

    with pytest.raises(ValidationError):
        ask(flow, appeal, days=6)


def test_the_limit_is_the_one_the_admin_set(flow) -> None:
    TimeLimits.objects.update(max_extension_days=10)

    with pytest.raises(ValidationError) as refused:
        ask(flow, flow.in_progress(), days=11)

    assert "10" in refused.value.message_dict["working_days"][0]


@pytest.mark.parametrize("days", [0, -3])
def test_no_or_negative_days_are_refused(flow, days) -> None:
    with pytest.raises(ValidationError):
        ask(flow, flow.in_progress(), days=days)


def test_there_is_nothing_to_decide_without_a_request(flow) -> None:
    with pytest.raises(services.TransitionError):
        services.appeal_extend_decide(by=flow.leader, appeal=flow.in_progress(), approve=True)


def test_the_department_cannot_approve_its_own_request(flow) -> None:
    appeal = flow.in_progress()
    ask(flow, appeal)

    with pytest.raises(PermissionDenied):
        services.appeal_extend_decide(by=flow.lead, appeal=appeal, approve=True)


def test_an_overdue_appeal_extended_past_today_is_no_longer_overdue(flow) -> None:
    appeal = with_deadline(flow.in_progress(), dt.date(2026, 3, 2), overdue=True)
    ask(flow, appeal, days=10)

    with frozen("2026-03-04 09:00"):
        appeal = services.appeal_extend_decide(by=flow.leader, appeal=appeal, approve=True)

    assert appeal.deadline == dt.date(2026, 3, 16)
    assert appeal.overdue is False


def test_an_extension_into_2027_makes_the_deadline_provisional(flow) -> None:
    appeal = with_deadline(flow.in_progress(), dt.date(2026, 12, 24))
    ask(flow, appeal, days=10)

    with frozen("2026-12-20 09:00"):
        appeal = services.appeal_extend_decide(by=flow.leader, appeal=appeal, approve=True)

    assert appeal.deadline.year == 2027
    assert appeal.deadline_provisional is True
