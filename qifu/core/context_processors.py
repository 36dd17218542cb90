"""The module navigation: only modules that exist and that the user may open appear."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qifu.accounts import permissions
from qifu.appeals import permissions as appeal_permissions
from qifu.dashboard import permissions as dashboard_permissions
from qifu.enterprises import permissions as enterprise_permissions
from qifu.ideas import permissions as ideas_permissions
from qifu.investment import permissions as investment_permissions
from qifu.notices.selectors import unread_count
from qifu.policies import permissions as policies_permissions
from qifu.projects import permissions as projects_permissions
from qifu.reports import permissions as reports_permissions
from qifu.stats import permissions as stats_permissions
from qifu.visits import permissions as visits_permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    items = [(_("Home"), reverse("core:home"), "bi-house", True)]
    items += [
        (
            _("Command centre"),
            reverse("dashboard:index"),
            "bi-speedometer2",
            dashboard_permissions.can_open(user),
        ),
        (
            _("Enterprises"),
            reverse("enterprises:list"),
            "bi-building",
            enterprise_permissions.can_open_registry(user),
        ),
        (
            _("Appeals"),
            reverse("appeals:inbox"),
            "bi-chat-square-text",
            appeal_permissions.can_open(user),
        ),
        (
            _("Monthly data"),
            reverse("stats:index"),
            "bi-bar-chart-line",
            stats_permissions.can_open(user),
        ),
        (
            _("Investment"),
            reverse("investment:index"),
            "bi-briefcase",
            investment_permissions.can_open(user),
        ),
        (
            _("Projects"),
            reverse("projects:index"),
            "bi-kanban",
            projects_permissions.can_open(user),
        ),
        (
            _("Visits"),
            reverse("visits:index"),
            "bi-geo-alt",
            visits_permissions.can_open(user),
        ),
        (
            _("Policies"),
            reverse("policies:index"),
            "bi-award",
            policies_permissions.is_official(user) or policies_permissions.is_enterprise_user(user),
        ),
        (
            _("Golden ideas"),
            reverse("ideas:manage"),
            "bi-lightbulb",
            ideas_permissions.can_open(user),
        ),
        (
            _("Research reports"),
            reverse("reports:list"),
            "bi-file-earmark-text",
            reports_permissions.can_open(user),
        ),
        (
            _("Visit questionnaire"),
            reverse("visits:questionnaire"),
            "bi-ui-checks",
            visits_permissions.can_configure(user) and not visits_permissions.can_open(user),
        ),
        (
            _("Working-day calendar"),
            reverse("core:calendar"),
            "bi-calendar3",
            permissions.can_read_calendar(user),
        ),
        (
            _("Audit log"),
            reverse("audit:list"),
            "bi-journal-text",
            permissions.can_read_audit(user),
        ),
        (
            _("Administration"),
            reverse("admin:index"),
            "bi-gear",
            permissions.can_configure(user) or permissions.can_manage_accounts(user),
        ),
        (_("API"), reverse("api-docs"), "bi-braces", True),
    ]
    path = request.path
    return {
        "unread_notifications": unread_count(user=user),
        "nav_items": [
            {
                "label": label,
                "url": url,
                "icon": icon,
                "active": path == url if url == "/" else path.startswith(url),
            }
            for label, url, icon, allowed in items
            if allowed
        ],
    }
