"""Pages of research reports: the list (filters, paging, Excel), a blank report, the drafting
form, the report page (its body rendered, the appeals and visits it draws on, attachments), the
edit page, finalise / reopen / attach, and the Word export. Thin: a form, one service, a redirect
or a page. A state the service refuses is answered 409 with its reason, bad input 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.lib.quarters import Span, SpanError
from qifu.lib.xlsx import write_table
from qifu.reports import forms, permissions, selectors, services, word
from qifu.reports.markdown import to_html
from qifu.reports.models import Report, ReportStatus

PAGE_SIZE = 30
EXPORT_LIMIT = 20000


def _open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _filters(request: HttpRequest) -> tuple[forms.FilterForm, selectors.ReportFilters]:
    form = forms.FilterForm(request.GET, user=request.user)
    if not form.is_valid():
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": form.error_text()})
    return form, form.filters()


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _errors(error: ValidationError) -> str:
    return "；".join(
        m for msgs in getattr(error, "message_dict", {"": error.messages}).values() for m in msgs
    )


def _period_label(period: str) -> str:
    try:
        return Span.parse(period).label
    except SpanError:
        return period


# --- the list -------------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def report_list(request: HttpRequest) -> HttpResponse:
    _open(request)
    form, filters = _filters(request)
    reports = selectors.report_list_for_user(user=request.user, filters=filters)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request)}
    template = "reports/list.html#results" if request.htmx else "reports/list.html"
    return render(request, template, context)


EXPORT_HEADERS = (
    "No.",
    "Title",
    "Kind",
    "Scope",
    "Period",
    "Status",
    "Authors",
    "Summary",
    "Created",
    "Finalised",
)


@require_GET
@login_required
@answers_bad_input
def report_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    _form, filters = _filters(request)
    reports = selectors.report_list_for_user(user=request.user, filters=filters)[:EXPORT_LIMIT]
    rows = (
        (
            r.pk,
            r.title,
            r.get_kind_display(),
            r.org_unit.name,
            r.period,
            r.get_status_display(),
            "、".join(a.display_name for a in r.authors.all()),
            r.summary,
            r.created_at,
            r.finalised_at,
        )
        for r in reports
    )
    content = write_table(
        title=_("Research reports"),
        headers=[_(h) for h in EXPORT_HEADERS],
        rows=rows,
        sheet=_("Research reports"),
    )
    return xlsx_response(content, "reports")


# --- writing --------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    report: Report | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "report": report, "error": error}
    return render(request, "reports/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    _open(request)
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(data, user=request.user)
    if data is not None and form.is_valid():
        try:
            report, _created = services.report_create(
                by=request.user,
                client_token=form.cleaned_data.get("client_token") or "",
                **form.values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report has been created as a draft."))
            return redirect("reports:detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("New research report"),
        back=reverse("reports:list"),
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_draft(request: HttpRequest) -> HttpResponse:
    """Draft a report from the data of a period and scope; it opens as an editable draft."""
    _open(request)
    data = request.POST if request.method == "POST" else None
    form = forms.DraftForm(data, user=request.user)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            report, _created = services.report_draft(
                by=request.user,
                period=d["period"],
                org_unit=d["org_unit"],
                kind=d["kind"],
                client_token=d.get("client_token") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The draft has been written from the data: check it and complete it.")
            )
            return redirect("reports:edit", pk=report.pk)
    status = 400 if data is not None else 200
    return render(request, "reports/draft.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if not permissions.can_edit(request.user, report):
        raise PermissionDenied
    title = _("Edit research report")
    back = reverse("reports:detail", args=[report.pk])
    if report.status != ReportStatus.DRAFT:
        form = forms.ReportForm(None, user=request.user, report=report)
        return _form_page(
            request,
            form,
            title=title,
            back=back,
            report=report,
            status=409,
            error=str(services.REFUSED["update"]),
        )
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(data, user=request.user, report=report)
    if data is not None and form.is_valid():
        try:
            services.report_update(by=request.user, report=report, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        except services.TransitionError as error:
            return _form_page(
                request, form, title=title, back=back, report=report, status=409, error=str(error)
            )
        else:
            messages.success(request, _("The report has been saved."))
            return redirect("reports:detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title=title,
        back=back,
        report=report,
        status=400 if data is not None else 200,
    )


# --- the report page ------------------------------------------------------------------------------


def _report_page(
    request: HttpRequest, report: Report, *, status: int = 200, error: str = ""
) -> HttpResponse:
    user: Any = request.user
    appeals, appeals_total = selectors.appeals_drawn_on(user=user, report=report)
    visits, visits_total = selectors.visits_drawn_on(user=user, report=report)
    draft = report.status == ReportStatus.DRAFT
    editable = draft and permissions.can_edit(user, report)
    context = {
        "report": report,
        "period_label": _period_label(report.period),
        "body_html": to_html(report.body),
        "appeals": appeals,
        "appeals_total": appeals_total,
        "appeals_hidden": appeals_total - len(appeals),
        "visits": visits,
        "visits_total": visits_total,
        "visits_hidden": visits_total - len(visits),
        "attachments": list(report.attachments.all()),
        "can_edit": editable,
        "can_finalise": draft and permissions.can_finalise(user, report),
        "can_reopen": not draft and permissions.can_reopen(user, report),
        "attach_form": forms.AttachForm() if editable else None,
        "error": error,
    }
    return render(request, "reports/detail.html", context, status=status)


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    return _report_page(request, selectors.report_get_for_user(user=request.user, pk=pk))


def _run(action: str, request: HttpRequest, report: Report) -> str:
    user = request.user
    if action == "finalise":
        services.report_finalise(by=user, report=report)
        return _("The report is final.")
    if action == "reopen":
        services.report_reopen(by=user, report=report, reason=request.POST.get("reason", ""))
        return _("The report has been reopened as a draft.")
    if action == "attach":
        uploads = forms.AttachForm().uploads(request.FILES)
        saved = services.report_attach(by=user, report=report, uploads=uploads)
        return _("%(n)d attachment(s) added.") % {"n": len(saved)}
    raise Http404


@require_POST
@login_required
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _open(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        message = _run(action, request, report)
    except services.TransitionError as error:
        return _report_page(request, report, status=409, error=str(error))
    except ValidationError as error:
        return _report_page(request, report, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("reports:detail", pk=pk)


@require_GET
@login_required
def report_word(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(word.report_document(report), content_type=word.DOCX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, word.filename(report))
    return response


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    _open(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    found = selectors.attachment_get(report=report, pk=attachment_pk)
    try:
        handle = found.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
