"""The public portal of golden ideas (征集金点子): no account needed, made for a phone.

Published ideas with filters, the submit form (honeypot, image CAPTCHA when the service asks for
it, similar ideas while writing), the thanks page with the tracking code, an idea with its answer,
support (附议) and report, "you said, we did", the statistics, and following or withdrawing an idea
with its tracking code. Thin views: a form for the shape, one service for the rules, selectors for
reads. A contact is never shown back: the tracking page shows it masked at most.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.audit.middleware import request_ip
from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.forms import add_service_errors
from qifu.ideas import abuse, selectors, services
from qifu.ideas.forms import public as forms
from qifu.ideas.models import Idea, Status
from qifu.lib.masking import mask_contact

PAGE_SIZE = 20
SESSION_KEY = "ideas.submitted"

# What the author reads in the timeline of their idea (never who did it).
TIMELINE_LABELS: dict[str, Any] = {
    "submit": gettext_lazy("Submitted"),
    "publish": gettext_lazy("Published on the portal"),
    "reject": gettext_lazy("Not published"),
    "assign": gettext_lazy("Handed to a department for evaluation"),
    "approve_answer": gettext_lazy("Official answer published"),
    "adopt": gettext_lazy("Adopted"),
    "decline": gettext_lazy("Not adopted"),
    "mark_duplicate": gettext_lazy("Joined to an earlier idea"),
    "withdraw": gettext_lazy("Withdrawn by you"),
    "progress": gettext_lazy("Progress recorded"),
}


# --- helpers --------------------------------------------------------------------------------------


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("error", "")
    return render(request, template, context, status=status)


def _message(
    request: HttpRequest, *, heading: str, message: str, status: int, tab: str = ""
) -> HttpResponse:
    """A page with only a message (refused, blocked, not found)."""
    return _page(
        request,
        "ideas/public/message.html",
        {"heading": heading, "message": message, "tab": tab},
        status=status,
    )


def _valid_filters(form: forms.IdeaFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        errors = "；".join(m for msgs in form.errors.values() for m in msgs)
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": errors})
    return form.filters()


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _track_url(code: str) -> str:
    return f"{reverse('ideas:track')}?{urlencode({'code': code})}"


# --- published ideas ------------------------------------------------------------------------------


@require_GET
@answers_bad_input
def idea_list(request: HttpRequest) -> HttpResponse:
    district = selectors.portal_district()
    form = forms.IdeaFilterForm(request.GET, zones=selectors.zones(district))
    ideas = selectors.public_ideas(district=district, filters=_valid_filters(form))
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query(request), "tab": "list"}
    if request.htmx:
        return render(request, "ideas/public/list.html#results", context)
    return _page(request, "ideas/public/list.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.public_idea_get(district=selectors.portal_district(), pk=pk)
    return _detail(request, idea)


def _detail(
    request: HttpRequest,
    idea: Idea,
    *,
    status: int = 200,
    error: str = "",
    support_form: forms.SupportForm | None = None,
    report_form: forms.ReportForm | None = None,
) -> HttpResponse:
    context = {
        "idea": idea,
        "progress": list(idea.progress.all()),
        "can_support": services.allowed(idea=idea, action="support", user=None),
        "can_report": services.allowed(idea=idea, action="report", user=None),
        "support_form": support_form or forms.SupportForm(),
        "report_form": report_form or forms.ReportForm(),
        "report_open": report_form is not None,
        "error": error,
        "tab": "list",
    }
    return _page(request, "ideas/public/detail.html", context, status=status)


def _public_action(
    request: HttpRequest, idea: Idea, form: Any, act: Any, *, which: str
) -> HttpResponse | None:
    """Run a support or a report; a page when it is refused, None when it went through."""
    forms_by_name = {f"{which}_form": form}
    if not form.is_valid():
        return _detail(request, idea, status=400, **forms_by_name)
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, idea, status=400, **forms_by_name)
    except (services.AlreadyDone, services.TransitionError) as error:
        return _detail(request, idea, status=409, error=str(error))
    except abuse.RateLimited as error:
        return _detail(request, idea, status=429, error=str(error))
    except abuse.Blocked as error:
        return _detail(request, idea, status=403, error=str(error))
    return None


@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.public_idea_get(district=selectors.portal_district(), pk=pk)
    refused = _public_action(
        request,
        idea,
        forms.SupportForm(request.POST),
        lambda data: services.idea_support(
            idea=idea, contact=data["contact"], ip=request_ip(request)
        ),
        which="support",
    )
    if refused is not None:
        return refused
    messages.success(request, _("Thank you: your support has been counted."))
    return redirect("ideas:detail", pk=idea.pk)


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.public_idea_get(district=selectors.portal_district(), pk=pk)
    made: list[Any] = []
    refused = _public_action(
        request,
        idea,
        forms.ReportForm(request.POST),
        lambda data: made.append(
            services.idea_report(
                idea=idea, contact=data["contact"], reason=data["reason"], ip=request_ip(request)
            )
        ),
        which="report",
    )
    if refused is not None:
        return refused
    messages.success(request, _("Thank you: the report will be looked at."))
    if made and made[0].idea.hidden:
        return redirect("ideas:list")
    return redirect("ideas:detail", pk=idea.pk)


# --- submitting -----------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: forms.IdeaForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    return _page(
        request,
        "ideas/public/form.html",
        {"form": form, "error": error, "tab": "new"},
        status=status,
    )


def _remember(request: HttpRequest, *, code: str, title: str) -> HttpResponse:
    request.session[SESSION_KEY] = {"code": code, "title": title}
    return redirect("ideas:thanks")


def _sent_before(token: str) -> Idea | None:
    """The idea this very form already made (a double submission), if any."""
    if not token or len(token) > 64:
        return None
    try:
        return selectors.idea_by_tracking_code(code=services.tracking_code_for(token))
    except Http404:
        return None


@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    district = selectors.portal_district()
    zones = selectors.zones(district)
    ip = request_ip(request)
    if request.method == "GET":
        needed = abuse.captcha_needed(ip=abuse.ip_key(ip))
        return _form_page(request, forms.IdeaForm(zones=zones, captcha=needed))
    form = forms.IdeaForm(request.POST, zones=zones, captcha="captcha_0" in request.POST)
    if form.honeypot_filled():
        return _message(
            request,
            heading=_("Not sent"),
            message=_("The form could not be accepted. Please fill it in again."),
            status=400,
            tab="new",
        )
    token = (request.POST.get("client_token") or "").strip()
    earlier = _sent_before(token)
    if earlier is not None:
        return _remember(request, code=services.tracking_code_for(token), title=earlier.title)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        result = services.idea_submit(
            data=services.IdeaInput(
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                contact=data["contact"],
                consent=data["consent"],
                zone=data["zone"],
                author_name=data["author_name"],
                client_token=data["client_token"],
            ),
            ip=ip,
            district=district,
            captcha_passed=form.has_captcha,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, status=400)
    except abuse.CaptchaRequired as error:
        form = forms.IdeaForm(request.POST, zones=zones, captcha=True)
        form.is_valid()
        form.errors.pop("captcha", None)  # the message says it once, above the form
        return _form_page(request, form, status=400, error=str(error))
    except abuse.RateLimited as error:
        return _form_page(request, form, status=429, error=str(error))
    except abuse.Blocked as error:
        return _message(
            request, heading=_("Not accepted"), message=str(error), status=403, tab="new"
        )
    return _remember(request, code=result.code, title=result.idea.title)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(SESSION_KEY)
    if not isinstance(sent, dict):
        return redirect("ideas:track")
    code = str(sent.get("code") or "")
    context = {
        "code": code,
        "title": str(sent.get("title") or ""),
        "track_url": _track_url(code) if code else reverse("ideas:track"),
        "tab": "new",
    }
    return _page(request, "ideas/public/thanks.html", context)


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Published ideas like the text being written (`text`, or the form's `title` and `body`)."""
    text = request.GET.get("text")
    if text is None:
        text = " ".join(request.GET.get(k, "") for k in ("title", "body"))
    text = text[: forms.SIMILAR_TEXT_MAX]
    ideas = selectors.similar_public(district=selectors.portal_district(), text=text)
    context = {"ideas": ideas, "text": text, "searched": len(text.strip()) >= 4, "tab": "new"}
    if request.htmx:
        return render(request, "ideas/public/similar.html#results", context)
    return _page(request, "ideas/public/similar.html", context)


# --- you said, we did; the figures ------------------------------------------------------------


@require_GET
@answers_bad_input
def adopted(request: HttpRequest) -> HttpResponse:
    district = selectors.portal_district()
    form = forms.IdeaFilterForm(request.GET, zones=selectors.zones(district))
    filters = _valid_filters(form)
    filters.pop("status", None)
    ideas = selectors.adopted_ideas(district=district, filters=filters)
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for idea in page.object_list:
        steps = list(idea.progress.all())
        rows.append({"idea": idea, "steps": steps, "done": any(s.done for s in steps)})
    context = {"form": form, "page": page, "rows": rows, "query": _query(request), "tab": "adopted"}
    if request.htmx:
        return render(request, "ideas/public/adopted.html#results", context)
    return _page(request, "ideas/public/adopted.html", context)


def _with_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top = max((r["total"] for r in rows), default=0)
    return [{**r, "pct": round(100 * r["total"] / top) if top else 0} for r in rows]


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    district = selectors.portal_district()
    figures = selectors.idea_stats(
        ideas=selectors.public_ideas(district=district), district=district
    )
    for key in ("by_zone", "by_topic", "by_status"):
        figures[key] = _with_bars(figures[key])
    return _page(request, "ideas/public/stats.html", {"figures": figures, "tab": "stats"})


# --- following one's own idea ---------------------------------------------------------------------


def _timeline(idea: Idea) -> list[dict[str, Any]]:
    return [
        {
            "at": event.at,
            "label": TIMELINE_LABELS.get(event.action, event.action),
            "department": (event.data or {}).get("department", "")
            if event.action == "assign"
            else "",
        }
        for event in selectors.author_timeline(idea)
    ]


def _track_page(
    request: HttpRequest,
    *,
    form: forms.TrackForm,
    idea: Idea | None = None,
    code: str = "",
    withdraw_form: forms.WithdrawForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "idea": idea, "error": error, "tab": "track"}
    if idea is not None:
        context.update(
            {
                "progress": list(idea.progress.all()),
                "timeline": _timeline(idea),
                "contact": mask_contact(idea.contact),
                "can_withdraw": services.allowed(idea=idea, action="withdraw", user=None),
                "withdraw_form": withdraw_form or forms.WithdrawForm(initial={"code": code}),
                "is_public": idea.is_public,
                "was_rejected": idea.status == Status.NOT_PUBLISHED,
            }
        )
    return _page(request, "ideas/public/track.html", context, status=status)


def _not_found(request: HttpRequest, form: forms.TrackForm) -> HttpResponse:
    return _track_page(
        request,
        form=form,
        status=404,
        error=_("No idea has this tracking code. Check the code and try again."),
    )


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    if "code" not in request.GET:
        return _track_page(request, form=forms.TrackForm())
    form = forms.TrackForm(request.GET)
    if not form.is_valid():
        return _track_page(request, form=form, status=400)
    code = form.cleaned_data["code"]
    try:
        idea = selectors.idea_by_tracking_code(code=code)
    except Http404:
        return _not_found(request, form)
    return _track_page(request, form=form, idea=idea, code=code)


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    form = forms.WithdrawForm(request.POST)
    track_form = forms.TrackForm({"code": request.POST.get("code", "")})
    code = track_form.cleaned_data["code"] if track_form.is_valid() else ""
    try:
        idea = selectors.idea_by_tracking_code(code=code)
    except Http404:
        return _not_found(request, track_form)
    if not form.is_valid():
        return _track_page(
            request, form=track_form, idea=idea, code=code, withdraw_form=form, status=400
        )
    try:
        services.idea_withdraw(idea=idea, code=code)
    except services.TransitionError as error:
        return _track_page(
            request, form=track_form, idea=idea, code=code, status=409, error=str(error)
        )
    except PermissionDenied:
        return _not_found(request, track_form)
    messages.success(request, _("Your idea has been withdrawn."))
    return redirect(_track_url(code))
