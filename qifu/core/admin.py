"""Configuration pages of the system admin. Every save goes through the services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qifu.accounts import permissions
from qifu.core import services
from qifu.core.models import Department, Holiday, OrgUnit, Zone


class QifuAdminSite(admin.AdminSite):
    site_header = _("qifu administration")
    site_title = _("qifu administration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.can_configure(user) or permissions.can_manage_accounts(user)


class ConfigAdmin(admin.ModelAdmin):
    """Open to the system admin only; nothing is deleted except calendar days."""

    save_service: Any = None
    object_kwarg = ""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_configure(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_configure(request.user)

    has_add_permission = has_module_permission

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_configure(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # the form has already written its values onto `obj`: the service starts from the stored row
        stored = self.model._default_manager.get(pk=obj.pk) if change else None
        saved = self.save_service(
            by=request.user, **{self.object_kwarg: stored}, **form.cleaned_data
        )
        obj.pk = saved.pk

    def log_addition(self, *args: Any, **kwargs: Any) -> None:
        """The audit trail records the change; Django's admin log is not used."""

    log_change = log_addition
    log_deletions = log_addition


class OrgUnitAdmin(ConfigAdmin):
    list_display = ("code", "name", "level", "parent", "zone")
    list_filter = ("level", "zone")
    search_fields = ("code", "name")
    list_select_related = ("parent", "zone")
    fields = ("code", "name", "level", "parent", "zone", "sort_order")
    save_service = staticmethod(services.org_unit_save)
    object_kwarg = "unit"


class ZoneAdmin(ConfigAdmin):
    list_display = ("code", "name", "district", "sort_order")
    list_select_related = ("district",)
    fields = ("district", "code", "name", "sort_order")
    save_service = staticmethod(services.zone_save)
    object_kwarg = "zone"


class DepartmentAdmin(ConfigAdmin):
    list_display = ("code", "name", "district", "is_active", "is_service_centre")
    list_filter = ("is_active", "is_service_centre")
    search_fields = ("code", "name")
    list_select_related = ("district",)
    fields = ("district", "code", "name", "is_active", "is_service_centre", "sort_order")
    save_service = staticmethod(services.department_save)
    object_kwarg = "department"


class HolidayAdmin(ConfigAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    fields = ("date", "kind", "name")
    save_service = staticmethod(services.holiday_save)
    object_kwarg = "holiday"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_configure(request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.holiday_delete(by=request.user, holiday=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for holiday in queryset:
            services.holiday_delete(by=request.user, holiday=holiday)


site = QifuAdminSite(name="admin")
site.register(OrgUnit, OrgUnitAdmin)
site.register(Zone, ZoneAdmin)
site.register(Department, DepartmentAdmin)
site.register(Holiday, HolidayAdmin)
