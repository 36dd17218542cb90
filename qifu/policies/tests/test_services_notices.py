"""Pushes and notices: targeting, deliveries, the outbox, read receipts and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.notices.models import Notification, OutboxMessage
from qifu.policies import services
from qifu.policies.models import Delivery, Notice


def send(by, target, programme=None, **kwargs):
    notice, _created = services.notice_send(
        by=by, title="申报通知", body="请按时申报。", target=target, programme=programme, **kwargs
    )
    return notice


def reached(notice):
    return set(notice.deliveries.values_list("enterprise__name", flat=True))


def test_a_programme_pushed_to_its_eligible_list_reaches_only_the_eligible(
    programme, jxj_clerk, tianlu, ruifeng, enterprise_user, ruifeng_user
):
    notice = send(jxj_clerk, {"eligible": True}, programme)
    assert reached(notice) == {"天路集团"}
    assert Notification.objects.filter(user=enterprise_user).count() == 1
    assert not Notification.objects.filter(user=ruifeng_user).exists()
    assert not OutboxMessage.objects.exists()  # no SMS asked for


@pytest.mark.parametrize(
    ("target", "names"),
    [
        ({"streets": ["370213006"]}, {"瑞丰气体"}),
        ({"industries": ["C"]}, {"天路集团", "瑞丰气体"}),
        ({"industries": ["34"]}, {"天路集团"}),
        ({"tags": ["高新技术企业"]}, {"天路集团"}),
        ({"key": True}, {"天路集团"}),
        ({"above_scale": True, "streets": ["370213007"]}, {"天路集团"}),
    ],
)
def test_a_notice_reaches_the_enterprises_of_its_target(jxj_clerk, tianlu, ruifeng, target, names):
    assert reached(send(jxj_clerk, target)) == names


def test_with_sms_the_enterprise_users_get_a_text_and_an_email_through_the_outbox(
    jxj_clerk, tianlu
):
    UserFactory(
        username="tianlu_sms",
        role=Role.ENTERPRISE_USER,
        org_unit=tianlu.street,
        enterprise=tianlu,
        phone="13800000000",
        email="it@tianlu.example",
    )
    send(jxj_clerk, {"key": True}, sms=True)
    channels = set(OutboxMessage.objects.values_list("channel", "recipient"))
    assert channels == {("sms", "13800000000"), ("email", "it@tianlu.example")}


def test_a_notice_without_a_target_or_with_an_unknown_one_is_refused(jxj_clerk):
    for target in ({}, {"colour": "red"}, {"streets": "370213007"}, {"eligible": True}):
        with pytest.raises(ValidationError):
            send(jxj_clerk, target)


def test_street_staff_and_enterprises_send_no_notices(licun_clerk, enterprise_user):
    for user in (licun_clerk, enterprise_user):
        with pytest.raises(PermissionDenied):
            send(user, {"key": True})


def test_a_double_submit_sends_one_notice(jxj_clerk, tianlu):
    send(jxj_clerk, {"key": True}, client_token="n-1")
    send(jxj_clerk, {"key": True}, client_token="n-1")
    assert Notice.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_reading_is_recorded_once_and_only_by_the_enterprise(
    jxj_clerk, tianlu, enterprise_user, ruifeng_user
):
    delivery = send(jxj_clerk, {"key": True}).deliveries.get()
    with pytest.raises(PermissionDenied):
        services.delivery_read(by=ruifeng_user, delivery=delivery)
    with pytest.raises(PermissionDenied):
        services.delivery_read(by=jxj_clerk, delivery=delivery)
    first = services.delivery_read(by=enterprise_user, delivery=delivery).read_at
    assert first is not None
    assert services.delivery_read(by=enterprise_user, delivery=delivery).read_at == first


def test_the_tick_reminds_the_eligible_who_have_not_applied_three_working_days_before(
    make_programme, tianlu, clock
):
    # closes Thursday 2026-04-30; three working days before is Monday 2026-04-27
    programme = make_programme()
    clock.set(dt.date(2026, 4, 24))
    assert services.programmes_to_remind(today=clock.today) == []
    clock.set(dt.date(2026, 4, 27))
    assert services.programmes_to_remind(today=clock.today) == [programme]
    first = services.programme_remind(programme=programme, today=clock.today)
    assert first is not None
    assert reached(first) == {"天路集团"}
    # the same day again: nothing more
    assert services.programme_remind(programme=programme, today=clock.today) is None


def test_the_tick_skips_enterprises_that_applied(make_programme, tianlu, enterprise_user, clock):
    programme = make_programme()
    services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    notice = services.programme_remind(programme=programme, today=dt.date(2026, 4, 27))
    assert reached(notice) == set()


def test_the_management_command_runs_daily(make_programme, tianlu, monkeypatch):
    programme = make_programme()
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 4, 27))
    call_command("policies_tick")
    call_command("policies_tick")
    assert Notice.objects.filter(programme=programme, reminder_on=dt.date(2026, 4, 27)).count() == 1


def test_a_programme_is_pushed_with_an_empty_text(programme, jxj_clerk, tianlu):
    notice, created = services.notice_send(
        by=jxj_clerk, title="申报提醒", body="", target={"eligible": True}, programme=programme
    )
    assert created and notice.body == ""
    notice.full_clean(exclude=["client_token"])
    assert reached(notice) == {"天路集团"}


def test_a_notice_without_a_programme_needs_its_text(jxj_clerk, tianlu):
    with pytest.raises(ValidationError) as error:
        services.notice_send(by=jxj_clerk, title="通知", body="  ", target={"key": True})
    assert "body" in error.value.message_dict
