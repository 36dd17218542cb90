"""Who may act on monthly data. What a user may see is `selectors` (which start from the scope)."""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role
from qifu.core.models import Level


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def can_open(user: Any) -> bool:
    """Officials read the figures of their org unit; an enterprise user fills its own forms."""
    role = _role(user)
    if role in OFFICIAL_ROLES:
        return user.org_unit_id is not None
    return role == Role.ENTERPRISE_USER and user.enterprise_id is not None


def is_statistics(user: Any) -> bool:
    """Statistics staff of a district: they approve streets and the district, and reopen entry."""
    return (
        _role(user) == Role.STATISTICS_STAFF
        and user.org_unit_id is not None
        and user.org_unit.level == Level.DISTRICT
    )


def can_enter(user: Any, enterprise: Any) -> bool:
    """The enterprise itself, or the clerk of its street entering a paper form on its behalf."""
    role = _role(user)
    if role == Role.ENTERPRISE_USER:
        return user.enterprise_id == enterprise.pk
    return role == Role.STREET_STAFF and user.org_unit_id == enterprise.street_id


def can_review(user: Any, enterprise: Any) -> bool:
    """The street clerk of the enterprise's street accepts or returns its forms."""
    return _role(user) == Role.STREET_STAFF and user.org_unit_id == enterprise.street_id


def can_approve(user: Any, org_unit: Any) -> bool:
    """The district's statistics staff approve its streets and the district itself."""
    if not is_statistics(user):
        return False
    if org_unit.level == Level.DISTRICT:
        return bool(org_unit.pk == user.org_unit_id)
    return org_unit.level == Level.STREET and org_unit.parent_id == user.org_unit_id


def can_import(user: Any) -> bool:
    """Streets import the forms of their enterprises filled offline."""
    return _role(user) == Role.STREET_STAFF and user.org_unit_id is not None


def can_remind(user: Any) -> bool:
    return _role(user) in (Role.STREET_STAFF, Role.STATISTICS_STAFF) and user.org_unit_id
