from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "qifu.reports"
    label = "reports"
    verbose_name = _("Research reports")

    def ready(self) -> None:
        from qifu.reports import labels  # noqa: F401
