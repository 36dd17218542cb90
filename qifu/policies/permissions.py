"""Who may act on policies. What a user may see is `selectors`.

- The district's leaders and department staff keep the policy library, and create and publish
  programmes; a programme is then handled (review, recommendation upward, result, funds, the
  免申即享 list) by the staff of its responsible department and by the district's leaders.
- Any official of the district (street staff too) may recommend an enterprise of their scope for
  a programme, or apply on its behalf.
- An enterprise user applies for its own enterprise, withdraws its application before review and
  reads what was sent to it.
- Pushes and notices are sent by the district's leaders and department staff.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role
from qifu.accounts.scope import scope_for


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def district_id(user: Any) -> int | None:
    """The district an official works in (None for enterprise users and others)."""
    if _role(user) not in OFFICIAL_ROLES:
        return None
    district = scope_for(user).district
    return district.pk if district is not None else None


def is_official(user: Any) -> bool:
    return district_id(user) is not None


def is_enterprise_user(user: Any) -> bool:
    return _role(user) == Role.ENTERPRISE_USER and user.enterprise_id is not None


def can_manage(user: Any) -> bool:
    """Keep the library, create programmes and send notices."""
    return _role(user) in (Role.DISTRICT_LEADER, Role.DEPARTMENT_STAFF) and is_official(user)


def can_edit_policy(user: Any, policy: Any) -> bool:
    if not can_manage(user) or policy.department.district_id != district_id(user):
        return False
    return _role(user) == Role.DISTRICT_LEADER or policy.department_id == user.department_id


def can_handle(user: Any, programme: Any) -> bool:
    """Change the programme and move its applications along."""
    if not can_manage(user) or programme.department.district_id != district_id(user):
        return False
    return _role(user) == Role.DISTRICT_LEADER or programme.department_id == user.department_id


def can_recommend(user: Any, programme: Any) -> bool:
    return is_official(user) and programme.department.district_id == district_id(user)
