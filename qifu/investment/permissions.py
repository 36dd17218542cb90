"""Who may do what in investment promotion. Which rows a user sees is `selectors`.

- investment staff (招商) and district leaders: read and write leads, channels and resources of
  their district;
- the district's other officials (department, street and statistics staff): read the resource
  database (a street clerk: the resources of their street), not leads or channels, which hold
  investors' confidential intentions;
- enterprise users, the three administrators, the auditor and users without a role: nothing.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import Role

MANAGERS = frozenset({Role.INVESTMENT_STAFF, Role.DISTRICT_LEADER})
RESOURCE_READERS = MANAGERS | {Role.DEPARTMENT_STAFF, Role.STREET_STAFF, Role.STATISTICS_STAFF}


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    return user.role if user.org_unit_id is not None else ""


def can_manage(user: Any) -> bool:
    """Read and write leads, channels and resources (of the user's own district)."""
    return _role(user) in MANAGERS


def can_read_resources(user: Any) -> bool:
    return _role(user) in RESOURCE_READERS


def can_open(user: Any) -> bool:
    """The module appears in the navigation."""
    return can_read_resources(user)
