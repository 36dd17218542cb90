"""Figures and links of the visit pages: answers as read, rates, and the visits of an appeal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from qifu.visits import permissions, selectors

register = template.Library()


@register.simple_tag
def answer_text(question: Any, value: Any) -> str:
    """An answer as a person reads it: 是 / 否, the option, the number with its unit."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, int | float | Decimal):
        number = f"{value:,}" if isinstance(value, int) else f"{Decimal(str(value)).normalize():f}"
        return f"{number}{question.unit}"
    return str(value)


@register.filter
def rate(ratio: Any) -> str:
    if ratio is None:
        return "—"
    return f"{Decimal(str(ratio)) * 100:.0f}%"


@register.simple_tag(takes_context=True)
def visits_of_appeal(context: Any, appeal: Any) -> list[Any]:
    """The visits an appeal was raised on, those the user may open (none for the others)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_open(user):
        return []
    return list(selectors.visits_for_user(user=user).filter(appeals=appeal).order_by("date", "id"))
