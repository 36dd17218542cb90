from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "qifu.investment"
    label = "investment"
    verbose_name = _("Investment promotion")

    def ready(self) -> None:
        # the readable names of this module's audit actions
        from qifu.investment import labels  # noqa: F401
