"""The policies section of the command centre: programmes open now, applications in the period and
the funds received (万元).

The figures come from `policies.selectors.dashboard_figures`: programmes are the district's (they
belong to no street), applications and funds are counted through the enterprise's street, so the
street or zone filter applies to them. Programmes link to the programme list (published, window
open today), applications to the application list (submitted in the period, withdrawn ones left
out), funds to the figures page for the period, which counts them the same way.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.dashboard.figures import Figure, Filters, Section
from qifu.policies import permissions, selectors
from qifu.policies.models import ProgrammeStatus

PUBLISHED: str = ProgrammeStatus.PUBLISHED.value  # type: ignore[attr-defined]


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.is_official(user) or filters.district is None:
        return None
    street = filters.street.code if filters.street else ""
    zone = filters.zone.code if filters.zone else ""
    found = selectors.dashboard_figures(user=user, period=filters.span, street=street, zone=zone)
    period = str(filters.span)
    whole_district = _("whole district") if street or zone else ""
    figures = [
        Figure(
            key="policies.open",
            label=_("Programmes open now"),
            value=found.open_programmes,
            url=f"{reverse('policies:programmes')}?"
            + filters.query(status=PUBLISHED, open_now="on"),
            unit=pgettext("unit of programmes", "programmes"),
            note=whole_district,
        ),
        Figure(
            key="policies.applications",
            label=_("Applications in the period"),
            value=found.applications,
            url=f"{reverse('policies:applications')}?"
            + filters.query(period=period, street=street, zone=zone, live="on"),
            unit=pgettext("unit of applications", "applications"),
        ),
        Figure(
            key="policies.funds",
            label=_("Funds received"),
            value=found.funds,
            url=f"{reverse('policies:figures')}?" + filters.query(period=period),
            unit=_("10 thousand yuan"),
            note=_("programmes whose window overlaps the period"),
            counts_list=False,
        ),
    ]
    return Section(key="policies", title=_("Policy support"), figures=figures)
