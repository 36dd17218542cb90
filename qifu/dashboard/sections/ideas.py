"""The ideas section of the command centre (征集金点子): ideas received, answered (an official
answer published) and adopted in the period.

Only the staff who open the ideas' staff side see it (the district's leaders: every idea of the
district; a department's staff: the ideas given to it). Ideas belong to zones, not streets: with a
street filter the section counts the ideas of the street's zone, and says so. The figures come
from `ideas.selectors.dashboard_figures` and link to the staff list `/ideas/manage/` filtered by the
same zone and days.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.core.models import Zone
from qifu.dashboard.figures import Figure, Filters, Section
from qifu.ideas import permissions, selectors
from qifu.ideas.models import Status

ADOPTED: str = Status.ADOPTED.value  # type: ignore[attr-defined]


def _zone(filters: Filters) -> tuple[Zone | None, str]:
    """The zone to count, and a note when it stands for the street chosen."""
    if filters.zone is not None:
        return filters.zone, ""
    street = filters.street
    if street is None:
        return None, ""
    if street.zone_id is None:
        return None, _("%(street)s belongs to no zone: the whole district") % {
            "street": street.name
        }
    zone = street.zone
    return zone, _("ideas belong to zones: %(zone)s, the zone of %(street)s") % {
        "zone": zone.name,
        "street": street.name,
    }


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open(user) or filters.district is None:
        return None
    zone, note = _zone(filters)
    code = zone.code if zone is not None else ""
    first, last = filters.first_day, filters.last_day
    found = selectors.dashboard_figures(user=user, first_day=first, last_day=last, zone=code)
    listed = reverse("ideas:manage")
    unit = pgettext("unit of ideas", "ideas")
    days = {"from": first.isoformat(), "to": last.isoformat()}

    def url(event: str, **extra: Any) -> str:
        return f"{listed}?" + filters.query(
            zone=code or None,
            **{f"{event}_from": days["from"], f"{event}_to": days["to"]},
            **extra,
        )

    figures = [
        Figure(
            key="ideas.received",
            label=_("Ideas received in the period"),
            value=found["received"],
            url=url("submitted"),
            unit=unit,
            note=note,
        ),
        Figure(
            key="ideas.answered",
            label=_("Ideas answered in the period"),
            value=found["answered"],
            url=url("answered"),
            unit=unit,
            note=note,
        ),
        Figure(
            key="ideas.adopted",
            label=_("Ideas adopted in the period"),
            value=found["adopted"],
            url=url("decided", status=ADOPTED),
            unit=unit,
            note=note,
        ),
    ]
    return Section(key="ideas", title=_("Golden ideas"), figures=figures)
