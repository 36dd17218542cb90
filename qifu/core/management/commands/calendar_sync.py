from typing import Any

from django.core.management.base import BaseCommand

from qifu.core import services, workdays


class Command(BaseCommand):
    help = (
        "Add to the calendar table the years the chinese-calendar package publishes and the table "
        "lacks; report the years that still fall back to Monday–Friday. Periodic job (cron/beat)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.calendar_sync(by=None)
        years = workdays.covered_years()
        self.stdout.write(
            f"added {result['days']} days in {result['years']} years; "
            f"covered: {years[0] if years else '-'}–{years[-1] if years else '-'}"
        )
