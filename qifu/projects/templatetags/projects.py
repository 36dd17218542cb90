"""Figures and colours of the project pages: 万元 / 亿元, shares, stage and timetable colours."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from qifu.lib.money import format_wan

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    """An amount stored in 万元: "7,000.00万元", "4.00亿元"; "—" when not given."""
    if value is None:
        return "—"
    return format_wan(Decimal(value))


@register.filter
def yi(value: Decimal | None) -> str:
    """An amount stored in 万元 shown in 亿元 (the pipeline's unit): 125000 → "12.50亿元"."""
    amount = Decimal(value or 0) / Decimal(10000)
    return f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,}亿元"


@register.filter
def percent(ratio: Any) -> str:
    if ratio is None:
        return "—"
    return f"{Decimal(ratio) * 100:.1f}%"


COLOUR_CLASSES = {
    "green": "text-bg-success",
    "blue": "text-bg-primary",
    "yellow": "text-bg-warning",
    "red": "text-bg-danger",
}


@register.filter
def colour_class(colour: str | None) -> str:
    return COLOUR_CLASSES.get(colour or "", "text-bg-light border")


@register.filter
def colour_label(colour: str | None) -> str:
    from qifu.projects.selectors import Colour

    return str(Colour.LABELS.get(colour or "", "—"))


STAGE_CLASSES = {
    "negotiating": "text-bg-info",
    "signed": "text-bg-primary",
    "approval": "text-bg-warning",
    "construction": "text-bg-danger",
    "production": "text-bg-success",
    "paused": "text-bg-secondary",
    "terminated": "text-bg-dark",
}


@register.filter
def stage_class(stage: str) -> str:
    return STAGE_CLASSES.get(stage, "text-bg-light")
