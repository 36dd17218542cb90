"""The appeals section of the command centre: received and resolved (closed) in the period, open and
overdue now, the on-time and satisfaction rates and the line 为企业解决实际问题 N 类、M 项.

The counts come from `appeals.selectors.appeal_counts` and link to the appeals list filtered the
same way (receipt date, closing date, `open`, `overdue`, street, zone); the rates and the line come
from `appeals.selectors.appeal_stats` (the appeal figures page, which the rates link to)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.appeals import permissions, selectors
from qifu.appeals.models import Status
from qifu.dashboard.figures import Figure, Filters, Section


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open(user) or filters.district is None:
        return None
    street = filters.street.code if filters.street else ""
    zone = filters.zone.code if filters.zone else ""
    first, last = filters.first_day.isoformat(), filters.last_day.isoformat()
    counts = selectors.appeal_counts(
        user=user, date_from=filters.first_day, date_to=filters.last_day, street=street, zone=zone
    )
    stats = selectors.appeal_stats(
        user=user,
        group="category",
        filters={
            "date_from": filters.first_day,
            "date_to": filters.last_day,
            "street": street,
            "zone": zone,
        },
    )
    where = {"street": street or None, "zone": zone or None}
    listed = reverse("appeals:list")
    figures_page = f"{reverse('appeals:stats')}?" + filters.query(
        date_from=first, date_to=last, **where
    )
    unit = pgettext("unit of appeals", "items")
    total = stats["total"]
    figures = [
        Figure(
            "appeals.received",
            _("Received in the period"),
            counts["received"],
            f"{listed}?" + filters.query(date_from=first, date_to=last, **where),
            unit,
        ),
        Figure(
            "appeals.open",
            _("Open now"),
            counts["open"],
            f"{listed}?" + filters.query(open="1", **where),
            unit,
        ),
        Figure(
            "appeals.overdue",
            _("Overdue now"),
            counts["overdue"],
            f"{listed}?" + filters.query(overdue="true", open="1", **where),
            unit,
        ),
        Figure(
            "appeals.resolved",
            _("Resolved (closed) in the period"),
            counts["closed"],
            f"{listed}?"
            + filters.query(status=Status.CLOSED.value, closed_from=first, closed_to=last, **where),
            unit,
        ),
        Figure(
            "appeals.on_time_rate",
            _("On-time rate"),
            total["on_time_rate"],
            figures_page,
            "%",
            counts_list=False,
        ),
        Figure(
            "appeals.satisfaction_rate",
            _("Satisfaction rate"),
            total["satisfaction_rate"],
            figures_page,
            "%",
            counts_list=False,
        ),
    ]
    line = _("Problems solved for enterprises: %(n)s categories, %(m)s items") % {
        "n": stats["solved_categories"],
        "m": stats["solved"],
    }
    rows = stats["rows"]
    charts = [
        {
            "name": _("Appeals by category"),
            "categories": [str(r["name"]) for r in rows],
            "series": [
                {"name": _("Received"), "data": [r["received"] for r in rows]},
                {"name": _("Resolved"), "data": [r["resolved"] for r in rows]},
            ],
        }
    ]
    return Section(key="appeals", title=_("Appeals"), figures=figures, charts=charts, lines=[line])
