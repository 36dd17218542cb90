"""Configuration of appeals for the system admin: categories and time limits (audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qifu.appeals import services
from qifu.appeals.models import Category, TimeLimits
from qifu.core.admin import ConfigAdmin, site


class CategoryAdmin(ConfigAdmin):
    list_display = ("code", "name", "default_department", "sort_order")
    list_select_related = ("default_department",)
    fields = ("code", "name", "description", "default_department", "sort_order")
    save_service = staticmethod(services.category_save)
    object_kwarg = "category"


class TimeLimitsAdmin(ConfigAdmin):
    list_display = ("__str__", "accept_days", "reply_days", "resolve_days", "green_resolve_days")
    fields = (
        "accept_days",
        "reply_days",
        "resolve_days",
        "green_resolve_days",
        "dispute_days",
        "rate_days",
        "max_extension_days",
    )
    save_service = staticmethod(services.time_limits_save)
    object_kwarg = "limits"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # one row, made with the first appeal or by the demo


site.register(Category, CategoryAdmin)
site.register(TimeLimits, TimeLimitsAdmin)
