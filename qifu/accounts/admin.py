"""Accounts and roles: the security admin's pages. Saves go through `user_save` (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qifu.accounts import permissions, services
from qifu.accounts.models import User
from qifu.core.admin import site


class UserForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = (
            "username",
            "full_name",
            "email",
            "phone",
            "role",
            "org_unit",
            "department",
            "is_active",
        )


class UserAdmin(admin.ModelAdmin):
    form = UserForm
    list_display = ("username", "full_name", "role", "org_unit", "department", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "phone")
    list_select_related = ("org_unit", "department")
    fields = (*UserForm.Meta.fields, "new_password")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_manage_accounts(request.user)

    has_view_permission = has_change_permission = lambda self, request, obj=None: (
        permissions.can_manage_accounts(request.user)
    )
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are disabled, never deleted: the audit trail points at them

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = dict(form.cleaned_data)
        password = values.pop("new_password", "") or None
        stored = User.objects.get(pk=obj.pk) if change else None
        saved = services.user_save(by=request.user, user=stored, password=password, **values)
        obj.pk = saved.pk

    def log_addition(self, *args: Any, **kwargs: Any) -> None:
        """The audit trail records the change; Django's admin log is not used."""

    log_change = log_addition
    log_deletions = log_addition


site.register(User, UserAdmin)
