from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "qifu.stats"
    label = "stats"
    verbose_name = _("Monthly economic data")

    def ready(self) -> None:
        # the monthly-data section of the enterprise file, and the configuration pages
        from qifu.stats import admin, profile  # noqa: F401
