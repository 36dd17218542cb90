from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qifu.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # SimpleAdminConfig does not autodiscover: register the account pages on the qifu site
        from qifu.accounts import admin  # noqa: F401
