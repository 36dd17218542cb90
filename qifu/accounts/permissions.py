"""Who may do what, by role. Scope (what lies inside a user's reach) is in `scope.py`."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from qifu.accounts.models import OFFICIAL_ROLES, Role


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    return user.role or ""


def can_configure(user: Any) -> bool:
    """The system admin keeps the org structure and the calendar."""
    return _role(user) == Role.SYSTEM_ADMIN


def can_manage_accounts(user: Any) -> bool:
    return _role(user) == Role.SECURITY_ADMIN


def can_read_audit(user: Any) -> bool:
    return _role(user) == Role.AUDIT_ADMIN


def can_read_calendar(user: Any) -> bool:
    return _role(user) in OFFICIAL_ROLES or _role(user) == Role.SYSTEM_ADMIN


def can_read_org(user: Any) -> bool:
    """Everyone with a business role or a configuration duty; not the audit admin."""
    return _role(user) not in ("", Role.AUDIT_ADMIN)


class CanReadOrg(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return can_read_org(request.user)
        return can_configure(request.user)


class CalendarPermission(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return can_read_calendar(request.user)
        return can_configure(request.user)


class CanManageAccounts(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return can_manage_accounts(request.user)


class CanReadAudit(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return can_read_audit(request.user)
