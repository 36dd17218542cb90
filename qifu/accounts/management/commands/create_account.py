import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qifu.accounts import services
from qifu.accounts.models import ADMIN_ROLES, Role


class Command(BaseCommand):
    help = (
        "Create one of the three administrators (system, security, audit) on a new installation. "
        "The password comes from QIFU_NEW_PASSWORD or is asked for."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ADMIN_ROLES), default=Role.SECURITY_ADMIN)
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("QIFU_NEW_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = services.user_save(
                by=None,
                password=password,
                username=options["username"],
                full_name=options["full_name"],
                role=options["role"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"created {user.username} ({user.get_role_display()})")
        )
