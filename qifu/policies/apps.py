from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "qifu.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        # the readable names of this module's audit actions, and its enterprise-file section
        from qifu.policies import labels, profile  # noqa: F401
