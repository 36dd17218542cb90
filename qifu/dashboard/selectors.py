"""The command centre's reads: the filters a user may apply, and the sections of figures.

Each section comes from `figures._registry()`; the whole dashboard is cached for a short while
per scope and filters (`CACHE_SECONDS`), and says when its numbers were read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import Role
from qifu.accounts.scope import scope_for
from qifu.core.models import Level, OrgUnit, Zone
from qifu.dashboard import figures
from qifu.dashboard.figures import Filters, Section
from qifu.lib.quarters import Span, SpanError

CACHE_SECONDS = 60


class FilterError(ValueError):
    """A filter the user may not use (400 with the message)."""


def filters_for(*, user: Any, params: Any) -> Filters:
    """The filters from a query string: `period` (2026Q4 or 2026; default: this quarter),
    `street` and `zone` (codes; only inside the user's scope). A street clerk's street is fixed."""
    district = scope_for(user).district
    today = timezone.localdate()
    text = (params.get("period") or "").strip()
    try:
        span = Span.parse(text) if text else Span.quarter_of(today)
    except SpanError:
        raise FilterError(
            _("The period is not valid: use a quarter such as 2026Q4 or a year such as 2026.")
        ) from None
    street = zone = None
    if user.role == Role.STREET_STAFF:
        street = user.org_unit
    elif params.get("street"):
        street = OrgUnit.objects.filter(
            level=Level.STREET, parent=district, code=params["street"]
        ).first()
        if street is None:
            raise FilterError(_("The street is not one of the district's."))
    if params.get("zone") and street is None:
        zone = Zone.objects.filter(district=district, code=params["zone"]).first()
        if zone is None:
            raise FilterError(_("The zone is not one of the district's."))
    return Filters(district=district, span=span, street=street, zone=zone)


@dataclass
class Dashboard:
    sections: list[Section]
    read_at: dt.datetime
    filters: Filters

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _cache_key(user: Any, filters: Filters) -> str:
    scope = scope_for(user)
    raw = "|".join(
        str(x)
        for x in (
            user.role,
            scope.org_unit.pk if scope.org_unit else "",
            scope.department_id or "",
            filters.span,
            filters.street.pk if filters.street else "",
            filters.zone.pk if filters.zone else "",
            timezone.get_current_timezone_name(),
            getattr(user, "language", ""),
        )
    )
    return "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def dashboard_for_user(*, user: Any, filters: Filters, fresh: bool = False) -> Dashboard:
    """The sections the user's role sees, each counted within the user's scope and filters."""
    from django.utils.translation import get_language

    key = _cache_key(user, filters) + (get_language() or "")
    if not fresh:
        found = cache.get(key)
        if found is not None:
            return found
    sections = [
        s for fn in figures._registry() if (s := fn(user=user, filters=filters)) is not None
    ]
    board = Dashboard(sections=sections, read_at=timezone.now(), filters=filters)
    cache.set(key, board, CACHE_SECONDS)
    return board
