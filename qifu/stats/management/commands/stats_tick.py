from typing import Any

from django.core.management.base import BaseCommand

from qifu.stats import services


class Command(BaseCommand):
    help = (
        "Bring the reporting list in line with the registry; remind enterprises in the three "
        "working days before the monthly deadline and streets after it. Idempotent: run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.tick()
        self.stdout.write(
            f"list +{counts['joined']} -{counts['left']}, reminded {counts['enterprises']} "
            f"enterprises and {counts['streets']} streets"
        )
