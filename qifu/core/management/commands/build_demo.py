from typing import Any

from django.core.management.base import BaseCommand

from qifu.core import demo


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo district; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        demo.build(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo ready"))
