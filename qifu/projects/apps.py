from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "qifu.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # the readable names of this module's audit actions, and the enterprise-file section
        from qifu.projects import labels, profile  # noqa: F401
