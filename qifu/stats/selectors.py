"""Reads of monthly data, scoped by the user's role and org unit, and the rollups.

Rollups are grouped queries (one per period involved, whatever the number of enterprises): the
database sums each street's figures, and `qifu.lib.rollup` turns the sums into comparable-basis
growth, the bureau's words for losses, and contributions that add up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from qifu.accounts.models import OFFICIAL_ROLES
from qifu.accounts.scope import scope_for
from qifu.core.models import Level, OrgUnit, Zone
from qifu.enterprises.models import Enterprise
from qifu.lib import rollup as arithmetic
from qifu.stats import periods
from qifu.stats.models import (
    Approval,
    DataSet,
    Indicator,
    Listing,
    Submission,
    SubmissionStatus,
    ValidationRule,
    Value,
)
from qifu.stats.periods import Period

S: Any = SubmissionStatus
HANDED_IN: tuple[Any, ...] = (S.SUBMITTED, S.ACCEPTED)

# --- scope -------------------------------------------------------------------------------------


def submissions_for_user(*, user: Any) -> QuerySet[Submission]:
    scope = scope_for(user)
    return Submission.objects.filter(scope.enterprise_q("enterprise__"))


def submission_get_for_user(*, user: Any, pk: Any, values: bool = False) -> Submission:
    """One form in the user's scope (404 otherwise); with `values`, its values prefetched."""
    found = submissions_for_user(user=user).select_related(
        "dataset", "enterprise__street", "submitted_by", "reviewed_by"
    )
    if values:
        found = found.prefetch_related("values__indicator")
    try:
        return found.get(pk=int(pk))
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def form_for_user(
    *, user: Any, dataset: DataSet, enterprise: Any, period: Period
) -> Submission | None:
    """An enterprise's form of one period, with its values, if the user may see it."""
    return (
        submissions_for_user(user=user)
        .filter(dataset=dataset, enterprise=enterprise, period=str(period))
        .prefetch_related("values__indicator")
        .first()
    )


def forms_for_user(
    *, user: Any, dataset: DataSet, period: Period | list[Period], enterprises: Any
) -> QuerySet[Submission]:
    """The forms of some enterprises for one period or several, if the user may see them."""
    chosen = [str(p) for p in period] if isinstance(period, list) else [str(period)]
    return submissions_for_user(user=user).filter(
        dataset=dataset, enterprise__in=enterprises, period__in=chosen
    )


def units_for_user(*, user: Any) -> QuerySet[OrgUnit]:
    """The org units whose figures the user may read: officials their own unit and below."""
    scope = scope_for(user)
    if scope.role not in OFFICIAL_ROLES or scope.org_unit is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=scope.org_unit.path)


def unit_get_for_user(*, user: Any, pk: Any) -> OrgUnit:
    try:
        return units_for_user(user=user).get(pk=int(pk))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def zone_get_for_user(*, user: Any, pk: Any) -> Zone:
    scope = scope_for(user)
    if scope.role not in OFFICIAL_ROLES or scope.org_unit is None:
        raise Http404
    try:
        return Zone.objects.select_related("district").get(
            pk=int(pk), district__path__startswith=scope.district.path if scope.district else "-"
        )
    except (Zone.DoesNotExist, ValueError, TypeError, AttributeError):
        raise Http404 from None


def home_unit(*, user: Any) -> OrgUnit | None:
    scope = scope_for(user)
    return scope.org_unit if scope.role in OFFICIAL_ROLES else None


def datasets() -> QuerySet[DataSet]:
    return DataSet.objects.prefetch_related("indicators")


def dataset_get(code_or_pk: Any) -> DataSet:
    value = str(code_or_pk or "")
    found = DataSet.objects.filter(Q(code=value) | Q(pk=int(value) if value.isdigit() else None))
    dataset = found.first()
    if dataset is None:
        raise Http404
    return dataset


def default_dataset() -> DataSet | None:
    return DataSet.objects.order_by("pk").first()


def indicators(dataset: DataSet) -> list[Indicator]:
    return list(dataset.indicators.order_by("sort_order", "code"))


def rules() -> QuerySet[ValidationRule]:
    return ValidationRule.objects.filter(is_active=True)


# --- the reporting list and completeness --------------------------------------------------------


def _listed_q(dataset: DataSet, period: Period, prefix: str = "") -> Q:
    p = str(period)
    return Q(**{f"{prefix}dataset": dataset, f"{prefix}since__lte": p}) & (
        Q(**{f"{prefix}until": ""}) | Q(**{f"{prefix}until__gte": p})
    )


def _street_q(unit: OrgUnit | Zone | None, prefix: str) -> Q:
    """Enterprises (reached through `prefix`) of an org unit's or zone's streets; None: all."""
    if unit is None:
        return Q()
    if isinstance(unit, Zone):
        return Q(**{f"{prefix}street__zone": unit})
    return Q(**{f"{prefix}street__path__startswith": unit.path})


def expected_enterprises(
    *, dataset: DataSet, period: Period, unit: OrgUnit | Zone | None
) -> QuerySet[Enterprise]:
    # a plain IN (subquery) is evaluated once; a correlated EXISTS per row does not scale on SQLite
    listed = Listing.objects.filter(_listed_q(dataset, period)).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=listed).filter(_street_q(unit, ""))


def missing_enterprises(
    *, dataset: DataSet, period: Period, unit: OrgUnit | Zone | None
) -> QuerySet[Enterprise]:
    handed_in = Submission.objects.filter(
        dataset=dataset, period=str(period), status__in=HANDED_IN, enterprise=OuterRef("pk")
    )
    return (
        expected_enterprises(dataset=dataset, period=period, unit=unit)
        .exclude(Exists(handed_in))
        .select_related("street")
        .order_by("street__code", "name")
    )


def _deadline_end(dataset: DataSet, period: Period) -> dt.datetime:
    """The first moment after the deadline day (local time)."""
    due = periods.deadline(dataset, period)
    return timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min))


@dataclass
class Completeness:
    key: str
    name: str
    unit: Any = None
    expected: int = 0
    submitted: int = 0  # handed in: submitted or accepted
    accepted: int = 0
    on_time: int = 0
    approved: bool = False
    children: list[Completeness] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.submitted) * 100 / self.expected).quantize(Decimal("0.1"))

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.on_time) * 100 / self.expected).quantize(Decimal("0.1"))

    def add(self, other: Completeness) -> None:
        self.expected += other.expected
        self.submitted += other.submitted
        self.accepted += other.accepted
        self.on_time += other.on_time


def _by_street_counts(
    dataset: DataSet, period: Period, unit: OrgUnit | Zone | None
) -> dict[int, Completeness]:
    """Two grouped queries: expected per street, and handed-in / accepted / on time per street."""
    counts: dict[int, Completeness] = {}
    expected = (
        Listing.objects.filter(_listed_q(dataset, period))
        .filter(_street_q(unit, "enterprise__"))
        .values("enterprise__street_id")
        .annotate(n=Count("enterprise_id", distinct=True))
    )
    for row in expected:
        street = row["enterprise__street_id"]
        counts[street] = Completeness(key=str(street), name="", expected=row["n"])
    listed = Listing.objects.filter(_listed_q(dataset, period)).values("enterprise_id")
    end = _deadline_end(dataset, period)
    handed = (
        Submission.objects.filter(dataset=dataset, period=str(period))
        .filter(enterprise_id__in=listed)
        .filter(_street_q(unit, "enterprise__"))
        .values("enterprise__street_id")
        .annotate(
            submitted=Count("id", filter=Q(status__in=HANDED_IN)),
            accepted=Count("id", filter=Q(status=S.ACCEPTED)),
            on_time=Count("id", filter=Q(status__in=HANDED_IN, first_submitted_at__lt=end)),
        )
    )
    for row in handed:
        street = row["enterprise__street_id"]
        entry = counts.setdefault(street, Completeness(key=str(street), name=""))
        entry.submitted = row["submitted"]
        entry.accepted = row["accepted"]
        entry.on_time = row["on_time"]
    return counts


COMPLETENESS_LISTS = ("missing", "expected", "submitted", "accepted")


def completeness_enterprises(
    *, dataset: DataSet, period: Period, unit: OrgUnit | Zone | None, which: str = "missing"
) -> QuerySet[Enterprise]:
    """The enterprises behind one figure of completeness: "missing" (not handed in), "expected"
    (on the reporting list), "submitted" (handed in: submitted or accepted) or "accepted", by
    street and name; each list has as many rows as `completeness_counts` says."""
    if which == "missing":
        return missing_enterprises(dataset=dataset, period=period, unit=unit)
    if which not in COMPLETENESS_LISTS:
        raise ValueError(f"not a completeness list: {which!r}")
    found = expected_enterprises(dataset=dataset, period=period, unit=unit)
    if which != "expected":
        statuses = HANDED_IN if which == "submitted" else (S.ACCEPTED,)
        forms = Submission.objects.filter(
            dataset=dataset, period=str(period), status__in=statuses
        ).values("enterprise_id")
        found = found.filter(pk__in=forms)
    return found.select_related("street").order_by("street__code", "name")


def completeness_counts(
    *, dataset: DataSet, period: Period, unit: OrgUnit | Zone | None
) -> dict[str, int]:
    total = Completeness(key="", name="")
    for entry in _by_street_counts(dataset, period, unit).values():
        total.add(entry)
    return {
        "expected": total.expected,
        "submitted": total.submitted,
        "accepted": total.accepted,
        "on_time": total.on_time,
    }


def _children_of(unit: OrgUnit | Zone) -> tuple[list[Any], dict[int, Any]]:
    """The units one level below `unit` and, for each street below, the child it belongs to."""
    if isinstance(unit, Zone):
        streets = list(OrgUnit.objects.filter(zone=unit, level=Level.STREET).order_by("code"))
        return streets, {s.pk: s for s in streets}
    if unit.level == Level.STREET:
        return [], {unit.pk: unit}
    below = list(OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk))
    children = sorted((u for u in below if u.parent_id == unit.pk), key=lambda u: u.code)
    by_pk = {u.pk: u for u in below}
    owner: dict[int, Any] = {}
    for u in below:
        if u.level != Level.STREET:
            continue
        node = u
        while node is not None and node.parent_id != unit.pk:
            node = by_pk.get(node.parent_id)
        if node is not None:
            owner[u.pk] = node
    return children, owner


def completeness(*, dataset: DataSet, period: Period, unit: OrgUnit | Zone) -> Completeness:
    """The unit's figures with one row per child unit (streets of a district, districts of a
    city); a street's own row has no children."""
    counts = _by_street_counts(dataset, period, unit)
    children, owner = _children_of(unit)
    approved = set(
        Approval.objects.filter(dataset=dataset, period=str(period)).values_list(
            "org_unit_id", flat=True
        )
    )
    total = Completeness(key=str(unit.pk), name=unit.name, unit=unit, approved=unit.pk in approved)
    rows = {
        c.pk: Completeness(key=str(c.pk), name=c.name, unit=c, approved=c.pk in approved)
        for c in children
    }
    for street_id, entry in counts.items():
        total.add(entry)
        child = owner.get(street_id)
        if child is not None and child.pk in rows:
            rows[child.pk].add(entry)
    total.children = list(rows.values())
    if isinstance(unit, Zone):
        total.approved = False
    return total


# --- approval board ----------------------------------------------------------------------------


def district_of(unit: OrgUnit) -> OrgUnit | None:
    if unit.level == Level.DISTRICT:
        return unit
    if unit.level == Level.STREET:
        return unit.parent
    return None


def is_approved(*, dataset: DataSet, period: Period, unit: OrgUnit | Zone) -> bool:
    """Whether the unit's figures are approved: a street or district by itself or the level
    above; a zone or city when every district or street below is."""
    if isinstance(unit, Zone):
        streets = OrgUnit.objects.filter(zone=unit, level=Level.STREET)
        approved = Approval.objects.filter(
            dataset=dataset, period=str(period), org_unit__in=streets
        ).count()
        return (
            approved == streets.count()
            or Approval.objects.filter(
                dataset=dataset, period=str(period), org_unit=unit.district_id
            ).exists()
        )
    if unit.level == Level.CITY:
        districts = OrgUnit.objects.filter(parent=unit, level=Level.DISTRICT)
        return (
            Approval.objects.filter(
                dataset=dataset, period=str(period), org_unit__in=districts
            ).count()
            == districts.count()
        )
    return Approval.objects.filter(
        dataset=dataset, period=str(period), org_unit_id__in=[unit.pk, unit.parent_id]
    ).exists()


def approvals(*, dataset: DataSet, period: Period) -> dict[int, Approval]:
    return {
        a.org_unit_id: a
        for a in Approval.objects.filter(dataset=dataset, period=str(period)).select_related(
            "approved_by"
        )
    }


# --- rollups -----------------------------------------------------------------------------------


@dataclass
class Figures:
    """Sums of one indicator over a set of enterprises for one period (千元 for money)."""

    month: Decimal | None = None
    ytd: Decimal | None = None
    month_current: Decimal | None = None  # over the enterprises with a last-year month figure
    month_base: Decimal | None = None
    ytd_current: Decimal | None = None  # over the enterprises with a last-year 1–month figure
    ytd_base: Decimal | None = None
    enterprises: int = 0

    def add(self, other: Figures) -> None:
        for name in ("month", "ytd", "month_current", "month_base", "ytd_current", "ytd_base"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, theirs if mine is None else mine + theirs)
        self.enterprises += other.enterprises


_COMPARABLE_MONTH = Q(month__isnull=False, base_month__isnull=False)
_COMPARABLE_YTD = Q(ytd__isnull=False, base_ytd__isnull=False)
_SUMS = {
    "month_sum": Sum("month"),
    "ytd_sum": Sum("ytd"),
    "month_current": Sum("month", filter=_COMPARABLE_MONTH),
    "month_base": Sum("base_month", filter=_COMPARABLE_MONTH),
    "ytd_current": Sum("ytd", filter=_COMPARABLE_YTD),
    "ytd_base": Sum("base_ytd", filter=_COMPARABLE_YTD),
    "n": Count("submission__enterprise_id", distinct=True),
}


def _values(dataset: DataSet, indicator: Indicator, unit: OrgUnit | Zone | None) -> QuerySet[Value]:
    """Accepted figures: checked by the street (approval locks them later)."""
    return Value.objects.filter(
        submission__dataset=dataset, submission__status=S.ACCEPTED, indicator=indicator
    ).filter(_street_q(unit, "submission__enterprise__"))


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        month=row["month_sum"],
        ytd=row["ytd_sum"],
        month_current=row["month_current"],
        month_base=row["month_base"],
        ytd_current=row["ytd_current"],
        ytd_base=row["ytd_base"],
        enterprises=row["n"],
    )


def figures_by(
    dataset: DataSet, indicator: Indicator, unit: OrgUnit | Zone | None, period: Period, by: str
) -> dict[Any, Figures]:
    """One grouped query: the figures of `period` by street ("street") or enterprise."""
    column = {
        "street": "submission__enterprise__street_id",
        "enterprise": "submission__enterprise_id",
    }[by]
    rows = (
        _values(dataset, indicator, unit)
        .filter(submission__period=str(period))
        .values(column)
        .annotate(**_SUMS)
        .order_by()
    )
    return {row[column]: _figures(row) for row in rows}


def _growth_fields(
    figures: Figures, last_year_total: Decimal | None, previous_month: Decimal | None
) -> dict[str, Any]:
    def growth(current: Decimal | None, base: Decimal | None) -> arithmetic.Growth:
        if current is None or base is None:
            return arithmetic.Growth(None)
        return arithmetic.growth(current, base)

    month_yoy = growth(figures.month_current, figures.month_base)
    ytd_yoy = growth(figures.ytd_current, figures.ytd_base)
    naive = growth(figures.ytd, last_year_total)
    mom = growth(figures.month, previous_month)
    return {
        "month": figures.month,
        "ytd": figures.ytd,
        "month_base": figures.month_base,
        "ytd_base": figures.ytd_base,
        "month_comparable": figures.month_current,
        "ytd_comparable": figures.ytd_current,
        "month_yoy": month_yoy.rate,
        "month_yoy_note": month_yoy.note,
        "ytd_yoy": ytd_yoy.rate,
        "yoy_note": ytd_yoy.note,
        "last_year_ytd": last_year_total,
        "naive_ytd_yoy": naive.rate,
        "naive_note": naive.note,
        "previous_month": previous_month,
        "mom": mom.rate,
        "mom_note": mom.note,
        "enterprises": figures.enterprises,
    }


def rollup(
    *,
    dataset: DataSet,
    period: Period,
    unit: OrgUnit | Zone,
    indicator: Indicator,
    with_enterprises: bool = False,
) -> dict[str, Any]:
    """The unit's figures and growth, with one entry per child unit (its contribution to the
    year-to-date growth in percentage points) and, on request, per enterprise.

    Queries: one for the org tree, three grouped by street (this period, the same period last
    year for the naive figure, last month), one more grouped by enterprise when asked.
    """
    children, owner = _children_of(unit)
    now = figures_by(dataset, indicator, unit, period, "street")
    last_year = figures_by(dataset, indicator, unit, period.last_year, "street")
    last_month = figures_by(dataset, indicator, unit, period.previous, "street")

    def total_of(by_street: dict[Any, Figures], keep: Any = None) -> dict[Any, Figures]:
        grouped: dict[Any, Figures] = {}
        for street_id, figures in by_street.items():
            key = keep(street_id) if keep else "total"
            if key is None:
                continue
            grouped.setdefault(key, Figures()).add(figures)
        return grouped

    def child_key(street_id: Any) -> Any:
        child = owner.get(street_id)
        return child.pk if child is not None and child in children else None

    total = total_of(now).get("total", Figures())
    ly_total = total_of(last_year).get("total", Figures())
    lm_total = total_of(last_month).get("total", Figures())
    result = _growth_fields(total, ly_total.ytd, lm_total.month)

    by_child = total_of(now, child_key)
    ly_child = total_of(last_year, child_key)
    lm_child = total_of(last_month, child_key)

    def contributions(column: str) -> arithmetic.Rollup | None:
        """The children's comparable `column` ("ytd" or "month") and their contributions."""
        if not children:
            return None
        return arithmetic.comparable(
            arithmetic.Row(
                key=str(key),
                group=str(key),
                current=getattr(figures, f"{column}_current"),
                base=getattr(figures, f"{column}_base"),
            )
            for key, figures in by_child.items()
        )

    comparable = contributions("ytd")
    month_comparable = contributions("month")
    result["children"] = []
    for child in children:
        figures = by_child.get(child.pk, Figures())
        entry = _growth_fields(
            figures,
            ly_child.get(child.pk, Figures()).ytd,
            lm_child.get(child.pk, Figures()).month,
        )
        entry["org_unit"] = child.pk
        entry["code"] = child.code
        entry["name"] = child.name
        entry["contribution"] = comparable.contributions.get(str(child.pk)) if comparable else None
        entry["month_contribution"] = (
            month_comparable.contributions.get(str(child.pk)) if month_comparable else None
        )
        result["children"].append(entry)

    if with_enterprises:
        result["by_enterprise"] = enterprise_contributions(
            dataset=dataset, period=period, unit=unit, indicator=indicator
        )
    return result


def enterprise_contributions(
    *, dataset: DataSet, period: Period, unit: OrgUnit | Zone, indicator: Indicator
) -> list[dict[str, Any]]:
    """Each reporting enterprise's year-to-date change and contribution to the unit's growth,
    biggest contribution (either way) first. Two queries."""
    rows = figures_by(dataset, indicator, unit, period, "enterprise")
    result = arithmetic.comparable(
        arithmetic.Row(key=str(pk), group=str(pk), current=f.ytd_current, base=f.ytd_base)
        for pk, f in rows.items()
    )
    names = dict(Enterprise.objects.filter(pk__in=rows.keys()).values_list("pk", "name"))
    streets = (
        dict(Enterprise.objects.filter(pk__in=rows.keys()).values_list("pk", "street__name"))
        if rows
        else {}
    )
    listing = []
    for pk, figures in rows.items():
        own = (
            arithmetic.growth(figures.ytd_current, figures.ytd_base)
            if figures.ytd_current is not None and figures.ytd_base is not None
            else arithmetic.Growth(None)
        )
        listing.append(
            {
                "enterprise": pk,
                "name": names.get(pk, ""),
                "street": streets.get(pk, ""),
                "ytd": figures.ytd,
                "ytd_base": figures.ytd_base,
                "change": (figures.ytd_current - figures.ytd_base)
                if figures.ytd_current is not None and figures.ytd_base is not None
                else None,
                "ytd_yoy": own.rate,
                "yoy_note": own.note,
                "contribution": result.by_enterprise.get(str(pk)),
            }
        )
    listing.sort(key=lambda e: -(abs(e["contribution"]) if e["contribution"] is not None else -1))
    return listing


def trend(
    *, dataset: DataSet, end: Period, unit: OrgUnit | Zone, indicator: Indicator, months: int = 13
) -> list[dict[str, Any]]:
    """Month and year-to-date values and their comparable growth for `months` periods up to
    `end`, oldest first. One grouped query."""
    wanted = [end.shift(-n) for n in range(months - 1, -1, -1)]
    rows = (
        _values(dataset, indicator, unit)
        .filter(submission__period__in=[str(p) for p in wanted])
        .values(period=F("submission__period"))
        .annotate(**_SUMS)
        .order_by()
    )
    found = {row["period"]: _figures(row) for row in rows}
    series = []
    for period in wanted:
        figures = found.get(str(period), Figures())
        month_yoy = (
            arithmetic.growth(figures.month_current, figures.month_base)
            if figures.month_current is not None and figures.month_base is not None
            else arithmetic.Growth(None)
        )
        ytd_yoy = (
            arithmetic.growth(figures.ytd_current, figures.ytd_base)
            if figures.ytd_current is not None and figures.ytd_base is not None
            else arithmetic.Growth(None)
        )
        series.append(
            {
                "period": str(period),
                "label": period.label,
                "month": figures.month,
                "ytd": figures.ytd,
                "month_yoy": month_yoy.rate,
                "ytd_yoy": ytd_yoy.rate,
                "enterprises": figures.enterprises,
            }
        )
    return series


def latest_period_with_data(
    *, dataset: DataSet, unit: OrgUnit | Zone | None = None, until: Period | None = None
) -> Period | None:
    """The latest period with accepted forms (of `unit`'s enterprises when given; not after
    `until` when given)."""
    found = (
        Submission.objects.filter(dataset=dataset, status=S.ACCEPTED)
        .filter(_street_q(unit, "enterprise__"))
        .filter(Q(period__lte=str(until)) if until is not None else Q())
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.parse(found) if found else None


def default_analysis_period(
    *, dataset: DataSet, unit: OrgUnit | Zone, until: Period | None = None
) -> Period | None:
    """The latest period approved for the unit (a street or zone: by its district or itself; a
    city: by any district below), else the latest with accepted forms; none after `until` when
    it is given."""
    if isinstance(unit, Zone):
        root: OrgUnit | None = unit.district
    elif unit.level == Level.STREET:
        root = unit.parent
    else:
        root = unit
    found = None
    if root is not None:
        approved = Approval.objects.filter(dataset=dataset, org_unit__path__startswith=root.path)
        if isinstance(unit, OrgUnit) and unit.level == Level.STREET:
            approved = approved.filter(org_unit__in=[unit.pk, root.pk])
        if until is not None:
            approved = approved.filter(period__lte=str(until))
        found = approved.order_by("-period").values_list("period", flat=True).first()
    if found:
        return Period.parse(found)
    return latest_period_with_data(dataset=dataset, unit=unit, until=until)


def latest_approved_period(*, dataset: DataSet, district: OrgUnit) -> Period | None:
    found = (
        Approval.objects.filter(dataset=dataset, org_unit=district)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.parse(found) if found else None


# --- the command centre ------------------------------------------------------------------------

DASHBOARD_INDICATORS = ("output", "revenue", "profit")


@dataclass
class DashboardFigures:
    """The monthly data of one unit as the command centre shows it (`dashboard_figures`)."""

    dataset: DataSet
    unit: OrgUnit | Zone
    latest: Period | None  # the month of the rollups
    approved: bool  # whether `latest` is approved (else: the latest month with accepted forms)
    rollups: list[tuple[Indicator, dict[str, Any]]]
    current: Period  # the month whose forms are coming in
    completeness: dict[str, int]


def _within(unit: OrgUnit | Zone, home: OrgUnit) -> bool:
    if isinstance(unit, Zone):
        return unit.district_id == home.pk
    return bool(unit.path.startswith(home.path))


def dashboard_figures(
    *,
    user: Any,
    unit: OrgUnit | Zone | None = None,
    until: Period | None = None,
    today: dt.date | None = None,
) -> DashboardFigures | None:
    """The command centre's monthly data of `unit` (default: the user's own unit): output,
    revenue and profit of the latest approved month (not after `until`) from `rollup`, exactly as
    the analysis page shows them, and the completeness of the month now being reported (or of
    `until`, when that is earlier). None for a user who reads no figures, a unit outside the
    user's scope, or when no monthly form is configured. A fixed number of queries."""
    home = home_unit(user=user)
    if home is None:
        return None
    unit = home if unit is None else unit
    if not _within(unit, home):
        return None
    dataset = default_dataset()
    if dataset is None:
        return None
    latest = default_analysis_period(dataset=dataset, unit=unit, until=until)
    chosen = {
        i.code: i for i in Indicator.objects.filter(datasets=dataset, code__in=DASHBOARD_INDICATORS)
    }
    rollups = []
    if latest is not None:
        for code in DASHBOARD_INDICATORS:
            if code in chosen:
                found = rollup(dataset=dataset, period=latest, unit=unit, indicator=chosen[code])
                rollups.append((chosen[code], found))
    current = periods.current(dataset, today or timezone.localdate())
    if until is not None and until < current:
        current = until
    return DashboardFigures(
        dataset=dataset,
        unit=unit,
        latest=latest,
        approved=latest is not None and is_approved(dataset=dataset, period=latest, unit=unit),
        rollups=rollups,
        current=current,
        completeness=completeness_counts(dataset=dataset, period=current, unit=unit),
    )


# --- an enterprise's own figures ---------------------------------------------------------------


def enterprise_series(
    *, dataset: DataSet, enterprise: Any, end: Period, months: int = 13
) -> list[Submission]:
    """The enterprise's forms for the last `months` periods (newest first), values prefetched."""
    first = end.shift(-(months - 1))
    return list(
        Submission.objects.filter(
            dataset=dataset, enterprise=enterprise, period__gte=str(first), period__lte=str(end)
        )
        .prefetch_related("values__indicator")
        .order_by("-period")
    )
