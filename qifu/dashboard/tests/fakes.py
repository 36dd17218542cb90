"""Stand-in section functions for the tests of the dashboard's pages, API and cache.

`install(monkeypatch)` makes `figures._registry()` return them. They count through the real
enterprises selector, so that scope and filters show in their numbers, in one query whatever the
number of rows; `calls` counts how often they ran (the cache tests read it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from qifu.accounts.models import Role
from qifu.dashboard import figures
from qifu.dashboard.figures import Figure, Filters, Section
from qifu.enterprises import selectors as enterprise_selectors

calls: list[str] = []


def enterprises(*, user: Any, filters: Filters) -> Section:
    """Enterprises of the scope (by street and zone): in all and above scale, and a chart."""
    calls.append("enterprises")
    qs = enterprise_selectors.enterprises_for_user(user=user)
    if filters.street is not None:
        qs = qs.filter(street=filters.street)
    if filters.zone is not None:
        qs = qs.filter(street__zone=filters.zone)
    rows = list(
        qs.order_by()
        .values("street__name")
        .annotate(total=Count("id"), above=Count("id", filter=Q(is_above_scale=True)))
        .order_by("street__name")
    )
    where = {
        "street": filters.street.code if filters.street else None,
        "zone": filters.zone.code if filters.zone else None,
    }
    return Section(
        key="enterprises",
        title="企业",
        figures=[
            Figure(
                key="enterprises.total",
                label="企业总数",
                value=sum(r["total"] for r in rows),
                url=f"/enterprises/?{filters.query(**where)}",
                unit="家",
            ),
            Figure(
                key="enterprises.above_scale",
                label="规上企业",
                value=sum(r["above"] for r in rows),
                url=f"/enterprises/?{filters.query(**where, is_above_scale='true')}",
                unit="家",
                note="占比",
            ),
        ],
        charts=[
            {
                "name": "各街道企业数",
                "categories": [r["street__name"] for r in rows],
                "series": [{"name": "企业", "data": [r["total"] for r in rows]}],
            }
        ],
    )


def appeals(*, user: Any, filters: Filters) -> Section:
    """Fixed numbers, a donut chart and a line."""
    calls.append("appeals")
    return Section(
        key="appeals",
        title="诉求",
        figures=[
            Figure(key="appeals.received", label="受理", value=12, url="/appeals/?x=1", unit="件"),
            Figure(
                key="appeals.overdue",
                label="超期",
                value=3,
                url=f"/appeals/?{filters.query(period=str(filters.span), overdue='1')}",
                unit="件",
            ),
            Figure(
                key="appeals.on_time_rate",
                label="按时办结率",
                value=Decimal("91.7"),
                unit="%",
                counts_list=False,
            ),
        ],
        charts=[
            {
                "name": "诉求状态",
                "type": "pie",
                "categories": ["办理中", "已办结"],
                "series": [{"name": "诉求", "data": [4, Decimal("8")]}],
            }
        ],
        lines=["为企业解决实际问题 5 类、8 项"],
    )


def stats(*, user: Any, filters: Filters) -> Section | None:
    """Money in 万元 and a rate, no chart (the big screen builds one from the figures); street
    clerks do not see it."""
    calls.append("stats")
    if user.role == Role.STREET_STAFF:
        return None
    return Section(
        key="stats",
        title="月度数据",
        figures=[
            Figure(key="stats.output", label="工业产值", value=Decimal("123456.78"), unit="万元"),
            Figure(key="stats.revenue", label="营业收入", value=Decimal("2345.60"), unit="万元"),
            Figure(key="stats.complete", label="报送率", value=87.5, unit="%", note="同比 +5.2%"),
            Figure(key="stats.missing", label="未报送", value=None, unit="家"),
        ],
    )


def hidden(*, user: Any, filters: Filters) -> None:
    """A module this role may not open."""
    calls.append("hidden")
    return None


FAKES = [enterprises, appeals, stats, hidden]


def install(monkeypatch: Any, fns: list[Any] | None = None) -> list[str]:
    calls.clear()
    chosen = FAKES if fns is None else fns
    monkeypatch.setattr(figures, "_registry", lambda: list(chosen))
    return calls
