from __future__ import annotations

from celery import shared_task

from qifu.policies import services


@shared_task(name="qifu.policies.tasks.policies_tick")
def policies_tick() -> int:
    """Remind the eligible enterprises before a window closes (`manage.py policies_tick`)."""
    sent = 0
    for programme in services.programmes_to_remind():
        if services.programme_remind(programme=programme) is not None:
            sent += 1
    return sent
