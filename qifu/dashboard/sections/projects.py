"""The projects section of the command centre: the pipeline by stage (count, with the total
investment as note), the key projects started, past 30% of their investment and completing ahead
of plan (from the key-project board), and the overdue milestones.

The figures come from `projects.selectors.dashboard_figures` over the projects in the user's scope
of the street or zone chosen. Stages and overdue milestones are states of now (the period does not
apply); the key-project board is the latest list up to the period's year, for the period's last
month (or this month, when the period is not over). Each figure links to the project list, the
board or the overdue list filtered the same way.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.dashboard.figures import Figure, Filters, Section
from qifu.lib.money import format_wan
from qifu.projects import permissions, selectors


def section(*, user: Any, filters: Filters) -> Section | None:
    if not permissions.can_open_board(user) or filters.district is None:
        return None
    where = {
        "street": filters.street.code if filters.street else None,
        "zone": filters.zone.code if filters.zone else None,
    }
    found = selectors.dashboard_figures(
        user=user, last_day=filters.last_day, filters={k: v for k, v in where.items() if v}
    )
    unit = pgettext("unit of projects", "projects")
    listed = reverse("projects:index")
    figures = [
        Figure(
            key=f"projects.stage.{row['stage']}",
            label=str(row["label"]),
            value=row["count"],
            url=f"{listed}?" + filters.query(stage=row["stage"], **where),
            unit=unit,
            note=_("total investment %(amount)s") % {"amount": format_wan(row["total_investment"])},
        )
        for row in found.pipeline
    ]
    board = found.board
    if board is not None:
        keep = {"key_list": board.key_list.pk, "month": str(board.month), **where}
        url = reverse("projects:board")
        note = f"{board.key_list.name} · {board.month.label}"
        for name, label, value in (
            ("started", _("Key projects started"), board.started),
            ("past_30", _("Key projects past 30 percent of their investment"), board.past_30),
            ("ahead", _("Key projects ahead of plan"), board.ahead),
        ):
            figures.append(
                Figure(
                    key=f"projects.key_{name}",
                    label=label,
                    value=value,
                    url=f"{url}?" + filters.query(show=name, **keep),
                    unit=unit,
                    note=_("%(note)s, of %(total)s key projects")
                    % {"note": note, "total": board.total},
                )
            )
    figures.append(
        Figure(
            key="projects.overdue_milestones",
            label=_("Overdue milestones"),
            value=found.overdue_milestones,
            url=f"{reverse('projects:overdue')}?" + filters.query(kind="milestones", **where),
            unit=pgettext("unit of milestones", "milestones"),
        )
    )
    charts = [
        {
            "name": _("Projects by stage"),
            "categories": [str(row["label"]) for row in found.pipeline],
            "series": [{"name": _("Projects"), "data": [row["count"] for row in found.pipeline]}],
        }
    ]
    return Section(key="projects", title=_("Projects"), figures=figures, charts=charts)
