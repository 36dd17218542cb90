from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from qifu.accounts import permissions, scope
from qifu.core import selectors, workdays
from qifu.dashboard import homes


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What waits for the user, by role (`dashboard.homes`); the administrators get their own
    links and the org structure they keep; everyone the working-day calendar's box."""
    user = request.user
    today = timezone.localdate()
    admin = scope.is_admin(user)
    units = (
        list(selectors.org_unit_list_for_user(user=user))
        if admin and permissions.can_read_org(user)
        else []
    )
    context = {
        "scope": scope.scope_for(user),
        "home": homes.home_for_user(user=user),
        "today": today,
        "today_is_working_day": workdays.is_working_day(today),
        "units": units,
        "departments": list(selectors.department_list_for_user(user=user)) if admin else [],
        "deadline_3": workdays.add_working_days(today, 3),
        "deadline_15": workdays.add_working_days(today, 15),
        "can_read_calendar": permissions.can_read_calendar(user),
    }
    return render(request, "core/home.html", context)


class WorkingDaysForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=-3650,
        max_value=3650,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


@require_GET
@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_calendar(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    form = WorkingDaysForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = workdays.add_working_days(form.cleaned_data["start"], form.cleaned_data["days"])
    context = {
        "cal": selectors.calendar_year(year=year),
        "year": year,
        "form": form,
        "result": result,
        "covered_years": workdays.covered_years(),
        "can_edit": permissions.can_configure(request.user),
        "today": today,
    }
    if request.htmx and request.htmx.target == "workday-result":
        return render(request, "core/calendar.html#result", context)
    return render(request, "core/calendar.html", context)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found, or outside your scope."))}, status=404)
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Server error"))}, status=500)
    return render(request, "errors/500.html", status=500)
