"""services.notify: a bell notification for each person, and e-mails and text messages written to
the outbox in the same transaction as the change they report, sent only after it commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.notices import selectors, services
from qifu.notices.models import Channel, Notification, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(district):
    return UserFactory(
        username="clerk", role=Role.DISTRICT_LEADER, org_unit=district, email="clerk@example.cn"
    )


@pytest.fixture
def quiet(district):
    # an account with neither e-mail nor mobile: the bell only
    return UserFactory(
        username="quiet", role=Role.DISTRICT_LEADER, org_unit=district, email="", phone=""
    )


def test_each_person_gets_one_notification_in_the_bell(clerk, quiet) -> None:
    notes = services.notify(
        users=[clerk, quiet, clerk, None], title="SQ-202603-0001 新诉求待受理", url="/appeals/1/"
    )

    assert len(notes) == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"clerk", "quiet"}
    note = Notification.objects.get(user=clerk)
    assert (note.title, note.url, note.read_at) == (
        "SQ-202603-0001 新诉求待受理",
        "/appeals/1/",
        None,
    )
    assert selectors.unread_count(user=clerk) == 1


def test_an_inactive_account_is_not_notified(clerk) -> None:
    clerk.is_active = False
    clerk.save()

    services.notify(users=[clerk], title="超期")

    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_e_mail_is_queued_for_whoever_has_an_address(clerk, quiet) -> None:
    services.notify(users=[clerk, quiet], title="已交办", body="请尽快办理", url="/appeals/7/")

    message = OutboxMessage.objects.get()
    assert message.channel == Channel.EMAIL
    assert message.recipient == "clerk@example.cn"
    assert message.subject == "已交办"
    assert message.body == "请尽快办理\n\n/appeals/7/"
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_no_e_mail_when_asked_not_to(clerk) -> None:
    services.notify(users=[clerk], title="提醒", email=False)

    assert not OutboxMessage.objects.exists()
    assert Notification.objects.filter(user=clerk).exists()


def test_a_text_message_is_queued_for_whoever_has_a_mobile(clerk, quiet) -> None:
    services.notify(users=[clerk, quiet], title="已答复", sms_text="您的诉求已答复，请评价。")

    sms = OutboxMessage.objects.get(channel=Channel.SMS)
    assert (sms.recipient, sms.body) == (clerk.phone, "您的诉求已答复，请评价。")


def test_a_long_title_is_cut_to_200_characters(clerk) -> None:
    services.notify(users=[clerk], title="长" * 300)

    assert len(Notification.objects.get().title) == 200
    assert len(OutboxMessage.objects.get().subject) == 200


def test_nothing_is_sent_before_the_change_commits(
    clerk, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(users=[clerk], title="已受理")

    assert len(callbacks) == 1  # the send waits for the commit
    assert mail.outbox == []
    callbacks[0]()
    assert [m.subject for m in mail.outbox] == ["已受理"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_after_the_commit_the_outbox_is_sent(clerk, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[clerk], title="已受理", body="您的诉求已受理")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clerk@example.cn"]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None


def test_a_change_rolled_back_leaves_no_notification_and_no_outbox(
    clerk, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(users=[clerk], title="已受理", sms_text="已受理")
        raise RuntimeError("the change failed after notifying")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_an_appeal_service_that_fails_after_notifying_leaves_no_outbox(
    appeal, leader, enterprise_user, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from qifu.appeals import services as appeals

    real_notify = appeals._notify
    written = []

    def notify_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        written.append(OutboxMessage.objects.count())
        raise RuntimeError("something failed after the notification was written")

    monkeypatch.setattr(appeals, "_notify", notify_then_fail)
    before = (Notification.objects.count(), OutboxMessage.objects.count())

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        appeals.appeal_accept(by=leader, appeal=appeal)

    assert written[0] > before[1]  # the outbox row was written inside the transaction …
    appeal.refresh_from_db()
    assert appeal.status == "submitted"
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before  # … and undone
    assert mail.outbox == []


def test_an_empty_list_of_people_writes_nothing() -> None:
    assert services.notify(users=[], title="无人") == []
    assert not OutboxMessage.objects.exists()


def test_an_empty_outbox_queues_no_sending(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        services.outbox_enqueue([])

    assert callbacks == []
