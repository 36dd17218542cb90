"""services.outbox_send: a mail server that is down loses nothing. A failed message stays waiting
with its attempts and the time of the next try (1, 2, 4 … minutes later), is sent once the server
is back, and after MAX_ATTEMPTS is marked failed."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from qifu.notices import services, tasks
from qifu.notices.models import Channel, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

DOWN = "qifu.notices.tests.test_outbox.MailServerDown"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown(BaseEmailBackend):
    """A mail backend whose server refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused: smtp.qifu.local:25")


def queued(recipient: str = "zrj@example.cn", **fields) -> OutboxMessage:
    values = {
        "channel": Channel.EMAIL,
        "recipient": recipient,
        "subject": "SQ-202603-0001 已交办",
        "body": "请尽快办理",
        "next_attempt_at": timezone.now(),
        **fields,
    }
    return OutboxMessage.objects.create(**values)


def later(minutes: float):
    """The clock moved forward."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes),
    )


def test_a_due_message_is_sent_and_marked_sent(settings) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    message = queued()

    counts = services.outbox_send()

    assert counts == {"sent": 1, "retry": 0, "failed": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.sent_at is not None
    assert mail.outbox[0].subject == "SQ-202603-0001 已交办"
    assert mail.outbox[0].to == ["zrj@example.cn"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


def test_a_message_that_fails_stays_waiting_with_its_attempt_and_the_next_try(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued()
    before = timezone.now()

    counts = services.outbox_send()

    assert counts == {"sent": 0, "retry": 1, "failed": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    wait = message.next_attempt_at - before
    assert dt.timedelta(seconds=55) < wait < dt.timedelta(seconds=65)  # one minute


def test_a_message_is_not_tried_again_before_its_next_attempt(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued()
    services.outbox_send()

    counts = services.outbox_send()

    assert counts == {"sent": 0, "retry": 0, "failed": 0}
    message.refresh_from_db()
    assert message.attempts == 1


def test_the_waits_double_after_each_failure(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued()
    waits = []

    for minutes in (0, 2, 5, 10):
        with later(minutes):
            services.outbox_send()
            message.refresh_from_db()
            waits.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 60))

    assert waits == [1, 2, 4, 8]
    assert message.attempts == 4


def test_once_the_mail_server_is_back_the_waiting_message_is_sent(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued()
    services.outbox_send()

    settings.EMAIL_BACKEND = LOCMEM
    with later(2):
        counts = services.outbox_send()

    assert counts["sent"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_message_is_marked_failed_and_left_alone(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued(attempts=services.MAX_ATTEMPTS - 1)

    counts = services.outbox_send()

    assert counts == {"sent": 0, "retry": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == services.MAX_ATTEMPTS
    settings.EMAIL_BACKEND = LOCMEM
    with later(60 * 24):
        assert services.outbox_send()["sent"] == 0
    assert mail.outbox == []


def test_every_attempt_up_to_the_last_is_made(settings) -> None:
    settings.EMAIL_BACKEND = DOWN
    message = queued()

    for hour in range(services.MAX_ATTEMPTS + 2):
        with later(60 * 24 * hour):
            services.outbox_send()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, services.MAX_ATTEMPTS)


def test_one_failing_message_does_not_stop_the_others(settings, monkeypatch) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    queued("bad@example.cn")
    queued("good@example.cn")
    real = services._deliver

    def deliver(message):
        if message.recipient == "bad@example.cn":
            raise OSError("mailbox unavailable")
        real(message)

    monkeypatch.setattr(services, "_deliver", deliver)

    counts = services.outbox_send()

    assert counts == {"sent": 1, "retry": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["good@example.cn"]]


def test_messages_are_sent_oldest_first_and_at_most_the_limit(settings) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    now = timezone.now()
    for n in range(5):
        queued(f"p{n}@example.cn", next_attempt_at=now - dt.timedelta(minutes=10 - n))

    counts = services.outbox_send(limit=3)

    assert counts["sent"] == 3
    assert [m.to[0] for m in mail.outbox] == ["p0@example.cn", "p1@example.cn", "p2@example.cn"]


def test_a_message_being_sent_is_not_sent_again_by_a_second_worker(settings, monkeypatch) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    queued()
    real = services._deliver
    second_run: list[dict[str, int]] = []
    started = []

    def slow_deliver(message):
        # while the first worker talks to the mail server, the beat starts a second one
        if not started:
            started.append(True)
            second_run.append(services.outbox_send())
        real(message)

    monkeypatch.setattr(services, "_deliver", slow_deliver)

    first_run = services.outbox_send()

    assert first_run["sent"] == 1
    assert second_run == [{"sent": 0, "retry": 0, "failed": 0}]
    assert len(mail.outbox) == 1


def test_the_change_survives_a_failing_mail_backend(
    settings, appeal, leader, enterprise_user, django_capture_on_commit_callbacks
) -> None:
    from qifu.appeals import services as appeals

    settings.EMAIL_BACKEND = DOWN

    with django_capture_on_commit_callbacks(execute=True):
        appeals.appeal_accept(by=leader, appeal=appeal)  # sends after the commit, and fails

    appeal.refresh_from_db()
    assert appeal.status == "accepted"
    waiting = OutboxMessage.objects.get(channel=Channel.EMAIL, recipient=enterprise_user.email)
    assert (waiting.status, waiting.attempts) == (OutboxStatus.PENDING, 1)
    assert waiting.subject.startswith(appeal.number)

    settings.EMAIL_BACKEND = LOCMEM
    with later(5):
        services.outbox_send()
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.SENT
    assert any(m.to == [enterprise_user.email] for m in mail.outbox)


def test_the_command_and_the_beat_task_send_the_outbox(settings) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    queued("a@example.cn")
    out = io.StringIO()

    call_command("outbox_send", stdout=out)
    queued("b@example.cn")
    result = tasks.outbox_send.delay().get()

    assert out.getvalue().strip() == "sent 1, to retry 0, failed 0"
    assert result == {"sent": 1, "retry": 0, "failed": 0}
