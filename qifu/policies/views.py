"""Pages of policy support (帮助企业"争"): the library, programmes with their matches and the
apply form, applications and their steps, the calculator and notices. Thin: a form, one service,
a redirect or a page. A state the service refuses is answered 409 with its reason, bad input 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib import eligibility
from qifu.lib.xlsx import write_table
from qifu.policies import forms, permissions, selectors, services
from qifu.policies.models import ApplicationStatus

PAGE_SIZE = 30
EXPORT_LIMIT = 20000


# --- helpers --------------------------------------------------------------------------------------


def may_open(user: Any) -> bool:
    return permissions.is_official(user) or permissions.is_enterprise_user(user)


def _open(request: HttpRequest) -> None:
    if not may_open(request.user):
        raise PermissionDenied


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    user = request.user
    context.setdefault("error", "")
    context["is_official"] = permissions.is_official(user)
    context["can_manage"] = permissions.can_manage(user)
    context["is_enterprise"] = permissions.is_enterprise_user(user)
    return render(request, template, context, status=status)


def _valid(form: Any) -> Any:
    if not form.is_valid():
        errors = "；".join(m for msgs in form.errors.values() for m in msgs)
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": errors})
    return form.cleaned_data


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _conflict(request: HttpRequest, error: Exception, back: str) -> HttpResponse:
    return _page(request, "policies/conflict.html", {"error": str(error), "back": back}, status=409)


def _today() -> dt.date:
    return selectors._today()


# --- the library ----------------------------------------------------------------------------------


def _policy_list(request: HttpRequest) -> tuple[Any, Any]:
    _open(request)
    form = forms.PolicyFilterForm(request.GET, user=request.user)
    _valid(form)
    return form, selectors.policy_list_for_user(user=request.user, filters=form.filters())


@require_GET
@login_required
@answers_bad_input
def policy_list(request: HttpRequest) -> HttpResponse:
    form, policies = _policy_list(request)
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request), "tab": "library"}
    if request.htmx:
        return render(request, "policies/list.html#results", context)
    return _page(request, "policies/list.html", context)


@require_GET
@login_required
@answers_bad_input
def policy_export(request: HttpRequest) -> HttpResponse:
    _form, policies = _policy_list(request)
    rows = (
        (
            p.title,
            p.get_level_display(),
            p.issuer,
            p.document_number,
            p.issued_on,
            p.valid_until,
            _("Expired") if p.is_expired else _("Valid"),
            "、".join(c.name for c in p.categories.all()),
            p.department.name,
            p.summary,
        )
        for p in policies[:EXPORT_LIMIT]
    )
    headers = [
        _("Title"),
        _("Issuing level"),
        _("Issuing body"),
        _("Document number"),
        _("Date issued"),
        _("Valid until"),
        _("Validity"),
        _("Categories"),
        _("Responsible department"),
        _("Summary"),
    ]
    content = write_table(title=_("Policies"), headers=headers, rows=rows, sheet=_("Policies"))
    return xlsx_response(content, "policies")


@require_GET
@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    programmes = selectors.programmes_for_user(user=request.user).filter(policy=policy)
    return _page(
        request,
        "policies/policy.html",
        {"policy": policy, "programmes": programmes.order_by("-window_closes"), "tab": "library"},
    )


# --- programmes -----------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def programme_list(request: HttpRequest) -> HttpResponse:
    _open(request)
    form = forms.ProgrammeFilterForm(request.GET, user=request.user)
    _valid(form)
    today = _today()
    programmes = selectors.programme_list_for_user(
        user=request.user, filters=form.filters(today)
    ).annotate(
        open_now=Count("pk", filter=Q(window_opens__lte=today, window_closes__gte=today)),
    )
    programmes = programmes.order_by("-open_now", "window_closes", "-id")
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "today": today,
        "tab": "programmes",
    }
    if request.htmx:
        return render(request, "policies/programmes.html#results", context)
    return _page(request, "policies/programmes.html", context)


def _enterprise_check(user: Any, programme: Any) -> Any:
    """An enterprise user's own standing against the programme (met and missed, in words)."""
    enterprise = enterprise_selectors.enterprise_get_for_user(user=user, pk=user.enterprise_id)
    facts = selectors.facts_for([enterprise])[enterprise.pk]
    names = selectors.code_names(district_id=programme.department.district_id)
    calculation = selectors.calculator(facts, [programme], names=names)
    result = eligibility.evaluate(eligibility.parse(programme.criteria), facts)
    return {
        "eligible": result.eligible,
        "met": [c.words(names) for c in result.met],
        "missed": [c.words(names) for c in result.missed],
        "calculation": calculation,
        "application": selectors.applications_for_user(user=user)
        .filter(programme=programme)
        .exclude(status="withdrawn")
        .first(),
    }


def _programme_context(request: HttpRequest, programme: Any, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    today = _today()
    criteria = eligibility.parse(programme.criteria)
    names = selectors.code_names(district_id=programme.department.district_id)
    context: dict[str, Any] = {
        "programme": programme,
        "heading": criteria.heading,
        "conditions": criteria.words(names),
        "window_open": programme.window_opens <= today <= programme.window_closes
        and programme.status == "published",
        "can_handle": permissions.can_handle(user, programme),
        "tab": "programmes",
    }
    if permissions.is_official(user):
        context["matches"] = selectors.programme_matches(user=user, programme=programme)
        context["applied_ids"] = set(
            selectors.applications_for_user(user=user)
            .filter(programme=programme)
            .exclude(status="withdrawn")
            .values_list("enterprise_id", flat=True)
        )
    if permissions.is_enterprise_user(user):
        context["mine"] = _enterprise_check(user, programme)
        context.setdefault("apply_form", forms.ApplyForm(programme=programme))
    context.update(extra)
    return context


@require_GET
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    return _page(request, "policies/programme.html", _programme_context(request, programme))


@require_POST
@login_required
def programme_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    user: Any = request.user
    programme = selectors.programme_get_for_user(user=user, pk=pk)
    form = forms.ApplyForm(request.POST, programme=programme)
    back = f"/policies/programmes/{programme.pk}/"
    if form.is_valid():
        if permissions.is_enterprise_user(user):
            enterprise = enterprise_selectors.enterprise_get_for_user(
                user=user, pk=user.enterprise_id
            )
        else:
            enterprise = enterprise_selectors.enterprise_get_for_user(
                user=user, pk=request.POST.get("enterprise")
            )
        try:
            application, _created = services.application_apply(
                by=user,
                programme=programme,
                enterprise=enterprise,
                statement=form.cleaned_data["statement"],
                materials_checked=form.cleaned_data["materials"],
                client_token=form.cleaned_data["client_token"],
            )
        except services.TransitionError as error:
            return _conflict(request, error, back)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("policies:application", pk=application.pk)
    context = _programme_context(request, programme, apply_form=form)
    return _page(request, "policies/programme.html", context, status=400)


@require_POST
@login_required
@answers_bad_input
def programme_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """A department (or street, or leader) recommends an enterprise it sees for the programme."""
    user: Any = request.user
    if not permissions.is_official(user):
        raise PermissionDenied
    programme = selectors.programme_get_for_user(user=user, pk=pk)
    enterprise = enterprise_selectors.enterprise_get_for_user(
        user=user, pk=request.POST.get("enterprise")
    )
    try:
        application, _created = services.application_recommend_by_department(
            by=user,
            programme=programme,
            enterprise=enterprise,
            client_token=request.POST.get("client_token", "")[:64],
        )
    except services.TransitionError as error:
        return _conflict(request, error, f"/policies/programmes/{programme.pk}/")
    except ValidationError as error:
        raise BadInput("；".join(error.messages)) from None
    messages.success(request, _("The enterprise was recommended."))
    return redirect("policies:application", pk=application.pk)


@require_http_methods(["GET", "POST"])
@login_required
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    if not permissions.can_manage(user):
        raise PermissionDenied
    programme = selectors.programme_get_for_user(user=user, pk=pk, for_write=True) if pk else None
    form = forms.ProgrammeForm(request.POST or None, user=user, programme=programme)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                programme = services.programme_save(
                    by=user, programme=programme, values=form.values()
                )
            except services.TransitionError as error:
                return _conflict(request, error, "/policies/programmes/")
            except ValidationError as error:
                if hasattr(error, "error_dict") and "criteria" in error.error_dict:
                    error.error_dict["criteria_json"] = error.error_dict.pop("criteria")
                add_service_errors(form, error)
            else:
                messages.success(request, _("The programme was saved."))
                return redirect("policies:programme", pk=programme.pk)
    words: list[str] = []
    if form.is_bound and form.is_valid():
        try:
            words = eligibility.parse(form.cleaned_data["criteria"]).words()
        except eligibility.CriteriaError:
            words = []
    elif programme is not None:
        words = eligibility.parse(programme.criteria).words(
            selectors.code_names(district_id=programme.department.district_id)
        )
    context = {"form": form, "programme": programme, "words": words, "tab": "programmes"}
    return _page(request, "policies/programme_form.html", context, status=status)


@require_POST
@login_required
def programme_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    programme = selectors.programme_get_for_user(user=user, pk=pk, for_write=True)
    service = {"publish": services.programme_publish, "close": services.programme_close}[action]
    try:
        service(by=user, programme=programme)
    except services.TransitionError as error:
        return _conflict(request, error, f"/policies/programmes/{programme.pk}/")
    messages.success(request, _("Done."))
    return redirect("policies:programme", pk=programme.pk)


@require_POST
@login_required
@answers_bad_input
def programme_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """免申即享: confirm the eligible enterprises ticked."""
    user: Any = request.user
    programme = selectors.programme_get_for_user(user=user, pk=pk, for_write=True)
    ids = [i for i in request.POST.getlist("enterprise") if i.isdigit()]
    chosen = list(enterprise_selectors.enterprises_for_user(user=user).filter(pk__in=ids))
    back = f"/policies/programmes/{programme.pk}/"
    try:
        created = services.programme_confirm_list(by=user, programme=programme, enterprises=chosen)
    except services.TransitionError as error:
        return _conflict(request, error, back)
    except ValidationError as error:
        raise BadInput("；".join(error.messages)) from None
    messages.success(request, _("%(n)d enterprises confirmed.") % {"n": len(created)})
    return redirect("policies:programme", pk=programme.pk)


@require_POST
@login_required
@answers_bad_input
def programme_push(request: HttpRequest, pk: int) -> HttpResponse:
    """Push the programme to its eligible enterprises (政策精准推送)."""
    user: Any = request.user
    if not permissions.can_manage(user):
        raise PermissionDenied
    programme = selectors.programme_get_for_user(user=user, pk=pk)
    try:
        notice, _created = services.notice_send(
            by=user,
            title=programme.title,
            body=programme.support_text or programme.policy.title,
            target={"eligible": True},
            programme=programme,
            sms=request.POST.get("sms") == "on",
            client_token=request.POST.get("client_token", "")[:64],
        )
    except services.TransitionError as error:
        return _conflict(request, error, f"/policies/programmes/{programme.pk}/")
    except ValidationError as error:
        raise BadInput("；".join(error.messages)) from None
    messages.success(request, _("Pushed to %(n)d enterprises.") % {"n": notice.deliveries.count()})
    return redirect("policies:programme", pk=programme.pk)


# --- applications ---------------------------------------------------------------------------------


def _application_list(request: HttpRequest) -> tuple[Any, Any]:
    _open(request)
    form = forms.ApplicationFilterForm(request.GET, user=request.user)
    _valid(form)
    return form, selectors.application_list_for_user(user=request.user, filters=form.filters())


@require_GET
@login_required
@answers_bad_input
def application_list(request: HttpRequest) -> HttpResponse:
    form, applications = _application_list(request)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request), "tab": "applications"}
    if request.htmx:
        return render(request, "policies/applications.html#results", context)
    return _page(request, "policies/applications.html", context)


@require_GET
@login_required
@answers_bad_input
def application_export(request: HttpRequest) -> HttpResponse:
    _form, applications = _application_list(request)
    headers = [
        _("Enterprise"),
        _("Street"),
        _("Programme"),
        _("Policy"),
        _("Origin"),
        _("Status"),
        _("Submitted"),
        _("Amount approved (10k yuan)"),
        _("Funds received (10k yuan)"),
        _("Funds received on"),
    ]
    rows = (
        (
            a.enterprise.name,
            a.enterprise.street.name,
            a.programme.title,
            a.programme.policy.title,
            a.get_origin_display(),
            a.get_status_display(),
            timezone.localtime(a.submitted_at).date(),
            a.amount_approved,
            a.funds_amount,
            a.funds_on,
        )
        for a in applications[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Applications"), headers=headers, rows=rows, sheet=_("Applications")
    )
    return xlsx_response(content, "policy-applications")


ACTIONS = ("review", "recommend", "result", "funds", "withdraw", "resubmit")
# the steps of an application's history (services.TRANSITIONS' actions) in words
EVENT_ACTIONS = {
    "apply": gettext_lazy("Applied"),
    "recommend_by_department": gettext_lazy("Recommended by a department"),
    "confirm": gettext_lazy("Confirmed eligible"),
    "review": gettext_lazy("Reviewed"),
    "return": gettext_lazy("Returned for completion"),
    "resubmit": gettext_lazy("Completed and resubmitted"),
    "recommend": gettext_lazy("Recommended upward"),
    "approve": gettext_lazy("Approved"),
    "reject": gettext_lazy("Rejected"),
    "funds": gettext_lazy("Funds received"),
    "withdraw": gettext_lazy("Withdrawn"),
}
STATUS_LABELS = dict(ApplicationStatus.choices)


def _history(application: Any) -> list[Any]:
    """The application's events, each with its action and statuses in words."""
    events = list(application.events.all())
    for e in events:
        e.action_label = EVENT_ACTIONS.get(e.action, e.action)
        e.from_label = STATUS_LABELS.get(e.status_from, e.status_from)
        e.to_label = STATUS_LABELS.get(e.status_to, e.status_to)
    return events


def _action_forms(application: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    return {
        "review": bound.get("review")
        or forms.ReviewForm(
            application=application, initial={"materials_checked": application.materials_checked}
        ),
        "recommend": bound.get("recommend") or forms.NoteForm(prefix="recommend"),
        "result": bound.get("result") or forms.ResultForm(),
        "funds": bound.get("funds") or forms.FundsForm(),
        "withdraw": bound.get("withdraw") or forms.NoteForm(prefix="withdraw"),
    }


def _application_context(
    request: HttpRequest, application: Any, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    user: Any = request.user
    allowed = services.TRANSITIONS.get(application.status, {})
    handler = permissions.can_handle(user, application.programme)
    own = services._may_act_for_enterprise(user, application)
    return {
        "application": application,
        "events": _history(application),
        "forms": _action_forms(application, bound),
        "may": {
            "review": handler and "review" in allowed,
            "recommend": handler and "recommend" in allowed,
            "result": handler and "approve" in allowed,
            "funds": handler and "funds" in allowed,
            "withdraw": own and "withdraw" in allowed,
            "resubmit": own and "resubmit" in allowed,
        },
        "tab": "applications",
    }


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return _page(request, "policies/application.html", _application_context(request, application))


def _run(action: str, user: Any, application: Any, post: Any) -> tuple[Any, Any]:
    """Bind the action's form and call its service; (form, error) — error None when done."""
    if action == "review":
        form: Any = forms.ReviewForm(post, application=application)
        if form.is_valid():
            services.application_review(
                by=user,
                application=application,
                passed=form.cleaned_data["passed"],
                materials_checked=form.cleaned_data["materials_checked"],
                note=form.cleaned_data["note"],
            )
            return form, None
    elif action == "result":
        form = forms.ResultForm(post)
        if form.is_valid():
            services.application_result(
                by=user,
                application=application,
                approved=form.cleaned_data["approved"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
            return form, None
    elif action == "funds":
        form = forms.FundsForm(post)
        if form.is_valid():
            services.application_funds(
                by=user,
                application=application,
                amount=form.cleaned_data["amount"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
            return form, None
    elif action == "resubmit":
        services.application_resubmit(
            by=user, application=application, statement=post.get("statement", "")
        )
        return None, None
    else:
        form = forms.NoteForm(post, prefix=action)
        if form.is_valid():
            service = (
                services.application_recommend
                if action == "recommend"
                else services.application_withdraw
            )
            service(by=user, application=application, note=form.cleaned_data["note"])
            return form, None
    return form, form.errors


@require_POST
@login_required
@answers_bad_input
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _open(request)
    user: Any = request.user
    if action not in ACTIONS:
        raise BadInput(_("Unknown action."))
    application = selectors.application_get_for_user(user=user, pk=pk)
    back = f"/policies/applications/{application.pk}/"
    form: Any = None
    try:
        form, errors = _run(action, user, application, request.POST)
    except services.TransitionError as error:
        return _conflict(request, error, back)
    except ValidationError as error:
        if form is None:
            form = {
                "review": lambda: forms.ReviewForm(request.POST, application=application),
                "result": lambda: forms.ResultForm(request.POST),
                "funds": lambda: forms.FundsForm(request.POST),
            }.get(action, lambda: forms.NoteForm(request.POST, prefix=action))()
            form.is_valid()
        add_service_errors(form, error)
        errors = form.errors
    if errors is None:
        messages.success(request, _("Done."))
        return redirect("policies:application", pk=application.pk)
    application = selectors.application_get_for_user(user=user, pk=pk)
    context = _application_context(request, application, bound={action: form})
    context["open_action"] = action
    return _page(request, "policies/application.html", context, status=400)


# --- calculator -----------------------------------------------------------------------------------


def _facts_from(form: Any, user: Any) -> tuple[Any, Any]:
    data = form.cleaned_data
    if data.get("enterprise"):
        enterprise = enterprise_selectors.enterprise_get_for_user(user=user, pk=data["enterprise"])
        return selectors.facts_for([enterprise])[enterprise.pk], enterprise
    today = _today()
    years = data.get("years_established")
    industry_code = (data.get("industry_code") or "").strip().upper()
    section = industry_code if len(industry_code) == 1 and industry_code.isalpha() else ""
    facts = eligibility.Facts(
        industry_code=industry_code if not section else "",
        industry_section=section,
        street=(data.get("street") or "").strip(),
        above_scale=bool(data.get("above_scale")),
        key=bool(data.get("key")),
        tags=frozenset(forms.NoticeForm._split(data.get("tags") or "")),
        registered_capital=data.get("registered_capital"),
        established_on=today.replace(year=today.year - years, day=min(today.day, 28))
        if years is not None
        else None,
        revenue_last_year=data.get("revenue_last_year"),
        employees=data.get("employees"),
        growth=data.get("growth"),
        today=today,
    )
    return facts, None


@require_GET
@login_required
@answers_bad_input
def calculator(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    data = request.GET.copy()
    if permissions.is_enterprise_user(user) and not data:
        data["enterprise"] = str(user.enterprise_id)
    form = forms.CalculatorForm(data or None)
    result, enterprise = None, None
    if form.is_bound:
        _valid(form)
        facts, enterprise = _facts_from(form, user)
        names = selectors.code_names(district_id=selectors._district_id(user))
        result = selectors.calculator(
            facts, selectors.calculator_programmes(user=user), names=names
        )
    enterprises = (
        enterprise_selectors.enterprises_for_user(user=user).order_by("name")[:500]
        if permissions.is_official(user)
        else []
    )
    context = {
        "form": form,
        "result": result,
        "enterprise": enterprise,
        "enterprises": enterprises,
        "tab": "calculator",
    }
    return _page(request, "policies/calculator.html", context)


# --- notices --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def notices(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    if permissions.is_enterprise_user(user):
        unread = request.GET.get("unread") == "1"
        deliveries = selectors.deliveries_for_user(user=user, unread_only=unread)
        page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "tab": "notices",
            "unread_only": unread,
            "query": "unread=1" if unread else "",
        }
        return _page(request, "policies/inbox.html", context)
    form = forms.NoticeForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if not permissions.can_manage(user):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            programme = None
            if form.cleaned_data.get("programme"):
                programme = selectors.programme_get_for_user(
                    user=user, pk=form.cleaned_data["programme"]
                )
            try:
                notice, _created = services.notice_send(
                    by=user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    target=form.target(),
                    programme=programme,
                    sms=form.cleaned_data["sms"],
                    client_token=form.cleaned_data["client_token"],
                )
            except services.TransitionError as error:
                return _conflict(request, error, "/policies/notices/")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Sent to %(n)d enterprises.") % {"n": notice.deliveries.count()}
                )
                return redirect("policies:notices")
    sent = selectors.notice_list_for_user(user=user)
    page = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "tab": "notices"}
    return _page(request, "policies/notices.html", context, status=status)


@require_POST
@login_required
def delivery_read(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not permissions.is_enterprise_user(user):
        raise PermissionDenied
    delivery = selectors.delivery_get_for_user(user=user, pk=pk)
    services.delivery_read(by=user, delivery=delivery)
    return redirect("policies:notices")


# --- figures --------------------------------------------------------------------------------------


def _figures(request: HttpRequest) -> tuple[Any, Any]:
    user: Any = request.user
    if not permissions.is_official(user):
        raise PermissionDenied
    form = forms.FiguresFilterForm(request.GET)
    data = _valid(form)
    programme = None
    if data.get("programme"):
        programme = selectors.programme_get_for_user(user=user, pk=data["programme"])
    found = selectors.policy_figures(user=user, period=data.get("period"), programme=programme)
    return form, found


@require_GET
@login_required
@answers_bad_input
def figures(request: HttpRequest) -> HttpResponse:
    form, found = _figures(request)
    context = {"form": form, "figures": found, "query": _query(request), "tab": "figures"}
    return _page(request, "policies/figures.html", context)


def figure_headers(first: str) -> list[str]:
    return [
        first,
        _("Programmes"),
        _("Eligible"),
        _("Pushed"),
        _("Read"),
        _("Applied"),
        _("Recommended upward"),
        _("Approved"),
        _("Funds received (10k yuan)"),
    ]


def _figure_cells(row: Any) -> tuple[Any, ...]:
    return (
        row.label,
        row.programmes,
        row.eligible,
        row.pushed,
        row.read,
        row.applied,
        row.recommended,
        row.approved,
        row.funds,
    )


@require_GET
@login_required
@answers_bad_input
def figures_export(request: HttpRequest) -> HttpResponse:
    _form, found = _figures(request)
    total = found.total
    total.label = _("Total")
    rows = [
        *(_figure_cells(r) for r in found.programmes),
        _figure_cells(total),
        (),
        tuple(figure_headers(_("Category"))),
        *(_figure_cells(r) for r in found.categories),
        (),
        tuple(figure_headers(_("Department"))),
        *(_figure_cells(r) for r in found.departments),
    ]
    period = str(found.period) if found.period else _("all periods")
    content = write_table(
        title=_("Policy figures, %(period)s") % {"period": period},
        headers=figure_headers(_("Programme")),
        rows=rows,
        sheet=_("Figures"),
    )
    return xlsx_response(content, "policy-figures")
