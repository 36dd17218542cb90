"""Every change to an appeal. The workflow's allowed transitions are the one table below.

Each transition locks the appeal row, checks the state (a wrong state is `TransitionError`, which
pages show as a message and the API as 409) and the actor (`PermissionDenied`), writes an
`AppealEvent` (the appeal's timeline) and one audit event, and notifies whoever acts next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.accounts.models import Role, User
from qifu.appeals import permissions
from qifu.appeals.models import (
    SATISFIED,
    Appeal,
    AppealEvent,
    Attachment,
    Category,
    CommonProblem,
    Contribution,
    Extension,
    ExtensionStatus,
    JoinedCase,
    Kind,
    NumberCounter,
    Satisfaction,
    Status,
    Supervision,
    TimeLimits,
)
from qifu.audit.services import audit_record
from qifu.core import uploads, workdays
from qifu.core.models import Department
from qifu.core.uploads import check_attachment
from qifu.notices import services as notices

S: Any = Status
ACTIVE: frozenset[Any] = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED})
OPEN: frozenset[Any] = frozenset({S.SUBMITTED, S.ACCEPTED, *ACTIVE})

DISPATCHER, LEAD, CO, ENTERPRISE, LEADER, SYSTEM = (
    "dispatcher",
    "lead",
    "co",
    "enterprise",
    "leader",
    "system",
)


@dataclass(frozen=True)
class Transition:
    # Status members (TextChoices); typed Any because mypy sees a choice as its (value, label)
    sources: frozenset[Any]
    target: Any  # None: the status does not change
    who: str


# The workflow. submitted → accepted | returned; accepted → assigned (lead + co-handling);
# assigned → in progress → replied → rated → closed (or reopened once, then closed unresolved).
TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({S.SUBMITTED}), S.ACCEPTED, DISPATCHER),
    "return": Transition(frozenset({S.SUBMITTED, S.ACCEPTED}), S.RETURNED, DISPATCHER),
    "assign": Transition(frozenset({S.ACCEPTED}), S.ASSIGNED, DISPATCHER),
    "dispute": Transition(frozenset({S.ASSIGNED}), S.ACCEPTED, LEAD),
    "progress": Transition(ACTIVE, S.IN_PROGRESS, LEAD),
    "contribute": Transition(ACTIVE, None, CO),
    "reply": Transition(ACTIVE, S.REPLIED, LEAD),
    "extend_request": Transition(ACTIVE, None, LEAD),
    "extend_decide": Transition(ACTIVE, None, DISPATCHER),
    "rate": Transition(frozenset({S.REPLIED}), S.CLOSED, ENTERPRISE),  # or reopened
    "auto_rate": Transition(frozenset({S.REPLIED}), S.CLOSED, SYSTEM),
    "supervise": Transition(OPEN | {S.REPLIED}, None, LEADER),
    "mark_duplicate": Transition(frozenset({S.SUBMITTED, S.ACCEPTED}), S.CLOSED, DISPATCHER),
    "join": Transition(OPEN | {S.REPLIED}, None, ENTERPRISE),
    "mark_common": Transition(OPEN | {S.REPLIED, S.CLOSED}, None, DISPATCHER),
    "analyse": Transition(ACTIVE | {S.REPLIED}, None, LEAD),
}


class TransitionError(Exception):
    """The action is not allowed from the appeal's current state (HTTP 409)."""


def limits() -> TimeLimits:
    found = TimeLimits.objects.first()
    return found or TimeLimits.objects.create()


def allowed(*, appeal: Appeal, action: str, user: Any) -> bool:
    """Whether `user` may do `action` now: the state allows it and the user is the right actor."""
    rule = TRANSITIONS[action]
    if appeal.status not in rule.sources:
        return False
    return _is_actor(rule.who, user, appeal)


def _in_scope(user: Any, enterprise: Any) -> bool:
    """An official records appeals only for enterprises inside their own scope."""
    from qifu.enterprises.selectors import enterprises_for_user

    return enterprises_for_user(user=user).filter(pk=enterprise.pk).exists()


def _in_district(user: Any, appeal: Appeal) -> bool:
    return user.org_unit_id == appeal.enterprise.street.parent_id


def _is_actor(who: str, user: Any, appeal: Appeal) -> bool:
    if who in (DISPATCHER, LEADER) and not _in_district(user, appeal):
        return False
    if who == DISPATCHER:
        return permissions.is_dispatcher(user)
    if who == LEAD:
        return permissions.is_lead_department(user, appeal)
    if who == CO:
        return permissions.is_co_department(user, appeal)
    if who == ENTERPRISE:
        return permissions.is_own_enterprise(user, appeal)
    if who == LEADER:
        return permissions.is_leader(user)
    return who == SYSTEM


def _check(appeal: Appeal, action: str, user: Any) -> Transition:
    rule = TRANSITIONS[action]
    if appeal.status not in rule.sources:
        raise TransitionError(
            _("This cannot be done now: the appeal is %(status)s.")
            % {"status": appeal.get_status_display()}
        )
    if not _is_actor(rule.who, user, appeal):
        raise PermissionDenied(_("Your role does not allow this on this appeal."))
    return rule


def _locked(appeal: Appeal) -> Appeal:
    """The appeal, re-read and locked for the rest of the transaction."""
    return (
        Appeal.objects.select_for_update(of=("self",))  # PostgreSQL: not the joined rows
        .select_related("enterprise__street", "category", "lead_department")
        .get(pk=appeal.pk)
    )


def _event(
    *, appeal: Appeal, action: str, by: Any, before: str, note: str = "", changes: Any = None
) -> AppealEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    event = AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        department=getattr(actor, "department", None) if actor else None,
        action=action,
        from_status=before,
        to_status=appeal.status,
        note=note,
    )
    audit_record(
        actor=by,
        action=f"appeal.{action}",
        obj=appeal,
        changes={
            "status": [before, appeal.status],
            **(changes or {}),
            **({"note": [None, note]} if note else {}),
        },
    )
    return event


def _url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


def _dispatch_desk(appeal: Appeal) -> list[User]:
    """Who hears of work to dispatch: the service centre's staff, else the district leaders."""
    staff = list(
        User.objects.filter(
            is_active=True,
            role=Role.DEPARTMENT_STAFF,
            department__is_service_centre=True,
            department__district_id=appeal.enterprise.street.parent_id,
        )
    )
    return staff or _leaders(appeal)


def _department_staff(*departments: Department | None) -> list[User]:
    ids = [d.pk for d in departments if d is not None]
    return list(
        User.objects.filter(is_active=True, role=Role.DEPARTMENT_STAFF, department_id__in=ids)
    )


def _enterprise_users(appeal: Appeal) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.ENTERPRISE_USER, enterprise_id=appeal.enterprise_id
        )
    )


def _leaders(appeal: Appeal) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role=Role.DISTRICT_LEADER,
            org_unit_id=appeal.enterprise.street.parent_id,
        )
    )


def _notify(users: list[User], appeal: Appeal, title: str, body: str = "", sms: str = "") -> None:
    notices.notify(
        users=users,
        title=f"{appeal.number} {title}",
        body=body or appeal.title,
        url=_url(appeal),
        sms_text=sms,
    )


def _today() -> dt.date:
    return timezone.localdate()


def _resolve_days(appeal: Appeal, lim: TimeLimits) -> int:
    return lim.green_resolve_days if appeal.green_channel else lim.resolve_days


# --- intake ---------------------------------------------------------------------------------


def _next_number(now: dt.datetime) -> str:
    month = timezone.localtime(now).strftime("%Y%m")
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(month=month)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SQ-{month}-{counter.last:04d}"


def _green_channel(enterprise: Any) -> bool:
    """Above-scale industrial enterprises (mining, manufacturing, utilities): green channel."""
    return bool(enterprise.is_above_scale and enterprise.industry_section in {"B", "C", "D"})


@transaction.atomic
def appeal_submit(
    *,
    by: Any,
    enterprise: Any,
    kind: str,
    category: Category,
    title: str,
    description: str,
    channel: str = "portal",
    client_token: str = "",
    attachments: list[Any] = (),  # type: ignore[assignment]
) -> tuple[Appeal, bool]:
    """A new appeal, or the one already made with the same `client_token` (a double submit).

    Returns (appeal, created).
    """
    if client_token:
        existing = Appeal.objects.filter(submitted_by=by, client_token=client_token).first()
        if existing is not None:
            return existing, False
    if by.role == Role.ENTERPRISE_USER:
        if by.enterprise_id != enterprise.pk:
            raise PermissionDenied
        channel = "portal"
    elif not permissions.can_submit(by) or not _in_scope(by, enterprise):
        raise PermissionDenied
    elif channel == "portal":
        raise ValidationError({"channel": _("Say how the appeal reached you.")})
    for upload in attachments:
        check_attachment(upload)
    now = timezone.now()
    lim = limits()
    accept_by = workdays.add_working_days(timezone.localdate(now), lim.accept_days)
    appeal = Appeal(
        number=_next_number(now),
        enterprise=enterprise,
        kind=kind,
        category=category,
        title=title.strip(),
        description=description.strip(),
        channel=channel,
        green_channel=_green_channel(enterprise),
        submitted_by=by,
        submitted_at=now,
        client_token=client_token,
        accept_deadline=accept_by,
        deadline_provisional=accept_by.provisional,
    )
    appeal.full_clean(exclude=["client_token"])
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        existing = Appeal.objects.filter(submitted_by=by, client_token=client_token).first()
        if existing is None:
            raise
        return existing, False
    for upload in attachments:
        Attachment.objects.create(
            appeal=appeal,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            content_type=uploads.content_type(upload),
            uploaded_by=by,
        )
    _event(
        appeal=appeal,
        action="submit",
        by=by,
        before="",
        changes={"number": [None, appeal.number], "green_channel": [None, appeal.green_channel]},
    )
    _notify(_dispatch_desk(appeal), appeal, _("new appeal to accept"))
    return appeal, True


@transaction.atomic
def appeal_join(*, by: Any, appeal: Appeal, note: str) -> Appeal:
    """An enterprise adds its case to an existing appeal instead of writing a new one."""
    appeal = _locked(appeal)
    if by.role != Role.ENTERPRISE_USER or by.enterprise_id is None:
        raise PermissionDenied
    if appeal.status not in TRANSITIONS["join"].sources:
        raise TransitionError(_("This appeal is closed; write a new one."))
    if (
        appeal.enterprise_id == by.enterprise_id
        or JoinedCase.objects.filter(appeal=appeal, enterprise_id=by.enterprise_id).exists()
    ):
        return appeal
    JoinedCase.objects.create(appeal=appeal, enterprise_id=by.enterprise_id, note=note, by=by)
    _event(
        appeal=appeal,
        action="join",
        by=by,
        before=appeal.status,
        note=note,
        changes={"enterprise": [None, str(by.enterprise)]},
    )
    return appeal


# --- dispatching ----------------------------------------------------------------------------


@transaction.atomic
def appeal_accept(*, by: Any, appeal: Appeal, note: str = "") -> Appeal:
    appeal = _locked(appeal)
    rule = _check(appeal, "accept", by)
    before, now, lim = appeal.status, timezone.now(), limits()
    today = timezone.localdate(now)
    appeal.status = rule.target
    appeal.accepted_at = now
    appeal.reply_deadline = workdays.add_working_days(today, lim.reply_days)
    deadline = workdays.add_working_days(today, _resolve_days(appeal, lim))
    appeal.deadline = deadline
    appeal.deadline_provisional = deadline.provisional or appeal.reply_deadline.provisional
    appeal.overdue = False  # a late acceptance: what runs now is the new resolve deadline
    appeal.save()
    _event(
        appeal=appeal,
        action="accept",
        by=by,
        before=before,
        note=note,
        changes={"deadline": [None, appeal.deadline.isoformat()]},
    )
    _notify(
        _enterprise_users(appeal),
        appeal,
        pgettext("notification", "accepted"),
        sms=_("Your appeal %(n)s has been accepted.") % {"n": appeal.number},
    )
    return appeal


@transaction.atomic
def appeal_return(*, by: Any, appeal: Appeal, reason: str) -> Appeal:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the appeal.")})
    appeal = _locked(appeal)
    rule = _check(appeal, "return", by)
    before = appeal.status
    appeal.status = rule.target
    appeal.return_reason = reason.strip()
    appeal.closed_at = timezone.now()
    appeal.save()
    _event(appeal=appeal, action="return", by=by, before=before, note=reason.strip())
    _notify(
        _enterprise_users(appeal), appeal, pgettext("notification", "returned"), body=reason.strip()
    )
    return appeal


@transaction.atomic
def appeal_assign(
    *,
    by: Any,
    appeal: Appeal,
    department: Department,
    co_departments: list[Department] = (),  # type: ignore[assignment]
    note: str = "",
) -> Appeal:
    appeal = _locked(appeal)
    rule = _check(appeal, "assign", by)
    district = appeal.enterprise.street.parent_id
    co = [d for d in co_departments if d.pk != department.pk]
    if department.district_id != district or any(d.district_id != district for d in co):
        raise ValidationError({"department": _("Assign to departments of the appeal's district.")})
    if not department.is_active:
        raise ValidationError({"department": _("This department is no longer active.")})
    before = appeal.status
    previous = appeal.lead_department
    appeal.status = rule.target
    appeal.lead_department = department
    appeal.assigned_at = timezone.now()
    appeal.save()
    appeal.co_departments.set(co)
    _event(
        appeal=appeal,
        action="assign",
        by=by,
        before=before,
        note=note,
        changes={
            "lead_department": [previous.name if previous else None, department.name],
            "co_departments": [None, [d.name for d in co]],
        },
    )
    _notify(_department_staff(department), appeal, _("assigned to your department"))
    _notify(_department_staff(*co), appeal, _("co-handling asked of your department"))
    return appeal


@transaction.atomic
def appeal_dispute(*, by: Any, appeal: Appeal, reason: str) -> Appeal:
    """The lead department says it is not its duty (非本部门职责): back to the dispatcher."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this is not your department's duty.")})
    appeal = _locked(appeal)
    rule = _check(appeal, "dispute", by)
    lim = limits()
    assigned_on = timezone.localdate(appeal.assigned_at)
    if workdays.working_days_between(assigned_on, _today()) > lim.dispute_days:
        raise TransitionError(
            _("An assignment can be disputed within %(days)s working day(s) only.")
            % {"days": lim.dispute_days}
        )
    before, department = appeal.status, appeal.lead_department
    appeal.status = rule.target
    appeal.lead_department = None
    appeal.assigned_at = None
    appeal.save()
    appeal.co_departments.clear()
    _event(
        appeal=appeal,
        action="dispute",
        by=by,
        before=before,
        note=reason.strip(),
        changes={"lead_department": [department.name if department else None, None]},
    )
    _notify(_dispatch_desk(appeal), appeal, _("disputed: to be reassigned"), body=reason.strip())
    return appeal


# --- handling -------------------------------------------------------------------------------


def _first_response(appeal: Appeal) -> None:
    if appeal.first_reply_at is None:
        appeal.first_reply_at = timezone.now()


@transaction.atomic
def appeal_progress(*, by: Any, appeal: Appeal, note: str) -> Appeal:
    if not note.strip():
        raise ValidationError({"note": _("Write what has been done.")})
    appeal = _locked(appeal)
    rule = _check(appeal, "progress", by)
    before = appeal.status
    appeal.status = rule.target
    _first_response(appeal)
    appeal.save()
    _event(appeal=appeal, action="progress", by=by, before=before, note=note.strip())
    return appeal


@transaction.atomic
def appeal_contribute(*, by: Any, appeal: Appeal, text: str) -> Contribution:
    """A co-handling department sends its part to the lead department."""
    if not text.strip():
        raise ValidationError({"text": _("Write your department's part.")})
    appeal = _locked(appeal)
    _check(appeal, "contribute", by)
    part = Contribution.objects.create(
        appeal=appeal, department=by.department, text=text.strip(), by=by
    )
    _event(appeal=appeal, action="contribute", by=by, before=appeal.status, note=text.strip())
    _notify(
        _department_staff(appeal.lead_department),
        appeal,
        _("co-handling department's part received"),
    )
    return part


@transaction.atomic
def appeal_analyse(*, by: Any, appeal: Appeal, cause: str) -> Appeal:
    """问题→分析: the handling department records the cause of a problem."""
    appeal = _locked(appeal)
    _check(appeal, "analyse", by)
    before_cause = appeal.cause
    appeal.cause = cause.strip()
    appeal.save(update_fields=["cause"])
    _event(
        appeal=appeal,
        action="analyse",
        by=by,
        before=appeal.status,
        changes={"cause": [before_cause or None, appeal.cause]},
    )
    return appeal


@transaction.atomic
def appeal_reply(
    *,
    by: Any,
    appeal: Appeal,
    reply: str,
    cause: str = "",
    fulfilment: str = "",
    met: bool | None = None,
) -> Appeal:
    """The lead department's one reply. A problem records its cause (问题→分析); a demand records
    how it was met and whether it was (需求→满足)."""
    appeal = _locked(appeal)
    rule = _check(appeal, "reply", by)
    errors: dict[str, str] = {}
    if not reply.strip():
        errors["reply"] = _("Write the reply.")
    if appeal.kind == Kind.PROBLEM and not (cause.strip() or appeal.cause):
        errors["cause"] = _("A problem's reply records its cause (问题性质/原因分析).")
    if appeal.kind == Kind.DEMAND:
        if not fulfilment:
            errors["fulfilment"] = _("Say how the demand was met.")
        if met is None:
            errors["met"] = _("Say whether the demand was met.")
    if errors:
        raise ValidationError(errors)
    before, now, lim = appeal.status, timezone.now(), limits()
    appeal.status = rule.target
    appeal.reply = reply.strip()
    if cause.strip():
        appeal.cause = cause.strip()
    if appeal.kind == Kind.DEMAND:
        appeal.fulfilment, appeal.met = fulfilment, met
    _first_response(appeal)
    appeal.replied_at = now
    in_time = appeal.deadline is None or timezone.localdate(now) <= appeal.deadline
    appeal.replied_on_time = in_time and appeal.replied_on_time is not False
    appeal.rate_deadline = workdays.add_working_days(timezone.localdate(now), lim.rate_days)
    appeal.overdue = False
    appeal.save()
    _event(appeal=appeal, action="reply", by=by, before=before, note=appeal.reply)
    _notify(
        _enterprise_users(appeal) + _joined_users(appeal),
        appeal,
        _("replied: please rate"),
        body=appeal.reply,
        sms=_("Your appeal %(n)s has a reply; please rate it.") % {"n": appeal.number},
    )
    return appeal


def _joined_users(appeal: Appeal) -> list[User]:
    ids = list(appeal.joined_cases.values_list("enterprise_id", flat=True))
    return list(
        User.objects.filter(is_active=True, role=Role.ENTERPRISE_USER, enterprise_id__in=ids)
    )


@transaction.atomic
def appeal_extend_request(*, by: Any, appeal: Appeal, working_days: int, reason: str) -> Extension:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    appeal = _locked(appeal)
    _check(appeal, "extend_request", by)
    lim = limits()
    if working_days < 1 or appeal.extension_days + working_days > lim.max_extension_days:
        raise ValidationError(
            {
                "working_days": _("Extensions add up to %(max)s working days at most.")
                % {"max": lim.max_extension_days}
            }
        )
    if Extension.objects.filter(appeal=appeal).exists():
        raise TransitionError(_("An extension can be asked for once only."))
    extension = Extension.objects.create(
        appeal=appeal, working_days=working_days, reason=reason.strip(), requested_by=by
    )
    _event(
        appeal=appeal,
        action="extend_request",
        by=by,
        before=appeal.status,
        note=reason.strip(),
        changes={"working_days": [None, working_days]},
    )
    _notify(_dispatch_desk(appeal), appeal, _("extension asked for"), body=reason.strip())
    return extension


@transaction.atomic
def appeal_extend_decide(*, by: Any, appeal: Appeal, approve: bool, note: str = "") -> Appeal:
    appeal = _locked(appeal)
    _check(appeal, "extend_decide", by)
    extension = Extension.objects.filter(appeal=appeal, status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise TransitionError(_("There is no extension request to decide."))
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at = by, timezone.now()
    extension.save()
    old = appeal.deadline
    if approve:
        new = workdays.add_working_days(appeal.deadline or _today(), extension.working_days)
        appeal.deadline = new
        appeal.deadline_provisional = appeal.deadline_provisional or new.provisional
        appeal.extension_days += extension.working_days
        appeal.overdue = appeal.deadline < _today()
        appeal.save()
    _event(
        appeal=appeal,
        action="extend_approve" if approve else "extend_refuse",
        by=by,
        before=appeal.status,
        note=note,
        changes={
            "deadline": [
                old.isoformat() if old else None,
                appeal.deadline.isoformat() if appeal.deadline else None,
            ]
        },
    )
    _notify(
        _department_staff(appeal.lead_department),
        appeal,
        _("extension approved") if approve else _("extension refused"),
        body=note,
    )
    return appeal


# --- rating and closing ----------------------------------------------------------------------


@transaction.atomic
def appeal_rate(*, by: Any, appeal: Appeal, satisfaction: str, comment: str = "") -> Appeal:
    """Satisfied: closed. Dissatisfied the first time: reopened with a new deadline; the second
    time: closed as unresolved and flagged to the district leader."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose one of the five levels.")})
    appeal = _locked(appeal)
    _check(appeal, "rate", by)
    return _rate(appeal=appeal, by=by, satisfaction=satisfaction, comment=comment, auto=False)


def _rate(*, appeal: Appeal, by: Any, satisfaction: str, comment: str, auto: bool) -> Appeal:
    before, now, lim = appeal.status, timezone.now(), limits()
    appeal.satisfaction, appeal.rating_comment = satisfaction, comment.strip()
    appeal.rated_at, appeal.auto_rated = now, auto
    if satisfaction in SATISFIED:
        appeal.status, appeal.closed_at, appeal.resolved = S.CLOSED, now, True
        action = "auto_rate" if auto else "rate"
    elif appeal.reopen_count == 0:
        appeal.status = S.REOPENED
        appeal.reopen_count += 1
        deadline = workdays.add_working_days(timezone.localdate(now), _resolve_days(appeal, lim))
        appeal.deadline, appeal.deadline_provisional = deadline, deadline.provisional
        appeal.overdue = False
        action = "reopen"
    else:
        appeal.status, appeal.closed_at, appeal.resolved = S.CLOSED, now, False
        appeal.flagged = True
        action = "close_unresolved"
    appeal.save()
    _event(
        appeal=appeal,
        action=action,
        by=by,
        before=before,
        note=comment.strip(),
        changes={"satisfaction": [None, satisfaction]},
    )
    if action == "reopen":
        _notify(
            _department_staff(appeal.lead_department),
            appeal,
            _("reopened after a dissatisfied rating"),
            body=comment,
        )
    elif action == "close_unresolved":
        _notify(_leaders(appeal), appeal, _("closed unresolved: dissatisfied twice"), body=comment)
    return appeal


# --- supervision, duplicates, common problems -------------------------------------------------


@transaction.atomic
def appeal_supervise(*, by: Any, appeal: Appeal, note: str) -> Supervision:
    if not note.strip():
        raise ValidationError({"note": _("Write the supervision note.")})
    appeal = _locked(appeal)
    _check(appeal, "supervise", by)
    order = Supervision.objects.create(appeal=appeal, leader=by, note=note.strip())
    appeal.supervised = True
    appeal.save(update_fields=["supervised"])
    _event(appeal=appeal, action="supervise", by=by, before=appeal.status, note=note.strip())
    staff = (
        _department_staff(appeal.lead_department)
        if appeal.lead_department
        else _dispatch_desk(appeal)
    )
    _notify(staff, appeal, _("supervision order from a district leader"), body=note.strip())
    return order


@transaction.atomic
def appeal_mark_duplicate(
    *, by: Any, appeal: Appeal, target: Appeal | None, note: str = ""
) -> Appeal:
    if target is None:
        raise ValidationError({"target": _("Name the appeal this one duplicates.")})
    appeal = _locked(appeal)
    if target.pk == appeal.pk or target.duplicate_of_id == appeal.pk:
        raise ValidationError({"target": _("An appeal cannot duplicate itself.")})
    rule = _check(appeal, "mark_duplicate", by)
    before = appeal.status
    appeal.duplicate_of = target
    appeal.status = rule.target
    appeal.closed_at = timezone.now()
    appeal.save()
    _event(
        appeal=appeal,
        action="mark_duplicate",
        by=by,
        before=before,
        note=note,
        changes={"duplicate_of": [None, target.number]},
    )
    _notify(_enterprise_users(appeal), appeal, _("merged with %(n)s") % {"n": target.number})
    return appeal


@transaction.atomic
def appeal_mark_common(*, by: Any, appeals: list[Appeal], title: str) -> CommonProblem:
    """Several enterprises' appeals are one common problem (共性问题)."""
    if len(appeals) < 2:
        raise ValidationError({"appeals": _("A common problem links two appeals or more.")})
    if not title.strip():
        raise ValidationError({"title": _("Name the common problem.")})
    locked = [_locked(appeal) for appeal in appeals]
    for appeal in locked:
        _check(appeal, "mark_common", by)
    problem = CommonProblem.objects.create(title=title.strip(), created_by=by)
    for appeal in locked:
        appeal.common_problem = problem
        appeal.save(update_fields=["common_problem"])
        _event(appeal=appeal, action="mark_common", by=by, before=appeal.status, note=problem.title)
    return problem


# --- the periodic job -------------------------------------------------------------------------


@transaction.atomic
def appeals_tick(*, today: dt.date | None = None) -> dict[str, int]:
    """Idempotent: marks newly overdue appeals (notifying department and leaders once), reminds
    enterprises to rate the day before the limit, and rates as satisfied those not rated in time."""
    today = today or _today()
    counts = {"overdue": 0, "reminded": 0, "auto_rated": 0}
    late = (
        Appeal.objects.select_for_update(of=("self",))
        .filter(overdue=False, status__in=list(OPEN))
        .select_related("enterprise__street", "lead_department")
    )
    for appeal in late:
        due = appeal.accept_deadline if appeal.status == S.SUBMITTED else appeal.deadline
        if appeal.status == S.ACCEPTED and appeal.deadline:
            due = appeal.deadline
        if due is None or due >= today:
            continue
        appeal.overdue = True
        appeal.save(update_fields=["overdue"])
        _event(appeal=appeal, action="overdue", by=None, before=appeal.status)
        staff = (
            _department_staff(appeal.lead_department)
            if appeal.lead_department
            else _dispatch_desk(appeal)
        )
        _notify(staff + _leaders(appeal), appeal, _("overdue"))
        counts["overdue"] += 1
    waiting = (
        Appeal.objects.select_for_update(of=("self",))
        .filter(status=S.REPLIED)
        .select_related("enterprise__street")
    )
    for appeal in waiting:
        if appeal.rate_deadline is None:
            continue
        if appeal.rate_deadline < today:
            _rate(
                appeal=appeal,
                by=None,
                satisfaction=str(Satisfaction.SATISFIED),
                comment=_("Not rated within the time limit: treated as satisfied."),
                auto=True,
            )
            counts["auto_rated"] += 1
        elif (
            workdays.working_days_between(today, appeal.rate_deadline) <= 1
            # once per reply: a reopened appeal that is replied again is reminded again
            and not AppealEvent.objects.filter(
                appeal=appeal,
                action="rate_reminder",
                at__gte=appeal.replied_at or appeal.submitted_at,
            ).exists()
        ):
            _event(appeal=appeal, action="rate_reminder", by=None, before=appeal.status)
            _notify(
                _enterprise_users(appeal),
                appeal,
                _("please rate the reply"),
                sms=_("Please rate the reply to your appeal %(n)s.") % {"n": appeal.number},
            )
            counts["reminded"] += 1
    return counts


# --- configuration (system admin) -------------------------------------------------------------

CATEGORY_FIELDS = ("code", "name", "description", "default_department", "sort_order")
LIMIT_FIELDS = (
    "accept_days",
    "reply_days",
    "resolve_days",
    "green_resolve_days",
    "dispute_days",
    "rate_days",
    "max_extension_days",
)


@transaction.atomic
def category_save(*, by: Any, category: Category | None = None, **values: Any) -> Category:
    from qifu.audit.services import save_with_audit

    obj = category or Category()
    save_with_audit(
        by=by,
        obj=obj,
        creating=category is None,
        fields=CATEGORY_FIELDS,
        action="appeal_category",
        values=values,
    )
    return obj


@transaction.atomic
def time_limits_save(*, by: Any, limits: TimeLimits | None = None, **values: Any) -> TimeLimits:
    from qifu.audit.services import save_with_audit

    obj = limits or TimeLimits.objects.first() or TimeLimits()
    save_with_audit(
        by=by,
        obj=obj,
        creating=obj.pk is None,
        fields=LIMIT_FIELDS,
        action="appeal_limits",
        values=values,
    )
    return obj
