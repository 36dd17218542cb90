from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.appeals import forms, permissions, selectors, services
from qifu.core import selectors as core_selectors
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib.similarity import most_similar
from qifu.lib.xlsx import write_table

PAGE_SIZE = 30


def _require_open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _decorate(appeals: Any) -> Any:
    today = timezone.localdate()
    for appeal in appeals:
        appeal.colour = selectors.deadline_state(appeal, today)
        appeal.due = selectors.due_date(appeal)
    return appeals


@require_GET
@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    form = forms.AppealFilterForm(request.GET)
    appeals = selectors.appeal_list_for_user(user=request.user, filters=form.filters())
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        # the count inside "共 N 件诉求", marked for the tests and the command centre's links
        "count_html": format_html(
            '<span data-testid="result-count">{}</span>', page.paginator.count
        ),
        "query": query.urlencode(),
        "can_submit": permissions.can_submit(request.user),
    }
    template = "appeals/list.html#results" if request.htmx else "appeals/list.html"
    return render(request, template, context)


@require_GET
@login_required
def appeal_export(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    form = forms.AppealFilterForm(request.GET)
    appeals = _decorate(
        selectors.appeal_list_for_user(user=request.user, filters=form.filters())[:20000]
    )
    rows = (
        (
            a.number,
            a.enterprise.name,
            a.enterprise.street.name,
            a.get_kind_display(),
            a.category.name,
            a.title,
            a.get_channel_display(),
            a.get_status_display(),
            a.lead_department.name if a.lead_department else "",
            "、".join(d.name for d in a.co_departments.all()),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
            a.due,
            _("Yes") if a.overdue else "",
            a.get_satisfaction_display() if a.satisfaction else "",
            _("Yes") if a.green_channel else "",
        )
        for a in appeals
    )
    content = write_table(
        title=_("Appeals"),
        headers=[
            _("Number"),
            _("Enterprise"),
            _("Street"),
            _("Kind"),
            _("Category"),
            _("Title"),
            _("Channel"),
            _("Status"),
            _("Lead department"),
            _("Co-handling"),
            _("Submitted"),
            _("Deadline"),
            _("Overdue"),
            _("Satisfaction"),
            _("Green channel"),
        ],
        rows=rows,
        sheet=_("Appeals"),
    )
    return xlsx_response(content, "appeals")


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    boxes = selectors.inbox_for_user(user=request.user)
    for box in boxes:
        box["items"] = _decorate(list(box["appeals"]))
    return render(request, "appeals/inbox.html", {"boxes": boxes})


def _enterprises_for(request: HttpRequest) -> Any:
    return enterprise_selectors.enterprises_for_user(user=request.user).order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_submit(user):
        raise PermissionDenied
    enterprises = _enterprises_for(request)
    initial = {}
    if request.GET.get("enterprise"):
        initial["enterprise"] = request.GET["enterprise"]
    data = request.POST if request.method == "POST" else None
    form = forms.AppealForm(
        data,
        request.FILES if data is not None else None,
        user=user,
        enterprises=enterprises,
        initial=initial,
    )
    if data is not None and form.is_valid():
        values = form.cleaned_data
        enterprise = values.get("enterprise") or user.enterprise
        try:
            appeal, created = services.appeal_submit(
                by=user,
                enterprise=enterprise,
                kind=values["kind"],
                category=values["category"],
                title=values["title"],
                description=values["description"],
                channel=values.get("channel") or "portal",
                client_token=values.get("client_token") or "",
                attachments=values.get("attachments") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request, _("Appeal %(number)s has been submitted.") % {"number": appeal.number}
                )
            return redirect("appeals:detail", pk=appeal.pk)
    status = 400 if data is not None else 200
    return render(request, "appeals/new.html", {"form": form}, status=status)


@require_GET
@login_required
def similar(request: HttpRequest) -> HttpResponse:
    """The five most similar appeals to what is being written (htmx, also a page)."""
    _require_open(request)
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}".strip()
    matches = []
    if len(text) >= 4:
        found = most_similar(text, selectors.similar_candidates(user=request.user), limit=5)
        appeals = selectors.appeals_by_ids(user=request.user, ids=[m.key for m in found])
        scores = {m.key: m.score for m in found}
        matches = [{"appeal": a, "score": round(100 * scores[a.pk])} for a in appeals]
    context = {"matches": matches, "can_join": request.user.role == "enterprise_user"}
    template = "appeals/similar.html" if request.htmx else "appeals/similar_page.html"
    return render(request, template, context)


def _action_forms(request: HttpRequest, appeal: Any) -> dict[str, Any]:
    user = request.user
    can = {
        action: services.allowed(appeal=appeal, action=action, user=user)
        for action in services.TRANSITIONS
    }
    departments = core_selectors.department_list_for_user(user=user).filter(is_active=True)
    return {
        "can": can,
        "assign_form": forms.AssignForm(
            departments=departments,
            initial={"department": appeal.lead_department or appeal.category.default_department},
        )
        if can["assign"]
        else None,
        "reply_form": forms.ReplyForm(kind=appeal.kind, initial={"cause": appeal.cause})
        if can["reply"]
        else None,
        "extend_form": forms.ExtendRequestForm() if can["extend_request"] else None,
        "decide_form": forms.ExtendDecideForm() if can["extend_decide"] else None,
        "duplicate_form": forms.DuplicateForm() if can["mark_duplicate"] else None,
        "rate_form": forms.RateForm() if can["rate"] else None,
    }


def _detail(
    request: HttpRequest, appeal: Any, *, status: int = 200, error: str = ""
) -> HttpResponse:
    appeal.colour = selectors.deadline_state(appeal)
    appeal.due = selectors.due_date(appeal)
    pending = [e for e in appeal.extensions.all() if e.status == "pending"]
    context = {
        "appeal": appeal,
        "events": list(appeal.events.all()),
        "pending_extension": pending[0] if pending else None,
        "error": error,
        **_action_forms(request, appeal),
    }
    return render(request, "appeals/detail.html", context, status=status)


@require_GET
@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    return _detail(request, appeal)


def _run(action: str, request: HttpRequest, appeal: Any) -> str:
    """Call the service for `action` with the posted form; return the success message."""
    post, user = request.POST, request.user

    def valid(form: Any) -> dict[str, Any]:
        if not form.is_valid():
            raise ValidationError(dict(form.errors.items()))
        return form.cleaned_data

    if action == "accept":
        services.appeal_accept(by=user, appeal=appeal, note=post.get("note", ""))
        return _("Accepted.")
    if action == "return":
        services.appeal_return(by=user, appeal=appeal, reason=post.get("reason", ""))
        return _("Returned to the enterprise.")
    if action == "assign":
        departments = core_selectors.department_list_for_user(user=user).filter(is_active=True)
        data = valid(forms.AssignForm(post, departments=departments))
        services.appeal_assign(
            by=user,
            appeal=appeal,
            department=data["department"],
            co_departments=list(data["co_departments"]),
            note=data["note"],
        )
        return _("Assigned.")
    if action == "dispute":
        services.appeal_dispute(by=user, appeal=appeal, reason=post.get("reason", ""))
        return _("Sent back to the dispatcher for reassignment.")
    if action == "progress":
        services.appeal_progress(by=user, appeal=appeal, note=post.get("note", ""))
        return _("Progress recorded.")
    if action == "contribute":
        services.appeal_contribute(by=user, appeal=appeal, text=post.get("text", ""))
        return _("Your part has been sent to the lead department.")
    if action == "analyse":
        services.appeal_analyse(by=user, appeal=appeal, cause=post.get("cause", ""))
        return _("Cause analysis saved.")
    if action == "reply":
        data = valid(forms.ReplyForm(post, kind=appeal.kind))
        services.appeal_reply(
            by=user,
            appeal=appeal,
            reply=data["reply"],
            cause=data.get("cause", ""),
            fulfilment=data.get("fulfilment", ""),
            met=data.get("met"),
        )
        return _("Reply sent to the enterprise.")
    if action == "extend_request":
        data = valid(forms.ExtendRequestForm(post))
        services.appeal_extend_request(
            by=user, appeal=appeal, working_days=data["working_days"], reason=data["reason"]
        )
        return _("Extension asked for.")
    if action == "extend_decide":
        data = valid(forms.ExtendDecideForm(post))
        services.appeal_extend_decide(
            by=user, appeal=appeal, approve=data["approve"], note=data["note"]
        )
        return _("Decision recorded.")
    if action == "rate":
        data = valid(forms.RateForm(post))
        services.appeal_rate(
            by=user, appeal=appeal, satisfaction=data["satisfaction"], comment=data["comment"]
        )
        return _("Thank you for your rating.")
    if action == "supervise":
        services.appeal_supervise(by=user, appeal=appeal, note=post.get("note", ""))
        return _("Supervision order issued.")
    if action == "mark_duplicate":
        data = valid(forms.DuplicateForm(post))
        target = (
            selectors.appeals_for_user(user=user)
            .filter(number=data["target"].strip().upper())
            .first()
        )
        services.appeal_mark_duplicate(by=user, appeal=appeal, target=target, note=data["note"])
        return _("Marked as a duplicate.")
    if action == "mark_common":
        numbers = [
            n.strip().upper()
            for n in re.split(r"[\s,，、;；]+", post.get("numbers", ""))
            if n.strip()
        ]
        others = list(
            selectors.appeals_for_user(user=user).filter(number__in=numbers).exclude(pk=appeal.pk)
        )
        missing = sorted(set(numbers) - {a.number for a in others} - {appeal.number})
        if missing:
            raise ValidationError(
                {
                    "numbers": _("Not found in your scope: %(numbers)s")
                    % {"numbers": "、".join(missing)}
                }
            )
        services.appeal_mark_common(by=user, appeals=[appeal, *others], title=post.get("title", ""))
        return _("Linked as a common problem.")
    if action == "join":
        services.appeal_join(by=user, appeal=appeal, note=post.get("note", ""))
        return _("Your case has been added to this appeal.")
    raise Http404


@require_POST
@login_required
def appeal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "join":  # an enterprise adds its case to another's appeal, shown while writing
        appeal = selectors.appeal_get_joinable(user=request.user, pk=pk)
    else:
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    try:
        message = _run(action, request, appeal)
    except services.TransitionError as error:
        return _detail(
            request,
            selectors.appeal_get_for_user(user=request.user, pk=pk),
            status=409,
            error=str(error),
        )
    except ValidationError as error:
        text = "；".join(
            m
            for msgs in getattr(error, "message_dict", {"": error.messages}).values()
            for m in msgs
        )
        return _detail(
            request, selectors.appeal_get_for_user(user=request.user, pk=pk), status=400, error=text
        )
    messages.success(request, message)
    if action == "dispute":  # handed back: the department no longer sees the appeal
        return redirect("appeals:inbox")
    return redirect("appeals:detail", pk=pk)


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    found = next((a for a in appeal.attachments.all() if a.pk == attachment_pk), None)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@require_GET
@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    form = forms.StatsFilterForm(request.GET)
    filters = form.filters()
    group = filters.get("group") or "category"
    figures = selectors.appeal_stats(user=request.user, group=group, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _stats_xlsx(figures, group)
    return render(
        request,
        "appeals/stats.html",
        {"form": form, "figures": figures, "group": group, "query": request.GET.urlencode()},
    )


def _stats_xlsx(figures: dict[str, Any], group: str) -> HttpResponse:
    def pct(v: Any) -> Any:
        return "" if v is None else v

    rows = [
        (
            r["name"],
            r["received"],
            r["accepted"],
            r["resolved"],
            pct(r["on_time_rate"]),
            pct(r["average_days"]),
            pct(r["satisfaction_rate"]),
            r["reopened"],
        )
        for r in [*figures["rows"], {**figures["total"], "name": _("Total")}]
    ]
    content = write_table(
        title=_("Problems solved for enterprises: %(n)s categories, %(m)s items")
        % {"n": figures["solved_categories"], "m": figures["solved"]},
        headers=[
            _("Group"),
            _("Received"),
            _("Accepted"),
            _("Resolved"),
            _("On-time rate (%)"),
            _("Average working days"),
            _("Satisfaction rate (%)"),
            _("Reopened"),
        ],
        rows=rows,
        sheet=_("Appeal figures"),
    )
    return xlsx_response(content, f"appeal-figures-{group}", stamped=False)
