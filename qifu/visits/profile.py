"""The visits section of the enterprise file (一企一档): who is responsible, visits, red flags."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qifu.enterprises import sections
from qifu.visits import permissions, selectors


def _context(*, enterprise: Any, user: Any) -> dict[str, Any] | None:
    if not permissions.can_open(user):
        return None
    return {
        "enterprise": enterprise,
        "responsible": selectors.responsible_for(enterprise=enterprise),
        "visits": selectors.enterprise_visits(user=user, enterprise=enterprise, limit=20),
        "red_flags": list(
            selectors.red_flags_for_user(user=user, open_only=False).filter(enterprise=enterprise)[
                :20
            ]
        ),
    }


sections.register(
    sections.Section(
        key="visits",
        title=_("Visits"),
        template="visits/profile_section.html",
        context=_context,
        order=15,
    )
)
