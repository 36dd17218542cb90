"""Pages of projects: the pipeline and the lists with their Excel exports, the key-project board
(and its monthly supervision table), the timeline, the overdue lists, the leaders' projects, and
the project page (一项目一档案) with every action. Thin: a form, one service, a redirect or a
page. A state the service refuses is answered 409 with its reason, bad input 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.badinput import BadInput, answers_bad_input
from qifu.core.downloads import xlsx_response
from qifu.core.forms import add_service_errors
from qifu.investment import selectors as investment_selectors
from qifu.lib.money import format_wan
from qifu.lib.xlsx import write_form, write_table
from qifu.projects import forms, permissions, selectors, services
from qifu.projects.models import KeyList, Project, Stage
from qifu.projects.selectors import Colour

PAGE_SIZE = 30
EXPORT_LIMIT = 20000


def _open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _official(request: HttpRequest) -> None:
    if not permissions.can_open_board(request.user):
        raise PermissionDenied


def _creator(request: HttpRequest) -> None:
    user: Any = request.user
    if not permissions.can_create(user, user.org_unit_id):
        raise PermissionDenied


def _filters(form: forms.FilterForm | forms.BoardForm) -> dict[str, Any]:
    if not form.is_valid():
        errors = "；".join(m for msgs in form.errors.values() for m in msgs)
        raise BadInput(_("The filter is not valid: %(errors)s") % {"errors": errors})
    return form.filters() if isinstance(form, forms.FilterForm) else dict(form.cleaned_data)


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


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return _("Yes") if value else ""


def _percent(ratio: Any) -> str:
    return "" if ratio is None else f"{ratio * 100:.1f}%"


# --- the pipeline and the lists -------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def project_list(request: HttpRequest) -> HttpResponse:
    """The pipeline by stage (counts and amounts) over the filtered projects, and the list."""
    _open(request)
    user: Any = request.user
    internal = permissions.sees_internal(user)
    form = forms.FilterForm(request.GET, user=user)
    filters = _filters(form)
    projects = selectors.project_list_for_user(user=user, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    pipeline = None
    if internal:
        pipeline = selectors.pipeline(
            user=user, filters={k: v for k, v in filters.items() if k != "stage"}
        )
        stage_query = request.GET.copy()
        for key in ("stage", "page"):
            stage_query.pop(key, None)
        for row in pipeline:
            row["query"] = stage_query.urlencode()
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "pipeline": pipeline,
        "stage": filters.get("stage", ""),
        "internal": internal,
        "can_create": permissions.can_create(user, user.org_unit_id),
        "tab": "pipeline",
    }
    template = "projects/list.html#results" if request.htmx else "projects/list.html"
    return render(request, template, context)


def _project_rows(projects: Any, internal: bool) -> Any:
    for p in projects:
        yield (
            p.pk,
            p.name,
            p.investor,
            p.enterprise.name if p.enterprise else "",
            p.street.name,
            p.industry_code,
            p.get_stage_display(),
            p.stage_date,
            p.total_investment,
            p.investment_completed,
            _percent(p.completion_ratio),
            p.leader.display_name if p.leader else "",
            p.liaison_leader.display_name if p.liaison_leader else "",
            p.lead_department.name if p.lead_department else "",
            _yes(p.is_key),
            p.key_list.name if p.key_list else "",
            p.expected_start,
            p.actual_start,
            p.production_date,
            p.internal_note if internal else "",
        )


PROJECT_HEADERS = (
    "No.",
    "Project",
    "Investor",
    "Linked enterprise",
    "Street",
    "Industry code",
    "Stage",
    "Stage reached on",
    "Total investment (10k yuan)",
    "Investment completed (10k yuan)",
    "Completed",
    "Responsible leader",
    "Liaison leader",
    "Lead department",
    "Key project",
    "Key project list",
    "Expected start",
    "Construction started",
    "Production started",
    "Internal note",
)


@require_GET
@login_required
@answers_bad_input
def project_export(request: HttpRequest) -> HttpResponse:
    _open(request)
    user: Any = request.user
    form = forms.FilterForm(request.GET, user=user)
    projects = selectors.project_list_for_user(user=user, filters=_filters(form))
    internal = permissions.sees_internal(user)
    headers = [_(h) for h in PROJECT_HEADERS]
    if not internal:
        headers = headers[:-1]
    rows = (
        row if internal else row[:-1] for row in _project_rows(projects[:EXPORT_LIMIT], internal)
    )
    content = write_table(title=_("Projects"), headers=headers, rows=rows, sheet=_("Projects"))
    return xlsx_response(content, "projects")


@require_GET
@login_required
@answers_bad_input
def leader_projects(request: HttpRequest) -> HttpResponse:
    """Each leader's own projects (挂钩): a district leader sees their own by default."""
    _official(request)
    user: Any = request.user
    form = forms.FilterForm(request.GET, user=user)
    filters = _filters(form)
    if "leader" not in filters and user.role == "district_leader":
        filters["leader"] = user.pk
    chosen = form.cleaned_data.get("leader") or (user if filters.get("leader") == user.pk else None)
    projects = (
        selectors.project_list_for_user(user=user, filters=filters)
        if filters.get("leader")
        else Project.objects.none()
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    if chosen is not None:
        query["leader"] = str(chosen.pk)
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "leader": chosen,
        "query": query.urlencode(),
        "internal": True,
        "tab": "leaders",
    }
    return render(request, "projects/leaders.html", context)


# --- creating and editing -------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "error": error, "tab": "pipeline"}
    return render(request, "projects/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    _creator(request)
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, user=request.user)
    if data is not None and form.is_valid():
        try:
            project = services.project_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been created."))
            return redirect("projects:detail", pk=project.pk)
    back = "projects:index"
    return _form_page(
        request, form, title=_("New project"), back=back, status=400 if data is not None else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_from_lead(request: HttpRequest, lead_pk: int) -> HttpResponse:
    """Open a project from an investment lead: the lead's data fill the form."""
    _creator(request)
    lead = investment_selectors.lead_get_for_user(user=request.user, pk=lead_pk)
    data = request.POST if request.method == "POST" else None
    initial = {
        "name": lead.title,
        "investor": lead.investor,
        "total_investment": lead.amount,
        "street": lead.preferred_street_id,
        "source_channel": lead.channel_id,
    }
    form = forms.ProjectForm(data, user=request.user, initial=initial)
    title = _("New project from the lead %(investor)s") % {"investor": lead.investor}
    if data is not None and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            project = services.project_from_lead(by=request.user, lead=lead, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.TransitionError as error:
            return _form_page(
                request, form, title=title, back="projects:index", status=409, error=str(error)
            )
        else:
            messages.success(request, _("The project has been opened from the lead."))
            return redirect("projects:detail", pk=project.pk)
    return _form_page(
        request, form, title=title, back="projects:index", status=400 if data is not None else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    project = selectors.project_get_for_user(user=request.user, pk=pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, instance=project, user=request.user)
    if data is not None and form.is_valid():
        try:
            services.project_update(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("projects:detail", pk=project.pk)
    return _form_page(
        request,
        form,
        title=_("Edit project"),
        back="projects:index",
        status=400 if data is not None else 200,
    )


# --- the project page -----------------------------------------------------------------------------


def _gantt(rows: list[tuple[Project, list[tuple[Any, str]]]]) -> dict[str, Any]:
    """The timeline's data: one line per milestone, planned against actual (or forecast)."""
    items = []
    for project, milestones in rows:
        for m, colour in milestones:
            items.append(
                {
                    "project": project.name,
                    "name": m.name,
                    "planned": _day(m.planned),
                    "forecast": _day(m.forecast),
                    "actual": _day(m.actual),
                    "colour": colour,
                }
            )
    return {
        "items": items,
        "today": timezone.localdate().isoformat(),
        "labels": {
            "planned": _("Planned"),
            "forecast": _("Forecast"),
            "actual": _("Actual"),
            **{k: str(v) for k, v in Colour.LABELS.items()},
        },
    }


def _project_page(
    request: HttpRequest, project: Project, *, status: int = 200, error: str = ""
) -> HttpResponse:
    user: Any = request.user
    internal = permissions.sees_internal(user)
    manage = permissions.can_manage(user, project)
    obstacles = selectors.obstacles_for_user(user=user, project=project)
    for o in obstacles:
        o.project = project
        o.can_handle = permissions.can_handle_obstacle(user, o)  # type: ignore[attr-defined]
    tasks = list(selectors.tasks_for_user(user=user, filters={"project": project.pk}))
    for t in tasks:
        t.project = project
        t.can_handle = permissions.can_handle_task(user, t)  # type: ignore[attr-defined]
    meetings = {t.meeting.pk: t.meeting for t in tasks if t.meeting is not None}
    timetable = selectors.timetable_for_user(user=user, project=project)
    approved = project.plan_approved_at is not None
    allowed = services.allowed_stages(project) if manage else []
    context = {
        "project": project,
        "error": error,
        "internal": internal,
        "can_manage": manage,
        "can_approve": permissions.can_approve_plan(user, project) and not approved,
        "can_upload": permissions.can_upload(user, project),
        "can_inspect": project.is_key and permissions.can_submit_inspection(user, project),
        "can_meet": project.key_list is not None
        and permissions.can_record_meeting(user, project.key_list),
        "approved": approved,
        "history": selectors.stage_history_for_user(user=user, project=project),
        "dates": list(project.dates.all()),
        "obstacles": obstacles,
        "inspections": list(selectors.inspections_for_user(user=user, project=project)),
        "tasks": tasks,
        "meetings": sorted(meetings.values(), key=lambda m: m.date, reverse=True),
        "timetable": timetable,
        "colour": selectors.worst_colour([c for _m, c in timetable]),
        "colours": Colour.LABELS,
        "documents": list(selectors.documents_for_user(user=user, project=project)),
        "gantt": _gantt([(project, timetable)]),
        "allowed": allowed,
        "stage_form": forms.StageForm(allowed=allowed) if allowed else None,
        "date_form": forms.DateForm() if manage else None,
        "obstacle_form": forms.ObstacleForm(user=user) if manage else None,
        "inspection_form": forms.InspectionForm(),
        "task_form": forms.TaskForm(user=user) if manage else None,
        "milestone_form": forms.MilestoneForm() if manage and not approved else None,
        "document_form": forms.DocumentForm(internal=internal),
        "tab": "pipeline",
    }
    return render(request, "projects/detail.html", context, status=status)


@require_GET
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _open(request)
    return _project_page(request, selectors.project_get_for_user(user=request.user, pk=pk))


def _run(action: str, request: HttpRequest, project: Project) -> str:
    user, post = request.user, request.POST
    if action == "stage":
        form = forms.StageForm(post)
        d = _valid(form)
        services.stage_change(
            by=user,
            project=project,
            stage=d["stage"],
            date=d["date"],
            note=d["note"],
            signing=form.signing(),
            reason=d["reason"],
        )
        return _("The stage has been changed.")
    if action == "date":
        d = _valid(forms.DateForm(post))
        services.project_date_record(by=user, project=project, **d)
        return _("The date has been recorded.")
    if action == "obstacle":
        d = _valid(forms.ObstacleForm(post, user=user))
        services.obstacle_add(by=user, project=project, **d)
        return _("The obstacle has been recorded.")
    if action == "inspection":
        d = _valid(forms.InspectionForm(post))
        services.inspection_submit(
            by=user, project=project, photos=request.FILES.getlist("photos"), **d
        )
        return _("The monthly inspection report has been submitted.")
    if action == "task":
        d = _valid(forms.TaskForm(post, user=user))
        services.task_add(by=user, project=project, **d)
        return _("The task has been added.")
    if action == "milestone":
        d = _valid(forms.MilestoneForm(post))
        services.milestone_add(by=user, project=project, **d)
        return _("The milestone has been added.")
    if action == "approve-plan":
        services.milestone_plan_approve(by=user, project=project)
        return _("The timetable has been approved; its planned dates are fixed.")
    if action == "upload":
        d = _valid(
            forms.DocumentForm(post, request.FILES, internal=permissions.sees_internal(user))
        )
        services.document_upload(by=user, project=project, **d)
        return _("The file has been added to the archive.")
    raise Http404


@require_POST
@login_required
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _open(request)
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    try:
        message = _run(action, request, project)
    except services.TransitionError as error:
        return _project_page(request, project, status=409, error=str(error))
    except ValidationError as error:
        return _project_page(request, project, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("projects:detail", pk=pk)


def _item(request: HttpRequest, project: Project, kind: str, item: int) -> Any:
    """An obstacle, task or milestone of the project that the user sees, else 404."""
    user = request.user
    found: Any = None
    if kind == "obstacles":
        found = next(
            (o for o in selectors.obstacles_for_user(user=user, project=project) if o.pk == item),
            None,
        )
    elif kind == "tasks":
        found = (
            selectors.tasks_for_user(user=user, filters={"project": project.pk})
            .filter(pk=item)
            .first()
        )
    elif kind == "milestones":
        found = next(
            (
                m
                for m, _c in selectors.timetable_for_user(user=user, project=project)
                if m.pk == item
            ),
            None,
        )
    if found is None:
        raise Http404
    return found


def _run_item(kind: str, action: str, request: HttpRequest, obj: Any) -> str:
    user, post = request.user, request.POST
    if kind == "obstacles":
        if action == "resolve":
            d = _valid(forms.ResolveForm(post))
            services.obstacle_resolve(by=user, obstacle=obj, **d)
            return _("The obstacle has been resolved.")
        if action == "status":
            d = _valid(forms.ObstacleStatusForm(post))
            services.obstacle_update(by=user, obstacle=obj, status=d["status"])
            return _("The obstacle has been updated.")
        if action == "raise-appeal":
            appeal = services.obstacle_raise_appeal(by=user, obstacle=obj)
            return _("The obstacle has been raised as the appeal %(number)s.") % {
                "number": appeal.number
            }
    if kind == "tasks":
        if action == "update":
            d = _valid(forms.TaskUpdateForm(post))
            values = {k: v for k, v in d.items() if v not in (None, "")}
            services.task_update(by=user, task=obj, **values)
            return _("The task has been updated.")
        if action == "complete":
            d = _valid(forms.TaskCompleteForm(post))
            services.task_complete(by=user, task=obj, **d)
            return _("The task has been completed.")
    if kind == "milestones":
        d = _valid(forms.MilestoneDateForm(post))
        if action == "plan":
            services.milestone_plan(by=user, milestone=obj, planned=d["date"])
        elif action == "forecast":
            services.milestone_forecast(by=user, milestone=obj, forecast=d["date"])
        elif action == "actual":
            services.milestone_actual(by=user, milestone=obj, actual=d["date"])
        else:
            raise Http404
        return _("The milestone has been updated.")
    raise Http404


@require_POST
@login_required
def item_action(request: HttpRequest, pk: int, kind: str, item: int, action: str) -> HttpResponse:
    _open(request)
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    obj = _item(request, project, kind, item)
    try:
        message = _run_item(kind, action, request, obj)
    except services.TransitionError as error:
        return _project_page(request, project, status=409, error=str(error))
    except ValidationError as error:
        return _project_page(request, project, status=400, error=_errors(error))
    messages.success(request, message)
    return redirect("projects:detail", pk=pk)


@require_GET
@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    _open(request)
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=document.name, content_type=document.content_type
    )


# --- the key-project board, the timeline, meetings ------------------------------------------------


def _board(request: HttpRequest, *, shown: bool = False) -> tuple[forms.BoardForm, Any]:
    """The board asked for (?key_list=, ?month=), or None when the user has no list."""
    form = forms.BoardForm(request.GET, user=request.user)
    chosen = _filters(form)
    key_list = chosen.get("key_list") or selectors.key_lists_for_user(user=request.user).first()
    if key_list is None:
        return form, None
    if shown and (not request.GET.get("key_list") or not request.GET.get("month")):
        # the page shows the list and month the board defaulted to
        shown = request.GET.copy()
        shown["key_list"], shown["month"] = str(key_list.pk), str(chosen["month"])
        form = forms.BoardForm(shown, user=request.user)
        form.is_valid()
    board = selectors.key_board(
        user=request.user, key_list=key_list, month=chosen["month"], filters=form.project_filters()
    )
    return form, board


@require_GET
@login_required
@answers_bad_input
def key_board(request: HttpRequest) -> HttpResponse:
    _official(request)
    user: Any = request.user
    form, board = _board(request, shown=True)
    show = form.cleaned_data.get("show") or ""
    rows = [r for r in board.rows if not show or getattr(r, show)] if board is not None else []
    shows = []
    for key, label in forms.BOARD_SHOWS:
        query = request.GET.copy()
        query.pop("show", None)
        if key:
            query["show"] = key
        shows.append({"key": key, "label": label, "query": query.urlencode()})
    context = {
        "form": form,
        "board": board,
        "rows": rows,
        "show": show,
        "shows": shows,
        "colours": Colour.LABELS,
        "query": _query(request),
        "can_create_list": permissions.is_pipeline_staff(user, user.org_unit_id),
        "list_form": forms.KeyListForm(initial={"year": timezone.localdate().year}),
        "can_meet": board is not None and permissions.can_record_meeting(user, board.key_list),
        "tab": "board",
    }
    return render(request, "projects/board.html", context)


@require_GET
@login_required
@answers_bad_input
def key_board_export(request: HttpRequest) -> HttpResponse:
    """The monthly supervision table (月督查通报) of the board, in the office's two-row shape."""
    _official(request)
    _form, board = _board(request)
    if board is None:
        raise BadInput(_("There is no key project list yet."))
    rows = []
    for number, r in enumerate(board.rows, start=1):
        p = r.project
        rows.append(
            (
                number,
                p.name,
                p.street.name,
                p.lead_department.name if p.lead_department else "",
                p.leader.display_name if p.leader else "",
                p.get_stage_display(),
                p.total_investment,
                r.cumulative,
                _percent(r.ratio),
                _yes(r.started),
                _yes(r.past_30),
                _yes(r.ahead),
                str(Colour.LABELS[r.colour]) if r.colour else "",
                _("Reported") if r.reported else _("Missing"),
            )
        )
    title = _("%(list)s monthly supervision report, %(month)s") % {
        "list": board.key_list.name,
        "month": board.month.label,
    }
    notes = [
        _(
            "Key projects: %(total)s; started: %(started)s; past 30%% of the investment: "
            "%(past)s; ahead of plan: %(ahead)s."
        )
        % {
            "total": board.total,
            "started": board.started,
            "past": board.past_30,
            "ahead": board.ahead,
        },
        _("Completed %(done)s of %(total)s (%(ratio)s).")
        % {
            "done": format_wan(board.completed),
            "total": format_wan(board.total_investment),
            "ratio": _percent(board.ratio),
        },
    ]
    content = write_form(
        title=title,
        groups=[
            (
                _("Project"),
                [_("No."), _("Project"), _("Street"), _("Lead department"), _("Leader")],
            ),
            (
                _("Investment (10k yuan)"),
                [_("Stage"), _("Total investment"), _("Completed to date"), _("Completed")],
            ),
            (
                _("Supervision"),
                [_("Started"), _("Past 30%"), _("Ahead of plan"), _("Colour"), _("Monthly report")],
            ),
        ],
        rows=rows,
        notes=notes,
        sheet=_("Monthly supervision"),
    )
    return xlsx_response(content, f"projects-supervision-{board.month}")


@require_POST
@login_required
def key_list_new(request: HttpRequest) -> HttpResponse:
    _official(request)
    user: Any = request.user
    if not permissions.is_pipeline_staff(user, user.org_unit_id):
        raise PermissionDenied
    form = forms.KeyListForm(request.POST)
    if not form.is_valid():
        return render(request, "errors/400.html", {"message": form.errors.as_text()}, status=400)
    try:
        key_list = services.key_list_create(by=user, district=user.org_unit, **form.cleaned_data)
    except ValidationError as error:
        return render(request, "errors/400.html", {"message": _errors(error)}, status=400)
    messages.success(request, _("The key project list has been created."))
    return redirect(f"{reverse('projects:board')}?key_list={key_list.pk}")


def _key_list(request: HttpRequest, pk: int) -> KeyList:
    try:
        return selectors.key_lists_for_user(user=request.user).get(pk=pk)
    except KeyList.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A quarterly scheduling meeting (季调度) of a key list; each decision becomes a task."""
    _official(request)
    key_list = _key_list(request, pk)
    if not permissions.can_record_meeting(request.user, key_list):
        raise PermissionDenied
    projects = list(
        selectors.project_list_for_user(user=request.user, filters={"key_list": key_list.pk})
        .exclude(stage=Stage.TERMINATED)
        .order_by("name", "id")
    )
    data = request.POST if request.method == "POST" else None
    form = forms.MeetingForm(
        data,
        request.FILES or None,
        user=request.user,
        projects=projects,
        initial={"date": timezone.localdate()},
    )
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_record(
                by=request.user,
                key_list=key_list,
                title=d["title"],
                date=d["date"],
                attendees=d["attendees"],
                place=d["place"],
                decisions=form.decisions(),
                minutes=d["minutes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been recorded; its decisions are tasks."))
            return redirect(f"{reverse('projects:board')}?key_list={key_list.pk}")
    context = {"form": form, "key_list": key_list, "tab": "board"}
    return render(
        request, "projects/meeting.html", context, status=400 if data is not None else 200
    )


@require_GET
@login_required
@answers_bad_input
def timeline(request: HttpRequest) -> HttpResponse:
    """The key projects' milestones, planned against actual (Gantt-style)."""
    _official(request)
    form, board = _board(request)
    rows = [(r.project, r.milestones) for r in board.rows] if board is not None else []
    context = {
        "form": form,
        "board": board,
        "rows": rows,
        "gantt": _gantt(rows),
        "colours": Colour.LABELS,
        "tab": "timeline",
    }
    return render(request, "projects/timeline.html", context)


# --- overdue tasks and milestones -----------------------------------------------------------------


OVERDUE_KINDS = ("tasks", "milestones")
OVERDUE_ROWS = 500


def _overdue_filters(request: HttpRequest) -> dict[str, Any]:
    """The street and zone (?street=, ?zone= codes, as the project list's) of the overdue lists."""
    filters = _filters(forms.FilterForm(request.GET, user=request.user))
    return {k: v for k, v in filters.items() if k in ("street", "zone")}


@require_GET
@login_required
@answers_bad_input
def overdue(request: HttpRequest) -> HttpResponse:
    """The overdue tasks and milestones; ?kind= shows one of the two lists only."""
    _official(request)
    user = request.user
    kind = request.GET.get("kind", "")
    if kind and kind not in OVERDUE_KINDS:
        raise BadInput(_("The list is not valid: choose tasks or milestones."))
    filters = _overdue_filters(request)
    context: dict[str, Any] = {"kind": kind, "query": _query(request), "tab": "overdue"}
    for name, found in (
        ("tasks", selectors.overdue_tasks(user=user, filters=filters)),
        ("milestones", selectors.overdue_milestones(user=user, filters=filters)),
    ):
        if kind and kind != name:
            continue
        rows = list(found[:OVERDUE_ROWS])
        context[name] = rows
        context[f"{name}_count"] = len(rows) if len(rows) < OVERDUE_ROWS else found.count()
    return render(request, "projects/overdue.html", context)


@require_GET
@login_required
@answers_bad_input
def overdue_export(request: HttpRequest, kind: str) -> HttpResponse:
    _official(request)
    user = request.user
    today = timezone.localdate()
    filters = _overdue_filters(request)
    if kind == "tasks":
        tasks = selectors.overdue_tasks(user=user, filters=filters)[:EXPORT_LIMIT]
        content = write_table(
            title=_("Overdue tasks"),
            headers=[
                _("Project"),
                _("Task"),
                _("Owner department"),
                _("Due"),
                _("Days overdue"),
                _("Status"),
                _("Decided at"),
            ],
            rows=(
                (
                    t.project.name,
                    t.what,
                    t.department.name,
                    t.due,
                    (today - t.due).days,
                    t.get_status_display(),
                    t.meeting.title if t.meeting else "",
                )
                for t in tasks
            ),
            sheet=_("Tasks"),
        )
    elif kind == "milestones":
        milestones = selectors.overdue_milestones(user=user, filters=filters)[:EXPORT_LIMIT]
        content = write_table(
            title=_("Overdue milestones"),
            headers=[_("Project"), _("Milestone"), _("Planned"), _("Forecast"), _("Days overdue")],
            rows=(
                (
                    m.project.name,
                    m.name,
                    m.planned,
                    m.forecast,
                    (today - (m.planned or m.forecast)).days if (m.planned or m.forecast) else "",
                )
                for m in milestones
            ),
            sheet=_("Milestones"),
        )
    else:
        raise Http404
    return xlsx_response(content, f"projects-overdue-{kind}")
