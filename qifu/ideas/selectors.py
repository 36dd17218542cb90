"""Reads of ideas: the public portal's (published ideas only, never a contact) and the staff's
(within their scope: the district's leaders see the district's ideas, a department the ideas it
has been given)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qifu.core.models import Department, Level, OrgUnit, Zone
from qifu.ideas import permissions
from qifu.ideas.models import (
    PUBLIC_STATUSES,
    AnswerStatus,
    BlockedSender,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Progress,
    Report,
    Status,
    Topic,
)
from qifu.lib.similarity import most_similar

S: Any = Status  # mypy sees a choice as its (value, label)
ALL_DISTRICT = "all"  # the zone filter's value for ideas about the whole district
SIMILAR_POOL = 2000


def portal_district() -> OrgUnit:
    """The district whose portal this is: `QIFU_IDEAS_DISTRICT` (a code), or the first district
    that has zones."""
    code = getattr(settings, "QIFU_IDEAS_DISTRICT", "")
    units = OrgUnit.objects.filter(level=Level.DISTRICT)
    found = (
        units.filter(code=code).first()
        if code
        else units.filter(zones__isnull=False).order_by("sort_order", "code").first()
    )
    if found is None:
        raise Http404("no district")
    return found


def zones(district: OrgUnit) -> list[Zone]:
    return list(Zone.objects.filter(district=district))


def departments(district: OrgUnit) -> QuerySet[Department]:
    return Department.objects.filter(district=district, is_active=True).order_by("name")


def _filtered(qs: QuerySet[Idea], filters: dict[str, Any]) -> QuerySet[Idea]:
    zone = filters.get("zone") or ""
    if zone == ALL_DISTRICT:
        qs = qs.filter(zone__isnull=True)
    elif zone:
        qs = qs.filter(zone__code=zone)
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return qs


# --- the public ---------------------------------------------------------------------------------


def public_ideas(*, district: OrgUnit, filters: dict[str, Any] | None = None) -> QuerySet[Idea]:
    qs = Idea.objects.filter(district=district, status__in=PUBLIC_STATUSES, hidden=False)
    qs = _filtered(qs, filters or {})
    return qs.select_related("zone", "department", "duplicate_of").order_by("-published_at", "-id")


def public_idea_get(*, district: OrgUnit, pk: Any) -> Idea:
    try:
        return (
            public_ideas(district=district)
            .prefetch_related(Prefetch("progress", queryset=Progress.objects.order_by("on", "id")))
            .get(pk=int(pk))
        )
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def idea_by_tracking_code(*, code: str) -> Idea:
    from qifu.ideas.services import tracking_hash

    found = (
        Idea.objects.select_related("zone", "department", "duplicate_of")
        .prefetch_related("progress")
        .filter(tracking_hash=tracking_hash(code))
        .first()
    )
    if found is None or not (code or "").strip():
        raise Http404
    return found


AUTHOR_EVENTS = (
    "submit",
    "publish",
    "reject",
    "assign",
    "approve_answer",
    "adopt",
    "decline",
    "mark_duplicate",
    "withdraw",
    "progress",
)


def author_timeline(idea: Idea) -> list[IdeaEvent]:
    """What the author may read of the idea's history (no internal drafts, no names)."""
    return list(idea.events.filter(action__in=AUTHOR_EVENTS).order_by("at", "id"))


def similar_public(*, district: OrgUnit, text: str, limit: int = 5) -> list[Idea]:
    """Published ideas that resemble what is being written (open ones first in the pool)."""
    if len((text or "").strip()) < 4:
        return []
    pool = list(
        Idea.objects.filter(district=district, status__in=PUBLIC_STATUSES, hidden=False)
        .exclude(status=Status.DUPLICATE)
        .order_by("-published_at")
        .values_list("pk", "title", "body")[:SIMILAR_POOL]
    )
    found = most_similar(text, [(pk, f"{t} {t} {b}") for pk, t, b in pool], limit=limit)
    by_pk = Idea.objects.select_related("zone").in_bulk([m.key for m in found])
    return [by_pk[m.key] for m in found if m.key in by_pk]


def adopted_ideas(*, district: OrgUnit, filters: dict[str, Any] | None = None) -> QuerySet[Idea]:
    """ "You said, we did": adopted ideas with what was done since, latest decision first."""
    return (
        public_ideas(district=district, filters=filters)
        .filter(status=Status.ADOPTED)
        .prefetch_related(Prefetch("progress", queryset=Progress.objects.order_by("on", "id")))
        .order_by("-decided_at", "-id")
    )


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def idea_stats(
    *, ideas: QuerySet[Idea], district: OrgUnit, since: dt.date | None = None
) -> dict[str, Any]:
    """Counts by zone, topic and state, the adoption rate and the average days to an answer.

    `ideas` is the pool (public ideas for the portal, the user's scope for staff). Three queries.
    """
    if since is not None:
        ideas = ideas.filter(submitted_at__date__gte=since)
    rows = list(ideas.values("zone_id", "topic", "status").annotate(n=Count("id")).order_by())
    answered = list(
        ideas.filter(answered_at__isnull=False).values_list("submitted_at", "answered_at")
    )
    zone_names = {z.pk: z.name for z in zones(district)}
    by_zone: Counter[Any] = Counter()
    by_topic: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    matrix: dict[Any, Counter[str]] = {}
    for row in rows:
        by_zone[row["zone_id"]] += row["n"]
        by_topic[row["topic"]] += row["n"]
        by_status[row["status"]] += row["n"]
        matrix.setdefault(row["zone_id"], Counter())[row["status"]] += row["n"]
    total = sum(by_status.values())
    adopted = by_status[S.ADOPTED]
    decided = adopted + by_status[S.DECLINED]
    days = [(a - s).total_seconds() / 86400 for s, a in answered]

    def zone_row(zone_id: Any, name: str) -> dict[str, Any]:
        counts = matrix.get(zone_id, Counter())
        zone_decided = counts[S.ADOPTED] + counts[S.DECLINED]
        return {
            "key": zone_id,
            "name": name,
            "total": by_zone[zone_id],
            "adopted": counts[S.ADOPTED],
            "adoption_rate": _rate(counts[S.ADOPTED], zone_decided),
        }

    zone_rows = [zone_row(pk, name) for pk, name in zone_names.items()]
    zone_rows.append(zone_row(None, str(_whole_district())))
    return {
        "total": total,
        "adopted": adopted,
        "declined": by_status[S.DECLINED],
        "decided": decided,
        "answered": len(days),
        "adoption_rate": _rate(adopted, decided),
        "average_days_to_answer": round(sum(days) / len(days), 1) if days else None,
        "by_zone": zone_rows,
        "by_topic": [
            {"key": value, "name": label, "total": by_topic[value]}
            for value, label in Topic.choices
        ],
        "by_status": [
            {"key": value, "name": label, "total": by_status[value]}
            for value, label in Status.choices
            if by_status[value] or value in PUBLIC_STATUSES
        ],
    }


def _whole_district() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("Whole district")


# --- staff --------------------------------------------------------------------------------------


def ideas_for_user(*, user: Any) -> QuerySet[Idea]:
    """The ideas a member of staff may open: the district's for its leaders, a department's own."""
    district = permissions.district_id(user)
    if permissions.is_moderator(user):
        return Idea.objects.filter(district_id=district)
    if permissions.is_department_staff(user):
        return Idea.objects.filter(district_id=district, department_id=user.department_id)
    return Idea.objects.none()


# the staff list's date filters: (from, to) parameter names → the field whose local day counts
DATE_FILTERS = {
    ("submitted_from", "submitted_to"): "submitted_at",
    ("answered_from", "answered_to"): "answered_at",
    ("decided_from", "decided_to"): "decided_at",
}


def between(field: str, first: dt.date | None, last: dt.date | None) -> Q:
    """Rows whose `field` (a moment) falls on a local day from `first` to `last` (either may be
    None: no bound)."""
    zone = timezone.get_current_timezone()
    q = Q()
    if first is not None:
        q &= Q(**{f"{field}__gte": dt.datetime.combine(first, dt.time.min, tzinfo=zone)})
    if last is not None:
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        q &= Q(**{f"{field}__lt": end})
    return q


def idea_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Idea]:
    """The staff list: `_filtered`'s filters, a queue, and the days an idea was submitted,
    answered (its official answer published) or decided (`DATE_FILTERS`)."""
    filters = filters or {}
    qs = _filtered(ideas_for_user(user=user), filters)
    for (first, last), field in DATE_FILTERS.items():
        if filters.get(first) or filters.get(last):
            qs = qs.filter(between(field, filters.get(first), filters.get(last)))
    queue = filters.get("queue") or ""
    if queue == "review":
        qs = qs.filter(status=Status.SUBMITTED)
    elif queue == "reports":
        qs = qs.filter(Q(hidden=True) | Q(open_reports__gt=0))
    elif queue == "approval":
        qs = qs.filter(answers__status=AnswerStatus.PENDING)
    elif queue == "evaluating":
        qs = qs.filter(status=Status.EVALUATING).exclude(answers__status=AnswerStatus.PENDING)
    return (
        qs.select_related("zone", "department")
        .annotate(pending_answers=Count("answers", filter=Q(answers__status=AnswerStatus.PENDING)))
        .order_by("-submitted_at", "-id")
    )


def idea_get_for_user(*, user: Any, pk: Any) -> Idea:
    try:
        return (
            ideas_for_user(user=user)
            .select_related("zone", "department", "duplicate_of", "district", "answered_by")
            .get(pk=int(pk))
        )
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def queue_counts(*, user: Any) -> dict[str, int]:
    """The moderation and answering queues, for the staff's landing page (one query)."""
    qs = ideas_for_user(user=user)
    # as idea_list_for_user's queues: an idea whose answer awaits approval is in "approval" only
    pending = IdeaAnswer.objects.filter(idea=OuterRef("pk"), status=AnswerStatus.PENDING)
    return qs.aggregate(
        review=Count("id", filter=Q(status=Status.SUBMITTED), distinct=True),
        reports=Count("id", filter=Q(hidden=True) | Q(open_reports__gt=0), distinct=True),
        approval=Count("id", filter=Q(answers__status=AnswerStatus.PENDING), distinct=True),
        evaluating=Count(
            "id", filter=Q(status=Status.EVALUATING) & ~Q(Exists(pending)), distinct=True
        ),
    )


def staff_timeline(idea: Idea) -> list[IdeaEvent]:
    return list(idea.events.select_related("actor").order_by("at", "id"))


def answers(idea: Idea) -> list[IdeaAnswer]:
    return list(
        idea.answers.select_related("department", "drafted_by", "decided_by").order_by(
            "-drafted_at", "-id"
        )
    )


def pending_answer(idea: Idea) -> IdeaAnswer | None:
    return next((a for a in answers(idea) if a.status == AnswerStatus.PENDING), None)


def open_reports(idea: Idea) -> list[Report]:
    """The public's reports on the idea that no moderator has reviewed yet."""
    return list(idea.reports.filter(reviewed_at__isnull=True).order_by("created_at", "id"))


def progress(idea: Idea) -> list[Progress]:
    return list(idea.progress.select_related("by").order_by("on", "id"))


def blocks_for_user(*, user: Any) -> QuerySet[BlockedSender]:
    if not permissions.is_moderator(user):
        return BlockedSender.objects.none()
    return BlockedSender.objects.filter(district_id=permissions.district_id(user)).select_related(
        "created_by"
    )


def block_get_for_user(*, user: Any, pk: Any) -> BlockedSender:
    try:
        return blocks_for_user(user=user).get(pk=int(pk))
    except (BlockedSender.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def duplicate_targets(*, idea: Idea) -> QuerySet[Idea]:
    """Published ideas of the district that this one may be marked a duplicate of."""
    return (
        Idea.objects.filter(district_id=idea.district_id, status__in=PUBLIC_STATUSES)
        .exclude(status=Status.DUPLICATE)
        .exclude(pk=idea.pk)
        .order_by("-published_at")
    )


def dashboard_figures(
    *, user: Any, first_day: dt.date, last_day: dt.date, zone: str = ""
) -> dict[str, int]:
    """For the command centre, within the staff's scope (and of one zone, a code, when given):
    the ideas received (submitted), answered (official answer published) and adopted (decided so)
    from `first_day` to `last_day`, as the staff list counts them with its date filters. One
    query."""
    qs = _filtered(ideas_for_user(user=user), {"zone": zone})
    return qs.aggregate(
        received=Count("id", filter=between("submitted_at", first_day, last_day)),
        answered=Count("id", filter=between("answered_at", first_day, last_day)),
        adopted=Count(
            "id", filter=Q(status=Status.ADOPTED) & between("decided_at", first_day, last_day)
        ),
    )
