"""The visits section of the command centre: the coverage of the period (assigned enterprises,
those visited, the rate), the visits dated in the period and the red flags open now.

The numbers come from `visits.selectors.visit_figures` (the coverage arithmetic of the coverage
page, the visit list, the red flags list); the assigned and visited figures link to the coverage
page, whose list of assigned enterprises (all, or the visited ones) has the same count."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.dashboard.figures import Figure, Filters, Section
from qifu.visits import permissions, selectors
from qifu.visits.models import VisitStatus


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open(user) or filters.district is None:
        return None
    street, zone = filters.street, filters.zone
    figures = selectors.visit_figures(user=user, span=filters.span, street=street, zone=zone)
    coverage = figures.coverage
    street_code = street.code if street else None
    zone_code = zone.code if zone else None
    on_coverage = {
        "period": str(filters.span),
        "org_unit": street.pk if street else None,
        "zone": zone_code,
    }
    coverage_url = f"{reverse('visits:coverage')}?" + filters.query(**on_coverage)
    enterprises = pgettext("unit of enterprises", "enterprises")
    rate = round(100 * coverage.rate, 1) if coverage.rate is not None else None
    items = [
        Figure(
            "visits.coverage_rate",
            _("Visit coverage"),
            rate,
            coverage_url,
            "%",
            note=f"{coverage.visited}/{coverage.assigned}",
            counts_list=False,
        ),
        Figure(
            "visits.assigned",
            pgettext("coverage", "Assigned"),
            coverage.assigned,
            coverage_url,
            enterprises,
        ),
        Figure(
            "visits.visited",
            pgettext("coverage", "Visited"),
            coverage.visited,
            f"{reverse('visits:coverage')}?" + filters.query(**on_coverage, visited="yes"),
            enterprises,
        ),
        Figure(
            "visits.recorded",
            _("Visits in the period"),
            figures.visits,
            f"{reverse('visits:index')}?"
            + filters.query(
                status=VisitStatus.FINAL.value,
                date_from=filters.first_day.isoformat(),
                date_to=filters.last_day.isoformat(),
                street=street_code,
                zone=zone_code,
            ),
            pgettext("unit of visits", "visits"),
        ),
        Figure(
            "visits.red_flags_open",
            _("Red flags open"),
            figures.red_flags_open,
            f"{reverse('visits:red-flags')}?" + filters.query(street=street_code, zone=zone_code),
            pgettext("unit of red flags", "flags"),
        ),
    ]
    rows = [row for row in coverage.streets if row.street.level == "street"]
    charts = [
        {
            "name": _("Visit coverage by street"),
            "categories": [row.street.name for row in rows],
            "series": [
                {"name": pgettext("coverage", "Assigned"), "data": [r.assigned for r in rows]},
                {"name": pgettext("coverage", "Visited"), "data": [r.visited for r in rows]},
            ],
        }
    ]
    return Section(key="visits", title=_("Visits"), figures=items, charts=charts)
