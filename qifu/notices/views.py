from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from qifu.notices import selectors, services


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notes = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "notices/list.html", context)


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark as read and follow its link (inside the site only)."""
    note = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_read(user=request.user, notification=note)
    safe = url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
    return redirect(note.url if note.url and safe else "notices:list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    return redirect("notices:list")
