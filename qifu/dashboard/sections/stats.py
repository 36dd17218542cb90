"""The monthly data section of the command centre: output (工业总产值), revenue (营业收入) and
profit (利润总额) of the latest approved month, year to date with their comparable-basis growth
(同比, 同口径), and the completeness of the month whose forms are coming in.

The money figures come from `stats.selectors.rollup` (through `stats.selectors.dashboard_figures`),
exactly as the analysis page shows them, and link to that page for the same month and unit; the
completeness counts link to the completeness page's lists of expected and accepted forms.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.accounts.models import Role
from qifu.core.models import OrgUnit, Zone
from qifu.dashboard.figures import Figure, Filters, Section
from qifu.lib.money import YI
from qifu.lib.rollup import display
from qifu.stats import permissions, selectors
from qifu.stats.models import Indicator
from qifu.stats.periods import Period

TEN = Decimal(10)  # 千元 → 万元
CENT = Decimal("0.01")


def _unit_params(unit: OrgUnit | Zone) -> dict[str, Any]:
    """The stats pages' own parameters for a unit: ?org_unit= or ?zone= (ids)."""
    return {"zone": unit.pk} if isinstance(unit, Zone) else {"org_unit": unit.pk}


def money(thousands: Decimal | None) -> tuple[Decimal | None, str]:
    """A figure stored in 千元 as the command centre shows it: 万元, or 亿元 when large."""
    if thousands is None:
        return None, _("10 thousand yuan")
    wan = Decimal(thousands) / TEN
    if abs(wan) >= YI:
        return (wan / YI).quantize(CENT, ROUND_HALF_UP), _("100 million yuan")
    return wan.quantize(CENT, ROUND_HALF_UP), _("10 thousand yuan")


def growth_note(result: dict[str, Any]) -> str:
    """ "同比 +5.2%（同口径）" (one decimal), or the bureau's words where a rate is not defined."""
    rate, words = result["ytd_yoy"], result["yoy_note"]
    if rate is None:
        shown = words or "—"
    else:
        shown = ("+" if rate > 0 else "") + display(rate, places=1)
        if words:
            shown = f"{shown}（{words}）"
    return _("Year on year %(growth)s (comparable basis)") % {"growth": shown}


def _money_figure(
    filters: Filters,
    where: dict[str, Any],
    latest: Period,
    approved: bool,
    indicator: Indicator,
    result: dict[str, Any],
) -> Figure:
    """A year-to-date money figure of `rollup`, linked to the analysis page of the month."""
    value, unit_label = money(result["ytd"])
    note = f"{latest.label} · {growth_note(result)}"
    if not approved:
        note = f"{note}；{_('not approved yet')}"
    return Figure(
        key=f"stats.{indicator.code}",
        label=f"{indicator.name}（{latest.ytd_label}）",
        value=value,
        url=f"{reverse('stats:analysis')}?"
        + filters.query(period=str(latest), indicator=indicator.code, **where),
        unit=unit_label,
        note=note,
        counts_list=False,
    )


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open(user) or user.role == Role.ENTERPRISE_USER:
        return None
    if filters.district is None:
        return None
    unit: OrgUnit | Zone | None = filters.street or filters.zone
    found = selectors.dashboard_figures(user=user, unit=unit, until=Period.of(filters.last_day))
    if found is None:
        return None
    where = _unit_params(found.unit)
    figures: list[Figure] = []
    latest = found.latest
    if latest is not None:
        for indicator, result in found.rollups:
            figures.append(_money_figure(filters, where, latest, found.approved, indicator, result))
    counts = found.completeness
    current = found.current
    listed = reverse("stats:completeness")
    enterprises = pgettext("unit of enterprises", "enterprises")
    expected, accepted = counts["expected"], counts["accepted"]
    rate = (
        (Decimal(accepted) * 100 / expected).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if expected
        else None
    )
    figures += [
        Figure(
            key="stats.expected",
            label=_("Forms expected for %(month)s") % {"month": current.label},
            value=expected,
            url=f"{listed}?" + filters.query(period=str(current), list="expected", **where),
            unit=enterprises,
        ),
        Figure(
            key="stats.accepted",
            label=_("Forms accepted for %(month)s") % {"month": current.label},
            value=accepted,
            url=f"{listed}?" + filters.query(period=str(current), list="accepted", **where),
            unit=enterprises,
        ),
        Figure(
            key="stats.completeness",
            label=_("Completeness of %(month)s") % {"month": current.label},
            value=rate,
            url=f"{listed}?" + filters.query(period=str(current), **where),
            unit="%",
            note=_("accepted of expected; %(submitted)s handed in")
            % {"submitted": counts["submitted"]},
            counts_list=False,
        ),
    ]
    charts = []
    if found.rollups:
        charts.append(
            {
                "name": _("Year-to-date growth, comparable basis (%)"),
                "categories": [i.name for i, _r in found.rollups],
                "series": [
                    {
                        "name": latest.label if latest else "",
                        "data": [
                            None if r["ytd_yoy"] is None else float(round(r["ytd_yoy"], 1))
                            for _i, r in found.rollups
                        ],
                    }
                ],
            }
        )
    return Section(key="stats", title=_("Monthly data"), figures=figures, charts=charts)
