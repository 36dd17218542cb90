from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qifu.accounts import permissions
from qifu.audit import selectors
from qifu.audit.forms import AuditFilterForm
from qifu.audit.labels import action_label, role_label
from qifu.core.downloads import xlsx_response
from qifu.lib.xlsx import write_table

EXPORT_LIMIT = 50_000


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    return form, selectors.audit_event_list_for_user(user=request.user, filters=form.filters())


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.action_label = action_label(event.action)
        event.role_label = role_label(event.actor_role)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "actions": selectors.audit_action_choices(),
    }
    template = "audit/event_list.html#results" if request.htmx else "audit/event_list.html"
    return render(request, template, context)


@require_GET
@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    _form, events = _filtered(request)
    rows = (
        (
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            role_label(e.actor_role),
            action_label(e.action),
            e.object_type,
            e.object_id,
            e.object_repr,
            str(e.changes) if e.changes else "",
            e.ip or "",
            _("Succeeded") if e.success else _("Failed"),
        )
        for e in events[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Audit log"),
        headers=[
            _("Time"),
            _("User"),
            _("Role"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Changes"),
            _("IP address"),
            _("Result"),
        ],
        rows=rows,
        sheet=_("Audit log"),
    )
    return xlsx_response(content, "audit")
