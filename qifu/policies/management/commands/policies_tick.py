from typing import Any

from django.core.management.base import BaseCommand

from qifu.policies import services


class Command(BaseCommand):
    help = (
        "Remind the eligible enterprises that have not applied, three working days before a "
        "programme's window closes. Idempotent: run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = 0
        deliveries = 0
        for programme in services.programmes_to_remind():
            notice = services.programme_remind(programme=programme)
            if notice is not None:
                sent += 1
                deliveries += notice.deliveries.count()
        self.stdout.write(f"reminded {deliveries} enterprises of {sent} programmes")
