"""The policies section of the enterprise file (一企一档): programmes it qualifies for now and
soon, its applications, what it won and the funds received."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from qifu.enterprises import sections
from qifu.policies import permissions, selectors

WON = ("approved", "funded")


def _context(*, enterprise: Any, user: Any) -> dict[str, Any] | None:
    if not (permissions.is_official(user) or permissions.is_enterprise_user(user)):
        return None
    matches = selectors.enterprise_matches(user=user, enterprise=enterprise)
    applications = list(
        selectors.application_list_for_user(
            user=user, filters=selectors.ApplicationFilters(enterprise=enterprise.pk)
        )[:20]
    )
    return {
        "enterprise": enterprise,
        "now": matches.now,
        "soon": matches.soon,
        "applications": applications,
        "won": [a for a in applications if a.status in WON],
        "funds": sum((a.funds_amount or Decimal(0) for a in applications), Decimal(0)),
    }


sections.register(
    sections.Section(
        key="policies",
        title=_("Policies"),
        template="policies/profile_section.html",
        context=_context,
        order=40,
    )
)
