"""Scoped reads of projects: lists, one project, the pipeline, the key-project board, missing
inspections, the timetable's colours, overdue tasks and milestones, the archive.

Scope (`projects_for_user`): the district's investment staff and leaders see the district's
projects (a city-level official: every district below); department staff the projects their
department leads, or where it is responsible for an obstacle or owns a task; street staff their
street's projects; an enterprise user the projects linked to its enterprise, without internal
notes; everyone else none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qifu.accounts import scope
from qifu.accounts.models import Role
from qifu.core import workdays
from qifu.projects import permissions
from qifu.projects.models import (
    STAGE_ORDER,
    Document,
    Inspection,
    KeyList,
    Milestone,
    Obstacle,
    ObstacleStatus,
    Project,
    Stage,
    StageEvent,
    Task,
    TaskStatus,
)
from qifu.stats.periods import Period

ZERO = Decimal("0")
PAST_SHARE = Decimal("0.3")  # "past 30% of the total investment": 30% and more (30%以上)
YELLOW_WORKING_DAYS = 2


class Colour:
    """The four colours of the timetable (时间表)."""

    GREEN = "green"  # done
    BLUE = "blue"  # on track
    YELLOW = "yellow"  # due within 2 working days
    RED = "red"  # overdue

    LABELS = {
        GREEN: _("Done"),
        BLUE: _("On track"),
        YELLOW: _("Due within 2 working days"),
        RED: _("Overdue"),
    }
    # the worst first: a project shows the colour of its worst milestone
    SEVERITY = (RED, YELLOW, BLUE, GREEN)


def _today() -> dt.date:
    return timezone.localdate()


# --- scope ----------------------------------------------------------------------------------------


def projects_for_user(*, user: Any) -> QuerySet[Project]:
    """Every project the user may see, nothing else."""
    s = scope.scope_for(user)
    if s.role == Role.ENTERPRISE_USER:
        if s.enterprise_id is None:
            return Project.objects.none()
        return Project.objects.filter(enterprise_id=s.enterprise_id)
    if s.org_unit is None:
        return Project.objects.none()
    in_unit = Q(street__path__startswith=s.org_unit.path)
    if s.role in (Role.INVESTMENT_STAFF, Role.DISTRICT_LEADER, Role.STREET_STAFF):
        return Project.objects.filter(in_unit)
    if s.role == Role.DEPARTMENT_STAFF and s.department_id is not None:
        department = s.department_id
        involved = Project.objects.filter(
            Q(lead_department_id=department)
            | Q(obstacles__department_id=department)
            | Q(tasks__department_id=department)
        ).values("pk")
        return Project.objects.filter(in_unit, pk__in=involved)
    return Project.objects.none()


def key_lists_for_user(*, user: Any) -> QuerySet[KeyList]:
    """The key project lists of the districts whose projects the user's role sees in full."""
    s = scope.scope_for(user)
    if s.role not in (Role.INVESTMENT_STAFF, Role.DISTRICT_LEADER, Role.DEPARTMENT_STAFF):
        return KeyList.objects.none()
    if s.org_unit is None:
        return KeyList.objects.none()
    return KeyList.objects.filter(district__path__startswith=s.org_unit.path)


def _listing(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related(
        "street", "enterprise", "leader", "liaison_leader", "lead_department", "key_list"
    )


def project_list_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Project]:
    """The projects in scope, filtered: stage, street (code), zone (code), industry (code
    prefix), is_key, key_list (id), leader (id), department (code), channel (id), search (name or
    investor), obstacle_department / task_department (code: projects with an obstacle not yet
    resolved, or a task not done, that the department owns)."""
    return _listing(_filtered(projects_for_user(user=user), filters or {})).order_by(
        "-created_at", "-id"
    )


def _filtered(qs: QuerySet[Project], filters: dict[str, Any]) -> QuerySet[Project]:
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("street"):
        qs = qs.filter(street__code=filters["street"])
    if filters.get("zone"):
        qs = qs.filter(street__zone__code=filters["zone"])
    if filters.get("obstacle_department"):
        waiting = Obstacle.objects.filter(department__code=filters["obstacle_department"]).exclude(
            status=ObstacleStatus.RESOLVED
        )
        qs = qs.filter(pk__in=waiting.values("project_id"))
    if filters.get("task_department"):
        waiting_tasks = Task.objects.filter(department__code=filters["task_department"]).exclude(
            status=TaskStatus.DONE
        )
        qs = qs.filter(pk__in=waiting_tasks.values("project_id"))
    if filters.get("industry"):
        qs = qs.filter(industry_code__startswith=str(filters["industry"]))
    if filters.get("is_key") in (True, False):
        qs = qs.filter(is_key=filters["is_key"])
    if filters.get("key_list"):
        qs = qs.filter(key_list_id=filters["key_list"])
    if filters.get("leader"):
        qs = qs.filter(leader_id=filters["leader"])
    if filters.get("department"):
        qs = qs.filter(lead_department__code=filters["department"])
    if filters.get("channel"):
        qs = qs.filter(source_channel_id=filters["channel"])
    if filters.get("search"):
        text = str(filters["search"]).strip()
        qs = qs.filter(Q(name__icontains=text) | Q(investor__icontains=text))
    return qs


def _hide_internal(user: Any, project: Project) -> Project:
    """An enterprise user's copy of the project carries no internal note."""
    if not permissions.sees_internal(user):
        project.internal_note = ""
    return project


def project_get_for_user(*, user: Any, pk: Any, for_write: bool = False) -> Project:
    """The project if the user may see it (and with `for_write`, manage it), else 404."""
    try:
        project = _listing(projects_for_user(user=user)).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_write and not permissions.can_manage(user, project):
        raise Http404
    return _hide_internal(user, project)


def stage_history_for_user(*, user: Any, project: Project) -> list[StageEvent]:
    """The stage changes, oldest first; an enterprise user gets them without the notes."""
    events = list(
        StageEvent.objects.filter(project=project, project__in=projects_for_user(user=user))
        .select_related("actor")
        .order_by("date", "id")
    )
    if not permissions.sees_internal(user):
        for event in events:
            event.note = ""
    return events


def obstacles_for_user(*, user: Any, project: Project) -> list[Obstacle]:
    obstacles = list(
        Obstacle.objects.filter(project=project, project__in=projects_for_user(user=user))
        .select_related("department", "appeal")
        .order_by("created_at", "id")
    )
    if not permissions.sees_internal(user):
        for obstacle in obstacles:
            obstacle.internal_note = ""
    return obstacles


def obstacles_waiting_for(*, user: Any, department: Any) -> QuerySet[Obstacle]:
    """The obstacles not yet resolved that `department` is responsible for, of the projects in
    the user's scope, soonest deadline first (the department's inbox)."""
    if not permissions.sees_internal(user):
        return Obstacle.objects.none()
    return (
        Obstacle.objects.filter(project__in=projects_for_user(user=user), department=department)
        .exclude(status=ObstacleStatus.RESOLVED)
        .select_related("project", "department")
        .order_by(F("deadline").asc(nulls_last=True), "created_at", "id")
    )


def obstacle_for_appeal(*, user: Any, appeal: Any) -> Obstacle | None:
    """The project obstacle an appeal was raised from, if the user may see that project."""
    return (
        Obstacle.objects.filter(appeal=appeal, project__in=projects_for_user(user=user))
        .select_related("project")
        .first()
    )


# --- the pipeline ---------------------------------------------------------------------------------


def pipeline(*, user: Any, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Count, total investment and investment completed by stage, every stage in order (zero
    rows included), over the projects in scope that match `filters`. One query."""
    rows = {
        row["stage"]: row
        for row in _filtered(projects_for_user(user=user), filters or {})
        .order_by()
        .values("stage")
        .annotate(
            count=Count("pk"),
            total_investment=Sum("total_investment"),
            investment_completed=Sum("investment_completed"),
        )
    }
    result = []
    for stage in (*STAGE_ORDER, Stage.PAUSED, Stage.TERMINATED):
        row = rows.get(stage, {})
        result.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "count": row.get("count", 0),
                "total_investment": row.get("total_investment") or ZERO,
                "investment_completed": row.get("investment_completed") or ZERO,
            }
        )
    return result


# --- the timetable's colours ----------------------------------------------------------------------


def milestone_due(milestone: Milestone) -> dt.date | None:
    """The date a milestone is held to: its planned date, or while there is none its forecast."""
    return milestone.planned or milestone.forecast


def milestone_colour(milestone: Milestone, today: dt.date | None = None) -> str:
    """Green: reached. Red: its date has passed. Yellow: due within 2 working days (counted on
    the official calendar, so a due date just after a holiday turns yellow early). Blue: on
    track (also a milestone without any date yet)."""
    if milestone.actual is not None:
        return Colour.GREEN
    today = today or _today()
    due = milestone_due(milestone)
    if due is None:
        return Colour.BLUE
    if due < today:
        return Colour.RED
    if workdays.working_days_between(today, due) <= YELLOW_WORKING_DAYS:
        return Colour.YELLOW
    return Colour.BLUE


def worst_colour(colours: list[str]) -> str | None:
    for colour in Colour.SEVERITY:
        if colour in colours:
            return colour
    return None


def is_ahead_of_plan(milestones: list[Milestone]) -> bool:
    """The completion milestone is reached, or forecast, before its planned date."""
    for m in milestones:
        if m.is_completion and m.planned is not None:
            expected = m.actual or m.forecast
            return expected is not None and expected < m.planned
    return False


# --- the key-project board ------------------------------------------------------------------------


@dataclass
class BoardRow:
    project: Project
    cumulative: Decimal
    ratio: Decimal | None
    started: bool
    past_30: bool
    ahead: bool
    reported: bool
    colour: str | None
    milestones: list[tuple[Milestone, str]] = field(default_factory=list)


@dataclass
class KeyBoard:
    key_list: KeyList
    month: Period
    rows: list[BoardRow]
    total: int
    started: int
    past_30: int
    ahead: int
    total_investment: Decimal
    completed: Decimal
    ratio: Decimal | None
    missing: list[Project]


def _month_end(period: Period) -> dt.date:
    return period.shift(1).first_day - dt.timedelta(days=1)


def _expects_report(project: Project, period: Period) -> bool:
    """A key project reports every month until it is terminated or in production before it."""
    if project.stage == Stage.TERMINATED:
        return False
    return not (project.production_date and project.production_date < period.first_day)


def key_board(
    *,
    user: Any,
    key_list: KeyList,
    month: Any,
    today: dt.date | None = None,
    filters: dict[str, Any] | None = None,
) -> KeyBoard:
    """The board of a key project list for `month` (YYYYMM): how many projects have started
    (construction began by the month's end), how many have completed 30% or more of their total
    investment (the cumulative figure of the latest report up to the month), how many will complete
    ahead of plan, the completion of the whole list, each project's colour (its worst milestone
    today) and the projects whose report for the month is missing. `filters` as the project
    list's (e.g. street, zone) narrow the projects of the list. Two queries."""
    period = Period.parse(month)
    today = today or _today()
    latest = (
        Inspection.objects.filter(project=OuterRef("pk"), month__lte=str(period))
        .order_by("-month")
        .values("cumulative_investment")[:1]
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    projects = list(
        _filtered(projects_for_user(user=user), filters or {})
        .filter(key_list=key_list)
        .select_related("street", "enterprise", "lead_department", "leader")
        .annotate(
            cumulative=Coalesce(
                Subquery(latest, output_field=money), Value(ZERO), output_field=money
            ),
            reported=Exists(Inspection.objects.filter(project=OuterRef("pk"), month=str(period))),
        )
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("sort_order", "id"))
        )
        .order_by("name", "id")
    )
    month_end = _month_end(period)
    rows: list[BoardRow] = []
    for project in projects:
        _hide_internal(user, project)
        cumulative: Decimal = project.cumulative
        total = project.total_investment
        ratio = cumulative / total if total else None
        milestones = list(project.milestones.all())
        coloured = [(m, milestone_colour(m, today)) for m in milestones]
        rows.append(
            BoardRow(
                project=project,
                cumulative=cumulative,
                ratio=ratio,
                started=project.actual_start is not None and project.actual_start <= month_end,
                past_30=ratio is not None and ratio >= PAST_SHARE,
                ahead=is_ahead_of_plan(milestones),
                reported=bool(project.reported),
                colour=worst_colour([c for _m, c in coloured]),
                milestones=coloured,
            )
        )
    total_investment = sum((r.project.total_investment for r in rows), ZERO)
    completed = sum((r.cumulative for r in rows), ZERO)
    return KeyBoard(
        key_list=key_list,
        month=period,
        rows=rows,
        total=len(rows),
        started=sum(r.started for r in rows),
        past_30=sum(r.past_30 for r in rows),
        ahead=sum(r.ahead for r in rows),
        total_investment=total_investment,
        completed=completed,
        ratio=completed / total_investment if total_investment else None,
        missing=[r.project for r in rows if not r.reported and _expects_report(r.project, period)],
    )


def missing_inspections(*, key_list: KeyList, month: Any, user: Any = None) -> QuerySet[Project]:
    """The key projects of the list whose report for `month` is missing (those terminated, or in
    production before the month, report no more). Scoped to `user` when given; without a user
    (the periodic reminder job) the whole list."""
    period = Period.parse(month)
    base = projects_for_user(user=user) if user is not None else Project.objects.all()
    return (
        base.filter(key_list=key_list)
        .exclude(stage=Stage.TERMINATED)
        .exclude(production_date__lt=period.first_day)
        .exclude(Exists(Inspection.objects.filter(project=OuterRef("pk"), month=str(period))))
        .select_related("lead_department", "street")
        .order_by("name", "id")
    )


def inspections_for_user(*, user: Any, project: Project) -> QuerySet[Inspection]:
    if not permissions.sees_internal(user):
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(project=project, project__in=projects_for_user(user=user))
        .select_related("department", "submitted_by")
        .prefetch_related("documents")
        .order_by("-month")
    )


# --- tasks and milestones -------------------------------------------------------------------------


def tasks_for_user(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Task]:
    """The task list (任务单) of the projects in scope; officials only. Filters: project (id),
    meeting (id), department (code), status, open (not done)."""
    if not permissions.sees_internal(user):
        return Task.objects.none()
    filters = filters or {}
    qs = Task.objects.filter(project__in=projects_for_user(user=user))
    if filters.get("project"):
        qs = qs.filter(project_id=filters["project"])
    if filters.get("meeting"):
        qs = qs.filter(meeting_id=filters["meeting"])
    if filters.get("department"):
        qs = qs.filter(department__code=filters["department"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("open"):
        qs = qs.exclude(status=TaskStatus.DONE)
    return qs.select_related("project", "department", "meeting").order_by("due", "id")


def overdue_tasks(
    *, user: Any, today: dt.date | None = None, filters: dict[str, Any] | None = None
) -> QuerySet[Task]:
    """Tasks not done whose due date has passed, of the projects in scope that match `filters`
    (as the project list's, e.g. street, zone)."""
    today = today or _today()
    qs = tasks_for_user(user=user, filters={"open": True}).filter(due__lt=today)
    if filters:
        qs = qs.filter(project__in=_filtered(projects_for_user(user=user), filters))
    return qs


def overdue_milestones(
    *, user: Any, today: dt.date | None = None, filters: dict[str, Any] | None = None
) -> QuerySet[Milestone]:
    """Milestones not reached whose date (planned, else forecast) has passed: the red ones, of
    the projects in scope that match `filters` (as the project list's, e.g. street, zone)."""
    today = today or _today()
    projects = _filtered(projects_for_user(user=user), filters or {})
    return (
        Milestone.objects.filter(project__in=projects, actual__isnull=True)
        .filter(Q(planned__lt=today) | Q(planned__isnull=True, forecast__lt=today))
        .select_related("project")
        .order_by("planned", "forecast", "id")
    )


def timetable_for_user(
    *, user: Any, project: Project, today: dt.date | None = None
) -> list[tuple[Milestone, str]]:
    """The project's milestones in order, each with its colour."""
    today = today or _today()
    milestones = Milestone.objects.filter(
        project=project, project__in=projects_for_user(user=user)
    ).order_by("sort_order", "id")
    return [(m, milestone_colour(m, today)) for m in milestones]


# --- the command centre ---------------------------------------------------------------------------


@dataclass
class DashboardFigures:
    """The command centre's project figures (`dashboard_figures`)."""

    pipeline: list[dict[str, Any]]  # as `pipeline`, the main line's stages only
    board: KeyBoard | None  # the key project list of the period (None: the user has none)
    overdue_milestones: int


def dashboard_figures(
    *,
    user: Any,
    last_day: dt.date,
    filters: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> DashboardFigures:
    """For the command centre, over the projects in the user's scope that match `filters` (as
    the project list's, e.g. street, zone): the pipeline by stage (now: stages are not dated), the
    board of the latest key project list up to `last_day`'s year for the month of `last_day` (or
    this month, when that is earlier), and the overdue milestones (now). A fixed number of
    queries."""
    today = today or _today()
    filters = filters or {}
    rows = [row for row in pipeline(user=user, filters=filters) if row["stage"] in STAGE_ORDER]
    key_list = key_lists_for_user(user=user).filter(year__lte=last_day.year).first()
    board = None
    if key_list is not None:
        month = Period.of(min(today, last_day))
        board = key_board(user=user, key_list=key_list, month=month, today=today, filters=filters)
    return DashboardFigures(
        pipeline=rows,
        board=board,
        overdue_milestones=overdue_milestones(user=user, today=today, filters=filters).count(),
    )


# --- the archive ----------------------------------------------------------------------------------


def documents_for_user(*, user: Any, project: Project | None = None) -> QuerySet[Document]:
    """Documents of the projects in scope; an enterprise user never sees internal ones."""
    qs = Document.objects.filter(project__in=projects_for_user(user=user))
    if not permissions.sees_internal(user):
        qs = qs.filter(is_internal=False)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.select_related("project", "uploaded_by").order_by("category", "-uploaded_at", "-id")


def document_get_for_user(*, user: Any, pk: Any) -> Document:
    """One document to download, or 404 outside the user's scope."""
    try:
        return documents_for_user(user=user).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
