"""Who may act on visits. Which visits a user may see is `selectors.visits_for_user`.

- Officials of a district (leaders, street, department, investment and statistics staff) record
  visits to the enterprises inside their scope, plan visits and raise red flags.
- A visit is changed by whoever recorded it or went on it; a draft is only ever seen and changed
  by them.
- District leaders assign responsibility over the district; street staff over their own street.
  District leaders resolve red flags, and so does the official who raised one.
- The system admin keeps the questionnaire (in the administration pages).
- Enterprise users and the public do not see visits.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def can_open(user: Any) -> bool:
    return _role(user) in OFFICIAL_ROLES and user.org_unit_id is not None


def can_record(user: Any) -> bool:
    return can_open(user)


def can_assign(user: Any) -> bool:
    return _role(user) in (Role.DISTRICT_LEADER, Role.STREET_STAFF) and user.org_unit_id is not None


def is_participant(user: Any, visit: Any) -> bool:
    if not can_open(user):
        return False
    if visit.created_by_id == user.pk:
        return True
    return any(official.pk == user.pk for official in visit.officials.all())


def can_edit(user: Any, visit: Any) -> bool:
    return is_participant(user, visit)


def can_resolve_flag(user: Any, flag: Any) -> bool:
    role = _role(user)
    if role == Role.DISTRICT_LEADER:
        return True
    return role in OFFICIAL_ROLES and flag.raised_by_id == user.pk


def can_configure(user: Any) -> bool:
    return _role(user) == Role.SYSTEM_ADMIN
