"""Pages of the command centre (工业企业运行指挥部): the leaders' dashboard with its filters, the
big screen (大屏) for the command-centre wall, and the data the big screen fetches every minute.

Thin: the filters come from `selectors.filters_for` (a filter outside the user's scope is a 400
with its message), the figures from `selectors.dashboard_for_user` (cached for a minute; `fresh=1`
reads them again). Officials of a district open them; everyone else gets 403.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qifu.accounts.models import Role
from qifu.core.badinput import BadInput, answers_bad_input
from qifu.dashboard import permissions, selectors
from qifu.dashboard.figures import Filters, Section
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib import money
from qifu.lib.quarters import Span

CHART_TYPES = ("bar", "pie", "line")
SCREEN_CHARTS = 6  # chart panels on the big screen (two rows of three)
SCREEN_TILE_FIGURES = 4  # figures per section tile: one big, three below it
REFRESH_SECONDS = 60


# --- helpers --------------------------------------------------------------------------------------


def _open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _filters(request: HttpRequest) -> Filters:
    try:
        return selectors.filters_for(user=request.user, params=request.GET)
    except selectors.FilterError as error:
        raise BadInput(str(error)) from error


def _board(request: HttpRequest) -> selectors.Dashboard:
    _open(request)
    filters = _filters(request)
    fresh = request.GET.get("fresh") == "1"
    return selectors.dashboard_for_user(user=request.user, filters=filters, fresh=fresh)


def _query(filters: Filters, *, street_fixed: bool) -> str:
    """The query string of the filters as applied (never `fresh`)."""
    return filters.query(
        period=str(filters.span),
        street=None if street_fixed or filters.street is None else filters.street.code,
        zone=filters.zone.code if filters.zone else None,
    )


def display(value: Any) -> str:
    """A figure's value as the pages show it: thousands grouped, "—" when unknown."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal) and value.as_tuple().exponent > 0:  # type: ignore[operator]
        value = value.quantize(Decimal(1))  # 1E+3 → 1,000
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{round(value, 2):,}"
    return str(value)


def screen_display(value: Any, unit: str) -> tuple[str, str]:
    """A figure for the big screen: amounts of 1亿元 and more in 亿元 (two decimals, as
    `lib.money.format_wan` writes them), so that the number fits its tile; anything else as
    `display` gives it."""
    if unit == "万元" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
        if abs(amount) >= money.YI:
            yi = (amount / money.YI).quantize(Decimal("0.01"), ROUND_HALF_UP)
            return f"{yi:,}", "亿元"
    return display(value), unit


def number(value: Any) -> int | float | None:
    """A figure's value for JSON and charts: a plain number or None."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _periods(today: dt.date, current: Span) -> list[tuple[str, str]]:
    """This quarter, the three quarters before it, this year and last year (and the period in
    the URL if it is another one)."""
    quarter = Span.quarter_of(today)
    spans = [quarter]
    for _i in range(3):
        spans.append(spans[-1].previous())
    spans += [Span(today.year), Span(today.year - 1)]
    if current not in spans:
        spans.append(current)
    return [(str(span), span.label) for span in spans]


def _choices(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    user = request.user
    street_fixed = user.role == Role.STREET_STAFF
    streets: list[Any] = []
    zones: list[Any] = []
    if not street_fixed and filters.district is not None:
        streets = list(
            enterprise_selectors.streets_for_user(user=user).order_by("sort_order", "code")
        )
        zones = list(enterprise_selectors.zones_for_user(user=user))
    return {
        "periods": _periods(timezone.localdate(), filters.span),
        "streets": streets,
        "zones": zones,
        "street_fixed": street_fixed,
    }


def chart_json(raw: dict[str, Any], chart_id: str) -> dict[str, Any]:
    """A section's chart as the big screen draws it: categories, series of plain numbers."""
    kind = str(raw.get("type") or raw.get("kind") or "bar")
    return {
        "id": chart_id,
        "name": str(raw.get("name") or ""),
        "type": kind if kind in CHART_TYPES else "bar",
        "unit": str(raw.get("unit") or ""),
        "categories": [str(c) for c in raw.get("categories") or []],
        "series": [
            {"name": str(s.get("name") or ""), "data": [number(v) for v in s.get("data") or []]}
            for s in raw.get("series") or []
        ],
    }


def _chart_from_figures(section: Section) -> dict[str, Any] | None:
    """A bar chart of a section's figures that share its most common unit (never percentages),
    when at least two do: one bar alone is not worth a panel."""
    figures = [f for f in section.figures if f.value is not None and f.unit != "%"]
    if not figures:
        return None
    unit, count = Counter(str(f.unit) for f in figures).most_common(1)[0]
    if count < 2:
        return None
    chosen = [f for f in figures if str(f.unit) == unit]
    return chart_json(
        {
            "name": section.title,
            "unit": unit,
            "categories": [f.label for f in chosen],
            "series": [{"name": section.title, "data": [f.value for f in chosen]}],
        },
        f"{section.key}:figures",
    )


def key_figures(figures: list[Any], count: int = SCREEN_TILE_FIGURES) -> list[Any]:
    """The figures a section's tile shows: its headline figures ("<section>.<name>"), not its
    breakdowns ("enterprises.street.370213007", "projects.stage.signed"), unless it has no
    other; in their order."""
    headline = [f for f in figures if f["key"].count(".") == 1]
    return (headline or figures)[:count]


def screen_charts(sections: list[Section], limit: int = SCREEN_CHARTS) -> list[dict[str, Any]]:
    """The big screen's charts: every section's own charts first (a chart of one category, such
    as a street clerk's "by street", is not worth a panel), then, for a section that gives none,
    a chart built from its figures; at most `limit`."""
    charts = [
        chart
        for s in sections
        for i, raw in enumerate(s.charts or [])
        if len((chart := chart_json(raw, f"{s.key}:{i}"))["categories"]) > 1
    ]
    for section in sections:
        if not section.charts and (built := _chart_from_figures(section)) is not None:
            charts.append(built)
    return charts[:limit]


def _figure_json(figure: Any) -> dict[str, Any]:
    shown, unit = screen_display(figure.value, str(figure.unit))
    return {
        "key": figure.key,
        "label": str(figure.label),
        "value": number(figure.value),
        "display": display(figure.value),
        "unit": str(figure.unit),
        "note": str(figure.note),
        "url": figure.url,
        "screen_display": shown,
        "screen_unit": unit,
    }


def screen_payload(board: selectors.Dashboard) -> dict[str, Any]:
    """What the big screen draws, as JSON: figures with their text, charts, lines, freshness."""
    read_at = timezone.localtime(board.read_at)
    filters = board.filters
    return {
        "read_at": read_at.isoformat(),
        "read_at_label": read_at.strftime("%H:%M"),
        "period": str(filters.span),
        "period_label": filters.span.label,
        "sections": [
            {
                "key": s.key,
                "title": str(s.title),
                "figures": [_figure_json(f) for f in s.figures],
                "lines": [str(line) for line in s.lines],
            }
            for s in board.sections
        ],
        "charts": screen_charts(board.sections),
    }


def _place(filters: Filters) -> str:
    parts = [filters.district.name if filters.district else ""]
    if filters.street is not None:
        parts.append(filters.street.name)
    elif filters.zone is not None:
        parts.append(filters.zone.name)
    return " · ".join(p for p in parts if p)


# --- pages ----------------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def index(request: HttpRequest) -> HttpResponse:
    """The leaders' dashboard: a card per section, each figure a link to the list it counts."""
    board = _board(request)
    filters = board.filters
    choices = _choices(request, filters)
    query = _query(filters, street_fixed=choices["street_fixed"])
    context = {
        "board": board,
        "filters": filters,
        "place": _place(filters),
        "query": query,
        "fresh_query": f"{query}&fresh=1" if query else "fresh=1",
        "read_at": timezone.localtime(board.read_at),
        "sections": [
            {"section": s, "figures": [(f, display(f.value)) for f in s.figures]}
            for s in board.sections
        ],
        **choices,
    }
    if request.htmx:
        return render(request, "dashboard/index.html#board", context)
    return render(request, "dashboard/index.html", context)


def _screen_layout(payload: dict[str, Any]) -> dict[str, Any]:
    """The tiles (a section's headline figures) and the grid of charts: three columns from five
    charts on, and the last chart of a row that is not full spans the columns left."""
    tiles = []
    for section in payload["sections"]:
        shown = key_figures(section["figures"])
        tiles.append({"section": section, "main": shown[0] if shown else None, "more": shown[1:]})
    charts = payload["charts"]
    columns = 3 if len(charts) > 4 else max(1, (len(charts) + 1) // 2)
    spans = [1] * len(charts)
    if charts and len(charts) % columns:
        spans[-1] = columns - len(charts) % columns + 1
    return {
        "tiles": tiles,
        "charts": list(zip(charts, spans, strict=True)),
        "chart_columns": columns,
        "chart_rows": max(1, -(-len(charts) // columns)),
        "lines": [line for s in payload["sections"] for line in s["lines"]],
    }


@require_GET
@login_required
@answers_bad_input
def screen(request: HttpRequest) -> HttpResponse:
    """The big screen (大屏): 1920×1080, dark, no scrolling; it refreshes itself every minute."""
    board = _board(request)
    query = _query(board.filters, street_fixed=request.user.role == Role.STREET_STAFF)
    payload = screen_payload(board)
    context = {
        "filters": board.filters,
        "place": _place(board.filters),
        "payload": payload,
        "now": timezone.localtime(),
        "data_url": reverse("dashboard:screen-data") + (f"?{query}" if query else ""),
        "refresh_seconds": REFRESH_SECONDS,
        "clock_locale": "zh-CN" if (get_language() or "").startswith("zh") else "en-GB",
        **_screen_layout(payload),
    }
    return render(request, "dashboard/screen.html", context)


@never_cache
@require_GET
@login_required
def screen_data(request: HttpRequest) -> HttpResponse:
    """The big screen's figures and charts as JSON, with the same filters as the page."""
    try:
        board = _board(request)
    except BadInput as error:
        return JsonResponse({"detail": str(error)}, status=400)
    except PermissionDenied:
        return JsonResponse({"detail": _("You may not open the command centre.")}, status=403)
    return JsonResponse(screen_payload(board), json_dumps_params={"ensure_ascii": False})
