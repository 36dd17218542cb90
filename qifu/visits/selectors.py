"""Scoped reads of visits, assignments, red flags and the coverage arithmetic.

A user sees the visits that met an enterprise inside their scope, and the visits they recorded or
went on; drafts only by the officials who write them. Coverage counts final visits only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qifu.accounts import scope as scopes
from qifu.accounts.models import OFFICIAL_ROLES, User
from qifu.core.models import Level, OrgUnit, Zone
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.lib.quarters import Span
from qifu.visits import permissions
from qifu.visits.models import (
    Assignment,
    PlanStatus,
    Questionnaire,
    QuestionnaireVersion,
    RedFlag,
    Visit,
    VisitPlan,
    VisitStatus,
)

STALE_DAYS = 90  # enterprises not visited for longer than this are listed


# --- visits --------------------------------------------------------------------------------------


def visits_for_user(*, user: Any) -> QuerySet[Visit]:
    """Every visit the user may see: final visits to an enterprise in scope, and their own."""
    if not permissions.can_open(user):
        return Visit.objects.none()
    scope = scopes.scope_for(user)
    own = Q(created_by=user) | Q(officials=user)
    in_scope = Q(
        status=VisitStatus.FINAL, enterprises__in=Enterprise.objects.filter(scope.enterprise_q())
    )
    ids = Visit.objects.filter(own | in_scope).values("pk")
    return Visit.objects.filter(pk__in=ids)


@dataclass
class VisitFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    street: OrgUnit | None = None
    zone: Zone | None = None
    enterprise: Enterprise | None = None
    official: Any = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    with_flags: bool | None = None
    mine: bool = False


def visit_list_for_user(*, user: Any, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    filters = filters or VisitFilters()
    qs = visits_for_user(user=user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.street is not None:
        qs = qs.filter(
            pk__in=Visit.enterprises.through.objects.filter(
                enterprise__street__path__startswith=filters.street.path
            ).values("visit_id")
        )
    if filters.zone is not None:
        qs = qs.filter(
            pk__in=Visit.enterprises.through.objects.filter(
                enterprise__street__zone=filters.zone
            ).values("visit_id")
        )
    if filters.enterprise is not None:
        qs = qs.filter(
            pk__in=Visit.enterprises.through.objects.filter(enterprise=filters.enterprise).values(
                "visit_id"
            )
        )
    if filters.official is not None:
        qs = qs.filter(
            pk__in=Visit.officials.through.objects.filter(user=filters.official).values("visit_id")
        )
    if filters.mine:
        qs = qs.filter(
            Q(created_by=user)
            | Q(pk__in=Visit.officials.through.objects.filter(user=user).values("visit_id"))
        )
    if filters.with_flags is not None:
        flagged = RedFlag.objects.values("visit_id")
        qs = qs.filter(pk__in=flagged) if filters.with_flags else qs.exclude(pk__in=flagged)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(
            Q(purpose__icontains=q)
            | Q(notes__icontains=q)
            | Q(
                pk__in=Visit.enterprises.through.objects.filter(
                    enterprise__name__icontains=q
                ).values("visit_id")
            )
        )
    return (
        qs.select_related("created_by", "questionnaire")
        .prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.select_related("street")),
            "officials",
            Prefetch("red_flags", queryset=RedFlag.objects.order_by("kind")),
            "appeals",
        )
        .order_by("-date", "-id")
    )


def visit_get_for_user(*, user: Any, pk: Any) -> Visit:
    try:
        return (
            visits_for_user(user=user)
            .select_related("created_by", "questionnaire__questionnaire", "plan")
            .prefetch_related(
                Prefetch("enterprises", queryset=Enterprise.objects.select_related("street")),
                "officials",
                "attachments",
                Prefetch(
                    "red_flags",
                    queryset=RedFlag.objects.select_related("enterprise", "resolved_by"),
                ),
                Prefetch("appeals", queryset=_appeals_queryset()),
                "questionnaire__questions",
            )
            .get(pk=pk)
        )
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _appeals_queryset() -> QuerySet[Any]:
    from qifu.appeals.models import Appeal

    return Appeal.objects.select_related("enterprise", "category", "lead_department").order_by(
        "submitted_at"
    )


def visit_answers(visit: Visit) -> list[dict[str, Any]]:
    """The questionnaire of the visit, question by question, with the answer given (if any)."""
    if visit.questionnaire is None:
        return []
    return [
        {"question": q, "answer": visit.answers.get(q.code)}
        for q in visit.questionnaire.questions.all()
    ]


def enterprise_visits(*, user: Any, enterprise: Enterprise, limit: int = 50) -> list[Visit]:
    return list(
        visits_for_user(user=user)
        .filter(status=VisitStatus.FINAL, enterprises=enterprise)
        .prefetch_related("officials", "red_flags", "appeals")
        .order_by("-date", "-id")[:limit]
    )


def questionnaire_for_new_visit() -> QuestionnaireVersion | None:
    from qifu.visits.services import current_questionnaire

    version = current_questionnaire()
    if version is None:
        return None
    return QuestionnaireVersion.objects.prefetch_related("questions").get(pk=version.pk)


def questionnaire_get(*, code: str = "visit") -> Questionnaire:
    """The visit questionnaire (configuration, the same for every official), or 404."""
    found = Questionnaire.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def questionnaire_versions(*, questionnaire: Questionnaire) -> list[QuestionnaireVersion]:
    """Its versions, newest first, with their questions."""
    return list(questionnaire.versions.order_by("-number").prefetch_related("questions"))


def plans_for_user(*, user: Any, upcoming_only: bool = True) -> QuerySet[VisitPlan]:
    if not permissions.can_open(user):
        return VisitPlan.objects.none()
    scope = scopes.scope_for(user)
    ids = VisitPlan.objects.filter(
        Q(created_by=user)
        | Q(officials=user)
        | Q(enterprises__in=Enterprise.objects.filter(scope.enterprise_q()))
    ).values("pk")
    qs = VisitPlan.objects.filter(pk__in=ids)
    if upcoming_only:
        qs = qs.filter(status=PlanStatus.PLANNED)
    return (
        qs.select_related("created_by")
        .prefetch_related("enterprises", "officials")
        .order_by("date", "id")
    )


def plan_get_for_user(*, user: Any, pk: Any) -> VisitPlan:
    try:
        return plans_for_user(user=user, upcoming_only=False).get(pk=pk)
    except (VisitPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- red flags -----------------------------------------------------------------------------------


def red_flags_for_user(
    *,
    user: Any,
    open_only: bool = True,
    street: OrgUnit | None = None,
    zone: Zone | None = None,
) -> QuerySet[RedFlag]:
    """Red flags on enterprises in scope (of a street or a zone); a draft visit's flags are not
    raised yet."""
    if not permissions.can_open(user):
        return RedFlag.objects.none()
    scope = scopes.scope_for(user)
    qs = RedFlag.objects.filter(scope.enterprise_q("enterprise__")).filter(
        Q(visit__isnull=True) | Q(visit__status=VisitStatus.FINAL)
    )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if street is not None:
        qs = qs.filter(enterprise__street__path__startswith=street.path)
    if zone is not None:
        qs = qs.filter(enterprise__street__zone=zone)
    return qs.select_related("enterprise__street", "visit", "raised_by", "resolved_by").order_by(
        "resolved_at", "-raised_on", "-id"
    )


def red_flag_get_for_user(*, user: Any, pk: Any) -> RedFlag:
    try:
        return red_flags_for_user(user=user, open_only=False).get(pk=pk)
    except (RedFlag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- assignments ---------------------------------------------------------------------------------


def assignments_for_user(*, user: Any, active_on: dt.date | None = None) -> QuerySet[Assignment]:
    """Assignments over streets and enterprises inside the user's scope, and the user's own."""
    if not permissions.can_open(user):
        return Assignment.objects.none()
    scope = scopes.scope_for(user)
    unit = scope.org_unit
    if unit is None:
        return Assignment.objects.none()
    qs = Assignment.objects.filter(
        Q(street__path__startswith=unit.path)
        | Q(enterprise__street__path__startswith=unit.path)
        | Q(official=user)
    )
    if active_on is not None:
        qs = qs.filter(starts_on__lte=active_on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=active_on)
        )
    return qs.select_related("official", "street", "enterprise__street", "created_by").order_by(
        "official__username", "street__code", "enterprise__name", "id"
    )


def assignment_get_for_user(*, user: Any, pk: Any) -> Assignment:
    try:
        return assignments_for_user(user=user).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def officials_for_user(*, user: Any) -> QuerySet[User]:
    """The officials of the user's district: who may go on visits and be made responsible."""
    scope = scopes.scope_for(user)
    district = scope.district
    if district is None or not permissions.can_open(user):
        return User.objects.none()
    return User.objects.filter(
        Q(org_unit=district) | Q(org_unit__parent=district),
        role__in=OFFICIAL_ROLES,
        is_active=True,
    ).order_by("role", "username")


def responsible_for(*, enterprise: Enterprise, on: dt.date | None = None) -> list[User]:
    """Who is responsible for visiting the enterprise: named, or through its street."""
    on = on or timezone.localdate()
    covers = Q(enterprise=enterprise) | Q(street_id=enterprise.street_id, key_only=False)
    if enterprise.is_key:
        covers |= Q(street_id=enterprise.street_id, key_only=True)
    rows = (
        Assignment.objects.filter(covers, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("official")
        .order_by("official__username")
    )
    seen: dict[int, User] = {}
    for row in rows:
        seen.setdefault(row.official_id, row.official)
    return list(seen.values())


# --- coverage ------------------------------------------------------------------------------------


@dataclass
class EnterpriseRow:
    enterprise_id: int
    name: str
    street_id: int
    is_key: bool
    officials: list[int] = field(default_factory=list)
    target: int = 1  # visits expected in the period (the highest of its assignments)
    visits: int = 0  # final visits in the period, by anyone
    last_visit: dt.date | None = None  # ever, up to the end of the period
    days_since: int | None = None

    @property
    def visited(self) -> bool:
        return self.visits > 0

    @property
    def on_target(self) -> bool:
        return self.visits >= self.target


class _Share:
    """Not yet visited and the share visited, of whatever counts `assigned` and `visited`."""

    assigned: int
    visited: int

    @property
    def not_visited(self) -> int:
        return self.assigned - self.visited

    @property
    def rate(self) -> float | None:
        return self.visited / self.assigned if self.assigned else None


@dataclass
class OfficialRow(_Share):
    official: User
    assigned: int = 0
    visited: int = 0  # assigned enterprises the official went to in the period
    on_target: int = 0
    visits: int = 0  # distinct final visits of the official in the period
    last_visit: dt.date | None = None
    days_since: int | None = None


@dataclass
class StreetRow(_Share):
    street: OrgUnit
    assigned: int = 0
    visited: int = 0
    red_flags_open: int = 0


@dataclass
class Coverage(_Share):
    span: Span
    org_unit: OrgUnit
    today: dt.date
    stale_days: int
    enterprises: list[EnterpriseRow]
    officials: list[OfficialRow]
    streets: list[StreetRow]
    red_flags_open: int
    assigned: int = field(init=False)
    visited: int = field(init=False)

    def __post_init__(self) -> None:
        self.assigned = len(self.enterprises)
        self.visited = sum(1 for row in self.enterprises if row.visited)

    @property
    def stale(self) -> list[EnterpriseRow]:
        """Assigned enterprises not visited for more than `stale_days` days (or never)."""
        rows = [
            r for r in self.enterprises if r.days_since is None or r.days_since > self.stale_days
        ]
        return sorted(
            rows, key=lambda r: (r.last_visit is not None, r.last_visit or dt.date.min, r.name)
        )

    def rows_of(self, official: Any) -> list[EnterpriseRow]:
        return [r for r in self.enterprises if official.pk in r.officials]


def coverage_unit_for_user(*, user: Any, org_unit: OrgUnit | None = None) -> OrgUnit:
    """The org unit whose coverage is asked: inside the user's scope, or 404."""
    scope = scopes.scope_for(user)
    if not permissions.can_open(user) or scope.org_unit is None:
        raise Http404
    if org_unit is None:
        return scope.org_unit
    if not org_unit.path.startswith(scope.org_unit.path):
        raise Http404
    return org_unit


def coverage(
    *,
    user: Any,
    span: Span,
    org_unit: OrgUnit | None = None,
    official: Any = None,
    stale_days: int = STALE_DAYS,
    today: dt.date | None = None,
    zone: Zone | None = None,
) -> Coverage:
    """Assigned, visited and not yet visited, per official and street, for a quarter (or a year).

    An enterprise is assigned when an assignment in force during the period covers it (named, or
    through its street: the key enterprises, or all). It counts as visited in the unit and street
    totals when any final visit in the period met it; an official's own figures count the
    enterprises assigned to them that they went to themselves, against their own target. Days
    since the last visit are counted to today, or to the end of a period that is over (the last
    visit is the last one up to that day). With `zone`, only the zone's streets and enterprises
    count. Seven queries, whatever the size.
    """
    unit = coverage_unit_for_user(user=user, org_unit=org_unit)
    today = today or timezone.localdate()
    start, end = span.first_day, span.last_day
    as_of = min(today, end)
    quarters = 1 if span.is_quarter else 4

    assignments = list(
        Assignment.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .filter(
            Q(street__path__startswith=unit.path)
            | Q(enterprise__street__path__startswith=unit.path)
        )
        .filter(**({"official": official} if official is not None else {}))
        .filter(
            Q(street__zone=zone) | Q(enterprise__street__zone=zone) if zone is not None else Q()
        )
        .select_related("official")
        .order_by("official__username", "id")
    )
    street_ids = {a.street_id for a in assignments if a.street_id}
    named_ids = {a.enterprise_id for a in assignments if a.enterprise_id}
    candidates = list(
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
        .filter(street__path__startswith=unit.path)
        .filter(**({"street__zone": zone} if zone is not None else {}))
        .filter(Q(street_id__in=street_ids) | Q(pk__in=named_ids))
        .values_list("pk", "name", "street_id", "is_key")
    )
    by_street: dict[int, list[tuple[int, str, int, bool]]] = defaultdict(list)
    by_id = {}
    for row in candidates:
        by_street[row[2]].append(row)
        by_id[row[0]] = row

    rows: dict[int, EnterpriseRow] = {}
    officials: dict[int, OfficialRow] = {}
    pairs: dict[tuple[int, int], int] = {}  # (official, enterprise): the official's target
    for a in assignments:
        if a.street_id:
            covered = [r for r in by_street.get(a.street_id, []) if r[3] or not a.key_only]
        else:
            covered = [by_id[a.enterprise_id]] if a.enterprise_id in by_id else []
        officials.setdefault(a.official_id, OfficialRow(official=a.official))
        target = a.visits_per_quarter * quarters
        for pk, name, street_id, is_key in covered:
            row = rows.setdefault(pk, EnterpriseRow(pk, name, street_id, is_key, target=0))
            row.target = max(row.target, target)
            if a.official_id not in row.officials:
                row.officials.append(a.official_id)
            pairs[(a.official_id, pk)] = max(pairs.get((a.official_id, pk), 0), target)

    through = Visit.enterprises.through.objects.filter(
        visit__status=VisitStatus.FINAL, visit__date__lte=end, enterprise_id__in=list(rows)
    )
    for item in through.values("enterprise_id").annotate(
        last=Max("visit__date"),
        n=Count("visit", filter=Q(visit__date__gte=start), distinct=True),
    ):
        row = rows[item["enterprise_id"]]
        row.visits, row.last_visit = item["n"], item["last"]
        row.days_since = (as_of - item["last"]).days if item["last"] else None

    visited_by: dict[tuple[int, int], int] = {}
    for item in (
        through.filter(visit__date__gte=start, visit__officials__in=list(officials))
        .values("enterprise_id", "visit__officials")
        .annotate(n=Count("visit", distinct=True))
    ):
        visited_by[(item["visit__officials"], item["enterprise_id"])] = item["n"]
    for (official_id, enterprise_id), target in pairs.items():
        orow = officials[official_id]
        orow.assigned += 1
        n = visited_by.get((official_id, enterprise_id), 0)
        if n:
            orow.visited += 1
        if n >= target:
            orow.on_target += 1
    for item in (
        Visit.officials.through.objects.filter(
            visit__status=VisitStatus.FINAL, visit__date__lte=end, user_id__in=list(officials)
        )
        .values("user_id")
        .annotate(last=Max("visit__date"), n=Count("visit", filter=Q(visit__date__gte=start)))
    ):
        orow = officials[item["user_id"]]
        orow.visits, orow.last_visit = item["n"], item["last"]
        orow.days_since = (as_of - item["last"]).days if item["last"] else None

    flags = dict(
        RedFlag.objects.filter(
            resolved_at__isnull=True, enterprise__street__path__startswith=unit.path
        )
        .filter(Q(visit__isnull=True) | Q(visit__status=VisitStatus.FINAL))
        .filter(**({"enterprise__street__zone": zone} if zone is not None else {}))
        .values_list("enterprise__street_id")
        .annotate(n=Count("id"))
    )
    streets = [
        StreetRow(street=s)
        for s in (
            [unit]
            if unit.level == Level.STREET
            else OrgUnit.objects.filter(level=Level.STREET, path__startswith=unit.path)
            .filter(**({"zone": zone} if zone is not None else {}))
            .order_by("code")
        )
    ]
    street_rows = {s.street.pk: s for s in streets}
    for row in rows.values():
        srow = street_rows.get(row.street_id)
        if srow is not None:
            srow.assigned += 1
            srow.visited += 1 if row.visited else 0
    for street_id, n in flags.items():
        if street_id in street_rows:
            street_rows[street_id].red_flags_open = n
    return Coverage(
        span=span,
        org_unit=unit,
        today=today,
        stale_days=stale_days,
        enterprises=sorted(rows.values(), key=lambda r: (r.visited, r.name)),
        officials=sorted(officials.values(), key=lambda o: (o.official.role, o.official.username)),
        streets=streets,
        red_flags_open=sum(flags.values()),
    )


# --- the command centre's figures ----------------------------------------------------------------


@dataclass
class VisitFigures:
    coverage: Coverage  # assigned, visited and the rate of the period, per street too
    visits: int  # final visits dated in the period (the visit list, status final)
    red_flags_open: int  # open now (the red flags list)


def visit_figures(
    *,
    user: Any,
    span: Span,
    street: OrgUnit | None = None,
    zone: Zone | None = None,
    today: dt.date | None = None,
) -> VisitFigures:
    """The coverage of the period (of a street or a zone), the final visits dated in it and the red
    flags open now, each counted as its page counts it. Nine queries, whatever the size."""
    return VisitFigures(
        coverage=coverage(user=user, span=span, org_unit=street, zone=zone, today=today),
        visits=visit_list_for_user(
            user=user,
            filters=VisitFilters(
                status=str(VisitStatus.FINAL),
                street=street,
                zone=zone,
                date_from=span.first_day,
                date_to=span.last_day,
            ),
        ).count(),
        red_flags_open=red_flags_for_user(user=user, street=street, zone=zone).count(),
    )
