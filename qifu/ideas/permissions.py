"""Who may do what with ideas. What a user may see is `selectors`.

- The public (no account) submits ideas, supports and reports published ones, and follows or
  withdraws their own idea with its tracking code.
- The district's leaders moderate: publish or not, assign to a department, approve the
  department's answer (or decide themselves), mark duplicates, hide and restore, edit, block
  senders. They see the author's contact in full.
- The staff of the department an idea is assigned to evaluate it and draft the answer, and record
  progress once it is adopted. They see the contact masked.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role
from qifu.accounts.scope import scope_for


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def district_id(user: Any) -> int | None:
    if _role(user) not in OFFICIAL_ROLES:
        return None
    district = scope_for(user).district
    return district.pk if district is not None else None


def is_moderator(user: Any, district: Any = None) -> bool:
    """A leader of the district (of `district`, when given)."""
    if _role(user) != Role.DISTRICT_LEADER:
        return False
    mine = district_id(user)
    if district is None:
        return mine is not None
    return mine is not None and mine == getattr(district, "pk", district)


def is_department_staff(user: Any) -> bool:
    return (
        _role(user) == Role.DEPARTMENT_STAFF
        and user.department_id is not None
        and district_id(user) is not None
    )


def can_open(user: Any) -> bool:
    """The staff side of the portal (the public side needs no account)."""
    return is_moderator(user) or is_department_staff(user)


def can_moderate(user: Any, idea: Any) -> bool:
    return is_moderator(user, idea.district_id)


def can_evaluate(user: Any, idea: Any) -> bool:
    return (
        is_department_staff(user)
        and idea.department_id is not None
        and idea.department_id == user.department_id
    )


def can_see_contact(user: Any, idea: Any) -> bool:
    return can_moderate(user, idea)
