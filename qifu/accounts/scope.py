"""The one place that computes what a user may see. Every selector starts here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from qifu.accounts.models import ADMIN_ROLES, OFFICIAL_ROLES, Role
from qifu.core.models import Department, Level, OrgUnit


@dataclass(frozen=True)
class Scope:
    """What a user may see: a subtree of the org tree, and for some roles a narrower slice."""

    role: str
    org_unit: OrgUnit | None
    department_id: int | None
    everything: bool = False  # configuration admins see the whole tree
    enterprise_id: int | None = None  # enterprise users see their own enterprise only

    @property
    def is_empty(self) -> bool:
        return not self.everything and self.org_unit is None

    @property
    def district(self) -> OrgUnit | None:
        unit = self.org_unit
        if unit is None:
            return None
        if unit.level == Level.DISTRICT:
            return unit
        if unit.level == Level.STREET:
            return unit.parent
        return None

    def org_unit_q(self, prefix: str = "") -> Q:
        """A filter for rows whose org unit (reached through `prefix`) lies inside the scope."""
        if self.everything:
            return Q()
        if self.org_unit is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}path__startswith": self.org_unit.path})

    def enterprise_q(self, prefix: str = "") -> Q:
        """A filter for enterprises (reached through `prefix`, e.g. "enterprise__") in scope.

        Officials see the enterprises of the streets inside their org unit; an enterprise user
        sees its own enterprise; the administrators see none (they keep configuration, accounts
        and the audit log, not business data).
        """
        if self.role == Role.ENTERPRISE_USER:
            if self.enterprise_id is None:
                return Q(pk__in=[])
            return Q(**{f"{prefix}pk": self.enterprise_id})
        if self.role in OFFICIAL_ROLES and self.org_unit is not None:
            return Q(**{f"{prefix}street__path__startswith": self.org_unit.path})
        return Q(pk__in=[])


def scope_for(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(role="", org_unit=None, department_id=None)
    role = user.role
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return Scope(role=role, org_unit=user.org_unit, department_id=None, everything=True)
    if role in OFFICIAL_ROLES:
        return Scope(role=role, org_unit=user.org_unit, department_id=user.department_id)
    if role == Role.ENTERPRISE_USER:
        return Scope(
            role=role, org_unit=user.org_unit, department_id=None, enterprise_id=user.enterprise_id
        )
    # audit admins and users without a role see no business data
    return Scope(role=role, org_unit=None, department_id=None)


def visible_org_units(user: Any) -> QuerySet[OrgUnit]:
    scope = scope_for(user)
    if scope.role == Role.AUDIT_ADMIN:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(scope.org_unit_q())


def visible_departments(user: Any) -> QuerySet[Department]:
    """Departments are the directory of a district's government: its officials see all of them.

    Enterprise users, audit admins and users outside any district see none.
    """
    scope = scope_for(user)
    if scope.everything:
        return Department.objects.all()
    if scope.role not in OFFICIAL_ROLES:
        return Department.objects.none()
    district = scope.district
    if district is None and scope.org_unit is not None:
        # a city-level official sees the departments of every district below
        return Department.objects.filter(district__path__startswith=scope.org_unit.path)
    if district is None:
        return Department.objects.none()
    return Department.objects.filter(district=district)


def is_admin(user: Any) -> bool:
    return getattr(user, "role", "") in ADMIN_ROLES
