"""What the command centre shows: sections of figures, each figure a link to the list it counts.

A module's section is one function `section(*, user, filters) -> Section | None` in
`qifu/dashboard/sections/<module>.py`, registered in `SECTIONS` below. It reads its numbers through
that module's own selectors (no module's numbers are computed twice), with a fixed number of
queries, and gives each figure the URL of the module's list filtered the same way, so that the
list shows the same count. None: the user's role does not see that module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict

from qifu.core.models import OrgUnit, Zone
from qifu.lib.quarters import Span


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters: a period (a quarter or a year), a street or a zone of the district.

    `street` and `zone` are already checked against the user's scope (a street clerk's street is
    always set to their own street)."""

    district: OrgUnit | None
    span: Span
    street: OrgUnit | None = None
    zone: Zone | None = None

    @property
    def first_day(self) -> dt.date:
        return self.span.first_day

    @property
    def last_day(self) -> dt.date:
        return self.span.last_day

    def query(self, **extra: Any) -> str:
        """The query string of a list URL: the common filters under the given names, plus extra
        parameters. Pass `period=`, `street=`, `zone=` as the list's own parameter names (or
        None to leave one out), e.g. `filters.query(period="received", status="open")`."""
        params = QueryDict(mutable=True)
        for key, value in extra.items():
            if value is None or value == "":
                continue
            params[key] = str(value)
        return params.urlencode()


@dataclass(frozen=True)
class Figure:
    key: str  # stable, for tests and data-testid: "appeals.overdue"
    label: str
    value: int | Decimal | float | None
    url: str = ""  # the list this figure counts, filtered the same way
    unit: str = ""  # 家, 件, 万元, %, …
    note: str = ""  # e.g. growth "同比 +5.2%"
    # for a figure whose list shows a count that must equal it (tests read this)
    counts_list: bool = True


@dataclass
class Section:
    key: str  # "enterprises", "appeals", …
    title: str
    figures: list[Figure] = field(default_factory=list)
    # chart data for the big screen: {"name", "categories": [...], "series": [{"name", "data"}]}
    charts: list[dict[str, Any]] = field(default_factory=list)
    lines: list[str] = field(
        default_factory=list
    )  # sentences such as 为企业解决实际问题 N 类、M 项

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


SectionFn = Callable[..., "Section | None"]


def _registry() -> list[SectionFn]:
    from qifu.dashboard.sections import (
        appeals,
        enterprises,
        ideas,
        policies,
        projects,
        stats,
        visits,
    )

    return [
        enterprises.section,
        visits.section,
        appeals.section,
        stats.section,
        policies.section,
        projects.section,
        ideas.section,
    ]
