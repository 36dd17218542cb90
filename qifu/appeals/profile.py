"""The appeals section of the enterprise file (一企一档)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qifu.appeals import selectors
from qifu.enterprises import sections


def _context(*, enterprise: Any, user: Any) -> dict[str, Any] | None:
    appeals = list(
        selectors.appeal_list_for_user(
            user=user, filters={"enterprise": enterprise.pk}
        ).prefetch_related("supervisions__leader")[:20]
    )
    for appeal in appeals:
        appeal.colour = selectors.deadline_state(appeal)
        appeal.due = selectors.due_date(appeal)
    supervised = [a for a in appeals if a.supervised]
    return {"appeals": appeals, "supervised": supervised, "enterprise": enterprise}


sections.register(
    sections.Section(
        key="appeals",
        title=_("Appeals"),
        template="appeals/profile_section.html",
        context=_context,
        order=10,
    )
)
