"""The projects section of the enterprise file (一企一档): the enterprise's projects in scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qifu.enterprises import sections
from qifu.projects import permissions, selectors


def _context(*, enterprise: Any, user: Any) -> dict[str, Any] | None:
    if not permissions.can_open(user):
        return None
    projects = list(selectors.project_list_for_user(user=user).filter(enterprise=enterprise)[:50])
    if not projects:
        return None
    return {"projects": projects, "enterprise": enterprise}


sections.register(
    sections.Section(
        key="projects",
        title=_("Projects"),
        template="projects/profile_section.html",
        context=_context,
        order=30,
    )
)
