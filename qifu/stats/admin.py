"""Configuration of monthly data for the system admin: indicators, forms and audit rules."""

from __future__ import annotations

from qifu.core.admin import ConfigAdmin, site
from qifu.stats import services
from qifu.stats.models import DataSet, Indicator, ValidationRule


class IndicatorAdmin(ConfigAdmin):
    list_display = ("code", "name", "unit", "kind", "is_money", "may_be_negative", "sort_order")
    fields = services.INDICATOR_FIELDS
    save_service = staticmethod(services.indicator_save)
    object_kwarg = "indicator"


class DataSetAdmin(ConfigAdmin):
    list_display = ("code", "name", "opens_day", "deadline_day", "lock_after_days")
    fields = (*services.DATASET_FIELDS, "indicators")
    filter_horizontal = ("indicators",)
    save_service = staticmethod(services.dataset_save)
    object_kwarg = "dataset"

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        """The service has set the indicators already."""


class ValidationRuleAdmin(ConfigAdmin):
    list_display = ("code", "name", "importance", "operator", "is_active", "sort_order")
    list_filter = ("importance", "is_active")
    fields = services.RULE_FIELDS
    save_service = staticmethod(services.rule_save)
    object_kwarg = "rule"


site.register(Indicator, IndicatorAdmin)
site.register(DataSet, DataSetAdmin)
site.register(ValidationRule, ValidationRuleAdmin)
