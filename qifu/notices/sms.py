"""Text messages: an interface, a console backend, and the setting that picks one.

A real gateway plugs in by naming its class in `QIFU_SMS_BACKEND` (a class with `send(phone, text)`
that raises on failure).
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("qifu.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Writes the message to the log instead of sending it (development, demo, tests)."""

    # the last messages, for tests and for a look in the shell; bounded, as the server runs long
    sent: deque[tuple[str, str]] = deque(maxlen=100)

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        ConsoleSmsBackend.sent.append((phone, text))


def backend() -> SmsBackend:
    return import_string(settings.QIFU_SMS_BACKEND)()
