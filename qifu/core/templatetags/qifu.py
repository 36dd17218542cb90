"""Template helpers shared by every module: money in 万元/亿元, sort links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from qifu.lib.money import format_wan

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """An amount in 万元 as a clerk writes it: 7,000.00 (and 亿元 from 10,000 万元 up)."""
    if value in (None, ""):
        return ""
    return format_wan(Decimal(value))


@register.simple_tag(takes_context=True)
def sort_link(context: Any, key: str, label: str) -> str:
    """A column header that sorts by `key`, toggling the direction, keeping the filters."""
    current = context.get("ordering", "")
    query = context.get("sort_query", "")
    descending = current == key
    target = f"-{key}" if descending else key
    arrow = ""
    if current == key:
        arrow = " ▲"
    elif current == f"-{key}":
        arrow = " ▼"
    href = f"?{query + '&' if query else ''}sort={target}"
    return format_html(
        '<a class="text-reset text-decoration-none" href="{}">{}{}</a>', href, label, arrow
    )
