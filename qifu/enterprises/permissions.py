"""What a role may do with enterprises (which ones it may see is `Scope.enterprise_q`)."""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role

_EDITORS = {
    Role.DISTRICT_LEADER,
    Role.DEPARTMENT_STAFF,
    Role.STREET_STAFF,
    Role.INVESTMENT_STAFF,
}


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def can_open_registry(user: Any) -> bool:
    """Officials and enterprise users; the administrators keep no business data."""
    return _role(user) in OFFICIAL_ROLES or _role(user) == Role.ENTERPRISE_USER


def can_create(user: Any) -> bool:
    return _role(user) in _EDITORS


def can_edit(user: Any, enterprise: Any = None) -> bool:
    """Officials who keep the registry; the enterprise must already be inside their scope."""
    return _role(user) in _EDITORS


def can_edit_contacts(user: Any, enterprise: Any) -> bool:
    if _role(user) == Role.ENTERPRISE_USER:
        return user.enterprise_id == enterprise.pk
    return can_edit(user, enterprise)


def can_import(user: Any) -> bool:
    return _role(user) in _EDITORS


def sees_full_phone(user: Any, enterprise: Any) -> bool:
    """District leaders, users granted personal-data access, the enterprise's own users and its
    responsible leader see phone numbers in full; everyone else sees 138****1234."""
    role = _role(user)
    if not role:
        return False
    if role == Role.DISTRICT_LEADER or user.sees_personal_data:
        return True
    if role == Role.ENTERPRISE_USER:
        return user.enterprise_id == enterprise.pk
    return enterprise.responsible_leader_id == user.pk
