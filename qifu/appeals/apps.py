from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "qifu.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        # the appeals section of the enterprise file, and the configuration pages
        from qifu.appeals import admin, profile  # noqa: F401
