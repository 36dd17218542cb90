"""Arithmetic of monthly statistics as the National Bureau of Statistics (国家统计局) does it.

Growth is on a comparable basis (可比口径): Σ this period / Σ same period last year − 1, over the
enterprises reporting this period, each with its own (possibly revised) last-year figure; never
last year's published total, never an average of rates, never a sum of year-to-date values
across months. The published-total figure is available beside it as ``naive``.

Sums and differences of reported values are exact (a Decimal context that traps inexact
results). A rate is a quotient and Decimal cannot hold 1/3 exactly, so rates are computed in exact
fractions and stored to ``RATE_PLACES`` decimal places of a percentage point (half-even): that is
the "unrounded" value. Contributions are apportioned at the same precision so that they add up
*exactly* to the total rate, each within one unit of that last place of its exact value. Rounding
for people happens only in ``display``. (Adding them up with a plain ``sum()`` is exact while rates
stay below 10^10 percent; beyond that Decimal's default 28 digits round, so use a wider context.)

Notes for losses (利润总额), as the bureau words them:

=================================  ==============  =======================================
base (上年同期) and current          note            rate
=================================  ==============  =======================================
base == 0                          上年同期为零      none
base < 0, current >= 0             由亏转盈          none
base > 0, current < 0              由盈转亏          none
base < 0, current < base           亏损增加          (|current| / |base| − 1) · 100, > 0
base < 0, base < current < 0       减亏              (|current| / |base| − 1) · 100, < 0
anything else                      ""              (current / base − 1) · 100
=================================  ==============  =======================================

A loss unchanged (current == base < 0) gives rate 0 and no note.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from fractions import Fraction

RATE_PLACES = 18  # rates and contributions are kept to 1e-18 percentage points
_SCALE = 10**RATE_PLACES

ZERO_BASE = "上年同期为零"
TURNED_PROFITABLE = "由亏转盈"
TURNED_LOSS = "由盈转亏"
LOSS_INCREASED = "亏损增加"
LOSS_REDUCED = "减亏"


@dataclass(frozen=True)
class Growth:
    """A growth rate in percent (unrounded; None when undefined) and the bureau's words."""

    rate: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class Row:
    """One enterprise's figure for the period and its own same-period-last-year figure.

    ``current`` is None when the enterprise has not reported this period; ``base`` is None when
    it has no last-year figure. Either way the row is left out of both sides of the comparison.
    """

    key: str  # enterprise id
    group: str  # e.g. street code
    current: Decimal | None
    base: Decimal | None


@dataclass(frozen=True)
class Rollup:
    """Comparable-basis totals; contributions in percentage points, adding up to growth.rate.

    ``contributions`` (by group) and ``by_enterprise`` are empty when growth.rate is None.
    When the total base is a loss, they are contributions to the growth of the loss.
    """

    current: Decimal
    base: Decimal
    growth: Growth
    enterprises: int
    contributions: dict[str, Decimal]
    by_enterprise: dict[str, Decimal]


def _exact(value: Decimal) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected a Decimal, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"expected a finite Decimal, got {value}")
    return Fraction(value)


def _sum(values: Iterable[Decimal]) -> Decimal:
    """Exact sum (raises decimal.Inexact rather than round)."""
    with localcontext() as ctx:
        ctx.prec = 1000
        ctx.traps[Inexact] = True
        total = Decimal(0)
        for value in values:
            _exact(value)
            total += value
        return total


def _from_units(units: int) -> Decimal:
    """``units`` of 1e-RATE_PLACES as a Decimal (string construction is exact)."""
    return Decimal(f"{units}E-{RATE_PLACES}")


def _rate_units(current: Fraction, base: Fraction) -> int:
    """(current / base − 1) · 100 in units of 1e-RATE_PLACES, rounded half-even."""
    units: Fraction = (current - base) * 100 * _SCALE / base
    return round(units)


def growth(current: Decimal, base: Decimal) -> Growth:
    """Growth of ``current`` over ``base`` in percent, with the bureau's words for losses."""
    c, b = _exact(current), _exact(base)
    if b == 0:
        return Growth(None, ZERO_BASE)
    if b < 0 and c >= 0:
        return Growth(None, TURNED_PROFITABLE)
    if b > 0 and c < 0:
        return Growth(None, TURNED_LOSS)
    # For two losses, current / base = |current| / |base|: the growth of the loss.
    rate = _from_units(_rate_units(c, b))
    if b < 0 and c < b:
        return Growth(rate, LOSS_INCREASED)
    if b < 0 and c > b:
        return Growth(rate, LOSS_REDUCED)
    return Growth(rate)


def naive(current_total: Decimal, last_year_published_total: Decimal) -> Growth:
    """The figure beside the comparable one: this total over last year's published total.

    Last year's published total covers whatever enterprises reported last year, so enterprises
    entering or leaving the list, and revisions, move it; the comparable growth does not.
    """
    return growth(current_total, last_year_published_total)


def mom(current_month: Decimal, previous_month: Decimal) -> Growth:
    """Month-on-month growth (环比), by the same rules as year-on-year."""
    return growth(current_month, previous_month)


def _apportion(parts: dict[str, Fraction], total_units: int) -> dict[str, Decimal]:
    """Round exact ``parts`` (in units) to integers summing to ``total_units`` (largest remainder).

    ``total_units`` must be the half-even rounding of Σ parts; each result is then the floor or
    the ceiling of its part, and exactly representable parts are kept as they are.
    """
    floors = {key: math.floor(part) for key, part in parts.items()}
    remaining = total_units - sum(floors.values())
    if not 0 <= remaining <= len(parts):
        raise ArithmeticError("total does not match the parts")  # cannot happen, see above
    # sorted() is stable, also with reverse=True: ties go to the earlier key.
    by_remainder = sorted(parts, key=lambda key: parts[key] - floors[key], reverse=True)
    raised = set(by_remainder[:remaining])
    return {key: _from_units(floors[key] + (key in raised)) for key in parts}


def comparable(rows: Iterable[Row]) -> Rollup:
    """Comparable-basis rollup over the rows that report this period and have a base."""
    included: list[tuple[str, str, Decimal, Decimal]] = []
    for row in rows:
        if row.current is None or row.base is None:
            continue
        included.append((row.key, row.group, row.current, row.base))

    current = _sum(c for _, _, c, _ in included)
    base = _sum(b for _, _, _, b in included)
    total = growth(current, base)
    enterprises = len({key for key, _, _, _ in included})
    if total.rate is None:
        return Rollup(current, base, total, enterprises, {}, {})

    b_total = _exact(base)
    by_group: dict[str, Fraction] = {}
    by_key: dict[str, Fraction] = {}
    for key, group, c, b in included:
        part = (_exact(c) - _exact(b)) * 100 * _SCALE / b_total
        by_group[group] = by_group.get(group, Fraction(0)) + part
        by_key[key] = by_key.get(key, Fraction(0)) + part
    total_units = _rate_units(_exact(current), b_total)
    return Rollup(
        current=current,
        base=base,
        growth=total,
        enterprises=enterprises,
        contributions=_apportion(by_group, total_units),
        by_enterprise=_apportion(by_key, total_units),
    )


def _check_month_number(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, got {month}")


def month_from_ytd(ytd: Decimal, previous_ytd: Decimal | None, month: int) -> Decimal:
    """The month's value from year-to-date values (1–this month minus 1–last month).

    January's month value is its year to date (``previous_ytd``, December's, is ignored); a
    later month needs the previous month's year to date.
    """
    _check_month_number(month)
    _exact(ytd)
    if month == 1:
        return ytd
    if previous_ytd is None:
        raise ValueError(f"month {month} needs the year to date of month {month - 1}")
    with localcontext() as ctx:
        ctx.prec = 1000
        ctx.traps[Inexact] = True
        return ytd - previous_ytd


def check_month(
    month_value: Decimal, ytd: Decimal, previous_ytd: Decimal | None, month: int
) -> bool:
    """Whether the reported month value equals the one implied by the years to date."""
    return _exact(month_value) == _exact(month_from_ytd(ytd, previous_ytd, month))


def display(rate: Decimal | None, places: int = 2) -> str:
    """Round for display only (half up): ``-8.1818…`` → "-8.18%"; None → ""."""
    if rate is None:
        return ""
    if places < 0:
        raise ValueError("places must not be negative")
    _exact(rate)
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, rate.adjusted() + places + 2)
        shown = rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)  # no "-0.00%"
    return f"{shown:f}%"
