"""The demo's monthly figures of above-scale industry (规上工业月报): 26 approved months before
the current period, and the current period part-way through.

The reporting list is every above-scale operating enterprise of sections B, C and D. Four join
it part-way (they grew above scale: no last-year basis in their first year), two leave it after
falling below scale, and one is absorbed by another (兼并重组): from the merger on the survivor
reports both, with last year's figures revised to the new scope and a reason. So the comparable
growth (enterprises with a basis, revised bases) differs from the naive one (this year's total
over last year's).

Each enterprise's figures follow its scale, growth trend and the season (a dip in February for
the Spring Festival) and satisfy every hard rule. A few events break soft rules and are explained
(a stoppage for maintenance, stock built up, stock sold off, a big order, an electricity bill
settled by the park), as are their echoes a year later. Violations are computed as
`services.evaluate_rules` computes them, in memory.

In the current period every listed enterprise of 李村街道 but 天路集团 has an accepted form (so
that once 天路集团 submits and the street accepts, the district can approve the street);
elsewhere forms are accepted, waiting, returned, drafts or missing, so completeness shows gaps.

The registry agrees with the list: the two that fell below scale are no longer marked above
scale and the absorbed one is closed (through the enterprise services, so their files show it);
the movers are chosen among enterprises that are not key enterprises and have no appeals. A
reporting list synced before any form existed is replaced.

Idempotent: nothing is written when the data set has forms already. Deterministic: a fixed seed;
only the periods, and the current period's timestamps, move with today.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, DateTimeField, When
from django.db.models import Value as SQLValue
from django.utils import timezone

from qifu.accounts.models import Role, User
from qifu.audit.services import audit_record
from qifu.core.models import Level, OrgUnit
from qifu.enterprises import services as enterprise_services
from qifu.enterprises.demo import NAMED
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.stats import periods, seed, services
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

SEED = 4754  # GB/T 4754, the industry classification
DATASET = "industry-monthly"
HISTORY = 26  # approved periods before the current one
DISTRICT = "370213"
JOURNEY_STREET = "370213007"  # 李村街道
JOURNEY_ENTERPRISE = "天路集团"  # submits the current period in the browser journey
STATISTICIAN = "tjj"
ENTRANTS = 4
FELL_BELOW = 2
MIN_ENTERPRISES = 40  # the enterprise demo's list: room for every event
BIG_ONES = 3
LATE = 0.04  # share of the approved forms handed in after the deadline
RESUBMITTED = 0.03  # share of the approved forms returned once and corrected
# the current period outside 李村街道: cumulative shares; the rest is missing
CURRENT_MIX: tuple[tuple[Any, float], ...] = (
    (SubmissionStatus.ACCEPTED, 0.60),
    (SubmissionStatus.SUBMITTED, 0.75),
    (SubmissionStatus.RETURNED, 0.80),
    (SubmissionStatus.DRAFT, 0.86),
)
SEASON = {
    1: 0.92,
    2: 0.74,  # the Spring Festival
    3: 1.03,
    4: 1.00,
    5: 1.02,
    6: 1.06,
    7: 0.98,
    8: 0.99,
    9: 1.04,
    10: 0.98,
    11: 1.04,
    12: 1.12,
}
# monthly output (千元) of the seed's named enterprises
LEVELS = {
    "天路集团": 850_000,
    "青岛汽车厂": 620_000,
    "路达实业公司": 180_000,
    "崂山电子": 150_000,
    "瑞丰气体": 90_000,
    "玖琦化工": 60_000,
    "洁新再生资源有限公司": 30_000,
}
GROWTH = {"天路集团": 0.09, "青岛汽车厂": 0.04}
# industry divisions (GB/T 4754) that use much electricity for their output
ENERGY_INTENSIVE = {"17", "22", "26", "30", "31", "32", "44"}
RETURN_REASONS = [
    "出口交货值与海关数据差异较大，请核实后重新报送。",
    "营业成本与上月相比变化异常，请核对财务报表后修改。",
    "从业人员平均人数与社保参保人数不符，请核实。",
    "用电量与电费单不一致，请按供电公司账单填报。",
]
MERGER_REASON = "{year}年{month}月兼并重组{name}，上年同期数据按新口径调整"
DEFAULT_EXPLANATIONS = {
    "sales-ratio-low": "本月产品入库较多，尚未实现销售。",
    "sales-ratio-high": "本月消化前期库存，销售产值高于当月产值。",
    "yoy-within-30": "生产经营情况变化较大，已核实数据无误。",
    "electricity-with-output": "本月用电由园区统一结算，用电量下月一并填报。",
}

S: Any = SubmissionStatus
MONEY = Decimal("0.01")


@dataclass
class _Profile:
    enterprise: Enterprise
    level: float  # monthly output (千元) in the first period's year
    growth: float  # a year
    sales: float  # share of output sold
    export: float  # share of sales exported
    revenue: float  # revenue over sales
    cost: float  # cost over revenue
    expenses: float  # period expenses over revenue
    vat: float  # over revenue
    staff: int
    staff_drift: float  # change over 26 months
    power: float  # 万千瓦时 per 1000 千元 of output
    output_factor: dict[Period, float] = field(default_factory=dict)
    sales_ratio: dict[Period, float] = field(default_factory=dict)
    no_power: set[Period] = field(default_factory=set)


@dataclass
class _Plan:
    """The list, the events and the notes that explain them."""

    since: dict[int, Period]
    until: dict[int, Period]
    entrants: list[Enterprise]
    fell_below: list[Enterprise]
    absorbed: Enterprise
    survivor: Enterprise
    merger: Period
    notes: dict[tuple[int, Period], dict[str, str]] = field(default_factory=dict)

    def note(self, enterprise: Enterprise, period: Period, rule: str, text: str) -> None:
        self.notes.setdefault((enterprise.pk, period), {})[rule] = text


# --- the enterprises and their events ----------------------------------------------------------


def _listed_enterprises(dataset: DataSet) -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(
            is_above_scale=True,
            status=EnterpriseStatus.OPERATING,
            industry_section__in=list(dataset.industry_sections),
        )
        .select_related("street")
        .order_by("name", "pk")
    )


def _profile(rng: random.Random, enterprise: Enterprise) -> _Profile:
    level = LEVELS.get(enterprise.name) or math.exp(rng.uniform(math.log(2500), math.log(150_000)))
    growth = GROWTH.get(enterprise.name, rng.uniform(-0.08, 0.11))
    loss_making = rng.random() < 0.12
    return _Profile(
        enterprise=enterprise,
        level=level,
        growth=growth,
        sales=rng.uniform(0.935, 0.99),
        export=0.0 if rng.random() < 0.55 else rng.uniform(0.05, 0.4),
        revenue=rng.uniform(1.0, 1.08),
        cost=rng.uniform(0.9, 0.92) if loss_making else rng.uniform(0.8, 0.88),
        expenses=rng.uniform(0.07, 0.1) if loss_making else rng.uniform(0.04, 0.08),
        vat=rng.uniform(0.02, 0.045),
        staff=max(30, round(level * 12 / rng.uniform(1500, 3000))),
        staff_drift=rng.uniform(-0.05, 0.06),
        power=rng.uniform(1.5, 4.0)
        if enterprise.industry_code[:2] in ENERGY_INTENSIVE
        else rng.uniform(0.3, 1.2),
    )


def _latest(periods_: list[Period], months: set[int]) -> Period:
    return max(p for p in periods_ if p.month in months)


def _plan(
    rng: random.Random,
    profiles: list[_Profile],
    quiet: set[int],
    first: Period,
    current: Period,
) -> _Plan:
    """Who joins and leaves the list, who merges, and the events; `quiet`: the enterprises that
    may leave or join (not key enterprises, no appeals)."""
    named = {row[0] for row in NAMED}
    regular = [p for p in profiles if p.enterprise.name not in named]
    movers = [p for p in regular if p.enterprise.pk in quiet]
    small = sorted(movers, key=lambda p: p.level)[: len(movers) // 2]
    chosen = rng.sample(small, ENTRANTS + FELL_BELOW)
    entrants, fell_below = chosen[:ENTRANTS], chosen[ENTRANTS:]
    absorbed = rng.choice([p for p in movers if p not in chosen])
    others = [p for p in regular if p not in chosen and p is not absorbed]
    special = rng.sample(others, 1 + 5 + BIG_ONES)
    survivor = special[0]
    stoppage, stocked, destocked, big_order, meter = special[1:6]
    for profile in special[6:]:
        level = rng.uniform(320_000, 480_000)
        profile.staff = round(profile.staff * level / profile.level)
        profile.level = level

    merger = current.shift(-2)
    plan = _Plan(
        since={p.enterprise.pk: first for p in profiles},
        until={},
        entrants=[p.enterprise for p in entrants],
        fell_below=[p.enterprise for p in fell_below],
        absorbed=absorbed.enterprise,
        survivor=survivor.enterprise,
        merger=merger,
    )
    for profile, months in zip(entrants, rng.sample(range(1, 15), ENTRANTS), strict=True):
        plan.since[profile.enterprise.pk] = current.shift(-months)
    for profile, months in zip(fell_below, rng.sample(range(4, 11), FELL_BELOW), strict=True):
        plan.until[profile.enterprise.pk] = current.shift(-months)
    plan.until[absorbed.enterprise.pk] = merger.previous

    history = [first.shift(n) for n in range(HISTORY)]
    with_basis = history[12:]
    yoy = "yoy-within-30"

    # the main line stops for maintenance in February: year to date falls by more than 30%
    stoppage.growth = rng.uniform(-0.03, 0.03)
    when = _latest(with_basis, {2})
    stoppage.output_factor[when] = 0.1
    plan.note(
        stoppage.enterprise,
        when,
        yoy,
        "2月主要生产线停产检修约三周，产值、销售和用电同比大幅下降，3月已恢复正常生产。",
    )
    for later in (when.shift(12), when.shift(13)):
        plan.note(stoppage.enterprise, later, yoy, "上年同期停产检修，基数偏低，同比增幅较大。")

    # stock built up before the Spring Festival, in the first January
    stocked.growth = rng.uniform(-0.04, 0.0)
    stocked.sales = rng.uniform(0.965, 0.985)
    when = _latest(history[:12], {1})
    stocked.sales_ratio[when] = 0.72
    plan.note(
        stocked.enterprise,
        when,
        "sales-ratio-low",
        "春节前按订单集中备货，产品已入库尚未发货，产销率偏低，2月起陆续发货。",
    )
    for later in (when.shift(12), when.shift(13)):
        plan.note(
            stocked.enterprise,
            later,
            yoy,
            "上年同期产品集中入库、销售偏低，基数较小，本期正常发货。",
        )

    # last year's stock sold off in January
    destocked.growth = rng.uniform(-0.02, 0.02)
    destocked.sales = rng.uniform(0.955, 0.975)
    when = _latest(with_basis, {1})
    destocked.sales_ratio[when] = 1.3
    plan.note(
        destocked.enterprise,
        when,
        "sales-ratio-high",
        "本月集中消化上年末库存产品，销售产值高于当月产值。",
    )
    for month in (when, when.shift(1)):
        plan.note(
            destocked.enterprise,
            month,
            yoy,
            "集中消化上年库存，销售产值和营业收入同比增幅较大，产值增长正常。",
        )

    # a big order produced in January
    big_order.growth = rng.uniform(-0.02, 0.02)
    when = _latest(with_basis, {1})
    big_order.output_factor[when] = 1.5
    for month in (when, when.shift(1)):
        plan.note(
            big_order.enterprise,
            month,
            yoy,
            "承接新签海外大额订单，1月集中排产交付，同比增幅较大。",
        )
    for later in (when.shift(12), when.shift(13)):
        plan.note(big_order.enterprise, later, yoy, "上年同期集中交付大额订单，基数较高。")

    # the park's meter: no electricity this month, both months' use entered the next
    meter.growth = rng.uniform(-0.02, 0.05)
    when = _latest(history[15:], set(range(6, 12)))
    meter.no_power.add(when)
    plan.note(
        meter.enterprise,
        when,
        "electricity-with-output",
        "园区统一抄表，本月电费分摊单尚未下发，用电量于下月一并填报。",
    )
    return plan


# --- the figures -------------------------------------------------------------------------------


def _whole(value: float) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


Months = dict[Period, dict[str, Decimal]]


def _months(rng: random.Random, profile: _Profile, start: Period, end: Period) -> Months:
    """Each month's figures (千元 as whole numbers, persons, 万千瓦时) from `start` to `end`."""
    months: Months = {}
    carried = Decimal(0)
    span = (end.year - start.year) * 12 + end.month - start.month
    for step in range(span + 1):
        period = start.shift(step)
        trend = (1 + profile.growth) ** (step / 12)
        factor = profile.output_factor.get(period, 1.0)
        output = _whole(
            profile.level * trend * SEASON[period.month] * (1 + rng.uniform(-0.025, 0.025)) * factor
        )
        ratio = profile.sales_ratio.get(period, profile.sales + rng.uniform(-0.015, 0.015))
        sales = _whole(output * ratio)
        export = min(sales, _whole(sales * profile.export * (1 + rng.uniform(-0.03, 0.03))))
        revenue = _whole(sales * (profile.revenue + rng.uniform(-0.01, 0.01)))
        cost = _whole(revenue * (profile.cost + rng.uniform(-0.01, 0.01)))
        expenses = _whole(revenue * profile.expenses * (1 + rng.uniform(-0.05, 0.05)))
        vat = _whole(revenue * profile.vat * (1 + rng.uniform(-0.1, 0.1)))
        staff = profile.staff * (1 + profile.staff_drift * step / 26 + rng.uniform(-0.01, 0.01))
        power = Decimal(output * profile.power * (1 + rng.uniform(-0.02, 0.02)) / 1000).quantize(
            MONEY, rounding=ROUND_HALF_UP
        )
        if output > 0:
            power = max(power, MONEY)
        if period in profile.no_power:
            carried, power = power, Decimal(0)
        elif carried:
            power, carried = power + carried, Decimal(0)
        months[period] = {
            "output": Decimal(output),
            "sales": Decimal(sales),
            "export": Decimal(export),
            "revenue": Decimal(revenue),
            "cost": Decimal(cost),
            "profit": Decimal(revenue - cost - expenses),
            "vat": Decimal(vat),
            "employees": Decimal(max(1, _whole(staff))),
            "electricity": power,
        }
    return months


def _year_to_date(months: Months) -> Months:
    """1–this month: sums of flows, the average of persons (whole persons)."""
    result: Months = {}
    for period in sorted(months):
        month = months[period]
        before = result.get(period.previous) if period.month > 1 else None
        ytd = {}
        for code, value in month.items():
            if code == "employees":
                persons = [months[Period(period.year, m)][code] for m in range(1, period.month + 1)]
                ytd[code] = (sum(persons, Decimal(0)) / len(persons)).quantize(
                    Decimal(1), ROUND_HALF_UP
                )
            else:
                ytd[code] = (before[code] if before else Decimal(0)) + value
        result[period] = ytd
    return result


def _revised_basis(
    months: dict[int, Months],
    plan: _Plan,
    code: str,
    period: Period,
    base_month: Decimal,
    base_ytd: Decimal,
) -> tuple[Decimal, Decimal]:
    """Last year in the survivor's new scope: its own figures plus the absorbed enterprise's for
    the months that this year's figures include it (from the merger, or from January)."""
    other = plan.absorbed.pk
    basis = period.last_year
    first = max(plan.merger, Period(period.year, 1)).last_year
    extra = Decimal(0)
    month = first
    while month <= basis:
        extra += months[other][month][code]
        month = month.shift(1)
    if code == "employees":  # an average over the months of the year
        extra = (extra / basis.month).quantize(Decimal(1), ROUND_HALF_UP)
    return base_month + months[other][basis][code], base_ytd + extra


# --- rules -------------------------------------------------------------------------------------


@dataclass
class _Rules:
    rules: list[ValidationRule]
    indicators: dict[str, Indicator]

    def check(self, values: dict[tuple[str, str], Decimal | None]) -> list[dict[str, Any]]:
        """What `services.evaluate_rules` finds for a form with these values."""
        return services.find_violations(self.rules, values, self.indicators)


def _rules(dataset: DataSet) -> _Rules:
    indicators = services._indicators(dataset)
    return _Rules(
        rules=list(ValidationRule.objects.filter(is_active=True)),
        indicators=indicators,
    )


# --- the forms ---------------------------------------------------------------------------------


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone()
    )


@dataclass
class _Context:
    """What each form needs to be written."""

    dataset: DataSet
    current: Period
    plan: _Plan
    months: dict[int, Months]
    ytds: dict[int, Months]
    stored: dict[tuple[int, Period], str]  # (enterprise, period) → status
    rules: _Rules
    deadlines: dict[Period, dt.date]
    latest: dt.datetime  # nothing happens after this moment
    window: tuple[dt.datetime, dt.datetime]  # when the current period's forms came in
    clerks: dict[int, User]  # street → its clerk
    portal: dict[int, User]  # enterprise → its portal account
    merger_reason: str


def _stored(
    rng: random.Random,
    enterprises: list[Enterprise],
    plan: _Plan,
    history: list[Period],
    current: Period,
) -> dict[tuple[int, Period], str]:
    """Which forms exist: every listed period of the history, accepted; in the current period
    accepted, submitted, returned, a draft or missing."""
    stored: dict[tuple[int, Period], str] = {}
    for enterprise in enterprises:
        since, until = plan.since[enterprise.pk], plan.until.get(enterprise.pk)
        for period in history:
            if since <= period and (until is None or period <= until):
                stored[(enterprise.pk, period)] = S.ACCEPTED
        if until is not None or enterprise.name == JOURNEY_ENTERPRISE:
            continue
        draw = rng.random()
        if enterprise.street.code == JOURNEY_STREET or enterprise == plan.survivor:
            stored[(enterprise.pk, current)] = S.ACCEPTED
            continue
        for status, share in CURRENT_MIX:
            if draw < share:
                stored[(enterprise.pk, current)] = status
                break
    return stored


def _window(
    dataset: DataSet, current: Period, latest: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """From the opening day of the current period to now, or to its deadline if that is past."""
    opens = periods.opens_on(dataset, current)
    end = min(latest, _at(periods.deadline(dataset, current), 18 * 60))
    start = _at(opens, 8 * 60)
    if end - start < dt.timedelta(hours=2):
        start = _at(opens, 0)
    return min(start, end), end


def _form(
    ctx: _Context, rng: random.Random, enterprise: Enterprise, period: Period, status: str
) -> tuple[Submission, list[Value]]:
    pk = enterprise.pk
    basis = period.last_year
    has_basis = (pk, basis) in ctx.stored
    revised = enterprise == ctx.plan.survivor and period >= ctx.plan.merger
    has_previous = (pk, period.previous) in ctx.stored
    values: list[Value] = []
    env: dict[tuple[str, str], Decimal | None] = {}
    for code, indicator in ctx.rules.indicators.items():
        row: dict[str, Decimal | None] = {
            "month": ctx.months[pk][period][code].quantize(MONEY),
            "ytd": ctx.ytds[pk][period][code].quantize(MONEY),
            "base_month": None,
            "base_ytd": None,
        }
        reason = ""
        if has_basis:
            base_month, base_ytd = ctx.months[pk][basis][code], ctx.ytds[pk][basis][code]
            if revised:
                base_month, base_ytd = _revised_basis(
                    ctx.months, ctx.plan, code, period, base_month, base_ytd
                )
                reason = ctx.merger_reason
            row["base_month"], row["base_ytd"] = (
                base_month.quantize(MONEY),
                base_ytd.quantize(MONEY),
            )
        env.update({(code, column): value for column, value in row.items()})
        if period.month == 1:
            env[(code, "prev_ytd")] = Decimal(0)
        elif has_previous:
            env[(code, "prev_ytd")] = ctx.ytds[pk][period.previous][code].quantize(MONEY)
        values.append(Value(indicator_id=indicator.pk, base_reason=reason, **row))

    found = ctx.rules.check(env)
    hard = sum(1 for v in found if v["importance"] == "hard")
    form = Submission(
        dataset=ctx.dataset,
        enterprise=enterprise,
        period=str(period),
        status=status,
        violations=found,
        hard_violations=hard,
        soft_violations=len(found) - hard,
    )
    if status != S.DRAFT:
        notes = ctx.plan.notes.get((pk, period), {})
        soft = sorted({v["rule"] for v in found if v["importance"] == "soft"})
        form.explanations = {c: notes.get(c) or DEFAULT_EXPLANATIONS.get(c, "") for c in soft}
        form.submitted_by = ctx.portal.get(pk)
        _stamp(ctx, rng, form, period)
    return form, values


def _stamp(ctx: _Context, rng: random.Random, form: Submission, period: Period) -> None:
    """When the form was handed in and reviewed: mostly in the days before the deadline."""
    clerk = ctx.clerks.get(form.enterprise.street_id)
    if period == ctx.current:
        start, end = ctx.window
        submitted = start + (end - start) * rng.random()
        form.first_submitted_at = form.submitted_at = submitted
        if form.status in (S.ACCEPTED, S.RETURNED):
            form.reviewed_at = submitted + (end - submitted) * rng.random()
            form.reviewed_by = clerk
        if form.status == S.RETURNED:
            form.return_reason = rng.choice(RETURN_REASONS)
        return
    due = ctx.deadlines[period]
    if rng.random() < LATE:
        day = due + dt.timedelta(days=rng.randint(1, 3))
    else:
        day = due - dt.timedelta(days=rng.randint(0, 6))
    submitted = min(ctx.latest, _at(day, rng.randint(8 * 60 + 30, 18 * 60)))
    form.first_submitted_at = form.submitted_at = submitted
    if rng.random() < RESUBMITTED:  # returned once, corrected and handed in again
        form.first_submitted_at = submitted - dt.timedelta(days=rng.randint(1, 3))
    form.reviewed_at = min(ctx.latest, submitted + dt.timedelta(minutes=rng.randint(60, 2880)))
    form.reviewed_by = clerk


def _approve(
    ctx: _Context,
    rng: random.Random,
    forms: list[Submission],
    history: list[Period],
    district: OrgUnit,
    statistician: User,
) -> None:
    """Each street of the district approved once its forms are accepted, then the district."""
    streets = list(OrgUnit.objects.filter(parent=district, level=Level.STREET).order_by("code"))
    reviewed: dict[tuple[int, str], dt.datetime] = {}
    for form in forms:
        if form.status == S.ACCEPTED and form.reviewed_at is not None:
            key = (form.enterprise.street_id, form.period)
            reviewed[key] = max(reviewed.get(key, form.reviewed_at), form.reviewed_at)
    approvals: list[tuple[Approval, dt.datetime]] = []

    def approve(period: Period, unit: OrgUnit, at: dt.datetime) -> None:
        approval = Approval(
            dataset=ctx.dataset, period=str(period), org_unit=unit, approved_by=statistician
        )
        approvals.append((approval, at))

    for period in history:
        usual = _at(ctx.deadlines[period] + dt.timedelta(days=2), 10 * 60)
        last = usual
        for street in streets:
            at = max(usual, reviewed.get((street.pk, str(period)), usual) + dt.timedelta(hours=2))
            at = min(ctx.latest, at + dt.timedelta(minutes=rng.randint(0, 240)))
            last = max(last, at)
            approve(period, street, at)
        approve(period, district, min(ctx.latest, last + dt.timedelta(hours=20)))
    Approval.objects.bulk_create([a for a, _at_moment in approvals], batch_size=500)
    # approved_at is stamped on insert: set it to the moment of the approval
    for start in range(0, len(approvals), 200):
        part = approvals[start : start + 200]
        Approval.objects.filter(pk__in=[a.pk for a, _at_moment in part]).update(
            approved_at=Case(
                *(When(pk=a.pk, then=SQLValue(at)) for a, at in part),
                output_field=DateTimeField(),
            )
        )


# --- build -------------------------------------------------------------------------------------


def _counts(dataset: DataSet | None) -> dict[str, int]:
    forms = Submission.objects.filter(dataset=dataset)
    return {
        "submissions": forms.count(),
        "values": Value.objects.filter(submission__dataset=dataset).count(),
        "periods": forms.values("period").distinct().count(),
        "listed": Listing.objects.filter(dataset=dataset, until="").count(),
        "listings": Listing.objects.filter(dataset=dataset).count(),
        "approvals": Approval.objects.filter(dataset=dataset).count(),
        "with_soft_violations": forms.filter(soft_violations__gt=0).count(),
    }


def _figures(
    rng: random.Random, profiles: list[_Profile], plan: _Plan, first: Period, current: Period
) -> tuple[dict[int, Months], dict[int, Months]]:
    """Every enterprise's months from January of the first year, the merger applied, and their
    1–this month figures."""
    start = Period(first.year, 1)
    months = {p.enterprise.pk: _months(rng, p, start, current) for p in profiles}
    survivor, absorbed = months[plan.survivor.pk], months[plan.absorbed.pk]
    for period, figures in survivor.items():
        if period >= plan.merger:
            survivor[period] = {k: v + absorbed[period][k] for k, v in figures.items()}
    return months, {pk: _year_to_date(m) for pk, m in months.items()}


@transaction.atomic
def build(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The monthly figures up to the current period of `now` (default: the clock); the counts."""
    seed.install(Indicator, DataSet, ValidationRule)  # a flushed database loses the seeded set
    dataset = DataSet.objects.filter(code=DATASET).first()
    if dataset is None:
        return {"created": 0, **_counts(None)}
    if Submission.objects.filter(dataset=dataset).exists():
        return {"created": 0, **_counts(dataset)}
    district = OrgUnit.objects.filter(code=DISTRICT).first()
    statistician = User.objects.filter(username=STATISTICIAN).first()
    enterprises = _listed_enterprises(dataset)
    if district is None or statistician is None or len(enterprises) < MIN_ENTERPRISES:
        return {"created": 0, **_counts(dataset)}

    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    now = now or timezone.now()
    current = periods.current(dataset, timezone.localdate(now))
    first = current.shift(-HISTORY)
    history = [first.shift(n) for n in range(HISTORY)]
    profiles = [_profile(rng, e) for e in enterprises]
    quiet = set(
        Enterprise.objects.filter(pk__in=[e.pk for e in enterprises], is_key=False)
        .filter(appeals__isnull=True)
        .values_list("pk", flat=True)
    )
    plan = _plan(rng, profiles, quiet, first, current)
    months, ytds = _figures(rng, profiles, plan, first, current)
    stored = _stored(rng, enterprises, plan, history, current)
    latest = now - dt.timedelta(minutes=5)
    ctx = _Context(
        dataset=dataset,
        current=current,
        plan=plan,
        months=months,
        ytds=ytds,
        stored=stored,
        rules=_rules(dataset),
        deadlines={p: periods.deadline(dataset, p) for p in history},
        latest=latest,
        window=_window(dataset, current, latest),
        clerks={},
        portal={},
        merger_reason=MERGER_REASON.format(
            year=plan.merger.year, month=plan.merger.month, name=plan.absorbed.name
        ),
    )
    for clerk in User.objects.filter(
        role=Role.STREET_STAFF, is_active=True, org_unit__parent=district
    ).order_by("pk"):
        ctx.clerks.setdefault(clerk.org_unit_id, clerk)
    for user in User.objects.filter(
        role=Role.ENTERPRISE_USER, is_active=True, enterprise__in=enterprises
    ).order_by("pk"):
        ctx.portal.setdefault(user.enterprise_id, user)

    by_pk = {e.pk: e for e in enterprises}
    forms: list[Submission] = []
    values: list[list[Value]] = []
    for (pk, period), status in sorted(
        stored.items(), key=lambda item: (item[0][1].year, item[0][1].month, item[0][0])
    ):
        form, rows = _form(ctx, rng, by_pk[pk], period, status)
        forms.append(form)
        values.append(rows)

    Listing.objects.filter(dataset=dataset).delete()  # a list synced before any form: redone
    Listing.objects.bulk_create(
        Listing(
            dataset=dataset,
            enterprise=e,
            since=str(plan.since[e.pk]),
            until=str(plan.until[e.pk]) if e.pk in plan.until else "",
        )
        for e in enterprises
    )
    Submission.objects.bulk_create(forms, batch_size=500)
    for form, rows in zip(forms, values, strict=True):
        for value in rows:
            value.submission_id = form.pk
    Value.objects.bulk_create([v for rows in values for v in rows], batch_size=2000)
    _approve(ctx, rng, forms, history, district, statistician)

    # the registry agrees with the list: two fell below scale, one was absorbed
    for enterprise in plan.fell_below:
        enterprise_services.enterprise_update(by=None, enterprise=enterprise, is_above_scale=False)
    enterprise_services.enterprise_update(
        by=None, enterprise=plan.absorbed, status=EnterpriseStatus.CLOSED
    )

    result = {"created": len(forms), **_counts(dataset)}
    audit_record(
        actor=None,
        action="stats.demo",
        obj=dataset,
        object_repr=dataset.name,
        changes={
            "periods": f"{first}–{current}",
            "submissions": result["submissions"],
            "values": result["values"],
            "entered": [e.pk for e in plan.entrants],
            "left": [e.pk for e in [*plan.fell_below, plan.absorbed]],
        },
    )
    return result
