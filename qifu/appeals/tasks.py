from __future__ import annotations

from celery import shared_task

from qifu.appeals import services


@shared_task(name="qifu.appeals.tasks.appeals_tick")
def appeals_tick() -> dict[str, int]:
    return services.appeals_tick()
