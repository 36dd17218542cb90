from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "qifu.visits"
    label = "visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        # the readable names of this module's audit actions, and the enterprise-file section
        from qifu.visits import labels, profile  # noqa: F401
