"""Scoped reads of investment promotion: every list, every object and the matching of a lead's
needs to resources start from `permissions` and the user's scope (`qifu.accounts.scope`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from qifu.accounts import scope
from qifu.accounts.models import Role, User
from qifu.audit.models import AuditEvent
from qifu.core.models import Level, OrgUnit
from qifu.investment import permissions
from qifu.investment.models import (
    OPEN_LEAD_STATUSES,
    Channel,
    ContactLog,
    FollowUp,
    Lead,
    Resource,
    ResourceKind,
    ResourceStatus,
)

# --- scope -------------------------------------------------------------------------------------


def _unit_q(user: Any, prefix: str) -> Q | None:
    """Rows whose org unit (through `prefix`) lies in the user's org unit; None: no rows."""
    s = scope.scope_for(user)
    if s.org_unit is None:
        return None
    return Q(**{f"{prefix}path__startswith": s.org_unit.path})


def leads_for_user(*, user: Any) -> QuerySet[Lead]:
    q = _unit_q(user, "district__") if permissions.can_manage(user) else None
    return Lead.objects.filter(q) if q is not None else Lead.objects.none()


def channels_for_user(*, user: Any) -> QuerySet[Channel]:
    q = _unit_q(user, "district__") if permissions.can_manage(user) else None
    return Channel.objects.filter(q) if q is not None else Channel.objects.none()


def resources_for_user(*, user: Any) -> QuerySet[Resource]:
    q = _unit_q(user, "street__") if permissions.can_read_resources(user) else None
    return Resource.objects.filter(q) if q is not None else Resource.objects.none()


def home_district(*, user: Any) -> OrgUnit | None:
    """The district whose investment work the user does (None: the user manages none)."""
    if not permissions.can_manage(user):
        return None
    return scope.scope_for(user).district


def streets_for_user(*, user: Any) -> QuerySet[OrgUnit]:
    """The streets a user may choose for a resource or a lead: those inside their scope."""
    q = _unit_q(user, "") if permissions.can_read_resources(user) else None
    if q is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(q, level=Level.STREET).order_by("sort_order", "code")


def owners_for_user(*, user: Any) -> QuerySet[User]:
    """Who may own a lead: the investment staff and leaders of the user's district."""
    district = home_district(user=user)
    if district is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        role__in=[Role.INVESTMENT_STAFF, Role.DISTRICT_LEADER],
        org_unit=district,
    ).order_by("username")


# --- lists ---------------------------------------------------------------------------------------


def lead_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Lead]:
    f = filters or {}
    qs = leads_for_user(user=user)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("open"):
        qs = qs.filter(status__in=OPEN_LEAD_STATUSES)
    if f.get("channel") is not None:
        qs = qs.filter(channel=f["channel"])
    if f.get("channel_kind"):
        qs = qs.filter(channel__kind=f["channel_kind"])
    if f.get("owner") is not None:
        qs = qs.filter(owner=f["owner"])
    if f.get("land_use"):
        qs = qs.filter(land_use=f["land_use"])
    if f.get("search"):
        text = f["search"].strip()
        qs = qs.filter(
            Q(investor__icontains=text)
            | Q(title__icontains=text)
            | Q(industry__icontains=text)
            | Q(origin__icontains=text)
        )
    return (
        qs.select_related("channel", "owner", "preferred_street")
        .annotate(follow_up_count=Count("follow_ups"), last_follow_up=Max("follow_ups__date"))
        .order_by("-created_at", "-id")
    )


def resource_list_for_user(
    *, user: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Resource]:
    f = filters or {}
    qs = resources_for_user(user=user)
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("street") is not None:
        qs = qs.filter(street=f["street"])
    if f.get("land_use"):
        qs = qs.filter(land_use=f["land_use"])
    if f.get("min_area") is not None:
        qs = qs.filter(
            Q(kind=ResourceKind.LAND, area_mu__gte=f["min_area"])
            | (~Q(kind=ResourceKind.LAND) & Q(area_m2__gte=f["min_area"]))
        )
    if f.get("max_area") is not None:
        qs = qs.filter(
            Q(kind=ResourceKind.LAND, area_mu__lte=f["max_area"])
            | (~Q(kind=ResourceKind.LAND) & Q(area_m2__lte=f["max_area"]))
        )
    if f.get("search"):
        text = f["search"].strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(location__icontains=text)
            | Q(building__icontains=text)
            | Q(owner_name__icontains=text)
        )
    return qs.select_related("street", "reserved_lead", "project").order_by(
        "kind", "street__sort_order", "street__code", "name", "id"
    )


def channel_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Channel]:
    f = filters or {}
    qs = channels_for_user(user=user)
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("active") in (True, False):
        qs = qs.filter(is_active=f["active"])
    if f.get("search"):
        text = f["search"].strip()
        qs = qs.filter(Q(name__icontains=text) | Q(contacts__name__icontains=text)).distinct()
    return (
        qs.prefetch_related("contacts")
        .annotate(
            lead_count=Count("leads", distinct=True),
            last_contact=Max("logs__date"),
        )
        .order_by("kind", "name", "id")
    )


# --- one object ----------------------------------------------------------------------------------


def lead_get_for_user(*, user: Any, pk: Any) -> Lead:
    try:
        return (
            leads_for_user(user=user)
            .select_related(
                "district",
                "channel",
                "owner",
                "preferred_street",
                "created_by",
                "converted_project",
            )
            .prefetch_related(
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related("by").order_by("-date", "-id"),
                ),
                Prefetch("reserved_resources", queryset=Resource.objects.select_related("street")),
            )
            .get(pk=pk)
        )
    except (Lead.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def resource_get_for_user(*, user: Any, pk: Any) -> Resource:
    try:
        return (
            resources_for_user(user=user)
            .select_related("street", "reserved_lead", "created_by", "project")
            .get(pk=pk)
        )
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def channel_get_for_user(*, user: Any, pk: Any) -> Channel:
    try:
        return (
            channels_for_user(user=user)
            .select_related("district")
            .prefetch_related(
                "contacts",
                Prefetch(
                    "logs",
                    queryset=ContactLog.objects.select_related("contact", "by").order_by(
                        "-date", "-id"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except (Channel.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_leads_for_user(*, user: Any) -> QuerySet[Lead]:
    """Leads a resource may be reserved for: the open leads of the user's district."""
    return leads_for_user(user=user).filter(status__in=OPEN_LEAD_STATUSES).order_by("investor")


def history(obj: Any) -> list[AuditEvent]:
    """The object's changes, read from the audit trail (newest first)."""
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("-created_at", "-id")[:100]
    )


# --- matching a lead's needs to resources ---------------------------------------------------

# a resource fits when its area is at least this share of what the lead needs
AREA_TOLERANCE = Decimal("0.8")


@dataclass
class Match:
    resource: Resource
    score: int
    reasons: list[str] = field(default_factory=list)


def lead_matches(*, user: Any, lead: Lead, limit: int = 50) -> list[Match]:
    """Available resources of the lead's district that meet its needs, best first.

    - a need for land (亩) matches land parcels, a need for floor space (m²) plants and building
      floors; a lead without either matches every kind;
    - the area must be at least 80% of the need; the closer to the need, the better;
    - the use must be the lead's (a mixed-use resource suits any use);
    - resources in the lead's preferred street come first.
    """
    qs = resources_for_user(user=user).filter(
        status=ResourceStatus.AVAILABLE, street__parent_id=lead.district_id
    )
    kinds: list[Any] = []
    if lead.land_area_mu:
        kinds.append(ResourceKind.LAND)
        land_q = Q(kind=ResourceKind.LAND, area_mu__gte=lead.land_area_mu * AREA_TOLERANCE)
    else:
        land_q = Q(pk__in=[])
    if lead.floor_area_m2:
        kinds += [ResourceKind.PLANT, ResourceKind.BUILDING]
        floor_q = Q(
            kind__in=[ResourceKind.PLANT, ResourceKind.BUILDING],
            area_m2__gte=lead.floor_area_m2 * AREA_TOLERANCE,
        )
    else:
        floor_q = Q(pk__in=[])
    if kinds:
        qs = qs.filter(land_q | floor_q)
    if lead.land_use:
        qs = qs.filter(land_use__in=[lead.land_use, "mixed"])
    matches = []
    for resource in qs.select_related("street")[:500]:
        score, reasons = 50, []
        need = lead.land_area_mu if resource.kind == ResourceKind.LAND else lead.floor_area_m2
        area = resource.area_mu if resource.kind == ResourceKind.LAND else resource.area_m2
        if need and area is not None:
            ratio = area / need
            if ratio >= 1:
                reasons.append(_("area enough"))
                score += 30 if ratio <= 2 else 10
            else:
                reasons.append(_("area slightly small"))
        if lead.land_use and resource.land_use == lead.land_use:
            score += 10
            reasons.append(_("same use"))
        if lead.preferred_street_id and resource.street_id == lead.preferred_street_id:
            score += 20
            reasons.append(_("in the preferred street"))
        matches.append(Match(resource=resource, score=min(score, 100), reasons=reasons))
    matches.sort(key=lambda m: (-m.score, m.resource.name))
    return matches[:limit]
