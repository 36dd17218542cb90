from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qifu.core import tasks


class Command(BaseCommand):
    help = "Send a task through the broker and wait for a worker's answer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            self.stdout.write("CELERY_BROKER_URL is not set: tasks run inline.")
        try:
            answer = tasks.ping.delay("pong").get(timeout=options["timeout"])
        except Exception as exc:
            raise CommandError(f"no answer from a worker: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"worker answered: {answer}"))
