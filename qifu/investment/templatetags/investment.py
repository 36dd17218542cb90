"""Figures of investment promotion as people read them: 万元 (亿元 when large), 亩 and m²."""

from __future__ import annotations

from decimal import Decimal
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
def area(resource: Any) -> str:
    """A resource's area in its unit: 亩 for land, m² otherwise."""
    if resource.kind == "land":
        return "—" if resource.area_mu is None else f"{resource.area_mu:,}亩"
    return "—" if resource.area_m2 is None else f"{resource.area_m2:,} m²"


@register.filter
def needs(lead: Any) -> str:
    """What a lead needs: "50.00亩", "3,000.00 m²" or both."""
    parts = []
    if lead.land_area_mu:
        parts.append(f"{lead.land_area_mu:,}亩")
    if lead.floor_area_m2:
        parts.append(f"{lead.floor_area_m2:,} m²")
    return " / ".join(parts) or "—"


STATUS_CLASSES = {
    "new": "text-bg-info",
    "following": "text-bg-primary",
    "converted": "text-bg-success",
    "dropped": "text-bg-secondary",
    "available": "text-bg-success",
    "reserved": "text-bg-warning",
    "taken": "text-bg-secondary",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.simple_tag(takes_context=True)
def manages_investment(context: Any) -> bool:
    """Whether the user runs the district's pipeline (leads, channels) or only reads resources."""
    from qifu.investment import permissions

    request = context.get("request")
    return permissions.can_manage(getattr(request, "user", None))
