from __future__ import annotations

from celery import shared_task

from qifu.stats import services


@shared_task(name="qifu.stats.tasks.stats_tick")
def stats_tick() -> dict[str, int]:
    return services.tick()
