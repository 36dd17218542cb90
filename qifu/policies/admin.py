"""Configuration of policies for the system admin: the policy categories (audited)."""

from __future__ import annotations

from qifu.core.admin import ConfigAdmin, site
from qifu.policies import services
from qifu.policies.models import PolicyCategory


class PolicyCategoryAdmin(ConfigAdmin):
    list_display = ("code", "name", "sort_order")
    fields = ("code", "name", "sort_order")
    save_service = staticmethod(services.category_save)
    object_kwarg = "category"


site.register(PolicyCategory, PolicyCategoryAdmin)
