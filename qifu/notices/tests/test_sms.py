"""Text messages: an interface with a console backend; a real gateway plugs in by setting."""

from __future__ import annotations

import logging

import pytest

from qifu.notices import services, sms
from qifu.notices.models import Channel, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


class RecordingGateway:
    """A gateway as a vendor would write one: send(phone, text), raising on failure."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


class BrokenGateway:
    def send(self, phone: str, text: str) -> None:
        raise TimeoutError("gateway timed out")


@pytest.fixture(autouse=True)
def _empty_records(monkeypatch) -> None:
    monkeypatch.setattr(sms.ConsoleSmsBackend, "sent", [])
    monkeypatch.setattr(RecordingGateway, "sent", [])


def queued_sms(phone: str = "13812341234", text: str = "您的诉求已受理。") -> OutboxMessage:
    from django.utils import timezone

    return OutboxMessage.objects.create(
        channel=Channel.SMS, recipient=phone, body=text, next_attempt_at=timezone.now()
    )


def test_the_console_backend_is_the_default_and_logs_the_message(caplog) -> None:
    backend = sms.backend()

    with caplog.at_level(logging.INFO, logger="qifu.sms"):
        backend.send("13812341234", "您的诉求已答复，请评价。")

    assert isinstance(backend, sms.ConsoleSmsBackend)
    assert "13812341234" in caplog.text
    assert "您的诉求已答复，请评价。" in caplog.text
    assert list(sms.ConsoleSmsBackend.sent) == [("13812341234", "您的诉求已答复，请评价。")]


def test_a_queued_text_message_goes_out_through_the_console_backend() -> None:
    message = queued_sms()

    counts = services.outbox_send()

    assert counts["sent"] == 1
    assert list(sms.ConsoleSmsBackend.sent) == [("13812341234", "您的诉求已受理。")]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_real_gateway_plugs_in_by_setting(settings) -> None:
    settings.QIFU_SMS_BACKEND = "qifu.notices.tests.test_sms.RecordingGateway"
    queued_sms(text="请评价")

    services.outbox_send()

    assert RecordingGateway.sent == [("13812341234", "请评价")]
    assert list(sms.ConsoleSmsBackend.sent) == []


def test_a_failing_gateway_is_retried_like_the_mail(settings) -> None:
    settings.QIFU_SMS_BACKEND = "qifu.notices.tests.test_sms.BrokenGateway"
    message = queued_sms()

    counts = services.outbox_send()

    assert counts["retry"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "timed out" in message.last_error


def test_an_accepted_appeal_texts_the_enterprise(
    appeal, leader, enterprise_user, django_capture_on_commit_callbacks
) -> None:
    from qifu.appeals import services as appeals

    with django_capture_on_commit_callbacks(execute=True):
        appeals.appeal_accept(by=leader, appeal=appeal)

    assert [p for p, _t in sms.ConsoleSmsBackend.sent] == [enterprise_user.phone]
    assert appeal.number in sms.ConsoleSmsBackend.sent[0][1]
