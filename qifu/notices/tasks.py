from __future__ import annotations

from celery import shared_task

from qifu.notices import services


@shared_task(name="qifu.notices.tasks.outbox_send")
def outbox_send() -> dict[str, int]:
    return services.outbox_send()
