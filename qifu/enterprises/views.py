from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.enterprises import imports, permissions, sections, selectors, services
from qifu.enterprises.forms import (
    ContactForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    ImportForm,
)
from qifu.enterprises.timeline import describe
from qifu.lib import industry
from qifu.lib.masking import mask_phone
from qifu.lib.xlsx import WorkbookError

PAGE_SIZE = 30


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, which then fails validation), else None."""
    return request.POST if request.method == "POST" else None


EXPORT_LIMIT = 20_000


def _require_scope(request: HttpRequest) -> None:
    if not permissions.can_open_registry(request.user):
        raise PermissionDenied


def _listing(request: HttpRequest) -> tuple[EnterpriseFilterForm, Any, str]:
    _require_scope(request)
    form = EnterpriseFilterForm(request.GET, user=request.user)
    ordering = request.GET.get("sort", "name")
    enterprises = selectors.enterprise_list_for_user(
        user=request.user, filters=form.filters(), ordering=ordering
    )
    return form, enterprises, ordering


def _decorate(enterprises: Any, user: Any) -> None:
    for e in enterprises:
        e.industry = industry.lookup(e.industry_code)
        e.contact_list = [
            {
                "c": c,
                "phone": c.phone if permissions.sees_full_phone(user, e) else mask_phone(c.phone),
            }
            for c in e.contacts.all()
        ]


@require_GET
@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form, enterprises, ordering = _listing(request)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        # the count inside "共 N 家企业", marked for the tests and the command centre's links
        "count_html": format_html(
            '<span data-testid="result-count">{}</span>', page.paginator.count
        ),
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "ordering": ordering,
        "can_create": permissions.can_create(request.user),
        "can_import": permissions.can_import(request.user),
    }
    template = "enterprises/list.html#results" if request.htmx else "enterprises/list.html"
    return render(request, template, context)


@require_GET
@login_required
def enterprise_export(request: HttpRequest) -> HttpResponse:
    _form, enterprises, _ordering = _listing(request)
    content = imports.export_bytes(enterprises=enterprises[:EXPORT_LIMIT], user=request.user)
    return xlsx_response(content, "enterprises")


@require_GET
@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    full = permissions.sees_full_phone(request.user, enterprise)
    timeline = describe(
        events=selectors.enterprise_timeline(enterprise=enterprise), full_phone=full
    )
    context = {
        "enterprise": enterprise,
        "industry": industry.lookup(enterprise.industry_code),
        "contacts": [
            {"c": c, "phone": c.phone if full else mask_phone(c.phone)}
            for c in enterprise.contacts.all()
        ],
        "timeline": timeline,
        "sections": sections.render_list(enterprise=enterprise, user=request.user),
        "can_edit": permissions.can_edit(request.user, enterprise),
        "can_edit_contacts": permissions.can_edit_contacts(request.user, enterprise),
        "contact_form": ContactForm(),
    }
    return render(request, "enterprises/detail.html", context)


def _enterprise_values(form: EnterpriseForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        raise PermissionDenied
    form = EnterpriseForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(by=request.user, **_enterprise_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The enterprise has been added."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    status = 400 if form.is_bound else 200
    return render(request, "enterprises/form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk, for_write=True)
    form = EnterpriseForm(
        _posted(request), user=request.user, initial=EnterpriseForm.initial_for(enterprise)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(
                by=request.user, enterprise=enterprise, **_enterprise_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/form.html", context, status=status)


def _contact_target(request: HttpRequest, pk: int) -> Any:
    enterprise = selectors.enterprise_get_for_user(user=request.user, pk=pk)
    if not permissions.can_edit_contacts(request.user, enterprise):
        raise PermissionDenied
    return enterprise


@require_POST
@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _contact_target(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_add(by=request.user, enterprise=enterprise, **form.cleaned_data)
        messages.success(request, _("The contact has been added."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/contact_form.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    enterprise = _contact_target(request, pk)
    contact = selectors.contact_get_for_user(
        user=request.user, enterprise=enterprise, pk=contact_pk
    )
    initial = {"name": contact.name, "title": contact.title, "phone": contact.phone}
    form = ContactForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_update(by=request.user, contact=contact, **form.cleaned_data)
        messages.success(request, _("The contact has been saved."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    context = {"form": form, "enterprise": enterprise, "contact": contact}
    return render(
        request, "enterprises/contact_form.html", context, status=400 if form.is_bound else 200
    )


@require_POST
@login_required
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    enterprise = _contact_target(request, pk)
    contact = selectors.contact_get_for_user(
        user=request.user, enterprise=enterprise, pk=contact_pk
    )
    services.contact_remove(by=request.user, contact=contact)
    messages.success(request, _("The contact has been removed."))
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = imports.load_table(upload.read())
        except WorkbookError as error:
            form.add_error("file", imports.workbook_error_message(error))
        else:
            rows, errors = imports.check_rows(table=table, user=request.user)
            if errors:
                context.update(errors=errors, checked=len(table.rows))
                return render(request, "enterprises/import.html", context, status=400)
            result = services.enterprise_import(by=request.user, rows=rows, filename=upload.name)
            messages.success(
                request,
                _(
                    "Import finished: %(created)s added, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("enterprises:list")
    status = 400 if form.is_bound else 200
    return render(request, "enterprises/import.html", context, status=status)


@require_GET
@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    return xlsx_response(imports.template_bytes(), "enterprise-template", stamped=False)
