"""Scoped reads of research reports, and the org units, officials and records a report may name.

Who sees which report: an official sees the reports of their own org unit and everything below
it (a street clerk its street's, a district official the whole district's), drafts included, and
the final reports of their district as a whole (the district-level reports once they are
decided); an author always sees the reports they write. Officials of another district see none
(404), enterprise users are refused (403, see `permissions.can_open`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from qifu.accounts import scope as scopes
from qifu.accounts.models import OFFICIAL_ROLES, User
from qifu.core.models import Level, OrgUnit
from qifu.lib.quarters import Span
from qifu.reports import permissions
from qifu.reports.models import Report, ReportAttachment, ReportStatus

REPORT_LEVELS = (Level.DISTRICT, Level.STREET)


def reports_for_user(*, user: Any) -> QuerySet[Report]:
    """Every report the user may see (see the module's docstring)."""
    if not permissions.can_open(user):
        return Report.objects.none()
    scope = scopes.scope_for(user)
    unit = scope.org_unit
    if unit is None:
        return Report.objects.none()
    visible = Q(org_unit__path__startswith=unit.path) | Q(created_by=user) | Q(authors=user)
    district = scope.district
    if district is not None and district.pk != unit.pk:
        visible |= Q(status=ReportStatus.FINAL, org_unit=district)
    return Report.objects.filter(pk__in=Report.objects.filter(visible).values("pk"))


@dataclass
class ReportFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    period: Span | None = None
    org_unit: OrgUnit | None = None


def report_list_for_user(*, user: Any, filters: ReportFilters | None = None) -> QuerySet[Report]:
    filters = filters or ReportFilters()
    qs = reports_for_user(user=user)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(title__icontains=text) | Q(summary__icontains=text))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.period is not None:
        if filters.period.is_quarter:
            qs = qs.filter(period=str(filters.period))
        else:  # a year: the year's report and those of its quarters
            qs = qs.filter(period__startswith=str(filters.period.year))
    if filters.org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.org_unit.path)
    return (
        qs.select_related("org_unit", "created_by")
        .prefetch_related(Prefetch("authors", queryset=User.objects.order_by("username")))
        .order_by("-created_at", "-id")
    )


def report_get_for_user(*, user: Any, pk: Any) -> Report:
    """One report the user may see, with its authors and attachments; 404 otherwise."""
    try:
        return (
            reports_for_user(user=user)
            .select_related("org_unit__parent", "created_by")
            .prefetch_related(
                Prefetch("authors", queryset=User.objects.order_by("username")),
                Prefetch(
                    "attachments",
                    queryset=ReportAttachment.objects.select_related("uploaded_by").order_by(
                        "uploaded_at", "id"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attachment_get(*, report: Report, pk: Any) -> ReportAttachment:
    """An attachment of a report already fetched through `report_get_for_user`."""
    found = next((a for a in report.attachments.all() if str(a.pk) == str(pk)), None)
    if found is None:
        raise Http404
    return found


# --- what a report may name ----------------------------------------------------------------------


def units_for_user(*, user: Any) -> QuerySet[OrgUnit]:
    """The district and streets inside the user's scope: what a report may be about."""
    scope = scopes.scope_for(user)
    if not permissions.can_open(user) or scope.org_unit is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        path__startswith=scope.org_unit.path, level__in=REPORT_LEVELS
    ).order_by("path")


def unit_for_drafting(*, user: Any, org_unit: OrgUnit | None) -> OrgUnit:
    """The org unit a report is drafted for: the user's own unit by default, else a district or
    street inside their scope; 404 outside it (a street clerk asking for the district)."""
    scope = scopes.scope_for(user)
    if scope.org_unit is None:
        raise Http404
    unit = org_unit or scope.org_unit
    if unit.level not in REPORT_LEVELS or not unit.path.startswith(scope.org_unit.path):
        raise Http404
    return unit


def district_of(unit: OrgUnit | None) -> OrgUnit | None:
    if unit is None:
        return None
    if unit.level == Level.DISTRICT:
        return unit
    if unit.level == Level.STREET:
        return unit.parent
    return None


def officials_for_user(*, user: Any) -> QuerySet[User]:
    """The officials of the user's district: who may be named an author."""
    district = scopes.scope_for(user).district
    if district is None or not permissions.can_open(user):
        return User.objects.none()
    return officials_of(district=district)


def officials_of(*, district: OrgUnit) -> QuerySet[User]:
    return (
        User.objects.filter(
            Q(org_unit=district) | Q(org_unit__parent=district),
            role__in=OFFICIAL_ROLES,
            is_active=True,
        )
        .select_related("org_unit")
        .order_by("role", "username")
    )


def appeals_drawn_on(*, user: Any, report: Report, limit: int = 200) -> tuple[list[Any], int]:
    """The report's appeals that the user may open (at most `limit`), and how many it has."""
    from qifu.appeals.selectors import appeals_for_user

    linked = Report.appeals.through.objects.filter(report_id=report.pk)
    total = linked.count()
    shown = list(
        appeals_for_user(user=user)
        .filter(pk__in=linked.values("appeal_id"))
        .select_related("enterprise", "category")
        .order_by("-submitted_at", "-id")[:limit]
    )
    return shown, total


def visits_drawn_on(*, user: Any, report: Report, limit: int = 200) -> tuple[list[Any], int]:
    """The report's visits that the user may open (at most `limit`), and how many it has."""
    from qifu.visits.selectors import visits_for_user

    linked = Report.visits.through.objects.filter(report_id=report.pk)
    total = linked.count()
    shown = list(
        visits_for_user(user=user)
        .filter(pk__in=linked.values("visit_id"))
        .prefetch_related("enterprises")
        .order_by("-date", "-id")[:limit]
    )
    return shown, total
