"""The enterprises section of the command centre: the operating enterprises of the scope now (not
a count of the period): in all, above scale, key, and per street, each a link to the enterprise
list filtered the same way."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.dashboard.figures import Figure, Filters, Section
from qifu.enterprises import permissions, selectors
from qifu.enterprises.models import Status


def _url(filters: Filters, **extra: Any) -> str:
    query = filters.query(
        status=Status.OPERATING.value,
        street=filters.street.code if filters.street else None,
        zone=filters.zone.code if filters.zone else None,
        **extra,
    )
    return f"{reverse('enterprises:list')}?{query}"


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open_registry(user) or filters.district is None:
        return None
    figures = selectors.enterprise_figures(user=user, street=filters.street, zone=filters.zone)
    unit = pgettext("unit of enterprises", "enterprises")
    items = [
        Figure("enterprises.total", _("Operating enterprises"), figures.total, _url(filters), unit),
        Figure(
            "enterprises.above_scale",
            _("Above scale"),
            figures.above_scale,
            _url(filters, is_above_scale="true"),
            unit,
        ),
        Figure(
            "enterprises.key", _("Key enterprises"), figures.key, _url(filters, is_key="true"), unit
        ),
    ]
    for row in figures.streets:
        items.append(
            Figure(
                f"enterprises.street.{row.street.code}",
                row.street.name,
                row.total,
                f"{reverse('enterprises:list')}?"
                + filters.query(status=Status.OPERATING.value, street=row.street.code),
                unit,
            )
        )
    charts = [
        {
            "name": _("Enterprises by street"),
            "categories": [row.street.name for row in figures.streets],
            "series": [
                {"name": _("Operating enterprises"), "data": [r.total for r in figures.streets]}
            ],
        }
    ]
    return Section(key="enterprises", title=_("Enterprises"), figures=items, charts=charts)
