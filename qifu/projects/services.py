"""Every change to projects. The stage workflow is the one table `TRANSITIONS` below.

Each service is keyword-only and atomic, checks the actor (`PermissionDenied`), the state
(`TransitionError`: pages show a message, the API answers 409 with the reason) and the input
(`ValidationError`, by field), and writes one audit event. A stage change also writes a
`StageEvent`, the project's stage history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import OFFICIAL_ROLES, Role
from qifu.audit.services import audit_record, save_with_audit
from qifu.core.models import Level, OrgUnit
from qifu.projects import permissions
from qifu.projects.models import (
    APPROVAL_KINDS,
    SIGNING_KINDS,
    STAGE_ORDER,
    DateKind,
    Document,
    DocumentCategory,
    Inspection,
    KeyList,
    Milestone,
    Obstacle,
    ObstacleStatus,
    ObstacleType,
    Project,
    ProjectDate,
    SchedulingMeeting,
    Stage,
    StageEvent,
    Task,
    TaskStatus,
)
from qifu.stats.periods import Period

S: Any = Stage

# The stage workflow: from each stage, the stages it may change to.
# 洽谈 → 签约 → 审批 → 在建 → 投产, one step at a time; any active stage may be paused
# or terminated; a paused project resumes to the stage it was paused from
# (`Project.paused_from`) or is terminated; 投产 and 终止 are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEGOTIATING: frozenset({S.SIGNED, S.PAUSED, S.TERMINATED}),
    S.SIGNED: frozenset({S.APPROVAL, S.PAUSED, S.TERMINATED}),
    S.APPROVAL: frozenset({S.CONSTRUCTION, S.PAUSED, S.TERMINATED}),
    S.CONSTRUCTION: frozenset({S.PRODUCTION, S.PAUSED, S.TERMINATED}),
    S.PRODUCTION: frozenset(),
    S.PAUSED: frozenset({*STAGE_ORDER[:-1], S.TERMINATED}),
    S.TERMINATED: frozenset(),
}

# The appeal category an obstacle becomes when raised as an appeal (qifu/appeals/categories.py)
APPEAL_CATEGORY = {
    ObstacleType.LAND: "land",
    ObstacleType.APPROVAL: "approval",
    ObstacleType.PLANNING: "planning",
    ObstacleType.FUNDING: "finance",
    ObstacleType.UTILITIES: "utilities",
    ObstacleType.ENVIRONMENT: "environment",
    ObstacleType.DEMOLITION: "land",
    ObstacleType.POLICY: "policy",
    ObstacleType.OTHER: "other",
}


class TransitionError(Exception):
    """Not allowed in the project's current state (HTTP 409); the message gives the reason."""


def _today() -> dt.date:
    return timezone.localdate()


def _label(stage: str) -> str:
    return str(Stage(stage).label)


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("street", "lead_department")
        .get(pk=project.pk)
    )


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("The date %(date)s lies in the future.") % {"date": day}})


def _require(user: Any, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role does not allow this on this project."))


def _district_of(street: OrgUnit | None) -> int | None:
    return street.parent_id if street is not None else None


# --- key project lists ----------------------------------------------------------------------------


@transaction.atomic
def key_list_create(*, by: Any, district: OrgUnit, name: str, year: int) -> KeyList:
    """A list of key projects, e.g. 2026年十大二产项目."""
    _require(by, permissions.is_pipeline_staff(by, district.pk))
    obj = KeyList(district=district)
    save_with_audit(
        by=by,
        obj=obj,
        creating=True,
        fields=("district", "name", "year"),
        action="project_key_list",
        values={"name": name.strip(), "year": year},
    )
    return obj


# --- projects -------------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "investor",
    "enterprise",
    "industry_code",
    "street",
    "total_investment",
    "source_channel",
    "leader",
    "liaison_leader",
    "lead_department",
    "expected_start",
    "is_key",
    "key_list",
    "internal_note",
)
AUDITED_FIELDS = (*PROJECT_FIELDS, "stage", "stage_date", "source_lead")


def _check_references(project: Project) -> None:
    """The street, enterprise, leaders, department and list all belong to one district."""
    errors: dict[str, str] = {}
    street = project.street
    if street.level != Level.STREET:
        raise ValidationError({"street": _("Choose a street.")})
    district_id = street.parent_id
    enterprise = project.enterprise
    if enterprise is not None and enterprise.street.parent_id != district_id:
        errors["enterprise"] = _("The enterprise lies in another district.")
    leader = project.leader
    if leader is not None and (
        leader.role != Role.DISTRICT_LEADER or leader.org_unit_id != district_id
    ):
        errors["leader"] = _("The responsible leader must be a leader of the district.")
    liaison = project.liaison_leader
    if liaison is not None and (
        liaison.role not in OFFICIAL_ROLES
        or liaison.org_unit_id is None
        or (liaison.org_unit_id != district_id and liaison.org_unit.parent_id != district_id)
    ):
        errors["liaison_leader"] = _("The liaison leader must be an official of the district.")
    department = project.lead_department
    if department is not None and department.district_id != district_id:
        errors["lead_department"] = _("The lead department must be one of the district's.")
    channel = project.source_channel
    if channel is not None and channel.district_id != district_id:
        errors["source_channel"] = _("The channel belongs to another district.")
    lead = project.source_lead
    if lead is not None and lead.district_id != district_id:
        errors["street"] = _("The lead belongs to another district.")
    key_list = project.key_list
    if key_list is not None:
        if not project.is_key:
            errors["key_list"] = _("Only a key project belongs to a key project list.")
        elif key_list.district_id != district_id:
            errors["key_list"] = _("The list belongs to another district.")
    if errors:
        raise ValidationError(errors)


def _check_fields(values: dict[str, Any]) -> None:
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"not project fields: {', '.join(sorted(unknown))}")
    if values.get("total_investment") is not None:
        values["total_investment"] = _money(values["total_investment"], "total_investment")


@transaction.atomic
def project_create(*, by: Any, date: dt.date | None = None, **values: Any) -> Project:
    """A new project at 洽谈 (negotiating) since `date` (today by default).

    `values` are the fields of `PROJECT_FIELDS`; name, investor, street and total investment are
    required. The first stage event records the start of the history.
    """
    return _create(by=by, date=date, values=values)


def _create(
    *, by: Any, date: dt.date | None, values: dict[str, Any], source_lead: Any = None
) -> Project:
    _check_fields(values)
    street = values.get("street")
    if not isinstance(street, OrgUnit) or street.level != Level.STREET:
        raise ValidationError({"street": _("Choose a street.")})
    _require(by, permissions.can_create(by, _district_of(street)))
    date = date or _today()
    _not_in_future(date, "date")
    if not values.get("is_key"):
        values.setdefault("key_list", None)
    project = Project(
        created_by=by, stage=Stage.NEGOTIATING, stage_date=date, source_lead=source_lead
    )
    for key in ("name", "investor", "internal_note"):
        if isinstance(values.get(key), str):
            values[key] = values[key].strip()
    save_with_audit(
        by=by,
        obj=project,
        creating=True,
        fields=AUDITED_FIELDS,
        action="project",
        values=values,
        prepare=_check_references,
    )
    StageEvent.objects.create(
        project=project, from_stage="", to_stage=project.stage, date=date, actor=by
    )
    return project


@transaction.atomic
def project_from_lead(*, by: Any, lead: Any, date: dt.date | None = None, **values: Any) -> Project:
    """Open a project from an investment lead (招商线索) and mark the lead converted through
    `qifu.investment.services.lead_convert`. Name, investor, total investment, street and channel
    default to the lead's title, investor, intended amount, preferred street and channel; `values`
    override them. A lead that is no longer open is a `TransitionError`."""
    from qifu.investment import services as investment
    from qifu.investment.models import OPEN_LEAD_STATUSES

    if lead.status not in OPEN_LEAD_STATUSES:
        raise TransitionError(
            _("This lead is %(status)s; only an open lead becomes a project.")
            % {"status": lead.get_status_display()}
        )
    defaults = {
        "name": lead.title,
        "investor": lead.investor,
        "total_investment": lead.amount,
        "street": lead.preferred_street,
        "source_channel": lead.channel,
    }
    values = {**{k: v for k, v in defaults.items() if v is not None}, **values}
    project = _create(by=by, date=date, values=values, source_lead=lead)
    try:
        investment.lead_convert(by=by, lead=lead, project=project)
    except investment.TransitionError as error:
        raise TransitionError(str(error)) from None
    return project


@transaction.atomic
def project_update(*, by: Any, project: Project, **values: Any) -> dict[str, list[Any]]:
    """Change the project's data (not its stage: `stage_change`). Returns the changes."""
    _check_fields(values)
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    if "street" in values and _district_of(values["street"]) != project.street.parent_id:
        raise ValidationError({"street": _("A project stays in its district.")})
    if values.get("is_key") is False:
        values.setdefault("key_list", None)
    return save_with_audit(
        by=by,
        obj=project,
        creating=False,
        fields=PROJECT_FIELDS,
        action="project",
        values=values,
        prepare=_check_references,
    )


# --- stages ---------------------------------------------------------------------------------------


def _reached(project: Project) -> str:
    """The stage on the main line the project has reached (a paused one: where it paused)."""
    return project.paused_from if project.stage == Stage.PAUSED else project.stage


def transition_problem(project: Project, stage: str) -> str | None:
    """Why `project` cannot change to `stage` now, or None when it can."""
    current = project.stage
    if stage == current:
        return _("The project is already at %(stage)s.") % {"stage": _label(stage)}
    if current == Stage.TERMINATED:
        return _("The project is terminated; its stage can no longer change.")
    if current == Stage.PRODUCTION:
        return _("The project is in production, its last stage; its stage can no longer change.")
    if current == Stage.PAUSED and stage in STAGE_ORDER:
        if stage != project.paused_from:
            return _("A paused project resumes at the stage it was paused from, %(stage)s.") % {
                "stage": _label(project.paused_from)
            }
        return None
    if stage in TRANSITIONS[current]:
        return None
    here = STAGE_ORDER.index(current)
    there = STAGE_ORDER.index(stage)
    if there < here:
        return _("The project is at %(current)s; it cannot go back to %(target)s.") % {
            "current": _label(current),
            "target": _label(stage),
        }
    return _("%(target)s cannot come before %(next)s: the project is at %(current)s.") % {
        "target": _label(stage),
        "next": _label(STAGE_ORDER[here + 1]),
        "current": _label(current),
    }


def allowed_stages(project: Project) -> list[str]:
    """The stages the project may change to now, in order (for buttons and the API)."""
    return [s for s in Stage.values if transition_problem(project, s) is None]


def _clean_dates(
    values: dict[str, Any] | None, kinds: Iterable[str], field: str
) -> dict[str, dt.date]:
    kinds = tuple(kinds)
    result: dict[str, dt.date] = {}
    for kind, day in (values or {}).items():
        if kind not in kinds:
            raise ValidationError(
                {field: _("%(kind)s is not one of these steps.") % {"kind": kind}}
            )
        if not isinstance(day, dt.date):
            raise ValidationError(
                {field: _("Give the date of %(kind)s.") % {"kind": DateKind(kind).label}}
            )
        _not_in_future(day, field)
        result[kind] = day
    return result


def _record_dates(project: Project, dates: dict[str, dt.date]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    existing = {row.kind: row for row in project.dates.filter(kind__in=list(dates))}
    for kind, day in dates.items():
        row = existing.get(kind)
        if row is None:
            ProjectDate.objects.create(project=project, kind=kind, date=day)
            changes[kind] = [None, day]
        elif row.date != day:
            changes[kind] = [row.date, day]
            row.date = day
            row.save(update_fields=["date"])
    return changes


@transaction.atomic
def stage_change(
    *,
    by: Any,
    project: Project,
    stage: str,
    date: dt.date,
    note: str = "",
    signing: dict[str, dt.date] | None = None,
    reason: str = "",
) -> Project:
    """Move the project to `stage` on `date`.

    签约 needs `signing`: the date of at least one of intent, contract and land lease. 在建
    records `date` as the start of construction (compared with the expected start), 投产 as the
    date of production. Pausing and terminating need a `reason`. A change out of order is a
    `TransitionError` that says why.
    """
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose one of the stages.")})
    problem = transition_problem(project, stage)
    if problem is not None:
        raise TransitionError(problem)
    errors: dict[str, str] = {}
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give the date of the change.")})
    if date > _today():
        errors["date"] = _("The date %(date)s lies in the future.") % {"date": date}
    elif date < project.stage_date:
        errors["date"] = _(
            "The date cannot be earlier than the current stage's date, %(date)s."
        ) % {"date": project.stage_date}
    reason = (reason or "").strip()
    if stage in (Stage.PAUSED, Stage.TERMINATED) and not reason:
        errors["reason"] = _("Give the reason.")
    if errors:
        raise ValidationError(errors)
    signed: dict[str, dt.date] = {}
    if stage == Stage.SIGNED:
        signed = _clean_dates(signing, SIGNING_KINDS, "signing")
        if not signed:
            raise ValidationError(
                {
                    "signing": _(
                        "Give the date of the investment intent, the formal contract or the "
                        "land lease: at least one of them."
                    )
                }
            )
    before = project.stage
    changes: dict[str, Any] = {
        "stage": [before, stage],
        "stage_date": [project.stage_date, date],
    }
    if stage == Stage.PAUSED:
        project.paused_from = before
    elif before == Stage.PAUSED:
        project.paused_from = ""
    if stage in (Stage.PAUSED, Stage.TERMINATED):
        project.stop_reason = reason
        changes["reason"] = [None, reason]
    elif before == Stage.PAUSED:
        project.stop_reason = ""
    if stage == Stage.CONSTRUCTION:
        changes["actual_start"] = [project.actual_start, date]
        project.actual_start = date
    if stage == Stage.PRODUCTION:
        changes["production_date"] = [project.production_date, date]
        project.production_date = date
    project.stage, project.stage_date = stage, date
    project.save()
    changes.update(_record_dates(project, signed))
    StageEvent.objects.create(
        project=project,
        from_stage=before,
        to_stage=stage,
        date=date,
        note=(note or "").strip(),
        reason=reason,
        actor=by,
    )
    if note:
        changes["note"] = [None, note.strip()]
    audit_record(actor=by, action="project.stage", obj=project, changes=changes)
    return project


@transaction.atomic
def project_date_record(
    *, by: Any, project: Project, kind: str, date: dt.date, note: str = ""
) -> ProjectDate:
    """Record (or correct) the date of a signing or approval step, once the project is signed:
    e.g. the formal contract after the intent, or the planning permit during approval."""
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    if kind not in (*SIGNING_KINDS, *APPROVAL_KINDS):
        raise ValidationError({"kind": _("Choose one of the signing or approval steps.")})
    if project.stage == Stage.TERMINATED:
        raise TransitionError(_("The project is terminated; its stage can no longer change."))
    reached = _reached(project)
    if STAGE_ORDER.index(reached) < STAGE_ORDER.index(Stage.SIGNED):
        raise TransitionError(
            _("Signing and approval dates are recorded once the project is signed.")
        )
    dates = _clean_dates({kind: date}, (kind,), "date")
    changes = _record_dates(project, dates)
    row = project.dates.get(kind=kind)
    if note.strip() != row.note:
        row.note = note.strip()[:200]
        row.save(update_fields=["note"])
    audit_record(actor=by, action="project.date", obj=project, changes=changes)
    return row


# --- obstacles (制约因素) -------------------------------------------------------------------------

OBSTACLE_FIELDS = ("description", "type", "department", "deadline", "internal_note")


def _check_department(project: Project, department: Any, field: str = "department") -> None:
    if department is not None and department.district_id != project.street.parent_id:
        raise ValidationError({field: _("The department must be one of the district's.")})


@transaction.atomic
def obstacle_add(
    *,
    by: Any,
    project: Project,
    description: str,
    type: str,
    department: Any = None,
    deadline: dt.date | None = None,
    internal_note: str = "",
) -> Obstacle:
    """An obstacle at the project's current stage."""
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    if project.stage == Stage.TERMINATED:
        raise TransitionError(_("The project is terminated; its stage can no longer change."))
    _check_department(project, department)
    obstacle = Obstacle(project=project, stage=project.stage, created_by=by)
    save_with_audit(
        by=by,
        obj=obstacle,
        creating=True,
        fields=(*OBSTACLE_FIELDS, "project", "stage", "status"),
        action="project_obstacle",
        values={
            "description": description.strip(),
            "type": type,
            "department": department,
            "deadline": deadline,
            "internal_note": internal_note.strip(),
        },
    )
    return obstacle


def _locked_obstacle(obstacle: Obstacle) -> Obstacle:
    return (
        Obstacle.objects.select_for_update(of=("self",))
        .select_related("project__street", "project__enterprise", "department")
        .get(pk=obstacle.pk)
    )


@transaction.atomic
def obstacle_update(*, by: Any, obstacle: Obstacle, **values: Any) -> dict[str, list[Any]]:
    """Change an open obstacle's description, type, department, deadline or internal note, or
    mark it `status="in_progress"`."""
    unknown = set(values) - {*OBSTACLE_FIELDS, "status"}
    if unknown:
        raise TypeError(f"not obstacle fields: {', '.join(sorted(unknown))}")
    obstacle = _locked_obstacle(obstacle)
    _require(by, permissions.can_handle_obstacle(by, obstacle))
    if obstacle.status == ObstacleStatus.RESOLVED:
        raise TransitionError(_("The obstacle is resolved."))
    if "status" in values and values["status"] not in (
        ObstacleStatus.OPEN,
        ObstacleStatus.IN_PROGRESS,
    ):
        raise ValidationError({"status": _("Resolve an obstacle with its resolution.")})
    if "department" in values:
        _check_department(obstacle.project, values["department"])
    return save_with_audit(
        by=by,
        obj=obstacle,
        creating=False,
        fields=(*OBSTACLE_FIELDS, "status"),
        action="project_obstacle",
        values=values,
    )


@transaction.atomic
def obstacle_resolve(
    *, by: Any, obstacle: Obstacle, resolution: str, date: dt.date | None = None
) -> Obstacle:
    obstacle = _locked_obstacle(obstacle)
    _require(by, permissions.can_handle_obstacle(by, obstacle))
    if obstacle.status == ObstacleStatus.RESOLVED:
        raise TransitionError(_("The obstacle is resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the obstacle was resolved.")})
    date = date or _today()
    _not_in_future(date, "date")
    before = obstacle.status
    obstacle.status = ObstacleStatus.RESOLVED
    obstacle.resolution = resolution.strip()
    obstacle.resolved_on = date
    obstacle.save()
    audit_record(
        actor=by,
        action="project_obstacle.resolve",
        obj=obstacle,
        changes={
            "status": [before, obstacle.status],
            "resolution": [None, obstacle.resolution],
            "resolved_on": [None, date],
        },
    )
    return obstacle


@transaction.atomic
def obstacle_raise_appeal(
    *,
    by: Any,
    obstacle: Obstacle,
    category: Any = None,
    kind: str = "problem",
    title: str = "",
    channel: str = "visit",
) -> Any:
    """Raise the obstacle as an appeal (诉求) on behalf of the project's enterprise, through the
    appeals module's intake, and link the two (`obstacle.appeal`, `appeal.project_obstacle`).

    The category follows the obstacle's type unless given. Returns the appeal.
    """
    from qifu.appeals import services as appeals
    from qifu.appeals.models import Category

    obstacle = _locked_obstacle(obstacle)
    project = obstacle.project
    _require(by, permissions.can_handle_obstacle(by, obstacle))
    if obstacle.appeal_id is not None:
        raise TransitionError(_("This obstacle has already been raised as an appeal."))
    if obstacle.status == ObstacleStatus.RESOLVED:
        raise TransitionError(_("The obstacle is resolved."))
    if project.enterprise is None:
        raise ValidationError(
            {"enterprise": _("Link the project to its enterprise before raising an appeal.")}
        )
    if category is None:
        category = Category.objects.get(code=APPEAL_CATEGORY.get(obstacle.type, "other"))
    title = (title or f"{project.name}：{obstacle.get_type_display()}").strip()[:100]
    description = _("Obstacle of the project %(project)s at the %(stage)s stage: %(text)s") % {
        "project": project.name,
        "stage": _label(obstacle.stage),
        "text": obstacle.description,
    }
    appeal, _created = appeals.appeal_submit(
        by=by,
        enterprise=project.enterprise,
        kind=kind,
        category=category,
        title=title,
        description=description[:5000],
        channel=channel,
    )
    before = obstacle.status
    obstacle.appeal = appeal
    if obstacle.status == ObstacleStatus.OPEN:
        obstacle.status = ObstacleStatus.IN_PROGRESS
    obstacle.save()
    audit_record(
        actor=by,
        action="project_obstacle.raise_appeal",
        obj=obstacle,
        changes={"appeal": [None, appeal.number], "status": [before, obstacle.status]},
    )
    return appeal


# --- monthly inspections (月督查) -----------------------------------------------------------------


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount in 10k yuan.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def inspection_submit(
    *,
    by: Any,
    project: Project,
    month: Any,
    month_investment: Any,
    cumulative_investment: Any,
    progress: str,
    progress_percent: int | None = None,
    problems: str = "",
    next_plan: str = "",
    explanation: str = "",
    photos: Iterable[Any] = (),
) -> Inspection:
    """The lead department's monthly report on a key project, one per month (submitting the same
    month again corrects it). A cumulative figure above the total investment, or below an earlier
    month's, needs an explanation. Photos go to the archive, linked to the report.
    """
    project = _locked(project)
    _require(by, permissions.can_submit_inspection(by, project))
    if not project.is_key:
        raise TransitionError(_("Only key projects have monthly inspection reports."))
    if project.stage == Stage.TERMINATED:
        raise TransitionError(_("The project is terminated; its stage can no longer change."))
    period = Period.parse(month)
    if period > Period.of(_today()):
        raise ValidationError({"month": _("The month has not come yet.")})
    this_month = _money(month_investment, "month_investment")
    cumulative = _money(cumulative_investment, "cumulative_investment")
    explanation = explanation.strip()
    errors: dict[str, str] = {}
    if cumulative < this_month:
        errors["cumulative_investment"] = _(
            "The cumulative investment includes this month's and cannot be smaller."
        )
    previous = (
        Inspection.objects.filter(project=project, month__lt=str(period)).order_by("-month").first()
    )
    if cumulative > project.total_investment and not explanation:
        errors["explanation"] = _(
            "The cumulative investment %(cumulative)s is above the total investment %(total)s "
            "(10k yuan): explain why."
        ) % {"cumulative": cumulative, "total": project.total_investment}
    elif previous is not None and cumulative < previous.cumulative_investment and not explanation:
        errors["explanation"] = _(
            "The cumulative investment %(cumulative)s is below last report's %(previous)s "
            "(10k yuan): explain why."
        ) % {"cumulative": cumulative, "previous": previous.cumulative_investment}
    if not progress.strip():
        errors["progress"] = _("Describe the physical progress.")
    photos = list(photos)
    for photo in photos:
        try:
            check_document(photo, kinds=(".jpg", ".jpeg", ".png"))
        except ValidationError as error:
            errors["photos"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    existing = Inspection.objects.filter(project=project, month=str(period)).first()
    inspection = existing or Inspection(project=project, month=str(period))
    values = {
        "month_investment": this_month,
        "cumulative_investment": cumulative,
        "progress": progress.strip(),
        "progress_percent": progress_percent,
        "problems": problems.strip(),
        "next_plan": next_plan.strip(),
        "explanation": explanation,
        "department": by.department,
        "submitted_by": by,
        "submitted_at": timezone.now(),
    }
    save_with_audit(
        by=by,
        obj=inspection,
        creating=existing is None,
        fields=(
            "project",
            "month",
            "month_investment",
            "cumulative_investment",
            "progress",
            "progress_percent",
            "problems",
            "next_plan",
            "explanation",
        ),
        action="project_inspection",
        values=values,
    )
    for photo in photos:
        _store_document(
            by=by,
            project=project,
            upload=photo,
            category=str(DocumentCategory.PHOTO),
            description=_("Inspection %(month)s") % {"month": period.label},
            inspection=inspection,
        )
    latest = Inspection.objects.filter(project=project).order_by("-month").first()
    completed = latest.cumulative_investment if latest else Decimal("0")
    if project.investment_completed != completed:
        project.investment_completed = completed
        project.save(update_fields=["investment_completed", "updated_at"])
    return inspection


# --- quarterly scheduling meetings (季调度) and the task list (任务单) ----------------------------


@transaction.atomic
def meeting_record(
    *,
    by: Any,
    key_list: KeyList,
    title: str,
    date: dt.date,
    attendees: str,
    decisions: list[dict[str, Any]],
    place: str = "",
    minutes: Any = None,
) -> SchedulingMeeting:
    """A scheduling meeting and its decisions, one per project discussed, each becoming a task:
    `decisions` is a list of {"project", "what", "department", "due"}. The minutes, if given, go
    to the archive of every project discussed as an internal document."""
    _require(by, permissions.can_record_meeting(by, key_list))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the meeting a title.")
    if not attendees.strip():
        errors["attendees"] = _("List the attendees.")
    if not isinstance(date, dt.date):
        errors["date"] = _("Give the date of the meeting.")
    elif date > _today():
        errors["date"] = _("The date %(date)s lies in the future.") % {"date": date}
    if not decisions:
        errors["decisions"] = _("Record the decision on each project discussed.")
    seen: set[int] = set()
    for number, decision in enumerate(decisions, start=1):
        project, department = decision.get("project"), decision.get("department")
        due, what = decision.get("due"), str(decision.get("what") or "").strip()
        if project is None or project.key_list_id != key_list.pk:
            errors["decisions"] = _("Decision %(n)s: the project is not on this list.") % {
                "n": number
            }
        elif project.pk in seen:
            errors["decisions"] = _("Decision %(n)s: one decision per project.") % {"n": number}
        elif not what:
            errors["decisions"] = _("Decision %(n)s: write what was decided.") % {"n": number}
        elif department is None or department.district_id != key_list.district_id:
            errors["decisions"] = _("Decision %(n)s: name the owner department.") % {"n": number}
        elif not isinstance(due, dt.date) or (isinstance(date, dt.date) and due < date):
            errors["decisions"] = _("Decision %(n)s: the due date comes after the meeting.") % {
                "n": number
            }
        if project is not None:
            seen.add(project.pk)
    if minutes is not None:
        try:
            check_document(minutes)
        except ValidationError as error:
            errors["minutes"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    meeting = SchedulingMeeting.objects.create(
        key_list=key_list,
        title=title.strip(),
        date=date,
        attendees=attendees.strip(),
        place=place.strip(),
        recorded_by=by,
    )
    tasks = [
        Task.objects.create(
            project=d["project"],
            meeting=meeting,
            what=str(d["what"]).strip(),
            department=d["department"],
            due=d["due"],
            created_by=by,
        )
        for d in decisions
    ]
    if minutes is not None:
        for index, d in enumerate(decisions):
            if index:
                minutes.seek(0)
            _store_document(
                by=by,
                project=d["project"],
                upload=minutes,
                category=str(DocumentCategory.MINUTES),
                description=meeting.title,
                meeting=meeting,
                is_internal=True,
            )
    audit_record(
        actor=by,
        action="project_meeting.create",
        obj=meeting,
        changes={
            "date": [None, date],
            "attendees": [None, meeting.attendees],
            "tasks": [None, [t.pk for t in tasks]],
            "projects": [None, [t.project_id for t in tasks]],
        },
    )
    return meeting


TASK_FIELDS = ("what", "department", "due", "note", "status")


@transaction.atomic
def task_add(
    *, by: Any, project: Project, what: str, department: Any, due: dt.date, note: str = ""
) -> Task:
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    _check_department(project, department)
    task = Task(project=project, created_by=by)
    save_with_audit(
        by=by,
        obj=task,
        creating=True,
        fields=("project", *TASK_FIELDS),
        action="project_task",
        values={"what": what.strip(), "department": department, "due": due, "note": note.strip()},
    )
    return task


def _locked_task(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("project__street")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_update(*, by: Any, task: Task, **values: Any) -> dict[str, list[Any]]:
    """Change what, owner department, due date or note, or mark it `status="in_progress"`."""
    unknown = set(values) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"not task fields: {', '.join(sorted(unknown))}")
    task = _locked_task(task)
    _require(by, permissions.can_handle_task(by, task))
    if task.status == TaskStatus.DONE:
        raise TransitionError(_("The task is done."))
    if "status" in values and values["status"] not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        raise ValidationError({"status": _("Complete a task with the date it was done.")})
    if "department" in values:
        _check_department(task.project, values["department"])
    return save_with_audit(
        by=by, obj=task, creating=False, fields=TASK_FIELDS, action="project_task", values=values
    )


@transaction.atomic
def task_complete(*, by: Any, task: Task, done_on: dt.date | None = None, note: str = "") -> Task:
    task = _locked_task(task)
    _require(by, permissions.can_handle_task(by, task))
    if task.status == TaskStatus.DONE:
        raise TransitionError(_("The task is done."))
    done_on = done_on or _today()
    _not_in_future(done_on, "done_on")
    before = task.status
    task.status, task.done_on = TaskStatus.DONE, done_on
    if note.strip():
        task.note = note.strip()
    task.save()
    audit_record(
        actor=by,
        action="project_task.complete",
        obj=task,
        changes={"status": [before, task.status], "done_on": [None, done_on]},
    )
    return task


# --- the timetable (时间表) -----------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    *,
    by: Any,
    project: Project,
    name: str,
    planned: dt.date | None = None,
    forecast: dt.date | None = None,
    is_completion: bool = False,
    sort_order: int | None = None,
) -> Milestone:
    """A line of the timetable, while the plan is not yet approved."""
    project = _locked(project)
    _require(by, permissions.can_manage(by, project))
    if project.plan_approved_at is not None:
        raise TransitionError(_("The timetable is approved; its milestones are fixed."))
    if is_completion and project.milestones.filter(is_completion=True).exists():
        raise ValidationError(
            {"is_completion": _("The timetable already has its completion milestone.")}
        )
    if sort_order is None:
        sort_order = project.milestones.count() + 1
    milestone = Milestone(project=project)
    save_with_audit(
        by=by,
        obj=milestone,
        creating=True,
        fields=("project", "name", "sort_order", "is_completion", "planned", "forecast"),
        action="project_milestone",
        values={
            "name": name.strip(),
            "planned": planned,
            "forecast": forecast,
            "is_completion": is_completion,
            "sort_order": sort_order,
        },
    )
    return milestone


def _locked_milestone(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("project__street")
        .get(pk=milestone.pk)
    )


@transaction.atomic
def milestone_plan(*, by: Any, milestone: Milestone, planned: dt.date) -> Milestone:
    """Set a milestone's planned date, before the timetable is approved."""
    milestone = _locked_milestone(milestone)
    _require(by, permissions.can_manage(by, milestone.project))
    if milestone.project.plan_approved_at is not None:
        raise TransitionError(_("The timetable is approved; its planned dates are fixed."))
    save_with_audit(
        by=by,
        obj=milestone,
        creating=False,
        fields=("planned",),
        action="project_milestone",
        values={"planned": planned},
    )
    return milestone


@transaction.atomic
def milestone_plan_approve(*, by: Any, project: Project) -> Project:
    """Approve the timetable: the planned dates are fixed from now on. A milestone without a
    forecast starts with its planned date as the forecast."""
    project = _locked(project)
    _require(by, permissions.can_approve_plan(by, project))
    if project.plan_approved_at is not None:
        raise TransitionError(_("The timetable is approved; its planned dates are fixed."))
    milestones = list(project.milestones.all())
    if not milestones:
        raise ValidationError({"milestones": _("The timetable has no milestones yet.")})
    missing = [m.name for m in milestones if m.planned is None]
    if missing:
        raise ValidationError(
            {"milestones": _("Give a planned date to: %(names)s.") % {"names": "、".join(missing)}}
        )
    for m in milestones:
        if m.forecast is None:
            m.forecast = m.planned
            m.save(update_fields=["forecast"])
    project.plan_approved_at, project.plan_approved_by = timezone.now(), by
    project.save(update_fields=["plan_approved_at", "plan_approved_by", "updated_at"])
    audit_record(
        actor=by,
        action="project.plan_approve",
        obj=project,
        changes={"planned": [None, [[m.name, m.planned] for m in milestones]]},
    )
    return project


@transaction.atomic
def milestone_forecast(*, by: Any, milestone: Milestone, forecast: dt.date) -> Milestone:
    milestone = _locked_milestone(milestone)
    _require(by, permissions.can_manage(by, milestone.project))
    if milestone.actual is not None:
        raise TransitionError(_("The milestone is reached."))
    save_with_audit(
        by=by,
        obj=milestone,
        creating=False,
        fields=("forecast",),
        action="project_milestone",
        values={"forecast": forecast},
    )
    return milestone


@transaction.atomic
def milestone_actual(*, by: Any, milestone: Milestone, actual: dt.date) -> Milestone:
    """The date the milestone was reached (a correction is allowed, and audited)."""
    milestone = _locked_milestone(milestone)
    _require(by, permissions.can_manage(by, milestone.project))
    _not_in_future(actual, "actual")
    save_with_audit(
        by=by,
        obj=milestone,
        creating=False,
        fields=("actual",),
        action="project_milestone",
        values={"actual": actual},
    )
    return milestone


# --- the archive (档案) ---------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_MAGIC = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}
# the part an Office Open XML package of each kind must contain
_OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_UNSAFE = re.compile(r"[^\w.\-（）()\[\] ]+")


def safe_name(name: str) -> str:
    """The file's own name without any folder, control or shell characters, at most 100
    characters with its extension kept; Chinese stays."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    dot = base.rfind(".")
    stem, ext = (base[:dot], base[dot:]) if dot >= 0 else (base, "")
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "document"
    ext = _UNSAFE.sub("", ext.lower())
    return stem[: 100 - len(ext)] + ext


def check_document(upload: Any, kinds: Iterable[str] = tuple(DOCUMENT_TYPES)) -> str:
    """Type by extension and content, and size, of an uploaded file; returns its extension."""
    kinds = tuple(kinds)
    name = safe_name(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in kinds:
        allowed = "、".join(sorted({k.lstrip(".").upper() for k in kinds}))
        raise ValidationError(
            _("%(name)s: only these kinds of files are accepted: %(kinds)s.")
            % {"name": name, "kinds": allowed}
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(_MAGIC[ext]):
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext}
        )
    if ext in _OOXML_PART:
        try:
            with zipfile.ZipFile(upload) as package:
                parts = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            parts = set()
        upload.seek(0)
        if _OOXML_PART[ext] not in parts:
            raise ValidationError(
                _("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext}
            )
    return ext


def _store_document(
    *,
    by: Any,
    project: Project,
    upload: Any,
    category: str,
    description: str = "",
    is_internal: bool = False,
    inspection: Inspection | None = None,
    meeting: SchedulingMeeting | None = None,
) -> Document:
    name = safe_name(upload.name)
    upload.name = name
    ext = os.path.splitext(name)[1].lower()
    document = Document.objects.create(
        project=project,
        category=category,
        file=upload,
        name=name,
        size=upload.size,
        content_type=DOCUMENT_TYPES[ext],
        description=description[:200],
        is_internal=is_internal,
        inspection=inspection,
        meeting=meeting,
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action="project_document.create",
        obj=document,
        changes={
            "project": [None, project.pk],
            "category": [None, category],
            "name": [None, name],
            "size": [None, document.size],
            "is_internal": [None, is_internal],
        },
    )
    return document


@transaction.atomic
def document_upload(
    *,
    by: Any,
    project: Project,
    upload: Any,
    category: str,
    description: str = "",
    is_internal: bool = False,
) -> Document:
    """A file for the project's archive: PDF, Word (.docx), Excel (.xlsx), JPG or PNG, at most
    10 MB, checked by content as well as by name; the name is made safe. The enterprise adds
    documents that are never internal, and no meeting minutes."""
    project = _locked(project)
    _require(by, permissions.can_upload(by, project))
    if category not in DocumentCategory.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    if not permissions.sees_internal(by):
        if category == DocumentCategory.MINUTES:
            raise PermissionDenied(_("Meeting minutes are filed by officials."))
        is_internal = False
    try:
        check_document(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from None
    return _store_document(
        by=by,
        project=project,
        upload=upload,
        category=category,
        description=description.strip(),
        is_internal=is_internal,
    )
