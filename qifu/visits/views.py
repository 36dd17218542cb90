"""Pages of visits (走进企业): the visit list and its export, the visit form made for a phone (with
its autosave endpoint), the visit page (answers, red flags, photos, appeals raised from it),
coverage, the official's own responsibilities, assignments, red flags, plans and the
questionnaire. Thin: a form, one service, a redirect or a page. A state the service refuses is
answered 409 with its reason, bad input 400."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core import selectors as core_selectors
from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.core.models import Level
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib.quarters import Span
from qifu.lib.xlsx import write_table
from qifu.visits import forms, permissions, selectors, services
from qifu.visits.models import PlanStatus, Questionnaire, Visit, VisitStatus

PAGE_SIZE = 30
EXPORT_LIMIT = 20000


# --- helpers --------------------------------------------------------------------------------------


def _open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render a page of the module, with what its tabs need."""
    user = request.user
    context.setdefault("error", "")
    context["can_open_visits"] = permissions.can_open(user)
    context["can_configure_visits"] = permissions.can_configure(user)
    return render(request, template, context, status=status)


def _valid_filters(form: Any) -> Any:
    if not form.is_valid():
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": _errors_of(form)})
    return form.cleaned_data


def _errors_of(form: Any) -> str:
    return "；".join(m for msgs in form.errors.values() for m in msgs)


def _message(error: ValidationError) -> str:
    return "；".join(
        m for msgs in getattr(error, "message_dict", {"": error.messages}).values() for m in msgs
    )


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _count_html(page: Any) -> str:
    """The count inside "N 次走访", marked for the tests and the command centre's links."""
    return format_html('<span data-testid="result-count">{}</span>', page.paginator.count)


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _names(items: Any, attr: str = "name") -> str:
    return "、".join(str(getattr(i, attr)) for i in items)


# --- the list -------------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def visit_list(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    form = forms.VisitFilterForm(request.GET, user=user)
    _valid_filters(form)
    visits = selectors.visit_list_for_user(user=user, filters=form.filters())
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "count_html": _count_html(page),
        "query": _query(request),
        "can_record": permissions.can_record(user),
        "tab": "list",
    }
    if request.htmx:
        return render(request, "visits/list.html#results", context)
    return _page(request, "visits/list.html", context)


def _visit_headers() -> list[str]:
    return [
        _("Date"),
        _("Kind"),
        _("Status"),
        _("Enterprises"),
        _("Streets"),
        _("Officials"),
        _("Purpose"),
        _("Place"),
        _("What was discussed"),
        pgettext("visit", "Follow-ups"),
        _("Red flags"),
        _("Appeals"),
        _("Recorded by"),
    ]


def _visit_rows(visits: Any) -> Any:
    for v in visits:
        enterprises = list(v.enterprises.all())
        yield (
            v.date,
            v.get_kind_display(),
            v.get_status_display(),
            _names(enterprises),
            "、".join(sorted({e.street.name for e in enterprises})),
            _names(v.officials.all(), "display_name"),
            v.purpose,
            v.location,
            v.notes,
            v.follow_up,
            "、".join(
                f"{f.get_kind_display()}{'' if f.is_open else '（' + _('resolved') + '）'}"
                for f in v.red_flags.all()
            ),
            "、".join(f"{a.number} {a.get_status_display()}" for a in v.appeals.all()),
            v.created_by.display_name,
        )


@require_GET
@login_required
@answers_bad_input
def visit_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    form = forms.VisitFilterForm(request.GET, user=user)
    _valid_filters(form)
    visits = selectors.visit_list_for_user(user=user, filters=form.filters())[:EXPORT_LIMIT]
    content = write_table(
        title=_("Visits"),
        headers=_visit_headers(),
        rows=_visit_rows(visits),
        sheet=_("Visits"),
    )
    return xlsx_response(content, "visits")


# --- the visit form -------------------------------------------------------------------------------


def _recorder(request: HttpRequest) -> None:
    if not permissions.can_record(request.user):
        raise PermissionDenied


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """A new visit: today, on site, the official going; or what a plan or an enterprise says."""
    user: Any = request.user
    today = timezone.localdate()
    initial: dict[str, Any] = {"date": today, "kind": "onsite", "officials": [user.pk]}
    if request.GET.get("plan"):
        plan = selectors.plan_get_for_user(user=user, pk=request.GET["plan"])
        initial.update(
            {
                "date": min(plan.date, today),
                "kind": plan.kind,
                "purpose": plan.purpose,
                "enterprises": [e.pk for e in plan.enterprises.all()],
                "officials": [u.pk for u in plan.officials.all()] or [user.pk],
            }
        )
        if plan.status == PlanStatus.PLANNED:
            initial["plan"] = plan.pk
    if request.GET.get("enterprise"):
        enterprise = enterprise_selectors.enterprise_get_for_user(
            user=user, pk=request.GET["enterprise"]
        )
        initial["enterprises"] = [enterprise.pk]
    return initial


def _js_messages() -> dict[str, str]:
    """What the form's script says about the draft (it fills in %(time)s, %(error)s, %(n)s)."""
    return {
        "saving": _("Saving the draft…"),
        "saved": _("Draft saved %(time)s"),
        "offline": _("Offline — kept on this phone"),
        "failed": _("Not saved: %(error)s"),
        "login": _("Not saved: log in again (the record is kept on this phone)"),
        "restored": _("Restored from this phone, not yet on the server"),
        "files": _("%(n)s file(s) chosen:"),
    }


def _form_page(
    request: HttpRequest,
    form: forms.VisitForm,
    *,
    visit: Visit | None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "visit": visit,
        "autosave": visit is None or visit.status == VisitStatus.DRAFT,
        "updated_at": timezone.localtime(visit.updated_at).isoformat() if visit else "",
        "error": error,
        "js_messages": _js_messages(),
        "tab": "list",
    }
    return _page(request, "visits/form.html", context, status=status)


def _save(request: HttpRequest, form: forms.VisitForm, *, visit: Visit | None) -> HttpResponse:
    """Save the posted visit as a draft or completed, with its photos and files, all or nothing."""
    complete = request.POST.get("action") == "complete"
    if form.is_valid():
        try:
            with transaction.atomic():
                saved, _created = services.visit_save(
                    by=request.user,
                    data=form.visit_input(),
                    visit=visit,
                    complete=complete,
                    client_token=form.cleaned_data.get("client_token") or "",
                )
                uploads = form.uploads()
                if uploads:
                    services.visit_attach(by=request.user, visit=saved, uploads=uploads)
        except services.TransitionError as error:
            return _form_page(request, form, visit=visit, status=409, error=str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if complete:
                messages.success(request, _("The visit has been recorded."))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect("visits:detail", pk=saved.pk)
    return _form_page(request, form, visit=visit, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    _recorder(request)
    version = selectors.questionnaire_for_new_visit()
    if request.method == "POST":
        form = forms.VisitForm(request.POST, request.FILES, user=request.user, version=version)
        return _save(request, form, visit=None)
    form = forms.VisitForm(user=request.user, version=version, initial=_prefill(request))
    return _form_page(request, form, visit=None)


def _editable(request: HttpRequest, pk: Any) -> Visit:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    if not permissions.can_edit(request.user, visit):
        raise PermissionDenied
    return visit


@require_http_methods(["GET", "POST"])
@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    visit = _editable(request, pk)
    version = visit.questionnaire or selectors.questionnaire_for_new_visit()
    if request.method == "POST":
        form = forms.VisitForm(request.POST, request.FILES, user=request.user, version=version)
        return _save(request, form, visit=visit)
    form = forms.VisitForm(user=request.user, version=version, visit=visit)
    return _form_page(request, form, visit=visit)


def _posted(request: HttpRequest) -> QueryDict:
    """The autosaved fields: the form's own encoding, or a JSON object of the same fields."""
    if request.content_type != "application/json":
        return request.POST
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadInput(_("The draft could not be read: it is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise BadInput(_("The draft must be a JSON object of the form's fields."))
    answers = body.pop("answers", None) or {}
    if not isinstance(answers, dict):
        raise BadInput(_("Answers must be given by question."))
    body.update({f"q_{code}": value for code, value in answers.items()})
    data = QueryDict(mutable=True)
    for key, value in body.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict | list):
                raise BadInput(
                    _("The field %(name)s has a value of the wrong shape.") % {"name": key}
                )
            if item is None:
                continue
            data.appendlist(str(key), str(item).lower() if isinstance(item, bool) else str(item))
    return data


def _json_errors(errors: Any, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


@require_POST
@login_required
def visit_autosave(request: HttpRequest) -> JsonResponse:
    """Save the form as typed so far as a draft; answers {id, saved_at, edit_url} as JSON.

    The first save makes the visit; later ones (same client_token, or `visit`) update it.
    """
    user: Any = request.user
    if not permissions.can_record(user):
        return JsonResponse({"detail": _("You may not record visits.")}, status=403)
    try:
        data = _posted(request)
    except BadInput as error:
        return JsonResponse({"detail": str(error)}, status=400)
    if not data.get("visit") and not data.get("client_token"):
        return JsonResponse(
            {"detail": _("A draft is saved with the form's client_token or its visit.")},
            status=400,
        )
    visit = None
    if data.get("visit"):
        try:
            visit = _editable(request, data["visit"])
        except Http404:
            return JsonResponse({"detail": _("This visit does not exist.")}, status=404)
        except PermissionDenied:
            return JsonResponse({"detail": _("You may not change this visit.")}, status=403)
    version = (visit.questionnaire if visit else None) or selectors.questionnaire_for_new_visit()
    form = forms.VisitForm(data, user=user, version=version)
    if not form.is_valid():
        return _json_errors(form.errors.get_json_data())
    try:
        saved, created = services.visit_save(
            by=user,
            data=form.visit_input(),
            visit=visit,
            complete=False,
            client_token=form.cleaned_data.get("client_token") or "",
        )
    except services.TransitionError as error:
        return JsonResponse({"detail": str(error)}, status=409)
    except ValidationError as error:
        return _json_errors(getattr(error, "message_dict", {"__all__": error.messages}))
    except PermissionDenied:
        return JsonResponse({"detail": _("You may not change this visit.")}, status=403)
    saved_at = timezone.localtime(saved.updated_at)
    return JsonResponse(
        {
            "id": saved.pk,
            "created": created,
            "saved_at": saved_at.isoformat(timespec="seconds"),
            "time": saved_at.strftime("%H:%M"),
            "edit_url": reverse("visits:edit", kwargs={"pk": saved.pk}),
            "url": reverse("visits:detail", kwargs={"pk": saved.pk}),
        }
    )


# --- the visit page -------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    visit: Visit,
    *,
    status: int = 200,
    error: str = "",
    appeal_form: forms.RaiseAppealForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    can_edit = permissions.can_edit(user, visit)
    final = visit.status == VisitStatus.FINAL
    flags = list(visit.red_flags.all())
    for flag in flags:
        flag.can_resolve = final and flag.is_open and permissions.can_resolve_flag(user, flag)
    attachments = list(visit.attachments.all())
    if appeal_form is None and can_edit and visit.enterprises.all():
        appeal_form = forms.RaiseAppealForm(visit=visit)
    context = {
        "visit": visit,
        "final": final,
        "can_edit": can_edit,
        "answers": selectors.visit_answers(visit),
        "flags": flags,
        "photos": [a for a in attachments if a.is_photo],
        "files": [a for a in attachments if not a.is_photo],
        "appeals": list(visit.appeals.all()),
        "appeal_form": appeal_form if can_edit else None,
        "error": error,
        "tab": "list",
    }
    return _page(request, "visits/detail.html", context, status=status)


@require_GET
@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    return _detail_page(request, selectors.visit_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
def visit_discard(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    try:
        services.visit_discard(by=request.user, visit=visit)
    except services.TransitionError as error:
        return _detail_page(request, visit, status=409, error=str(error))
    messages.success(request, _("The draft has been discarded."))
    return redirect("visits:index")


@require_POST
@login_required
def visit_raise_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem heard on the visit becomes an appeal, prefilled from the visit."""
    _open(request)
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    form = forms.RaiseAppealForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            appeal = services.visit_raise_appeal(by=request.user, visit=visit, **form.cleaned_data)
        except services.TransitionError as error:
            return _detail_page(request, visit, status=409, error=str(error), appeal_form=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The appeal %(number)s has been raised from this visit.")
                % {"number": appeal.number},
            )
            return redirect(reverse("visits:detail", kwargs={"pk": visit.pk}) + "#appeals")
    return _detail_page(request, visit, status=400, appeal_form=form)


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """A photo (shown in the page) or a file of a visit the user may see."""
    _open(request)
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    found = next((a for a in visit.attachments.all() if a.pk == attachment), None)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=not found.is_photo,
        filename=found.name,
        content_type=found.content_type,
    )


# --- red flags ------------------------------------------------------------------------------------


def _flags(request: HttpRequest) -> tuple[forms.RedFlagFilterForm, Any]:
    form = forms.RedFlagFilterForm(request.GET, user=request.user)
    data = _valid_filters(form)
    flags = selectors.red_flags_for_user(
        user=request.user,
        open_only=data["state"] != "all",
        street=data["street"],
        zone=data["zone"],
    )
    if data["kind"]:
        flags = flags.filter(kind=data["kind"])
    return form, flags


@require_GET
@login_required
@answers_bad_input
def red_flag_list(request: HttpRequest) -> HttpResponse:
    _open(request)
    form, flags = _flags(request)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    for flag in page.object_list:
        flag.can_resolve = flag.is_open and permissions.can_resolve_flag(request.user, flag)
    context = {
        "form": form,
        "page": page,
        "count_html": _count_html(page),
        "query": _query(request),
        "here": request.get_full_path(),
        "tab": "flags",
    }
    return _page(request, "visits/red_flags.html", context)


@require_GET
@login_required
@answers_bad_input
def red_flag_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    _form, flags = _flags(request)
    rows = (
        (
            f.enterprise.name,
            f.enterprise.street.name,
            f.get_kind_display(),
            f.get_source_display(),
            f.note,
            f.raised_on,
            f.raised_by.display_name,
            f.visit.date if f.visit else "",
            timezone.localtime(f.resolved_at).strftime("%Y-%m-%d %H:%M") if f.resolved_at else "",
            f.resolved_by.display_name if f.resolved_by else "",
            f.resolution,
        )
        for f in flags[:EXPORT_LIMIT]
    )
    headers = [
        _("Enterprise"),
        _("Street"),
        _("Red flag"),
        _("Source"),
        _("Note"),
        _("Raised on"),
        _("Raised by"),
        _("Visit"),
        _("Resolved"),
        _("Resolved by"),
        _("How it was resolved"),
    ]
    content = write_table(title=_("Red flags"), headers=headers, rows=rows, sheet=_("Red flags"))
    return xlsx_response(content, "visits-red-flags")


@require_http_methods(["GET", "POST"])
@login_required
def red_flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    user: Any = request.user
    flag = selectors.red_flag_get_for_user(user=user, pk=pk)
    if not permissions.can_resolve_flag(user, flag):
        raise PermissionDenied
    back = _next(request, reverse("visits:red-flags"))
    status, error = 200, ""
    if request.method == "POST":
        form = forms.ResolveFlagForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.red_flag_resolve(by=user, flag=flag, **form.cleaned_data)
            except services.TransitionError as exc:
                status, error = 409, str(exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The red flag has been resolved."))
                return redirect(back)
    else:
        form = forms.ResolveFlagForm()
    context = {"flag": flag, "form": form, "back": back, "error": error, "tab": "flags"}
    return _page(request, "visits/resolve.html", context, status=status)


# --- coverage -------------------------------------------------------------------------------------


def _coverage(request: HttpRequest) -> tuple[forms.CoverageForm, selectors.Coverage]:
    """The coverage asked for by ?period=, ?org_unit= and ?stale_days= (400 / 404 otherwise)."""
    user: Any = request.user
    today = timezone.localdate()
    units = list(
        core_selectors.org_unit_list_for_user(user=user)
        .filter(level__in=[Level.DISTRICT, Level.STREET])
        .order_by("path")
    )
    shown = request.GET.copy()
    shown.setdefault("period", str(Span.quarter_of(today)))
    shown.setdefault("stale_days", str(selectors.STALE_DAYS))
    form = forms.CoverageForm(
        shown, units=units, today=today, zones=enterprise_selectors.zones_for_user(user=user)
    )
    data = _valid_filters(form)
    unit = None
    if data["org_unit"] is not None:
        unit = next((u for u in units if u.pk == data["org_unit"]), None)
        if unit is None:
            raise Http404
    result = selectors.coverage(
        user=user,
        span=data["period"],
        org_unit=unit,
        stale_days=data["stale_days"] or selectors.STALE_DAYS,
        today=today,
        zone=data["zone"],
    )
    return form, result


def _shown(form: forms.CoverageForm, result: selectors.Coverage) -> list[Any]:
    """The assigned enterprises the list shows: all, or those visited (or not) in the period."""
    visited = form.cleaned_data.get("visited")
    if not visited:
        return result.enterprises
    return [row for row in result.enterprises if row.visited == (visited == forms.YES)]


def _enterprise_rows(result: selectors.Coverage, rows: list[Any]) -> list[dict[str, Any]]:
    """Coverage rows with the names the page shows (taken from the coverage, no more queries)."""
    officials = {o.official.pk: o.official for o in result.officials}
    streets = {s.street.pk: s.street for s in result.streets}
    return [
        {
            "row": r,
            "street": streets.get(r.street_id),
            "officials": [officials[pk] for pk in r.officials if pk in officials],
        }
        for r in rows
    ]


@require_GET
@login_required
@answers_bad_input
def coverage(request: HttpRequest) -> HttpResponse:
    _open(request)
    form, result = _coverage(request)
    context = {
        "form": form,
        "coverage": result,
        "enterprises": _enterprise_rows(result, _shown(form, result)),
        "stale": _enterprise_rows(result, result.stale),
        "periods": form.periods(),
        "query": request.GET.urlencode(),
        "tab": "coverage",
    }
    return _page(request, "visits/coverage.html", context)


@require_GET
@login_required
@answers_bad_input
def coverage_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    form, result = _coverage(request)
    rows = (
        (
            item["row"].name,
            item["street"].name if item["street"] else "",
            _("Yes") if item["row"].is_key else "",
            _names(item["officials"], "display_name"),
            item["row"].target,
            item["row"].visits,
            _("Yes") if item["row"].visited else _("No"),
            _("Yes") if item["row"].on_target else _("No"),
            item["row"].last_visit,
            item["row"].days_since if item["row"].days_since is not None else "",
        )
        for item in _enterprise_rows(result, _shown(form, result))
    )
    headers = [
        _("Enterprise"),
        _("Street"),
        _("Key enterprise"),
        _("Responsible officials"),
        _("Visits expected"),
        _("Visits in the period"),
        pgettext("coverage", "Visited"),
        _("On target"),
        _("Last visit"),
        _("Days since"),
    ]
    title = _("Visit coverage of %(unit)s, %(period)s") % {
        "unit": result.org_unit.name,
        "period": result.span.label,
    }
    content = write_table(title=title, headers=headers, rows=rows, sheet=_("Coverage"))
    return xlsx_response(content, f"visits-coverage-{result.span}")


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The official's own responsibilities: assignments, coverage this quarter, plans."""
    _open(request)
    user: Any = request.user
    today = timezone.localdate()
    result = selectors.coverage(user=user, span=Span.quarter_of(today), official=user, today=today)
    assignments = (
        selectors.assignments_for_user(user=user)
        .filter(official=user)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )
    plans = (
        selectors.plans_for_user(user=user)
        .filter(Q(officials=user) | Q(created_by=user))
        .distinct()
    )
    mine_row = next((o for o in result.officials if o.official.pk == user.pk), None)
    context = {
        "coverage": result,
        "me": mine_row,
        "enterprises": _enterprise_rows(result, result.rows_of(user)),
        "assignments": list(assignments),
        "plans": list(plans[:50]),
        "tab": "mine",
    }
    return _page(request, "visits/mine.html", context)


# --- assignments ----------------------------------------------------------------------------------


def _assignments(request: HttpRequest) -> Any:
    today = timezone.localdate()
    assignments = selectors.assignments_for_user(user=request.user)
    if request.GET.get("ended") != "1":
        assignments = assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return assignments


def _assignments_page(
    request: HttpRequest,
    *,
    form: forms.AssignmentForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    user: Any = request.user
    can_assign = permissions.can_assign(user)
    if form is None and can_assign:
        form = forms.AssignmentForm(user=user, initial={"starts_on": timezone.localdate()})
    page = Paginator(_assignments(request), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form if can_assign else None,
        "end_form": forms.AssignmentEndForm() if can_assign else None,
        "page": page,
        "query": _query(request),
        "show_ended": request.GET.get("ended") == "1",
        "today": timezone.localdate(),
        "error": error,
        "tab": "assignments",
    }
    return _page(request, "visits/assignments.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    if request.method == "GET":
        return _assignments_page(request)
    if not permissions.can_assign(user):
        raise PermissionDenied
    form = forms.AssignmentForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.assignment_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The responsibility has been assigned."))
            return redirect("visits:assignments")
    return _assignments_page(request, form=form, status=400)


@require_GET
@login_required
def assignment_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    rows = (
        (
            a.official.display_name,
            a.street.name if a.street else "",
            a.enterprise.name if a.enterprise else "",
            _("Yes") if a.street and a.key_only else "",
            a.visits_per_quarter,
            a.starts_on,
            a.ends_on or "",
            a.note,
        )
        for a in _assignments(request)[:EXPORT_LIMIT]
    )
    headers = [
        _("Official"),
        _("Street"),
        _("Enterprise"),
        _("Key enterprises only"),
        _("Visits per quarter"),
        _("From"),
        _("Until"),
        _("Note"),
    ]
    content = write_table(
        title=_("Responsibility assignments"), headers=headers, rows=rows, sheet=_("Assignments")
    )
    return xlsx_response(content, "visits-assignments")


@require_POST
@login_required
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    form = forms.AssignmentEndForm(request.POST)
    if not form.is_valid():
        return _assignments_page(request, status=400, error=_errors_of(form))
    try:
        services.assignment_end(by=request.user, assignment=assignment, **form.cleaned_data)
    except services.TransitionError as error:
        return _assignments_page(request, status=409, error=str(error))
    except ValidationError as error:
        return _assignments_page(request, status=400, error=_message(error))
    messages.success(request, _("The responsibility has been ended."))
    return redirect("visits:assignments")


# --- plans ----------------------------------------------------------------------------------------


def _plans_page(
    request: HttpRequest,
    *,
    form: forms.PlanForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    user: Any = request.user
    page = Paginator(selectors.plans_for_user(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for plan in page.object_list:
        plan.can_cancel = plan.created_by_id == user.pk or any(
            u.pk == user.pk for u in plan.officials.all()
        )
    context = {
        "form": form or forms.PlanForm(user=user),
        "page": page,
        "query": _query(request),
        "error": error,
        "tab": "plans",
    }
    return _page(request, "visits/plans.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def plans(request: HttpRequest) -> HttpResponse:
    _open(request)
    if request.method == "GET":
        return _plans_page(request)
    _recorder(request)
    form = forms.PlanForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit has been planned."))
            return redirect("visits:plans")
    return _plans_page(request, form=form, status=400)


@require_POST
@login_required
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    try:
        services.plan_cancel(by=request.user, plan=plan)
    except services.TransitionError as error:
        return _plans_page(request, status=409, error=str(error))
    messages.success(request, _("The plan has been cancelled."))
    return redirect("visits:plans")


# --- the questionnaire ----------------------------------------------------------------------------


def _configurer(request: HttpRequest) -> None:
    if not permissions.can_configure(request.user):
        raise PermissionDenied


def _questionnaire() -> Questionnaire:
    return selectors.questionnaire_get(code=services.SEED_QUESTIONNAIRE)


def _questionnaire_page(
    request: HttpRequest,
    *,
    form: forms.QuestionnaireForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    questionnaire = _questionnaire()
    versions = selectors.questionnaire_versions(questionnaire=questionnaire)
    if form is None:
        latest = versions[0] if versions else None
        lines = [forms.question_line(q) for q in latest.questions.all()] if latest else []
        form = forms.QuestionnaireForm(initial={"questions": "\n".join(lines)})
    context = {
        "questionnaire": questionnaire,
        "versions": versions,
        "pending": next((v for v in versions if not v.is_published), None),
        "form": form,
        "error": error,
        "tab": "questionnaire",
    }
    return _page(request, "visits/questionnaire.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The versions of the visit questionnaire; a new version starts from the latest one."""
    _configurer(request)
    if request.method == "GET":
        return _questionnaire_page(request)
    form = forms.QuestionnaireForm(request.POST)
    if form.is_valid():
        try:
            services.questionnaire_version_create(
                by=request.user,
                questionnaire=_questionnaire(),
                questions=form.cleaned_data["questions"],
                note=form.cleaned_data["note"],
            )
        except services.TransitionError as error:
            return _questionnaire_page(request, form=form, status=409, error=str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The new version has been saved. Publish it to use it on new visits.")
            )
            return redirect("visits:questionnaire")
    return _questionnaire_page(request, form=form, status=400)


@require_POST
@login_required
def questionnaire_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _configurer(request)
    version = next(
        (v for v in selectors.questionnaire_versions(questionnaire=_questionnaire()) if v.pk == pk),
        None,
    )
    if version is None:
        raise Http404
    try:
        services.questionnaire_version_publish(by=request.user, version=version)
    except services.TransitionError as error:
        return _questionnaire_page(request, status=409, error=str(error))
    messages.success(request, _("The version has been published: new visits use it."))
    return redirect("visits:questionnaire")
