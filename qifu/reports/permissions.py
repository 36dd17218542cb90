"""Who may act on research reports. Which reports a user may see is `selectors.reports_for_user`.

- Officials of a district (leaders, street, department, investment and statistics staff) open
  the reports, write new ones and draft them from the data of their scope.
- A draft is changed by its authors (and whoever created it); a final report is not changed.
- A report is made final by its authors or by a district leader over its org unit; it is reopened
  as a draft by the same people.
- Enterprise users, the public and the administrators do not see reports.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def can_open(user: Any) -> bool:
    return _role(user) in OFFICIAL_ROLES and user.org_unit_id is not None


def can_create(user: Any) -> bool:
    return can_open(user)


def is_author(user: Any, report: Any) -> bool:
    if not can_open(user):
        return False
    if report.created_by_id == user.pk:
        return True
    return any(author.pk == user.pk for author in report.authors.all())


def is_leader_over(user: Any, report: Any) -> bool:
    """A district leader whose scope holds the report's org unit."""
    if _role(user) != Role.DISTRICT_LEADER or user.org_unit_id is None:
        return False
    return bool(report.org_unit.path.startswith(user.org_unit.path))


def can_edit(user: Any, report: Any) -> bool:
    return is_author(user, report)


def can_finalise(user: Any, report: Any) -> bool:
    return is_author(user, report) or is_leader_over(user, report)


def can_reopen(user: Any, report: Any) -> bool:
    return is_author(user, report) or is_leader_over(user, report)
