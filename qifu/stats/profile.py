"""The monthly-data section of the enterprise file (一企一档): its last forms and growth."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qifu.enterprises import sections
from qifu.lib import rollup as arithmetic
from qifu.stats import periods, permissions, selectors
from qifu.stats.periods import Period

SHOWN = ("output", "revenue", "profit", "electricity")


def _context(*, enterprise: Any, user: Any) -> dict[str, Any] | None:
    if not permissions.can_open(user):
        return None
    dataset = selectors.default_dataset()
    if dataset is None:
        return None
    if (
        not enterprise.is_above_scale
        and not selectors.submissions_for_user(user=user).filter(enterprise=enterprise).exists()
    ):
        return None
    end = periods.current(dataset, timezone.localdate())
    forms = selectors.enterprise_series(dataset=dataset, enterprise=enterprise, end=end, months=6)
    indicators = [i for i in selectors.indicators(dataset) if i.code in SHOWN]
    rows = []
    for submission in forms:
        values = {v.indicator_id: v for v in submission.values.all()}  # type: ignore[attr-defined]
        cells = []
        for indicator in indicators:
            value = values.get(indicator.pk)
            growth = (
                arithmetic.growth(value.ytd, value.base_ytd)
                if value is not None and value.ytd is not None and value.base_ytd is not None
                else None
            )
            cells.append(
                {"indicator": indicator, "value": value.ytd if value else None, "growth": growth}
            )
        rows.append(
            {"submission": submission, "period": Period.parse(submission.period), "cells": cells}
        )
    latest = next((r["period"] for r in rows if r["submission"].status == "accepted"), None)
    return {
        "rows": rows,
        "indicators": indicators,
        "latest": latest,
        "can_open": True,
        "enterprise": enterprise,
    }


sections.register(
    sections.Section(
        key="stats",
        title=_("Monthly figures"),
        template="stats/profile_section.html",
        context=_context,
        order=20,
    )
)
