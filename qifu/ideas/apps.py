from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "qifu.ideas"
    label = "ideas"
    verbose_name = _("Golden ideas")

    def ready(self) -> None:
        # the readable names of this module's audit actions
        from qifu.ideas import labels  # noqa: F401
