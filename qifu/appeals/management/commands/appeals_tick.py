from typing import Any

from django.core.management.base import BaseCommand

from qifu.appeals import services


class Command(BaseCommand):
    help = (
        "Mark overdue appeals and notify their department and the leaders; remind enterprises to "
        "rate; rate as satisfied what was not rated in time. Idempotent: run it hourly (cron/beat)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.appeals_tick()
        self.stdout.write(
            f"overdue {counts['overdue']}, reminded {counts['reminded']}, "
            f"rated by default {counts['auto_rated']}"
        )
