"""Figures as people read them: money stored in 千元 shown in 万元 or 亿元, rates rounded for
display only, and the bureau's words where a rate is not defined."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from qifu.lib.money import format_wan
from qifu.lib.rollup import display

register = template.Library()

TEN = Decimal(10)


@register.filter
def amount(value: Decimal | None, indicator: Any) -> str:
    """A stored figure in the unit people read: 千元 → 万元 (亿元 when large)."""
    if value is None:
        return "—"
    if getattr(indicator, "is_money", False):
        return format_wan(Decimal(value) / TEN)
    return f"{Decimal(value).normalize():,f} {getattr(indicator, 'unit', '')}".strip()


def _scaled(value: Decimal | None, indicator: Any, divisor: Decimal) -> str:
    if value is None:
        return "—"
    if getattr(indicator, "is_money", False):
        return f"{Decimal(value) / divisor:,.2f}"
    return f"{Decimal(value):,.0f}" if getattr(indicator, "unit", "") == "人" else f"{value:,}"


@register.filter
def yi(value: Decimal | None, indicator: Any) -> str:
    """A money figure in 亿元 (2 decimals) without the unit, for columns headed with it."""
    return _scaled(value, indicator, Decimal(100000))


@register.filter
def wan(value: Decimal | None, indicator: Any) -> str:
    """A money figure in 万元 (2 decimals) without the unit, for columns headed with it."""
    return _scaled(value, indicator, TEN)


@register.filter
def plain(value: Decimal | None) -> str:
    """A stored figure as entered (千元 for money), for forms and review tables."""
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def rate(value: Decimal | None, note: str = "") -> str:
    """ "-8.18%"; a loss case in words ("由亏转盈"); "—" when there is nothing to say."""
    if value is None:
        return note or "—"
    shown = display(value)
    return f"{shown}（{note}）" if note else shown


@register.filter
def points(value: Decimal | None) -> str:
    """A contribution in percentage points."""
    if value is None:
        return "—"
    return display(value).removesuffix("%")


@register.filter
def sign_class(value: Decimal | None) -> str:
    if value is None:
        return ""
    # as Chinese statistics show it: red for an increase, green for a decrease
    return "text-danger" if value > 0 else "text-success" if value < 0 else ""
