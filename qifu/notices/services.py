"""Notifying people: the bell in the same transaction as the change, e-mail and SMS through the
outbox, which `outbox_send` empties after the commit with retries."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from qifu.notices import sms
from qifu.notices.models import Channel, Notification, OutboxMessage, OutboxStatus

logger = logging.getLogger("qifu.notices")
MAX_ATTEMPTS = 8
CLAIM_FOR = dt.timedelta(minutes=10)  # longer than any one send may take


def _queue_send() -> None:
    from qifu.notices import tasks

    tasks.outbox_send.delay()


def notify(
    *,
    users: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    sms_text: str = "",
) -> list[Notification]:
    """A bell notification for each user, and an e-mail (and a text message) through the outbox.

    Call it inside the service's transaction: if the change rolls back, nothing is sent.
    """
    now = timezone.now()
    people = {u.pk: u for u in users if u is not None and u.is_active}.values()
    notes = Notification.objects.bulk_create(
        [Notification(user=u, title=title[:200], body=body, url=url) for u in people]
    )
    outbox = []
    for user in people:
        if email and user.email:
            outbox.append(
                OutboxMessage(
                    channel=Channel.EMAIL,
                    recipient=user.email,
                    subject=title[:200],
                    body=f"{body}\n\n{url}".strip(),
                    next_attempt_at=now,
                )
            )
        if sms_text and user.phone:
            outbox.append(
                OutboxMessage(
                    channel=Channel.SMS, recipient=user.phone, body=sms_text, next_attempt_at=now
                )
            )
    outbox_enqueue(outbox)
    return notes


def outbox_enqueue(messages: list[OutboxMessage]) -> None:
    """Store messages for sending; a worker (or the inline task) sends them after the commit."""
    if not messages:
        return
    OutboxMessage.objects.bulk_create(messages)
    transaction.on_commit(_queue_send)


def _deliver(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    else:
        sms.backend().send(message.recipient, message.body)


def outbox_send(*, limit: int = 200) -> dict[str, int]:
    """Send what is due. A failure is retried later (1, 2, 4 … minutes), up to MAX_ATTEMPTS."""
    now = timezone.now()
    due = list(
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")[:limit]
    )
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message in due:
        # claim the message, so that two workers never send it twice: the next attempt moves
        # past the time a send may take, so that no other worker finds it due meanwhile (a
        # worker that dies while sending leaves it to be tried again then)
        claimed = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.PENDING, attempts=message.attempts
        ).update(attempts=message.attempts + 1, next_attempt_at=now + CLAIM_FOR)
        if not claimed:
            continue
        message.attempts += 1
        try:
            _deliver(message)
        except Exception as exc:  # any backend failure: keep it and try again later
            logger.warning("outbox %s: %s", message.pk, exc)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                counts["failed"] += 1
            else:
                delay = dt.timedelta(minutes=2 ** (message.attempts - 1))
                message.next_attempt_at = timezone.now() + delay
                counts["retry"] += 1
            message.last_error = str(exc)[:1000]
            message.save(update_fields=["status", "next_attempt_at", "last_error"])
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.save(update_fields=["status", "sent_at"])
            counts["sent"] += 1
    return counts


def notification_read(*, user: Any, notification: Notification) -> None:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_read_all(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
