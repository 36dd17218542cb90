"""Handling: progress notes, co-handling departments' parts, the cause of a problem (问题→分析),
and the lead department's one reply, which for a demand says how it was met (需求→满足)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.appeals import services
from qifu.appeals.models import Contribution, Fulfilment, Kind, Status
from qifu.appeals.tests.factories import category
from qifu.core import workdays
from qifu.core.tests.helpers import is_chinese, zh
from qifu.notices.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


# --- Assignment -----------------------------------------------------------------------------


def test_the_lead_and_co_handling_departments_are_told(flow) -> None:
    appeal = flow.assigned()

    assert any(t.startswith(appeal.number) for t in titles(flow.lead))
    assert any(t.startswith(appeal.number) for t in titles(flow.co))
    assert appeal.assigned_at is not None


def test_the_lead_is_not_also_a_co_handling_department(flow) -> None:
    appeal = services.appeal_assign(
        by=flow.leader,
        appeal=flow.accepted(),
        department=flow.lead.department,
        co_departments=[flow.lead.department, flow.co.department],
    )

    assert [d.code for d in appeal.co_departments.all()] == ["zjj"]


def test_an_appeal_is_assigned_within_its_own_district_only(flow, laoshan) -> None:
    from qifu.core.models import Department

    elsewhere = Department.objects.get(district=laoshan, code="jxj")

    with pytest.raises(ValidationError):
        services.appeal_assign(by=flow.leader, appeal=flow.accepted(), department=elsewhere)


def test_an_inactive_department_cannot_be_assigned(flow) -> None:
    zrj = flow.lead.department
    zrj.is_active = False
    zrj.save()

    with pytest.raises(ValidationError):
        services.appeal_assign(by=flow.leader, appeal=flow.accepted(), department=zrj)


# --- Progress and co-handling ---------------------------------------------------------------


def test_progress_is_recorded_and_counts_as_the_first_response(flow) -> None:
    appeal = services.appeal_progress(by=flow.lead, appeal=flow.assigned(), note="已约谈企业负责人")

    assert appeal.status == Status.IN_PROGRESS
    assert appeal.first_reply_at is not None
    assert appeal.events.order_by("-id").first().note == "已约谈企业负责人"


def test_an_empty_progress_note_is_refused(flow) -> None:
    with pytest.raises(ValidationError):
        services.appeal_progress(by=flow.lead, appeal=flow.assigned(), note="  ")


def test_a_co_handling_department_sends_its_part_to_the_lead(flow) -> None:
    appeal = flow.in_progress()
    before = len(titles(flow.lead))

    part = services.appeal_contribute(by=flow.co, appeal=appeal, text="该地块已纳入更新规划")

    assert (part.department.code, part.text, part.by) == ("zjj", "该地块已纳入更新规划", flow.co)
    assert len(titles(flow.lead)) == before + 1  # the lead department is told
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS  # a part is not a reply
    assert appeal.reply == ""


def test_several_parts_may_be_sent_and_the_lead_still_gives_the_one_reply(flow) -> None:
    appeal = flow.in_progress()
    services.appeal_contribute(by=flow.co, appeal=appeal, text="规划意见")
    services.appeal_contribute(by=flow.co, appeal=appeal, text="补充：已现场核实")

    appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="综合答复", cause="规划调整")

    assert Contribution.objects.filter(appeal=appeal).count() == 2
    assert appeal.status == Status.REPLIED
    assert appeal.reply == "综合答复"
    assert appeal.events.filter(action="reply").get().actor == flow.lead


def test_an_empty_part_is_refused(flow) -> None:
    with pytest.raises(ValidationError):
        services.appeal_contribute(by=flow.co, appeal=flow.in_progress(), text="")


# --- The reply ------------------------------------------------------------------------------


def test_a_problems_reply_requires_its_cause(flow) -> None:
    appeal = flow.in_progress()

    with pytest.raises(ValidationError) as refused:
        services.appeal_reply(by=flow.lead, appeal=appeal, reply="已办理")

    assert "cause" in refused.value.message_dict
    assert is_chinese(refused.value.message_dict["cause"][0])
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS


def test_a_cause_analysed_beforehand_is_enough_for_the_reply(flow) -> None:
    appeal = services.appeal_analyse(by=flow.lead, appeal=flow.in_progress(), cause="历史遗留")

    appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已办理")

    assert (appeal.status, appeal.cause) == (Status.REPLIED, "历史遗留")


def test_a_demands_reply_requires_how_and_whether_it_was_met(flow) -> None:
    appeal = flow.in_progress(kind=Kind.DEMAND, category=category("finance"))

    with pytest.raises(ValidationError) as refused:
        services.appeal_reply(by=flow.lead, appeal=appeal, reply="已对接")

    assert set(refused.value.message_dict) == {"fulfilment", "met"}
    with pytest.raises(ValidationError) as half:
        services.appeal_reply(by=flow.lead, appeal=appeal, reply="已对接", fulfilment="financing")
    assert set(half.value.message_dict) == {"met"}


def test_a_demands_reply_records_how_it_was_met(flow) -> None:
    appeal = flow.in_progress(kind=Kind.DEMAND, category=category("labour"))

    appeal = services.appeal_reply(
        by=flow.lead, appeal=appeal, reply="已推荐三名技工", fulfilment="recruitment", met=False
    )

    assert (appeal.fulfilment, appeal.met) == (Fulfilment.RECRUITMENT, False)
    assert appeal.status == Status.REPLIED


def test_an_empty_reply_is_refused(flow) -> None:
    with pytest.raises(ValidationError) as refused:
        services.appeal_reply(by=flow.lead, appeal=flow.in_progress(), reply=" ", cause="x")

    assert "reply" in refused.value.message_dict


def test_the_reply_asks_the_enterprise_to_rate_within_5_working_days(flow) -> None:
    appeal = flow.replied()

    replied_on = timezone.localdate(appeal.replied_at)
    assert appeal.rate_deadline == workdays.add_working_days(replied_on, 5)
    assert f"{appeal.number} {zh('replied: please rate')}" in titles(flow.enterprise_user)
    sms = OutboxMessage.objects.filter(channel="sms", recipient=flow.enterprise_user.phone)
    assert sms.filter(body__contains=appeal.number).exists()


def test_an_enterprise_that_joined_is_told_of_the_reply_too(flow, ruifeng_user) -> None:
    appeal = flow.in_progress()
    services.appeal_join(by=ruifeng_user, appeal=appeal, note="我们也一样")

    services.appeal_reply(by=flow.lead, appeal=appeal, reply="已统一办理", cause="共性问题")

    assert f"{appeal.number} {zh('replied: please rate')}" in titles(ruifeng_user)


def test_the_cause_may_be_analysed_after_the_reply(flow) -> None:
    appeal = services.appeal_analyse(by=flow.lead, appeal=flow.replied(), cause="政策空白")

    assert appeal.cause == "政策空白"
    assert appeal.status == Status.REPLIED
