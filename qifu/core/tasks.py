"""Background tasks. Periodic ones are also management commands, so cron can drive them."""

from __future__ import annotations

from celery import shared_task

from qifu.core import services


@shared_task(name="qifu.core.tasks.calendar_sync")
def calendar_sync() -> dict[str, int]:
    return services.calendar_sync(by=None)


@shared_task(name="qifu.core.tasks.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker; used by `manage.py celery_check` and the tests."""
    return value
