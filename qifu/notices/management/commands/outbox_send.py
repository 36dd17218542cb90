from typing import Any

from django.core.management.base import BaseCommand

from qifu.notices import services


class Command(BaseCommand):
    help = "Send the e-mails and text messages that are due (retrying failures). For cron/beat."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.outbox_send()
        self.stdout.write(
            f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}"
        )
