"""Pages of investment promotion: leads, the resource database and channels, with their Excel
exports, the match page and the actions. Thin: a form, one service, a redirect or a page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.audit.labels import action_label
from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.investment import forms, permissions, selectors, services
from qifu.lib.xlsx import write_table

PAGE_SIZE = 30
EXPORT_LIMIT = 20000


def _manager(request: HttpRequest) -> None:
    if not permissions.can_manage(request.user):
        raise PermissionDenied


def _reader(request: HttpRequest) -> None:
    if not permissions.can_read_resources(request.user):
        raise PermissionDenied


def _filters(form: forms.FilterForm) -> dict[str, Any]:
    if not form.is_valid():
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": form.error_text()})
    return form.filters()


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _errors(error: ValidationError) -> str:
    return "；".join(
        m for msgs in getattr(error, "message_dict", {"": error.messages}).values() for m in msgs
    )


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(dict(form.errors.items()))
    return dict(form.cleaned_data)


def _history(obj: Any) -> list[Any]:
    events = selectors.history(obj)
    for event in events:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
    return events


def _yes(value: bool) -> str:
    return _("Yes") if value else ""


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    if permissions.can_manage(request.user):
        return redirect("investment:leads")
    return redirect("investment:resources")


# --- leads ---------------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def lead_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = forms.LeadFilterForm(request.GET, user=request.user)
    leads = selectors.lead_list_for_user(user=request.user, filters=_filters(form))
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request), "tab": "leads"}
    template = "investment/leads.html#results" if request.htmx else "investment/leads.html"
    return render(request, template, context)


@require_GET
@login_required
@answers_bad_input
def lead_export(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = forms.LeadFilterForm(request.GET, user=request.user)
    leads = selectors.lead_list_for_user(user=request.user, filters=_filters(form))
    rows = (
        (
            lead.investor,
            lead.title,
            lead.origin,
            lead.industry,
            lead.amount,
            lead.land_area_mu,
            lead.floor_area_m2,
            lead.get_land_use_display() if lead.land_use else "",
            lead.preferred_street.name if lead.preferred_street else "",
            lead.channel.name if lead.channel else "",
            lead.owner.display_name if lead.owner else "",
            lead.get_status_display(),
            lead.drop_reason,
            lead.follow_up_count,
            lead.last_follow_up,
            timezone.localtime(lead.created_at).date(),
        )
        for lead in leads[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Investment leads"),
        headers=[
            _("Investor"),
            _("Project intention"),
            _("Origin"),
            _("Industry"),
            _("Intended investment (10k yuan)"),
            _("Land needed (mu)"),
            _("Floor space needed (m²)"),
            _("Use"),
            _("Preferred street"),
            _("Source channel"),
            _("Owner"),
            _("Status"),
            _("Reason for dropping"),
            _("Follow-ups"),
            _("Last follow-up"),
            _("Recorded"),
        ],
        rows=rows,
        sheet=_("Leads"),
    )
    return xlsx_response(content, "investment-leads")


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, status: int = 200
) -> HttpResponse:
    return render(
        request, "investment/form.html", {"form": form, "title": title, "back": back}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    data = request.POST if request.method == "POST" else None
    form = forms.LeadForm(data, user=request.user)
    if data is not None and form.is_valid():
        try:
            lead = services.lead_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lead has been recorded."))
            return redirect("investment:lead", pk=lead.pk)
    return _form_page(
        request,
        form,
        title=_("New lead"),
        back="investment:leads",
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    lead = selectors.lead_get_for_user(user=request.user, pk=pk)
    if not services.lead_allowed(lead=lead, action="edit", user=request.user):
        return _lead_detail(
            request, lead, status=409, error=_("A converted or dropped lead cannot be changed.")
        )
    data = request.POST if request.method == "POST" else None
    form = forms.LeadForm(data, instance=lead, user=request.user)
    if data is not None and form.is_valid():
        try:
            services.lead_save(by=request.user, lead=lead, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.TransitionError as error:
            return _lead_detail(request, lead, status=409, error=str(error))
        else:
            messages.success(request, _("The lead has been saved."))
            return redirect("investment:lead", pk=lead.pk)
    return _form_page(
        request,
        form,
        title=_("Edit lead"),
        back="investment:leads",
        status=400 if data is not None else 200,
    )


def _lead_detail(
    request: HttpRequest, lead: Any, *, status: int = 200, error: str = ""
) -> HttpResponse:
    user = request.user
    can = {
        a: services.lead_allowed(lead=lead, action=a, user=user) for a in services.LEAD_TRANSITIONS
    }
    context = {
        "lead": lead,
        "can": can,
        "error": error,
        "follow_up_form": forms.FollowUpForm() if can["follow_up"] else None,
        "drop_form": forms.DropForm() if can["drop"] else None,
        "convert_form": forms.ConvertForm() if can["convert"] else None,
        "history": _history(lead),
        "tab": "leads",
    }
    return render(request, "investment/lead_detail.html", context, status=status)


@require_GET
@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    return _lead_detail(request, selectors.lead_get_for_user(user=request.user, pk=pk))


@require_GET
@login_required
def lead_match(request: HttpRequest, pk: int) -> HttpResponse:
    """The resources that match this lead's needs, with a button to reserve one for it."""
    _manager(request)
    lead = selectors.lead_get_for_user(user=request.user, pk=pk)
    matches = selectors.lead_matches(user=request.user, lead=lead)
    context = {
        "lead": lead,
        "matches": matches,
        "can_reserve": services.lead_allowed(lead=lead, action="edit", user=request.user),
        "tab": "leads",
    }
    return render(request, "investment/lead_match.html", context)


def _run_lead(action: str, request: HttpRequest, lead: Any) -> str:
    user, post = request.user, request.POST
    if action == "follow-up":
        d = _valid(forms.FollowUpForm(post))
        services.lead_follow_up(by=user, lead=lead, **d)
        return _("The follow-up has been logged.")
    if action == "drop":
        d = _valid(forms.DropForm(post))
        services.lead_drop(by=user, lead=lead, reason=d["reason"])
        return _("The lead has been dropped.")
    if action == "reopen":
        d = _valid(forms.NoteForm(post))
        services.lead_reopen(by=user, lead=lead, note=d["note"])
        return _("The lead is being followed up again.")
    if action == "convert":
        d = _valid(forms.ConvertForm(post))
        services.lead_convert(by=user, lead=lead, project=d["project"])
        return _("The lead has been converted to a project.")
    raise Http404


@require_POST
@login_required
def lead_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _manager(request)
    lead = selectors.lead_get_for_user(user=request.user, pk=pk)
    try:
        message = _run_lead(action, request, lead)
    except services.TransitionError as error:
        return _lead_detail(request, lead, status=409, error=str(error))
    except ValidationError as error:
        return _lead_detail(request, lead, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("investment:lead", pk=pk)


# --- resources -----------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def resource_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = forms.ResourceFilterForm(request.GET, user=request.user)
    resources = selectors.resource_list_for_user(user=request.user, filters=_filters(form))
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "can_manage": permissions.can_manage(request.user),
        "tab": "resources",
    }
    template = "investment/resources.html#results" if request.htmx else "investment/resources.html"
    return render(request, template, context)


@require_GET
@login_required
@answers_bad_input
def resource_export(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = forms.ResourceFilterForm(request.GET, user=request.user)
    resources = selectors.resource_list_for_user(user=request.user, filters=_filters(form))
    rows = (
        (
            r.get_kind_display(),
            r.name,
            r.street.name,
            r.location,
            r.get_land_use_display(),
            r.area_mu,
            r.area_m2,
            r.price,
            r.rent,
            r.building,
            r.floor,
            r.owner_name,
            r.get_status_display(),
            r.project.name if r.project else "",
            r.reserved_lead.investor if r.reserved_lead else "",
            r.reserved_until,
        )
        for r in resources[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Investment resources"),
        headers=[
            _("Kind"),
            _("Name"),
            _("Street"),
            _("Location"),
            _("Use"),
            _("Area (mu)"),
            _("Area (m²)"),
            _("Price (10k yuan per mu)"),
            _("Rent (yuan per m² a month)"),
            _("Building"),
            _("Floor"),
            _("Owned by"),
            _("Status"),
            _("Project"),
            _("Reserved for lead"),
            _("Reserved until"),
        ],
        rows=rows,
        sheet=_("Resources"),
    )
    return xlsx_response(content, "investment-resources")


@require_http_methods(["GET", "POST"])
@login_required
def resource_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    data = request.POST if request.method == "POST" else None
    form = forms.ResourceForm(data, user=request.user, initial={"kind": request.GET.get("kind")})
    if data is not None and form.is_valid():
        try:
            resource = services.resource_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The resource has been added."))
            return redirect("investment:resource", pk=resource.pk)
    return _form_page(
        request,
        form,
        title=_("New resource"),
        back="investment:resources",
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = forms.ResourceForm(data, instance=resource, user=request.user)
    if data is not None and form.is_valid():
        try:
            services.resource_save(by=request.user, resource=resource, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The resource has been saved."))
            return redirect("investment:resource", pk=resource.pk)
    return _form_page(
        request,
        form,
        title=_("Edit resource"),
        back="investment:resources",
        status=400 if data is not None else 200,
    )


def _resource_detail(
    request: HttpRequest, resource: Any, *, status: int = 200, error: str = ""
) -> HttpResponse:
    user = request.user
    can = {
        a: services.resource_allowed(resource=resource, action=a, user=user)
        for a in services.RESOURCE_TRANSITIONS
    }
    initial = {"lead": request.GET.get("lead")} if request.GET.get("lead") else None
    context = {
        "resource": resource,
        "can": can,
        "can_manage": permissions.can_manage(user),
        "error": error,
        "reserve_form": forms.ReserveForm(user=user, initial=initial) if can["reserve"] else None,
        "take_form": forms.TakeForm() if can["take"] else None,
        "history": _history(resource) if permissions.can_manage(user) else [],
        "tab": "resources",
    }
    return render(request, "investment/resource_detail.html", context, status=status)


@require_GET
@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _resource_detail(request, selectors.resource_get_for_user(user=request.user, pk=pk))


def _run_resource(action: str, request: HttpRequest, resource: Any) -> str:
    user, post = request.user, request.POST
    if action == "reserve":
        d = _valid(forms.ReserveForm(post, user=user))
        services.resource_reserve(by=user, resource=resource, **d)
        return _("The resource has been reserved.")
    if action == "release":
        d = _valid(forms.NoteForm(post))
        services.resource_release(by=user, resource=resource, note=d["note"])
        return _("The reservation has been released.")
    if action == "take":
        d = _valid(forms.TakeForm(post))
        services.resource_take(by=user, resource=resource, **d)
        return _("The resource has been marked taken.")
    if action == "vacate":
        d = _valid(forms.NoteForm(post))
        services.resource_vacate(by=user, resource=resource, note=d["note"])
        return _("The resource is available again.")
    raise Http404


@require_POST
@login_required
def resource_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _manager(request)
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    try:
        message = _run_resource(action, request, resource)
    except services.TransitionError as error:
        return _resource_detail(request, resource, status=409, error=str(error))
    except ValidationError as error:
        return _resource_detail(request, resource, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("investment:resource", pk=pk)


# --- channels ------------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def channel_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = forms.ChannelFilterForm(request.GET)
    channels = selectors.channel_list_for_user(user=request.user, filters=_filters(form))
    page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request), "tab": "channels"}
    template = "investment/channels.html#results" if request.htmx else "investment/channels.html"
    return render(request, template, context)


@require_GET
@login_required
@answers_bad_input
def channel_export(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = forms.ChannelFilterForm(request.GET)
    channels = selectors.channel_list_for_user(user=request.user, filters=_filters(form))
    rows = (
        (
            c.name,
            c.get_kind_display(),
            c.address,
            "、".join(f"{p.name} {p.title} {p.phone}".strip() for p in c.contacts.all()),
            c.lead_count,
            c.last_contact,
            _yes(c.is_active),
        )
        for c in channels[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Investment channels"),
        headers=[
            _("Name"),
            _("Kind"),
            _("Address"),
            _("Contacts"),
            _("Leads"),
            _("Last contact"),
            _("Active"),
        ],
        rows=rows,
        sheet=_("Channels"),
    )
    return xlsx_response(content, "investment-channels")


@require_http_methods(["GET", "POST"])
@login_required
def channel_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    data = request.POST if request.method == "POST" else None
    form = forms.ChannelForm(data, initial={"is_active": True})
    if data is not None and form.is_valid():
        try:
            channel = services.channel_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The channel has been added."))
            return redirect("investment:channel", pk=channel.pk)
    return _form_page(
        request,
        form,
        title=_("New channel"),
        back="investment:channels",
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    channel = selectors.channel_get_for_user(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = forms.ChannelForm(data, instance=channel)
    if data is not None and form.is_valid():
        try:
            services.channel_save(by=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The channel has been saved."))
            return redirect("investment:channel", pk=channel.pk)
    return _form_page(
        request,
        form,
        title=_("Edit channel"),
        back="investment:channels",
        status=400 if data is not None else 200,
    )


def _channel_detail(
    request: HttpRequest, channel: Any, *, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "channel": channel,
        "error": error,
        "contact_form": forms.ContactForm(),
        "log_form": forms.ContactLogForm(channel=channel),
        "leads": selectors.lead_list_for_user(user=request.user).filter(channel=channel)[:50],
        "tab": "channels",
    }
    return render(request, "investment/channel_detail.html", context, status=status)


@require_GET
@login_required
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    return _channel_detail(request, selectors.channel_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
def channel_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _manager(request)
    channel = selectors.channel_get_for_user(user=request.user, pk=pk)
    try:
        if action == "contact":
            d = _valid(forms.ContactForm(request.POST))
            services.channel_contact_save(by=request.user, channel=channel, **d)
            message = _("The contact has been added.")
        elif action == "log":
            d = _valid(forms.ContactLogForm(request.POST, channel=channel))
            services.channel_contact_log(by=request.user, channel=channel, **d)
            message = _("The contact has been logged.")
        else:
            raise Http404
    except ValidationError as error:
        return _channel_detail(request, channel, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("investment:channel", pk=pk)
