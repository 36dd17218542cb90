"""Scoped reads of appeals: lists, one appeal, inboxes, deadlines' colours and the figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qifu.accounts import scope
from qifu.accounts.models import Role
from qifu.appeals import permissions
from qifu.appeals.models import (
    OPEN_STATUSES,
    SATISFIED,
    Appeal,
    AppealEvent,
    Category,
    Extension,
    ExtensionStatus,
    Status,
)
from qifu.core import workdays

ACTIVE_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)


def appeals_for_user(*, user: Any) -> QuerySet[Appeal]:
    """Every appeal the user may see: an enterprise its own (and those it joined), a department
    what it leads or co-handles (the service centre: the district), a street its street's, the
    district roles the district."""
    s = scope.scope_for(user)
    if s.role == Role.ENTERPRISE_USER:
        if s.enterprise_id is None:
            return Appeal.objects.none()
        ids = Appeal.objects.filter(
            Q(enterprise_id=s.enterprise_id) | Q(joined_cases__enterprise_id=s.enterprise_id)
        ).values("pk")
        return Appeal.objects.filter(pk__in=ids)
    if s.role == Role.DEPARTMENT_STAFF and not permissions.is_dispatcher(user):
        ids = Appeal.objects.filter(
            Q(lead_department_id=s.department_id) | Q(co_departments__id=s.department_id)
        ).values("pk")
        return Appeal.objects.filter(pk__in=ids).filter(s.enterprise_q("enterprise__"))
    return Appeal.objects.filter(s.enterprise_q("enterprise__"))


def _listing(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.select_related("enterprise__street", "category", "lead_department").prefetch_related(
        "co_departments"
    )


def appeal_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Appeal]:
    filters = filters or {}
    qs = appeals_for_user(user=user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category__code=filters["category"])
    if filters.get("department"):
        code = filters["department"]
        ids = Appeal.objects.filter(
            Q(lead_department__code=code) | Q(co_departments__code=code)
        ).values("pk")
        qs = qs.filter(pk__in=ids)
    if filters.get("enterprise"):
        enterprise = str(filters["enterprise"])
        qs = qs.filter(enterprise_id=int(enterprise)) if enterprise.isdigit() else qs.none()
    if filters.get("street"):
        qs = qs.filter(enterprise__street__code=filters["street"])
    if filters.get("zone"):
        qs = qs.filter(enterprise__street__zone__code=filters["zone"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("overdue") in (True, False):
        qs = qs.filter(overdue=filters["overdue"])
    if filters.get("supervised"):
        qs = qs.filter(supervised=True)
    if filters.get("flagged"):
        qs = qs.filter(flagged=True)
    if filters.get("search"):
        text = filters["search"].strip()
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(enterprise__name__icontains=text)
        )
    if filters.get("date_from"):
        qs = qs.filter(submitted_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(submitted_at__date__lte=filters["date_to"])
    if filters.get("closed_from"):
        qs = qs.filter(closed_at__date__gte=filters["closed_from"])
    if filters.get("closed_to"):
        qs = qs.filter(closed_at__date__lte=filters["closed_to"])
    return _listing(qs).order_by("-submitted_at", "-id")


def appeal_get_for_user(*, user: Any, pk: Any) -> Appeal:
    try:
        return (
            appeals_for_user(user=user)
            .select_related(
                "enterprise__street__zone",
                "category",
                "lead_department",
                "submitted_by",
                "duplicate_of",
                "common_problem",
            )
            .prefetch_related(
                "co_departments",
                "attachments",
                "contributions__department",
                "supervisions__leader",
                "extensions",
                "duplicates",
                "joined_cases__enterprise",
                Prefetch(
                    "events",
                    queryset=AppealEvent.objects.select_related("actor", "department").order_by(
                        "at", "id"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def deadline_state(appeal: Appeal, today: dt.date | None = None) -> str:
    """green on time, yellow when 1 working day or less is left, red overdue; "" if not running."""
    if appeal.status not in OPEN_STATUSES:
        return ""
    due = appeal.accept_deadline if appeal.status == Status.SUBMITTED else appeal.deadline
    if due is None:
        return ""
    today = today or timezone.localdate()
    if today > due:
        return "red"
    return "yellow" if workdays.working_days_between(today, due) <= 1 else "green"


def due_date(appeal: Appeal) -> dt.date | None:
    return appeal.accept_deadline if appeal.status == Status.SUBMITTED else appeal.deadline


def categories() -> QuerySet[Category]:
    return Category.objects.select_related("default_department").order_by("sort_order", "code")


def category_by_code(code: str) -> Category | None:
    return Category.objects.filter(code=code).first()


def joinable_for_user(*, user: Any) -> QuerySet[Appeal]:
    """What the user is shown while writing: its scope; for an enterprise user, also the appeals
    of its district still open (or awaiting a rating), to which it may add its case."""
    s = scope.scope_for(user)
    own = appeals_for_user(user=user)
    if s.role != Role.ENTERPRISE_USER or s.district is None:
        return own
    return Appeal.objects.filter(
        Q(pk__in=own.values("pk"))
        | Q(
            enterprise__street__parent=s.district,
            status__in=[*OPEN_STATUSES, Status.REPLIED],
            duplicate_of__isnull=True,
        )
    )


def appeal_get_joinable(*, user: Any, pk: Any) -> Appeal:
    """An appeal the user may add its case to (see `joinable_for_user`); 404 otherwise."""
    try:
        return joinable_for_user(user=user).select_related("enterprise").get(pk=pk)
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def similar_candidates(
    *, user: Any, exclude: int | None = None, limit: int = 3000
) -> list[tuple[int, str]]:
    """Recent appeals the user may be shown, as (id, text) for the similarity search."""
    qs = joinable_for_user(user=user).exclude(status=Status.RETURNED)
    if exclude:
        qs = qs.exclude(pk=exclude)
    rows = qs.order_by("-submitted_at").values_list("pk", "title", "description")[:limit]
    return [(pk, f"{title} {description}") for pk, title, description in rows]


def appeals_by_ids(*, user: Any, ids: list[int]) -> list[Appeal]:
    found = {a.pk: a for a in _listing(joinable_for_user(user=user).filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]


def inbox_for_user(*, user: Any) -> list[dict[str, Any]]:
    """What waits for the user, as named lists (each a queryset, bounded queries)."""
    mine = appeals_for_user(user=user)
    boxes: list[tuple[str, str, QuerySet[Appeal]]] = []
    if permissions.is_dispatcher(user):
        pending_ext = Extension.objects.filter(status=ExtensionStatus.PENDING).values("appeal_id")
        boxes += [
            ("to_accept", "submitted", mine.filter(status=Status.SUBMITTED)),
            ("to_assign", "accepted", mine.filter(status=Status.ACCEPTED)),
            ("extensions", "", mine.filter(pk__in=pending_ext, status__in=ACTIVE_STATUSES)),
        ]
    if user.role == Role.DEPARTMENT_STAFF and user.department_id:
        active = [Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED]
        boxes += [
            (
                "to_handle",
                "",
                mine.filter(lead_department_id=user.department_id, status__in=active),
            ),
            (
                "co_handle",
                "",
                mine.filter(co_departments__id=user.department_id, status__in=active),
            ),
        ]
    if user.role == Role.ENTERPRISE_USER:
        boxes += [
            ("to_rate", "replied", mine.filter(status=Status.REPLIED)),
            ("open", "", mine.filter(status__in=OPEN_STATUSES)),
        ]
    if user.role == Role.DISTRICT_LEADER:
        boxes += [("flagged", "", mine.filter(flagged=True, status=Status.CLOSED))]
    if user.role in (Role.STREET_STAFF, Role.DISTRICT_LEADER, Role.DEPARTMENT_STAFF):
        boxes += [("overdue", "", mine.filter(overdue=True, status__in=OPEN_STATUSES))]
    return [
        {
            "key": key,
            "status": status,
            "appeals": _listing(qs).order_by("deadline", "submitted_at")[:50],
        }
        for key, status, qs in boxes
    ]


# --- figures ---------------------------------------------------------------------------------


def appeal_counts(
    *,
    user: Any,
    date_from: dt.date,
    date_to: dt.date,
    street: str = "",
    zone: str = "",
) -> dict[str, int]:
    """The command centre's appeal counts in the user's scope (of a street or a zone, by code),
    each the count of the list with the same filters, in one query:

    - received: submitted between the two days (`date_from`, `date_to`);
    - open: open now (`open=1`);
    - overdue: open now and past their deadline (`overdue=true&open=1`);
    - closed: closed between the two days (`status=closed&closed_from=…&closed_to=…`).
    """
    qs = appeals_for_user(user=user)
    if street:
        qs = qs.filter(enterprise__street__code=street)
    if zone:
        qs = qs.filter(enterprise__street__zone__code=zone)
    open_now = Q(status__in=OPEN_STATUSES)
    return qs.aggregate(
        received=Count(
            "pk", filter=Q(submitted_at__date__gte=date_from, submitted_at__date__lte=date_to)
        ),
        open=Count("pk", filter=open_now),
        overdue=Count("pk", filter=open_now & Q(overdue=True)),
        closed=Count(
            "pk",
            filter=Q(
                status=Status.CLOSED, closed_at__date__gte=date_from, closed_at__date__lte=date_to
            ),
        ),
    )


GROUPINGS = {
    "category": ("category__code", "category__name"),
    "department": ("lead_department__code", "lead_department__name"),
    "street": ("enterprise__street__code", "enterprise__street__name"),
    "channel": ("channel", None),
}


def appeal_stats(*, user: Any, group: str, filters: dict[str, Any]) -> dict[str, Any]:
    """Per group: received, accepted, resolved, on-time rate, average working days to resolve,
    satisfaction rate, reopened; and the headline 为企业解决实际问题 N 类、M 项.

    One query reads the rows (a few columns); the arithmetic is done here, so that working days
    follow the official calendar.
    """
    from qifu.appeals.models import Channel

    key_field, name_field = GROUPINGS.get(group, GROUPINGS["category"])
    qs = appeals_for_user(user=user)
    if filters.get("date_from"):
        qs = qs.filter(submitted_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(submitted_at__date__lte=filters["date_to"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("street"):
        qs = qs.filter(enterprise__street__code=filters["street"])
    if filters.get("zone"):
        qs = qs.filter(enterprise__street__zone__code=filters["zone"])
    fields = [
        key_field,
        "status",
        "accepted_at",
        "replied_at",
        "replied_on_time",
        "satisfaction",
        "reopen_count",
        "resolved",
        "category__code",
    ]
    if name_field:
        fields.append(name_field)
    rows = list(qs.values(*fields))
    channel_names = dict(Channel.choices)
    groups: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {
            "received": 0,
            "accepted": 0,
            "resolved": 0,
            "replied": 0,
            "on_time": 0,
            "days": [],
            "rated": 0,
            "satisfied": 0,
            "reopened": 0,
        }
    )
    names: dict[Any, str] = {}
    for row in rows:
        key = row[key_field] or ""
        names[key] = (row[name_field] if name_field else str(channel_names.get(key, key))) or "—"
        g = groups[key]
        g["received"] += 1
        g["accepted"] += int(row["accepted_at"] is not None)
        g["resolved"] += int(bool(row["resolved"]))
        g["reopened"] += int(row["reopen_count"] > 0)
        if row["replied_at"] is not None:
            g["replied"] += 1
            replied_on = timezone.localdate(row["replied_at"])
            g["on_time"] += int(row["replied_on_time"] is not False)
            if row["accepted_at"] is not None:
                g["days"].append(
                    workdays.working_days_between(
                        timezone.localdate(row["accepted_at"]), replied_on
                    )
                )
        if row["satisfaction"]:
            g["rated"] += 1
            g["satisfied"] += int(row["satisfaction"] in SATISFIED)

    def finish(key: Any, g: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": key,
            "name": names.get(key, "—"),
            "received": g["received"],
            "accepted": g["accepted"],
            "resolved": g["resolved"],
            "on_time_rate": round(100 * g["on_time"] / g["replied"], 1) if g["replied"] else None,
            "average_days": round(sum(g["days"]) / len(g["days"]), 1) if g["days"] else None,
            "satisfaction_rate": round(100 * g["satisfied"] / g["rated"], 1)
            if g["rated"]
            else None,
            "reopened": g["reopened"],
        }

    result = [finish(k, g) for k, g in groups.items()]
    result.sort(key=lambda r: (-r["received"], str(r["name"])))
    total: dict[str, Any] = defaultdict(int)
    total_days: list[int] = []
    for g in groups.values():
        for name in (
            "received",
            "accepted",
            "resolved",
            "replied",
            "on_time",
            "rated",
            "satisfied",
            "reopened",
        ):
            total[name] += g[name]
        total_days += g["days"]
    total["days"] = total_days
    solved_categories = {r["category__code"] for r in rows if r["resolved"]}
    return {
        "rows": result,
        "total": finish("", total),
        "solved_categories": len(solved_categories),
        "solved": sum(1 for r in rows if r["resolved"]),
    }
