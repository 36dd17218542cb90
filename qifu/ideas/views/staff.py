"""The staff pages of the ideas portal: the district's leaders moderate, assign and approve; the
staff of the department an idea is given to evaluate it and draft the answer.

Thin: a form for the shape, one service for the rule, a selector for every read. An idea outside
the user's scope is 404; an action the idea's state no longer allows is a 409 page with the
reason (so a double submission changes nothing twice); the wrong actor is 403; bad input is the
detail page again with the form's errors, 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.scope import scope_for
from qifu.audit.labels import ACTION_LABELS
from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.ideas import permissions, selectors, services
from qifu.ideas.forms import staff as forms
from qifu.ideas.models import AnswerStatus, Outcome, Status
from qifu.lib.masking import mask_contact
from qifu.lib.xlsx import write_table

PAGE_SIZE = 30
EXPORT_LIMIT = 20000
DUPLICATE_CANDIDATES = 8
TOP_IDEAS = 10


# --- helpers ------------------------------------------------------------------------------------


def _open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _district(user: Any) -> Any:
    return scope_for(user).district


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context["is_moderator"] = permissions.is_moderator(request.user)
    return render(request, template, context, status=status)


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        errors = "；".join(str(m) for msgs in form.errors.values() for m in msgs)
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": errors})
    return form.cleaned_data


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def _conflict(request: HttpRequest, error: Exception, idea: Any) -> HttpResponse:
    return _page(
        request, "ideas/manage/conflict.html", {"error": str(error), "idea": idea}, status=409
    )


def _contact(user: Any, idea: Any) -> str:
    """The author's contact as this user may see it: in full for moderators, masked otherwise."""
    return idea.contact if permissions.can_see_contact(user, idea) else mask_contact(idea.contact)


# --- the list and its export --------------------------------------------------------------------


def _idea_list(request: HttpRequest) -> tuple[Any, dict[str, Any], Any]:
    _open(request)
    form = forms.StaffFilterForm(request.GET, district=_district(request.user))
    _valid(form)
    filters = form.filters()
    return form, filters, selectors.idea_list_for_user(user=request.user, filters=filters)


def _queues(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """The queue tabs, each keeping the other filters, with the number of ideas waiting. The
    department's staff see only the queues they act on."""
    counts = selectors.queue_counts(user=request.user)
    moderator = permissions.is_moderator(request.user)
    keep = _query(request, "queue")
    tabs = []
    for key, label in forms.QUEUES:
        if key in ("review", "reports") and not moderator:
            continue
        query = "&".join(part for part in (f"queue={key}" if key else "", keep) if part)
        tabs.append(
            {
                "key": key or "all",
                "label": label,
                "count": counts.get(key) if key else None,
                "active": key == current,
                "query": query,
            }
        )
    return tabs


@require_GET
@login_required
@answers_bad_input
def idea_list(request: HttpRequest) -> HttpResponse:
    form, filters, ideas = _idea_list(request)
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "queue": filters["queue"],
        "queues": _queues(request, filters["queue"]),
        "tab": "list",
    }
    if request.htmx:
        return render(request, "ideas/manage/list.html#results", context)
    return _page(request, "ideas/manage/list.html", context)


@require_GET
@login_required
@answers_bad_input
def export(request: HttpRequest) -> HttpResponse:
    _form, _filters, ideas = _idea_list(request)
    user = request.user
    headers = [
        _("No."),
        _("Title"),
        _("Idea"),
        _("Zone"),
        _("Topic"),
        _("Status"),
        _("Hidden"),
        _("Reports to review"),
        _("Department"),
        _("Supports"),
        _("Submitted"),
        _("Published"),
        _("Author's name"),
        _("Phone or e-mail"),
        _("Answer awaiting approval"),
        _("Official answer"),
        _("What will be done"),
        _("To be done by"),
    ]
    whole = _("Whole district")
    rows = (
        (
            idea.pk,
            idea.title,
            idea.body,
            idea.zone.name if idea.zone else whole,
            idea.get_topic_display(),
            idea.get_status_display(),
            _("Yes") if idea.hidden else "",
            idea.open_reports or "",
            idea.department.name if idea.department else "",
            idea.support_count,
            timezone.localtime(idea.submitted_at).date(),
            timezone.localtime(idea.published_at).date() if idea.published_at else None,
            idea.author_name,
            _contact(user, idea),
            _("Yes") if idea.pending_answers else "",
            idea.answer_text,
            idea.adoption_plan,
            idea.adoption_due,
        )
        for idea in ideas[:EXPORT_LIMIT]
    )
    content = write_table(
        title=_("Golden ideas"), headers=headers, rows=rows, sheet=_("Golden ideas")
    )
    return xlsx_response(content, "ideas")


# --- the detail page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form: type[forms.ActionForm]
    run: Callable[[Any, Any, dict[str, Any]], Any]
    done: Any  # the success message (lazy)


def _target(user: Any, pk: Any) -> Any:
    try:
        return selectors.idea_get_for_user(user=user, pk=pk)
    except Http404:
        raise ValidationError({"target": _("There is no idea with this number.")}) from None


ACTIONS: dict[str, Action] = {
    "publish": Action(
        forms.PublishForm,
        lambda user, idea, d: services.idea_publish(idea=idea, by=user),
        gettext_lazy("The idea is published."),
    ),
    "reject": Action(
        forms.RejectForm,
        lambda user, idea, d: services.idea_reject(idea=idea, by=user, reason=d["reason"]),
        gettext_lazy("The idea is not published; the reason was sent to the author."),
    ),
    "assign": Action(
        forms.AssignForm,
        lambda user, idea, d: services.idea_assign(
            idea=idea, by=user, department=d["department"], note=d["note"]
        ),
        gettext_lazy("The idea was given to the department to evaluate."),
    ),
    "answer": Action(
        forms.AnswerForm,
        lambda user, idea, d: services.idea_answer(
            idea=idea,
            by=user,
            text=d["text"],
            outcome=d["outcome"],
            plan=d["plan"],
            due_on=d["due_on"],
        ),
        gettext_lazy("The answer was sent to the district leaders for approval."),
    ),
    "approve-answer": Action(
        forms.ApproveAnswerForm,
        lambda user, idea, d: services.idea_approve_answer(idea=idea, by=user),
        gettext_lazy("The answer is approved and published."),
    ),
    "return-answer": Action(
        forms.ReturnAnswerForm,
        lambda user, idea, d: services.idea_return_answer(idea=idea, by=user, note=d["note"]),
        gettext_lazy("The answer was returned to the department."),
    ),
    "adopt": Action(
        forms.AdoptForm,
        lambda user, idea, d: services.idea_adopt(
            idea=idea, by=user, plan=d["plan"], due_on=d["due_on"], text=d["text"]
        ),
        gettext_lazy("The idea is adopted."),
    ),
    "decline": Action(
        forms.DeclineForm,
        lambda user, idea, d: services.idea_decline(idea=idea, by=user, reason=d["reason"]),
        gettext_lazy("The idea is not adopted; the reason is published."),
    ),
    "mark-duplicate": Action(
        forms.DuplicateForm,
        lambda user, idea, d: services.idea_mark_duplicate(
            idea=idea, by=user, target=_target(user, d["target"]), note=d["note"]
        ),
        gettext_lazy("The idea is marked as a duplicate."),
    ),
    "hide": Action(
        forms.HideForm,
        lambda user, idea, d: services.idea_hide(idea=idea, by=user, reason=d["reason"]),
        gettext_lazy("The idea is hidden from the public."),
    ),
    "restore": Action(
        forms.RestoreForm,
        lambda user, idea, d: services.idea_restore(idea=idea, by=user, note=d["note"]),
        gettext_lazy("The idea is shown again and its reports are closed."),
    ),
    "edit": Action(
        forms.EditForm,
        lambda user, idea, d: services.idea_edit(
            idea=idea, by=user, title=d["title"], body=d["body"], note=d["note"]
        ),
        gettext_lazy("The idea was edited; the original text is kept in the moderation log."),
    ),
    "progress": Action(
        forms.ProgressForm,
        lambda user, idea, d: services.idea_progress(
            idea=idea, by=user, text=d["text"], on=d["on"], done=d["done"]
        ),
        gettext_lazy("The progress was recorded."),
    ),
    "block": Action(
        forms.BlockForm,
        lambda user, idea, d: services.sender_block(
            by=user, idea=idea, reason=d["reason"], until=d["until"], network=d["network"]
        ),
        gettext_lazy("The sender is blocked."),
    ),
}
# why an action that the idea's state allows is still not possible now (as the service says it)
STATUS_LABELS = dict(Status.choices)


def _key(slug: str) -> str:
    """The service's name of the action (services.TRANSITIONS) for its URL slug."""
    return slug.replace("-", "_")


def _may(idea: Any, slug: str, user: Any) -> bool:
    if slug == "block":
        return permissions.can_moderate(user, idea)
    return services.allowed(idea=idea, action=_key(slug), user=user)


def _refusal(idea: Any, slug: str, user: Any) -> Exception:
    """Why `slug` may not be done now: the state (409) before the actor (403), as the service."""
    if slug == "block":
        return PermissionDenied()
    found = services.refusal(idea=idea, action=_key(slug), user=user)
    return found or services.TransitionError(_("This cannot be done now."))


def _form(slug: str, idea: Any, data: Any = None) -> forms.ActionForm:
    cls = ACTIONS[slug].form
    if cls is forms.AssignForm:
        initial = {"department": idea.department_id} if idea.department_id else None
        return forms.AssignForm(
            data, departments=selectors.departments(idea.district), initial=initial
        )
    if cls is forms.EditForm:
        return forms.EditForm(data, initial={"title": idea.title, "body": idea.body})
    if cls is forms.AnswerForm:
        return forms.AnswerForm(data, initial={"outcome": Outcome.REPLY})
    return cls(data)


def _event_label(action: str) -> Any:
    if action == "block":
        return ACTION_LABELS.get("idea_block.create", action)
    return ACTION_LABELS.get(f"idea.{action}", action)


def _timeline(idea: Any) -> list[Any]:
    events = selectors.staff_timeline(idea)
    for e in events:
        e.label = _event_label(e.action)
        e.from_label = STATUS_LABELS.get(e.from_status, e.from_status)
        e.to_label = STATUS_LABELS.get(e.to_status, e.to_status)
        e.is_moderation = e.action in services.MODERATION_ACTIONS
        data = e.data if isinstance(e.data, dict) else {}
        e.before = data.get("before") if e.action == "edit" else None
        e.after = data.get("after") if e.action == "edit" else None
    return events


def _duplicate_candidates(idea: Any) -> list[Any]:
    """Published ideas to point at: the ones most like this idea first, then the latest."""
    similar = [
        i
        for i in selectors.similar_public(
            district=idea.district, text=f"{idea.title} {idea.body}", limit=6
        )
        if i.pk != idea.pk
    ]
    seen = {i.pk for i in similar}
    latest = [
        i for i in selectors.duplicate_targets(idea=idea)[:DUPLICATE_CANDIDATES] if i.pk not in seen
    ]
    return (similar + latest)[:DUPLICATE_CANDIDATES]


def _detail(
    request: HttpRequest,
    idea: Any,
    *,
    bound: forms.ActionForm | None = None,
    open_action: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can = {_key(slug): _may(idea, slug, user) for slug in ACTIONS}
    action_forms = {
        _key(slug): (bound if bound is not None and slug == open_action else _form(slug, idea))
        for slug in ACTIONS
        if can[_key(slug)] or slug == open_action
    }
    answers = selectors.answers(idea)
    events = _timeline(idea)
    context = {
        "idea": idea,
        "contact": _contact(user, idea),
        "contact_in_full": permissions.can_see_contact(user, idea),
        "reports": selectors.open_reports(idea),
        "answers": answers,
        "pending": next((a for a in answers if a.status == AnswerStatus.PENDING), None),
        "progress": selectors.progress(idea),
        "events": events,
        "moderation": [e for e in events if e.is_moderation],
        "can": can,
        "forms": action_forms,
        "other_actions": any(k not in ("approve_answer", "return_answer") for k in action_forms),
        "open_action": _key(open_action),
        "candidates": _duplicate_candidates(idea) if can["mark_duplicate"] else [],
        "is_public": idea.is_public,
        "tab": "list",
    }
    return _page(request, "ideas/manage/detail.html", context, status=status)


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    return _detail(request, selectors.idea_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _open(request)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    user = request.user
    idea = selectors.idea_get_for_user(user=user, pk=pk)
    if not _may(idea, action, user):
        error = _refusal(idea, action, user)
        if isinstance(error, PermissionDenied):
            raise error
        return _conflict(request, error, idea)
    form = _form(action, idea, request.POST)
    if form.is_valid():
        try:
            spec.run(user, idea, form.cleaned_data)
        except (services.TransitionError, services.AlreadyDone) as error:
            return _conflict(request, error, idea)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(spec.done))
            return redirect("ideas:manage-detail", pk=idea.pk)
    idea = selectors.idea_get_for_user(user=user, pk=pk)
    return _detail(request, idea, bound=form, open_action=action, status=400)


# --- statistics ---------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def stats(request: HttpRequest) -> HttpResponse:
    _open(request)
    user = request.user
    form = forms.StatsFilterForm(request.GET)
    since = _valid(form).get("since")
    district = _district(user)
    figures = selectors.idea_stats(
        ideas=selectors.ideas_for_user(user=user), district=district, since=since
    )
    counted = {row["key"]: row["total"] for row in figures["by_status"]}
    figures["all_statuses"] = [
        {"key": value, "name": label, "total": counted.get(value, 0)}
        for value, label in Status.choices
    ]
    pool = selectors.ideas_for_user(user=user)
    if since is not None:
        pool = pool.filter(submitted_at__date__gte=since)
    top = pool.filter(support_count__gt=0).select_related("zone").order_by("-support_count", "-id")
    context = {
        "form": form,
        "figures": figures,
        "since": since,
        "top": top[:TOP_IDEAS],
        "tab": "stats",
    }
    return _page(request, "ideas/manage/stats.html", context)


# --- the block list -----------------------------------------------------------------------------


def _moderator(request: HttpRequest) -> None:
    if not permissions.is_moderator(request.user):
        raise PermissionDenied


@require_GET
@login_required
def blocks(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    found = selectors.blocks_for_user(user=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": timezone.localdate(), "tab": "blocks"}
    return _page(request, "ideas/manage/blocks.html", context)


@require_POST
@login_required
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    block = selectors.block_get_for_user(user=request.user, pk=pk)
    services.sender_unblock(by=request.user, block=block)
    messages.success(request, _("The sender is no longer blocked."))
    return redirect("ideas:blocks")
