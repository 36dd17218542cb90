"""Scoped reads of the registry: lists, the enterprise file, its timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from qifu.accounts import scope
from qifu.audit.models import AuditEvent
from qifu.core.models import OrgUnit, Zone
from qifu.enterprises import permissions
from qifu.enterprises.models import Contact, Enterprise, Park, Status

SORTABLE = {
    "name": "name",
    "credit_code": "credit_code",
    "street": "street__path",
    "industry": "industry_code",
    "capital": "registered_capital",
    "established": "established_on",
    "updated": "updated_at",
}


def enterprises_for_user(*, user: Any) -> QuerySet[Enterprise]:
    """Every enterprise the user may see, nothing else."""
    return Enterprise.objects.filter(scope.scope_for(user).enterprise_q())


def enterprise_list_for_user(
    *, user: Any, filters: dict[str, Any] | None = None, ordering: str = ""
) -> QuerySet[Enterprise]:
    filters = filters or {}
    qs = enterprises_for_user(user=user)
    if filters.get("search"):
        text = filters["search"].strip()
        qs = qs.filter(Q(name__icontains=text) | Q(credit_code__icontains=text.upper()))
    if filters.get("street"):
        qs = qs.filter(street__code=filters["street"])
    if filters.get("zone"):
        qs = qs.filter(street__zone__code=filters["zone"])
    if filters.get("section"):
        qs = qs.filter(industry_section=filters["section"])
    for flag in ("is_above_scale", "is_key"):
        if filters.get(flag) in (True, False):
            qs = qs.filter(**{flag: filters[flag]})
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("tag"):
        qs = qs.filter(pk__in=Enterprise.objects.filter(tags__name=filters["tag"]).values("pk"))
    if filters.get("park"):
        qs = qs.filter(park_id=filters["park"])
    order = ordering.lstrip("-")
    field = SORTABLE.get(order, "name")
    prefix = "-" if ordering.startswith("-") and order in SORTABLE else ""
    return (
        qs.select_related("street__zone", "park", "responsible_leader")
        .prefetch_related(
            "tags", Prefetch("contacts", queryset=Contact.objects.order_by("sort_order", "id"))
        )
        .order_by(f"{prefix}{field}", "id")
    )


@dataclass
class StreetCount:
    street: OrgUnit
    total: int = 0


@dataclass
class EnterpriseFigures:
    """The operating enterprises of a scope: in all, above scale, key, and per street."""

    total: int = 0
    above_scale: int = 0
    key: int = 0
    streets: list[StreetCount] = field(default_factory=list)


def enterprise_figures(
    *, user: Any, street: OrgUnit | None = None, zone: Zone | None = None
) -> EnterpriseFigures:
    """The command centre's enterprise figures, counted like the list filtered by
    `status=operating` (plus `street`, `zone`, `is_above_scale`, `is_key`): the user's scope, now.

    Every street of the scope (of `zone`, or just `street`) has its row, even with no enterprise.
    Two queries, whatever the size."""
    qs = enterprises_for_user(user=user).filter(status=Status.OPERATING)
    streets = streets_for_user(user=user).order_by("sort_order", "code")
    if street is not None:
        qs = qs.filter(street=street)
        streets = streets.filter(pk=street.pk)
    if zone is not None:
        qs = qs.filter(street__zone=zone)
        streets = streets.filter(zone=zone)
    counts = {
        row["street_id"]: row
        for row in qs.order_by()
        .values("street_id")
        .annotate(
            total=Count("id"),
            above=Count("id", filter=Q(is_above_scale=True)),
            key=Count("id", filter=Q(is_key=True)),
        )
    }
    result = EnterpriseFigures()
    for row in counts.values():
        result.total += row["total"]
        result.above_scale += row["above"]
        result.key += row["key"]
    result.streets = [
        StreetCount(street=s, total=counts.get(s.pk, {}).get("total", 0)) for s in streets
    ]
    return result


def enterprise_get_for_user(*, user: Any, pk: Any, for_write: bool = False) -> Enterprise:
    """The enterprise if the user may see it (and change it, with `for_write`); else 404."""
    try:
        enterprise = (
            enterprises_for_user(user=user)
            .select_related("street__zone", "street__parent", "park", "responsible_leader")
            .prefetch_related(
                "tags", Prefetch("contacts", queryset=Contact.objects.order_by("sort_order", "id"))
            )
            .get(pk=pk)
        )
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_write and not permissions.can_edit(user, enterprise):
        raise Http404
    return enterprise


def contact_get_for_user(*, user: Any, enterprise: Enterprise, pk: Any) -> Contact:
    for contact in enterprise.contacts.all():
        if str(contact.pk) == str(pk):
            return contact
    raise Http404


def enterprise_timeline(*, enterprise: Enterprise, limit: int = 200) -> list[AuditEvent]:
    """What happened to the enterprise, newest first, from the audit trail."""
    return list(
        AuditEvent.objects.filter(
            object_type="enterprises.enterprise", object_id=str(enterprise.pk)
        ).order_by("-created_at", "-id")[:limit]
    )


def streets_for_user(*, user: Any) -> QuerySet[OrgUnit]:
    """Streets a user may choose for an enterprise (filters, forms, import)."""
    return scope.visible_org_units(user).filter(level="street").select_related("zone")


def zones_for_user(*, user: Any) -> QuerySet[Zone]:
    street_ids = streets_for_user(user=user).values("zone_id")
    return Zone.objects.filter(pk__in=street_ids).order_by("sort_order")


def parks() -> QuerySet[Park]:
    return Park.objects.order_by("name")


def district_leaders_for_user(*, user: Any) -> QuerySet[Any]:
    from qifu.accounts.models import Role, User

    district = scope.scope_for(user).district
    if district is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.DISTRICT_LEADER, org_unit=district, is_active=True
    ).order_by("username")


def streets_none() -> QuerySet[OrgUnit]:
    """A placeholder queryset for serializer fields that are scoped per request."""
    return OrgUnit.objects.none()


def enterprises_none() -> QuerySet[Enterprise]:
    """A placeholder queryset for serializer fields that are scoped per request."""
    return Enterprise.objects.none()
