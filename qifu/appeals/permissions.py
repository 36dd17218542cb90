"""Who may act on appeals. Which appeals a user may see is `selectors.appeals_for_user`."""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import Role


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def is_dispatcher(user: Any) -> bool:
    """District leaders and the staff of the district's enterprise service centre dispatch:
    accept, return, assign, approve extensions, reassign after a dispute."""
    role = _role(user)
    if role == Role.DISTRICT_LEADER:
        return True
    return role == Role.DEPARTMENT_STAFF and bool(
        user.department_id and user.department.is_service_centre
    )


def is_leader(user: Any) -> bool:
    return _role(user) == Role.DISTRICT_LEADER


def is_lead_department(user: Any, appeal: Any) -> bool:
    return (
        _role(user) == Role.DEPARTMENT_STAFF
        and appeal.lead_department_id is not None
        and user.department_id == appeal.lead_department_id
    )


def is_co_department(user: Any, appeal: Any) -> bool:
    return _role(user) == Role.DEPARTMENT_STAFF and any(
        d.pk == user.department_id for d in appeal.co_departments.all()
    )


def is_own_enterprise(user: Any, appeal: Any) -> bool:
    return _role(user) == Role.ENTERPRISE_USER and user.enterprise_id == appeal.enterprise_id


def can_submit(user: Any) -> bool:
    """Enterprise users for their enterprise; officials on an enterprise's behalf."""
    return _role(user) in {
        Role.ENTERPRISE_USER,
        Role.DISTRICT_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.STREET_STAFF,
        Role.INVESTMENT_STAFF,
    }


def can_open(user: Any) -> bool:
    return _role(user) in {
        Role.ENTERPRISE_USER,
        Role.DISTRICT_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.STREET_STAFF,
        Role.INVESTMENT_STAFF,
        Role.STATISTICS_STAFF,
    }
