"""Scoped reads of policies, programmes, applications and deliveries, and eligibility matching.

Officials of a district see its policies, programmes and applications (street staff: the
applications of the enterprises of their street); an enterprise user sees the published
programmes of its district (and the policies behind them), its own applications and its own
deliveries; anyone else sees nothing.

Matching builds the facts of many enterprises in a fixed number of queries (`facts_for`) and
evaluates the criteria in Python, so matching 300 enterprises against 20 programmes costs the
same number of queries as 30 against 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from qifu.accounts import scope as scopes
from qifu.core.models import Level, OrgUnit, Zone
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.lib import eligibility, industry
from qifu.lib.quarters import Span
from qifu.policies import permissions
from qifu.policies.models import (
    Application,
    ApplicationStatus,
    Delivery,
    Notice,
    Policy,
    PolicyCategory,
    Programme,
    ProgrammeStatus,
)
from qifu.stats.models import SubmissionStatus
from qifu.stats.models import Value as StatValue

PS: Any = ProgrammeStatus
AS: Any = ApplicationStatus
THOUSAND_TO_TEN_THOUSAND = Decimal(10)  # 千元 → 万元


def _today() -> dt.date:
    return timezone.localdate()


def _district_id(user: Any) -> int | None:
    """The district whose policy work the user sees (an enterprise user: its own district)."""
    if permissions.is_official(user):
        return permissions.district_id(user)
    if permissions.is_enterprise_user(user):
        return (
            Enterprise.objects.filter(pk=user.enterprise_id)
            .values_list("street__parent_id", flat=True)
            .first()
        )
    return None


# --- policies ------------------------------------------------------------------------------------


def policies_for_user(*, user: Any) -> QuerySet[Policy]:
    district_id = _district_id(user)
    if district_id is None:
        return Policy.objects.none()
    qs = Policy.objects.filter(department__district_id=district_id)
    if not permissions.is_official(user):
        qs = qs.filter(
            pk__in=Programme.objects.filter(
                status=PS.PUBLISHED, department__district_id=district_id
            ).values("policy_id")
        )
    return qs


@dataclass
class PolicyFilters:
    q: str = ""
    level: str = ""
    category: str = ""  # category code
    department: int | None = None
    validity: str = ""  # "valid" or "expired"


def policy_list_for_user(
    *, user: Any, filters: PolicyFilters | None = None, today: dt.date | None = None
) -> QuerySet[Policy]:
    """Policies, newest first, each marked `is_expired` (expired ones are kept)."""
    filters = filters or PolicyFilters()
    today = today or _today()
    qs = policies_for_user(user=user)
    text = filters.q.strip()
    if text:
        qs = qs.filter(
            Q(title__contains=text) | Q(summary__contains=text) | Q(document_number__contains=text)
        )
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.category:
        qs = qs.filter(pk__in=Policy.objects.filter(categories__code=filters.category).values("pk"))
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    expired = Q(valid_until__lt=today)
    if filters.validity == "expired":
        qs = qs.filter(expired)
    elif filters.validity == "valid":
        qs = qs.exclude(expired)
    return (
        qs.annotate(
            is_expired=Case(
                When(expired, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("department")
        .prefetch_related("categories")
        .order_by("-issued_on", "-id")
    )


def policy_get_for_user(*, user: Any, pk: Any, for_write: bool = False) -> Policy:
    try:
        policy = policy_list_for_user(user=user).prefetch_related("programmes").get(pk=pk)
    except (Policy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_write and not permissions.can_edit_policy(user, policy):
        raise Http404
    return policy


def categories() -> QuerySet[PolicyCategory]:
    return PolicyCategory.objects.all()


# --- programmes ----------------------------------------------------------------------------------


def programmes_for_user(*, user: Any) -> QuerySet[Programme]:
    district_id = _district_id(user)
    if district_id is None:
        return Programme.objects.none()
    qs = Programme.objects.filter(department__district_id=district_id)
    if not permissions.is_official(user):
        qs = qs.filter(status=PS.PUBLISHED)
    return qs


@dataclass
class ProgrammeFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    department: int | None = None
    open_on: dt.date | None = None  # window open on this day


def programme_list_for_user(
    *, user: Any, filters: ProgrammeFilters | None = None
) -> QuerySet[Programme]:
    filters = filters or ProgrammeFilters()
    qs = programmes_for_user(user=user)
    text = filters.q.strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(policy__title__contains=text))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(
            policy__in=Policy.objects.filter(categories__code=filters.category).values("pk")
        )
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.open_on:
        qs = qs.filter(window_opens__lte=filters.open_on, window_closes__gte=filters.open_on)
    return qs.select_related("policy", "department").order_by("-window_closes", "-id")


def programme_get_for_user(*, user: Any, pk: Any, for_write: bool = False) -> Programme:
    try:
        programme = (
            programmes_for_user(user=user)
            .select_related("policy__department", "department")
            .prefetch_related("policy__categories")
            .get(pk=pk)
        )
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_write and not permissions.can_handle(user, programme):
        raise Http404
    return programme


# --- applications --------------------------------------------------------------------------------


def applications_for_user(*, user: Any) -> QuerySet[Application]:
    if permissions.is_enterprise_user(user):
        return Application.objects.filter(enterprise_id=user.enterprise_id)
    district_id = _district_id(user)
    if district_id is None:
        return Application.objects.none()
    scope = scopes.scope_for(user)
    return Application.objects.filter(
        Q(programme__department__district_id=district_id) & scope.enterprise_q("enterprise__")
    )


@dataclass
class ApplicationFilters:
    q: str = ""  # enterprise name
    status: str = ""
    origin: str = ""
    programme: int | None = None
    enterprise: int | None = None
    period: Span | None = None  # submitted in this quarter or year
    street: str = ""  # the enterprise's street (code)
    zone: str = ""  # the zone (code) of the enterprise's street
    live: bool = False  # leave withdrawn applications out
    department: int | None = None  # the programme's department (id): what it reviews


def submitted_in(period: Span) -> Q:
    """Applications submitted in a quarter or year (local days)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def window_overlaps(period: Span, prefix: str = "") -> Q:
    """Programmes (reached through `prefix`) whose application window overlaps a quarter or
    year."""
    return Q(
        **{f"{prefix}window_opens__lte": period.last_day},
        **{f"{prefix}window_closes__gte": period.first_day},
    )


def _street_q(street: str, zone: str, prefix: str = "enterprise__") -> Q:
    q = Q()
    if street:
        q &= Q(**{f"{prefix}street__code": street})
    if zone:
        q &= Q(**{f"{prefix}street__zone__code": zone})
    return q


def application_list_for_user(
    *, user: Any, filters: ApplicationFilters | None = None
) -> QuerySet[Application]:
    filters = filters or ApplicationFilters()
    qs = applications_for_user(user=user)
    if filters.q.strip():
        qs = qs.filter(enterprise__name__contains=filters.q.strip())
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.programme:
        qs = qs.filter(programme_id=filters.programme)
    if filters.enterprise:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.period is not None:
        qs = qs.filter(submitted_in(filters.period))
    qs = qs.filter(_street_q(filters.street, filters.zone))
    if filters.live:
        qs = qs.exclude(status=AS.WITHDRAWN)
    if filters.department:
        qs = qs.filter(programme__department_id=filters.department)
    return qs.select_related(
        "programme__policy", "programme__department", "enterprise__street", "recommended_by"
    ).order_by("-submitted_at", "-id")


def application_get_for_user(*, user: Any, pk: Any, for_write: bool = False) -> Application:
    """The application if the user may see it (and handle it, with `for_write`); else 404."""
    try:
        application = (
            applications_for_user(user=user)
            .select_related(
                "programme__policy",
                "programme__department",
                "enterprise__street",
                "recommended_by",
                "submitted_by",
            )
            .prefetch_related("events__actor", "attachments")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_write and not permissions.can_handle(user, application.programme):
        raise Http404
    return application


# --- deliveries ----------------------------------------------------------------------------------


def deliveries_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Delivery]:
    """An enterprise user: its own copies; officials: the copies sent in their district. With
    `unread_only`, those not read yet."""
    if permissions.is_enterprise_user(user):
        qs = Delivery.objects.filter(enterprise_id=user.enterprise_id)
    elif permissions.is_official(user):
        qs = Delivery.objects.filter(notice__district_id=permissions.district_id(user))
    else:
        return Delivery.objects.none()
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("notice__programme", "enterprise").order_by("-delivered_at", "-id")


def delivery_get_for_user(*, user: Any, pk: Any) -> Delivery:
    try:
        return deliveries_for_user(user=user).get(pk=pk)
    except (Delivery.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- facts and matching --------------------------------------------------------------------------


def _growth(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    if current is None or not base:
        return None
    return ((current - base) / base * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def facts_for(
    enterprises: QuerySet[Enterprise] | Iterable[Enterprise], *, today: dt.date | None = None
) -> dict[int, eligibility.Facts]:
    """The eligibility facts of many enterprises, by id, in four queries whatever their number.

    Revenue is last full year's (sum of the accepted monthly figures, 千元 → 万元), growth is
    that against the year before on a comparable basis (the months that have both), employees
    the latest accepted average. An enterprise without figures has None for them.
    """
    today = today or _today()
    if isinstance(enterprises, QuerySet):
        qs = enterprises
    else:
        qs = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises])
    rows = list(qs.select_related("street__zone").prefetch_related("tags").order_by())
    ids = [e.pk for e in rows]
    last_year = today.year - 1
    accepted = StatValue.objects.filter(
        submission__status=SubmissionStatus.ACCEPTED, submission__enterprise_id__in=ids
    )
    comparable = Q(month__isnull=False, base_month__isnull=False)
    revenue = {
        row["submission__enterprise_id"]: row
        for row in accepted.filter(
            indicator__code="revenue",
            submission__period__gte=f"{last_year}01",
            submission__period__lte=f"{last_year}12",
        )
        .values("submission__enterprise_id")
        .annotate(
            total=Sum("month"),
            current=Sum("month", filter=comparable),
            base=Sum("base_month", filter=comparable),
            n=Count("pk"),
        )
        .order_by()
    }
    employees: dict[int, Decimal] = {}
    for enterprise_id, month, ytd in (
        accepted.filter(indicator__code="employees", submission__period__gte=f"{last_year}01")
        .order_by("submission__period")
        .values_list("submission__enterprise_id", "month", "ytd")
    ):
        value = month if month is not None else ytd
        if value is not None:
            employees[enterprise_id] = value
    result: dict[int, eligibility.Facts] = {}
    for enterprise in rows:
        figures = revenue.get(enterprise.pk)
        total = figures["total"] if figures else None
        street = enterprise.street
        result[enterprise.pk] = eligibility.Facts(
            industry_code=enterprise.industry_code,
            industry_section=enterprise.industry_section,
            street=street.code,
            zone=street.zone.code if street.zone_id else "",
            above_scale=enterprise.is_above_scale,
            key=enterprise.is_key,
            tags=frozenset(t.name for t in enterprise.tags.all()),
            registered_capital=enterprise.registered_capital,
            established_on=enterprise.established_on,
            revenue_last_year=None if total is None else total / THOUSAND_TO_TEN_THOUSAND,
            employees=employees.get(enterprise.pk),
            growth=_growth(figures["current"], figures["base"]) if figures else None,
            today=today,
        )
    return result


def code_names(*, district_id: int | None) -> dict[str, dict[str, str]]:
    """Names of the codes that criteria use (streets, zones, industry sections), for `words`."""
    streets = OrgUnit.objects.filter(level=Level.STREET, parent_id=district_id)
    zones = Zone.objects.filter(district_id=district_id)
    return {
        "street": dict(streets.values_list("code", "name")),
        "zone": dict(zones.values_list("code", "name")),
        "industry": {letter: industry.section_name(letter) for letter in industry_sections()},
    }


def industry_sections() -> list[str]:
    return [chr(c) for c in range(ord("A"), ord("T") + 1)]


@dataclass
class Match:
    """One enterprise against one programme: the conditions met and missed, in words."""

    enterprise: Enterprise | None
    programme: Programme | None
    eligible: bool
    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


@dataclass
class ProgrammeMatches:
    programme: Programme
    heading: str
    conditions: list[str]
    eligible: list[Match]
    near: list[Match]  # missing exactly one condition


def _match(
    criteria: eligibility.Criteria,
    facts: eligibility.Facts,
    names: dict[str, dict[str, str]],
    *,
    enterprise: Enterprise | None = None,
    programme: Programme | None = None,
) -> tuple[Match, eligibility.Result]:
    result = eligibility.evaluate(criteria, facts)
    match = Match(
        enterprise=enterprise,
        programme=programme,
        eligible=result.eligible,
        met=[c.words(names) for c in result.met],
        missed=[c.words(names) for c in result.missed],
    )
    return match, result


def candidates_for(*, user: Any, district_id: int) -> QuerySet[Enterprise]:
    from qifu.enterprises.selectors import enterprises_for_user

    return enterprises_for_user(user=user).filter(
        street__parent_id=district_id, status=EnterpriseStatus.OPERATING
    )


def programme_matches(*, user: Any, programme: Programme) -> ProgrammeMatches:
    """The enterprises (in the user's scope) that qualify, and those one condition short."""
    district_id = programme.department.district_id
    criteria = eligibility.parse(programme.criteria)
    names = code_names(district_id=district_id)
    enterprises = list(
        candidates_for(user=user, district_id=district_id)
        .select_related("street__zone")
        .prefetch_related("tags")
        .order_by("name", "pk")
    )
    facts = facts_for(enterprises)
    eligible, near = [], []
    for enterprise in enterprises:
        match, result = _match(
            criteria, facts[enterprise.pk], names, enterprise=enterprise, programme=programme
        )
        if result.eligible:
            eligible.append(match)
        elif result.misses_by_one:
            near.append(match)
    return ProgrammeMatches(
        programme=programme,
        heading=criteria.heading,
        conditions=criteria.words(names),
        eligible=eligible,
        near=near,
    )


@dataclass
class EnterpriseMatches:
    enterprise: Enterprise
    now: list[Match]  # window open today
    soon: list[Match]  # window not yet open


def _open_programmes(district_id: int | None, today: dt.date) -> list[Programme]:
    return list(
        Programme.objects.filter(
            department__district_id=district_id, status=PS.PUBLISHED, window_closes__gte=today
        )
        .select_related("policy", "department")
        .order_by("window_closes", "pk")
    )


def enterprise_matches(
    *, user: Any, enterprise: Enterprise, today: dt.date | None = None
) -> EnterpriseMatches:
    """The published programmes the enterprise qualifies for now (window open) and soon."""
    from qifu.enterprises.selectors import enterprises_for_user

    today = today or _today()
    if not enterprises_for_user(user=user).filter(pk=enterprise.pk).exists():
        raise Http404
    district_id = enterprise.street.parent_id
    facts = facts_for([enterprise], today=today)[enterprise.pk]
    names = code_names(district_id=district_id)
    now: list[Match] = []
    soon: list[Match] = []
    for programme in _open_programmes(district_id, today):
        criteria = eligibility.parse(programme.criteria)
        match, result = _match(criteria, facts, names, enterprise=enterprise, programme=programme)
        if not result.eligible:
            continue
        (now if programme.window_opens <= today else soon).append(match)
    return EnterpriseMatches(enterprise=enterprise, now=now, soon=soon)


def matches_for_many(*, user: Any, programmes: Iterable[Programme]) -> dict[int, ProgrammeMatches]:
    """Several programmes at once (for figures): one set of facts for all their enterprises."""
    chosen = list(programmes)
    result: dict[int, ProgrammeMatches] = {}
    by_district: dict[int, list[Programme]] = {}
    for programme in chosen:
        by_district.setdefault(programme.department.district_id, []).append(programme)
    for district_id, group in by_district.items():
        names = code_names(district_id=district_id)
        enterprises = list(
            candidates_for(user=user, district_id=district_id)
            .select_related("street__zone")
            .prefetch_related("tags")
            .order_by("name", "pk")
        )
        facts = facts_for(enterprises)
        for programme in group:
            criteria = eligibility.parse(programme.criteria)
            eligible, near = [], []
            for enterprise in enterprises:
                match, outcome = _match(
                    criteria,
                    facts[enterprise.pk],
                    names,
                    enterprise=enterprise,
                    programme=programme,
                )
                if outcome.eligible:
                    eligible.append(match)
                elif outcome.misses_by_one:
                    near.append(match)
            result[programme.pk] = ProgrammeMatches(
                programme=programme,
                heading=criteria.heading,
                conditions=criteria.words(names),
                eligible=eligible,
                near=near,
            )
    return result


@dataclass
class Calculation:
    """What a set of facts qualifies for, what it misses by one, and the support it could get."""

    eligible: list[Match]
    near: list[Match]
    support_total: Decimal  # 万元, of the eligible programmes that name an amount


def calculator_programmes(*, user: Any, today: dt.date | None = None) -> list[Programme]:
    """The programmes a calculator weighs: published, window not yet closed, in the user's
    district."""
    return _open_programmes(_district_id(user), today or _today())


def calculator(
    facts: eligibility.Facts,
    programmes: Iterable[Programme],
    *,
    names: dict[str, dict[str, str]] | None = None,
) -> Calculation:
    """A policy calculator: the facts (entered, or an enterprise's) against the programmes."""
    names = names or {}
    eligible, near = [], []
    total = Decimal(0)
    for programme in programmes:
        criteria = eligibility.parse(programme.criteria)
        match, result = _match(criteria, facts, names, programme=programme)
        if result.eligible:
            eligible.append(match)
            total += programme.support_amount or 0
        elif result.misses_by_one:
            near.append(match)
    return Calculation(eligible=eligible, near=near, support_total=total)


def notice_list_for_user(*, user: Any) -> QuerySet[Notice]:
    """The notices and pushes sent in the official's district, with delivered and read counts."""
    if not permissions.is_official(user):
        return Notice.objects.none()
    return (
        Notice.objects.filter(district_id=permissions.district_id(user))
        .select_related("programme", "created_by")
        .annotate(
            delivered=Count("deliveries"),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
        )
        .order_by("-sent_at", "-id")
    )


# --- figures -------------------------------------------------------------------------------------


@dataclass
class FigureRow:
    """One line of the figures: a programme, a category, a department or the total."""

    label: str
    key: Any = None  # the programme's id, the category's code, the department's id
    programmes: int = 0
    eligible: int = 0
    pushed: int = 0  # deliveries of the pushes of the programme (reminders included)
    read: int = 0
    applied: int = 0  # live applications, whatever their origin
    recommended: int = 0  # recommended upward (and on to a result)
    approved: int = 0  # approved (and funded)
    funds: Decimal = Decimal(0)  # 万元 received

    COUNTS = ("programmes", "eligible", "pushed", "read", "applied", "recommended", "approved")

    def add(self, other: FigureRow) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.funds += other.funds


@dataclass
class Figures:
    period: Span | None
    programmes: list[FigureRow]
    categories: list[FigureRow]
    departments: list[FigureRow]
    total: FigureRow


RECOMMENDED_UPWARD = (AS.RECOMMENDED, AS.APPROVED, AS.REJECTED, AS.FUNDED)
APPROVED = (AS.APPROVED, AS.FUNDED)


def policy_figures(
    *, user: Any, period: Span | None = None, programme: Programme | None = None
) -> Figures:
    """Eligible, pushed, read, applied, recommended upward, approved and funds received (万元)
    per programme, per category (a programme counts under each category of its policy) and per
    department, for the officials of a district. A period (a year or a quarter) keeps the
    programmes whose application window overlaps it. Enterprises are those of the user's scope
    (street staff: their street). A fixed number of queries whatever the number of programmes.
    """
    if not permissions.is_official(user):
        raise PermissionDenied
    qs = programmes_for_user(user=user).exclude(status=PS.DRAFT)
    if period is not None:
        qs = qs.filter(window_overlaps(period))
    if programme is not None:
        qs = qs.filter(pk=programme.pk)
    chosen = list(
        qs.select_related("policy", "department")
        .prefetch_related("policy__categories")
        .order_by("department__sort_order", "department_id", "-window_closes", "-id")
    )
    ids = [p.pk for p in chosen]
    in_scope = scopes.scope_for(user).enterprise_q("enterprise__")
    pushes = {
        row["notice__programme_id"]: row
        for row in Delivery.objects.filter(in_scope, notice__programme_id__in=ids)
        .values("notice__programme_id")
        .annotate(pushed=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by()
    }
    applications = {
        row["programme_id"]: row
        for row in Application.objects.filter(in_scope, programme_id__in=ids)
        .exclude(status=AS.WITHDRAWN)
        .values("programme_id")
        .annotate(
            applied=Count("pk"),
            recommended=Count("pk", filter=Q(status__in=RECOMMENDED_UPWARD)),
            approved=Count("pk", filter=Q(status__in=APPROVED)),
            funds=Sum("funds_amount"),
        )
        .order_by()
    }
    matches = matches_for_many(user=user, programmes=chosen) if chosen else {}
    rows: list[FigureRow] = []
    categories: dict[str, FigureRow] = {}
    departments: dict[int, FigureRow] = {}
    order: dict[str, tuple[int, str]] = {}
    total = FigureRow(label="")
    for item in chosen:
        pushed = pushes.get(item.pk, {})
        applied = applications.get(item.pk, {})
        row = FigureRow(
            label=item.title,
            key=item.pk,
            programmes=1,
            eligible=len(matches[item.pk].eligible),
            pushed=pushed.get("pushed", 0),
            read=pushed.get("read", 0),
            applied=applied.get("applied", 0),
            recommended=applied.get("recommended", 0),
            approved=applied.get("approved", 0),
            funds=applied.get("funds") or Decimal(0),
        )
        rows.append(row)
        for category in item.policy.categories.all():
            order[category.code] = (category.sort_order, category.code)
            categories.setdefault(
                category.code, FigureRow(label=category.name, key=category.code)
            ).add(row)
        department = item.department
        departments.setdefault(
            department.pk, FigureRow(label=department.name, key=department.pk)
        ).add(row)
        total.add(row)
    return Figures(
        period=period,
        programmes=rows,
        categories=[categories[code] for code in sorted(categories, key=order.__getitem__)],
        departments=list(departments.values()),
        total=total,
    )


@dataclass
class DashboardFigures:
    """The command centre's policy figures (`dashboard_figures`)."""

    open_programmes: int  # published, window open today
    applications: int  # submitted in the period, not withdrawn
    funds: Decimal  # 万元 received, as the figures page counts them for the period


def dashboard_figures(
    *,
    user: Any,
    period: Span,
    street: str = "",
    zone: str = "",
    today: dt.date | None = None,
) -> DashboardFigures:
    """For the command centre, within the official's scope: the programmes open today (the
    district's: programmes belong to no street), the applications submitted in `period` and the
    funds received as `policy_figures` counts them for `period` (live applications to the
    programmes whose window overlaps it), both for the enterprises of `street` or `zone` (codes)
    when given. Two queries."""
    if not permissions.is_official(user):
        raise PermissionDenied
    today = today or _today()
    open_now = (
        programmes_for_user(user=user)
        .filter(status=PS.PUBLISHED, window_opens__lte=today, window_closes__gte=today)
        .count()
    )
    figures = (
        applications_for_user(user=user)
        .filter(_street_q(street, zone))
        .exclude(status=AS.WITHDRAWN)
        .aggregate(
            applications=Count("pk", filter=submitted_in(period)),
            funds=Sum(
                "funds_amount",
                filter=window_overlaps(period, "programme__") & ~Q(programme__status=PS.DRAFT),
            ),
        )
    )
    return DashboardFigures(
        open_programmes=open_now,
        applications=figures["applications"],
        funds=figures["funds"] or Decimal(0),
    )
