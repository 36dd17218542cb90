"""Every change to visits, assignments, red flags and the questionnaire.

Each service is keyword-only and atomic, checks the actor (`PermissionDenied`), the state
(`TransitionError`: pages show a message, the API answers 409) and the input (`ValidationError`,
by field), and writes one audit event.

A visit's states are one table, `TRANSITIONS`: a draft is saved as often as the official likes
(half-written is fine) and is completed once; a completed (final) visit can still be corrected by
its officials but never goes back to being a draft; only a draft is discarded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import OFFICIAL_ROLES
from qifu.audit.services import audit_record
from qifu.core import uploads as uploads_checked
from qifu.core.models import Level, OrgUnit
from qifu.visits import permissions
from qifu.visits.models import (
    Assignment,
    PlanStatus,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    RedFlag,
    RedFlagKind,
    RedFlagSource,
    Visit,
    VisitAttachment,
    VisitKind,
    VisitPlan,
    VisitStatus,
)

# the choices' members as plain strings (without Django's type stubs mypy sees them as tuples)
VS: Any = VisitStatus
VK: Any = VisitKind
RS: Any = RedFlagSource
D, F = VS.DRAFT, VS.FINAL

# From each state, the actions allowed: save a draft, complete, correct, discard.
TRANSITIONS: dict[str, dict[str, str]] = {
    D: {"save_draft": D, "complete": F, "discard": ""},
    F: {"complete": F},  # a final visit is corrected by completing it again
}

SEED_QUESTIONNAIRE = "visit"
MAX_VISIT_ENTERPRISES = 50
MAX_VISIT_ATTACHMENTS = 20


class TransitionError(Exception):
    """The action is not allowed from the current state (HTTP 409)."""


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _today() -> dt.date:
    return timezone.localdate()


def _district_of(unit: OrgUnit | None) -> OrgUnit | None:
    if unit is None:
        return None
    if unit.level == Level.DISTRICT:
        return unit
    if unit.level == Level.STREET:
        return unit.parent
    return None


def _in_scope(user: Any, enterprises: Iterable[Any]) -> bool:
    from qifu.enterprises.selectors import enterprises_for_user

    ids = {e.pk for e in enterprises}
    return enterprises_for_user(user=user).filter(pk__in=ids).count() == len(ids)


def _district_officials(user: Any, officials: Iterable[Any]) -> bool:
    """Officials on a visit or an assignment belong to the same district as the recorder."""
    district = _district_of(user.org_unit)
    for official in officials:
        if official.role not in OFFICIAL_ROLES or not official.is_active:
            return False
        if district is None or _district_of(official.org_unit) != district:
            return False
    return True


# --- responsibility (包干) ----------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    by: Any,
    official: Any,
    street: OrgUnit | None = None,
    enterprise: Any = None,
    key_only: bool = True,
    visits_per_quarter: int = 1,
    starts_on: dt.date | None = None,
    note: str = "",
) -> Assignment:
    """Make `official` responsible for a street (its key enterprises, or all) or an enterprise."""
    _require(permissions.can_assign(by))
    if (street is None) == (enterprise is None):
        raise ValidationError(_("Assign either a street or an enterprise."))
    if not _district_officials(by, [official]):
        raise ValidationError({"official": _("Choose an official of your district.")})
    if street is not None:
        if street.level != Level.STREET or not street.path.startswith(by.org_unit.path):
            raise PermissionDenied
    elif not _in_scope(by, [enterprise]):
        raise PermissionDenied
    starts_on = starts_on or _today()
    active = Assignment.objects.filter(official=official, street=street, enterprise=enterprise)
    active = active.exclude(ends_on__lt=starts_on)
    if active.exists():
        raise ValidationError(_("This official is already responsible for it."))
    assignment = Assignment(
        official=official,
        street=street,
        enterprise=enterprise,
        key_only=key_only,
        visits_per_quarter=visits_per_quarter,
        starts_on=starts_on,
        note=note.strip(),
        created_by=by,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=by,
        action="visit_assignment.create",
        obj=assignment,
        changes={
            "official": [None, official.get_username()],
            "street": [None, street.name if street else None],
            "enterprise": [None, enterprise.name if enterprise else None],
            "visits_per_quarter": [None, visits_per_quarter],
            "starts_on": [None, starts_on],
        },
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, by: Any, assignment: Assignment, ends_on: dt.date | None = None
) -> Assignment:
    _require(permissions.can_assign(by))
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("street", "enterprise__street")
        .get(pk=assignment.pk)
    )
    target = assignment.street or assignment.enterprise.street
    _require(target is not None and target.path.startswith(by.org_unit.path))
    if assignment.ends_on is not None and assignment.ends_on < _today():
        raise TransitionError(_("This assignment has already ended."))
    ends_on = ends_on or _today()
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    before = assignment.ends_on
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record(
        actor=by,
        action="visit_assignment.end",
        obj=assignment,
        changes={"ends_on": [before, ends_on]},
    )
    return assignment


# --- the questionnaire ---------------------------------------------------------------------------


def current_questionnaire(code: str = SEED_QUESTIONNAIRE) -> QuestionnaireVersion | None:
    """The latest published version, which new visits are answered on."""
    return (
        QuestionnaireVersion.objects.filter(questionnaire__code=code, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def _clean_answer(question: Question, raw: Any) -> Any:
    """The stored form of one answer, or ValidationError with the question in the message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    label = question.text
    if question.kind == QuestionKind.TEXT:
        text = str(raw).strip()
        if len(text) > 2000:
            raise ValidationError(_("%(q)s: at most 2000 characters.") % {"q": label})
        return text
    if question.kind == QuestionKind.YES_NO:
        value = {"yes": True, "no": False, "true": True, "false": False, "是": True, "否": False}
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in value:
            return value[str(raw).strip().lower()]
        raise ValidationError(_("%(q)s: answer yes or no.") % {"q": label})
    if question.kind == QuestionKind.CHOICE:
        if str(raw) not in question.choices:
            raise ValidationError(
                _("%(q)s: choose one of %(options)s.")
                % {"q": label, "options": "、".join(question.choices)}
            )
        return str(raw)
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("%(q)s: enter a number.") % {"q": label}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError(_("%(q)s: enter a number.") % {"q": label})
    return float(number) if number != number.to_integral_value() else int(number)


def clean_answers(
    version: QuestionnaireVersion | None,
    answers: dict[str, Any],
    *,
    complete: bool,
    required: bool | None = None,
) -> dict[str, Any]:
    """Answers keyed by question code, typed; unknown codes are refused, as are missing required
    answers when the visit is being completed (unless `required` is False: a visit to several
    enterprises answers what applies). A draft keeps what can be kept."""
    if required is None:
        required = complete
    if not answers:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Answers must be given by question.")})
    if version is None:
        if answers:
            raise ValidationError({"answers": _("There is no questionnaire to answer.")})
        return {}
    questions = {q.code: q for q in version.questions.all()}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ValidationError(
            {"answers": _("Unknown questions: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    cleaned: dict[str, Any] = {}
    errors: list[str] = []
    for code, question in questions.items():
        try:
            value = _clean_answer(question, answers.get(code))
        except ValidationError as error:
            if complete:
                errors.extend(error.messages)
            continue
        if value is None:
            if required and question.required:
                errors.append(_("%(q)s: this question must be answered.") % {"q": question.text})
            continue
        cleaned[code] = value
    if errors:
        raise ValidationError({"answers": errors})
    return cleaned


def derived_flags(
    version: QuestionnaireVersion | None, answers: dict[str, Any]
) -> list[tuple[str, str]]:
    """The red flags that the answers raise: (kind, the question and its answer)."""
    if version is None:
        return []
    found: list[tuple[str, str]] = []
    for question in version.questions.all():
        if not question.flag or question.code not in answers:
            continue
        value = answers[question.code]
        raised = False
        if question.kind == QuestionKind.YES_NO:
            raised = value is True
        elif question.kind == QuestionKind.CHOICE:
            raised = value in question.flag_values
        elif question.kind == QuestionKind.NUMBER and question.flag_below is not None:
            raised = Decimal(str(value)) < question.flag_below
        if raised:
            yes_no = _("yes") if value else _("no")
            shown = yes_no if isinstance(value, bool) else str(value)
            found.append((question.flag, f"{question.text}：{shown}{question.unit}"))
    return found


@transaction.atomic
def questionnaire_version_create(
    *, by: Any, questionnaire: Questionnaire, questions: list[dict[str, Any]], note: str = ""
) -> QuestionnaireVersion:
    """A new, unpublished version with the given questions (dicts of Question's fields)."""
    _require(permissions.can_configure(by))
    if not questions:
        raise ValidationError(_("A questionnaire needs at least one question."))
    latest = questionnaire.versions.order_by("-number").first()
    if latest is not None and not latest.is_published:
        raise TransitionError(_("Publish or discard the unpublished version first."))
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=(latest.number + 1) if latest else 1,
        note=note.strip()[:200],
        created_by=by,
    )
    codes: set[str] = set()
    for order, values in enumerate(questions, start=1):
        question = Question(version=version, sort_order=order, **values)
        if question.code in codes:
            raise ValidationError(
                _("Question code %(code)s is used twice.") % {"code": question.code}
            )
        codes.add(question.code)
        question.full_clean()
        question.save()
    audit_record(
        actor=by,
        action="questionnaire_version.create",
        obj=version,
        changes={"questions": [None, sorted(codes)]},
    )
    return version


@transaction.atomic
def questionnaire_version_publish(
    *, by: Any, version: QuestionnaireVersion
) -> QuestionnaireVersion:
    _require(permissions.can_configure(by))
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise TransitionError(_("This version is already published."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    audit_record(
        actor=by,
        action="questionnaire_version.publish",
        obj=version,
        changes={"published_at": [None, version.published_at]},
    )
    return version


# --- visits --------------------------------------------------------------------------------------


@dataclass
class VisitInput:
    """What a visit form or API call gives. For a draft every field may be empty."""

    date: dt.date | None = None
    kind: str = VK.ONSITE
    purpose: str = ""
    notes: str = ""
    follow_up: str = ""
    location: str = ""
    officials: list[Any] = field(default_factory=list)
    enterprises: list[Any] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    # red flags set by the official: (enterprise, kind, note)
    red_flags: list[tuple[Any, str, str]] = field(default_factory=list)
    plan: VisitPlan | None = None


_FIELDS = ("date", "kind", "purpose", "notes", "follow_up", "location")


def _snapshot(visit: Visit) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(visit, name) for name in _FIELDS}
    data["status"] = visit.status
    if visit.pk:
        data["officials"] = sorted(u.get_username() for u in visit.officials.all())
        data["enterprises"] = sorted(e.name for e in visit.enterprises.all())
        data["answers"] = visit.answers
    return data


def _check_input(
    by: Any, data: VisitInput, *, complete: bool, version: QuestionnaireVersion | None
) -> None:
    """Every error of the input at once: the fields' and the answers' (nothing is saved)."""
    errors: dict[str, list[str]] = {}
    if data.kind not in VisitKind.values:
        errors["kind"] = [_("Choose how the enterprise was met.")]
    if data.date is not None and data.date > _today():
        errors["date"] = [_("A visit cannot be recorded for a future date; plan it instead.")]
    if len(data.enterprises) > MAX_VISIT_ENTERPRISES:
        errors["enterprises"] = [
            _("At most %(n)d enterprises per visit.") % {"n": MAX_VISIT_ENTERPRISES}
        ]
    if data.enterprises and not _in_scope(by, data.enterprises):
        errors["enterprises"] = [_("You can record visits only to enterprises in your scope.")]
    if data.officials and not _district_officials(by, data.officials):
        errors["officials"] = [_("Choose officials of your district.")]
    for enterprise, kind, _note in data.red_flags:
        if kind not in RedFlagKind.values:
            errors.setdefault("red_flags", []).append(_("Unknown kind of red flag."))
        if enterprise not in data.enterprises:
            errors.setdefault("red_flags", []).append(
                _("A red flag must concern one of the enterprises met.")
            )
    if complete:
        if data.date is None:
            errors.setdefault("date", []).append(_("Enter the date of the visit."))
        if not data.enterprises:
            errors.setdefault("enterprises", []).append(_("Choose the enterprises met."))
        if not data.officials:
            errors.setdefault("officials", []).append(_("Say who went on the visit."))
        if data.kind == VisitKind.SYMPOSIUM and len(data.enterprises) < 2:
            errors.setdefault("enterprises", []).append(
                _("A symposium meets at least two enterprises.")
            )
        if not data.notes.strip():
            errors.setdefault("notes", []).append(_("Write down what was discussed."))
    try:
        required = complete and len(data.enterprises) == 1
        clean_answers(version, data.answers, complete=complete, required=required)
    except ValidationError as error:
        errors.setdefault("answers", []).extend(error.message_dict.get("answers", error.messages))
    if errors:
        raise ValidationError(errors)


def _sync_flags(by: Any, visit: Visit, data: VisitInput, derived: list[tuple[str, str]]) -> None:
    """The visit's red flags become exactly those set on the form and those the answers raise.

    Flags already resolved are kept as they are. Answers describe the enterprise met, so derived
    flags are raised only on a visit to one enterprise; at a symposium the official sets them.
    """
    wanted: dict[tuple[int, str], tuple[str, str]] = {}
    for enterprise, kind, note in data.red_flags:
        wanted[(enterprise.pk, kind)] = (RS.OFFICIAL, note.strip()[:500])
    if len(data.enterprises) == 1:
        only = data.enterprises[0].pk
        for kind, note in derived:
            wanted.setdefault((only, kind), (RS.QUESTIONNAIRE, note[:500]))
    existing = {(f.enterprise_id, f.kind): f for f in visit.red_flags.all()}
    for key, flag in existing.items():
        if key not in wanted and flag.resolved_at is None:
            flag.delete()
    for (enterprise_id, kind), (source, note) in wanted.items():
        flag = existing.get((enterprise_id, kind))
        if flag is None:
            RedFlag.objects.create(
                enterprise_id=enterprise_id,
                visit=visit,
                kind=kind,
                source=source,
                note=note,
                raised_by=by,
                raised_on=visit.date or _today(),
            )
        elif flag.resolved_at is None and (flag.note, flag.source) != (note, source):
            flag.note, flag.source = note, source
            flag.save(update_fields=["note", "source"])


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _apply(by: Any, visit: Visit, data: VisitInput, *, complete: bool) -> None:
    version = visit.questionnaire or current_questionnaire()
    # the questionnaire is about the enterprise met: at a symposium nothing in it is required
    required = complete and len(data.enterprises) == 1
    answers = clean_answers(version, data.answers, complete=complete, required=required)
    for name in _FIELDS:
        value = getattr(data, name)
        setattr(visit, name, value.strip() if isinstance(value, str) else value)
    visit.questionnaire = version
    visit.answers = answers
    if data.plan is not None:
        visit.plan = data.plan
    if complete:
        visit.status = F
        visit.completed_at = visit.completed_at or timezone.now()
    if visit.date is None:
        # a draft without a date keeps today's, which the official changes when completing
        visit.date = _today()
    visit.full_clean(exclude=["client_token", "questionnaire", "plan"])
    visit.save()
    visit.officials.set(data.officials)
    visit.enterprises.set(data.enterprises)
    _sync_flags(by, visit, data, derived_flags(version, answers) if complete else [])
    if complete and visit.plan_id is not None:
        VisitPlan.objects.filter(pk=visit.plan_id, status=PlanStatus.PLANNED).update(
            status=PlanStatus.DONE
        )


@transaction.atomic
def visit_save(
    *,
    by: Any,
    data: VisitInput,
    visit: Visit | None = None,
    complete: bool = False,
    client_token: str = "",
) -> tuple[Visit, bool]:
    """Save a visit: as a draft (anything may still be missing) or completed (final).

    A new visit with a `client_token` already used by `by` is that visit (a repeated autosave or a
    double submit): it is updated rather than made twice. Returns (visit, created).
    """
    _require(permissions.can_record(by))
    action = "complete" if complete else "save_draft"
    created = False
    if visit is None and client_token:
        visit = Visit.objects.filter(created_by=by, client_token=client_token).first()
    if visit is None:
        _check_input(by, data, complete=complete, version=current_questionnaire())
        visit = Visit(created_by=by, client_token=client_token[:64], status=D)
        try:
            with transaction.atomic():
                _apply(by, visit, data, complete=complete)
        except IntegrityError:
            existing = Visit.objects.filter(created_by=by, client_token=client_token).first()
            if existing is None:
                raise
            return visit_save(by=by, data=data, visit=existing, complete=complete)
        created = True
        before: dict[str, Any] = {}
    else:
        visit = _locked(visit)
        _require(permissions.can_edit(by, visit))
        if action not in TRANSITIONS[visit.status]:
            raise TransitionError(_("A completed visit cannot go back to being a draft."))
        _check_input(
            by, data, complete=complete, version=visit.questionnaire or current_questionnaire()
        )
        before = _snapshot(visit)
        _apply(by, visit, data, complete=complete)
    after = _snapshot(visit)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes or created:
        if not complete:
            name = "visit.draft"
        elif before.get("status") == F:
            name = "visit.update"
        else:
            name = "visit.complete"
        audit_record(actor=by, action=name, obj=visit, changes=changes)
    return visit, created


@transaction.atomic
def visit_discard(*, by: Any, visit: Visit) -> None:
    """Throw away a draft (a completed visit is part of the record and stays)."""
    visit = _locked(visit)
    _require(permissions.can_edit(by, visit))
    if "discard" not in TRANSITIONS[visit.status]:
        raise TransitionError(_("Only a draft can be discarded."))
    if visit.appeals.exists():
        raise TransitionError(_("Appeals were raised from this draft: complete it instead."))
    audit_record(
        actor=by, action="visit.delete", obj=visit, changes={"status": [visit.status, None]}
    )
    visit.delete()


@transaction.atomic
def visit_attach(*, by: Any, visit: Visit, uploads: list[Any]) -> list[VisitAttachment]:
    """Attachments and photos of the visit; type and size are checked before anything is saved."""
    visit = _locked(visit)
    _require(permissions.can_edit(by, visit))
    uploads_checked.check_all(
        uploads,
        already=visit.attachments.count(),
        limit=MAX_VISIT_ATTACHMENTS,
        too_many=_("At most %(n)d attachments per visit.") % {"n": MAX_VISIT_ATTACHMENTS},
    )
    saved = [
        VisitAttachment.objects.create(
            visit=visit,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            content_type=uploads_checked.content_type(upload),
            uploaded_by=by,
        )
        for upload in uploads
    ]
    if saved:
        audit_record(
            actor=by,
            action="visit_attachment.create",
            obj=visit,
            changes={"attachments": [None, [a.name for a in saved]]},
        )
    return saved


APPEAL_CHANNEL = {
    VisitKind.ONSITE: "visit",
    VisitKind.SYMPOSIUM: "symposium",
    VisitKind.PHONE: "phone",
    VisitKind.VIDEO: "visit",
}


@transaction.atomic
def visit_raise_appeal(
    *,
    by: Any,
    visit: Visit,
    enterprise: Any,
    category: Any,
    title: str,
    description: str,
    kind: str = "problem",
    client_token: str = "",
) -> Any:
    """A problem heard on the visit becomes an appeal (诉求), linked both ways.

    Goes through the appeals module's intake (its numbering, time limits, routing and audit); the
    channel follows the kind of visit. A repeated `client_token` returns the appeal made the first
    time. Returns the appeal.
    """
    from qifu.appeals import services as appeals

    visit = _locked(visit)
    _require(permissions.can_edit(by, visit))
    if not visit.enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("Choose one of the enterprises met on this visit.")})
    if not title.strip() or not description.strip():
        raise ValidationError(_("An appeal needs a title and a description."))
    appeal, created = appeals.appeal_submit(
        by=by,
        enterprise=enterprise,
        kind=kind,
        category=category,
        title=title.strip()[:100],
        description=description.strip()[:5000],
        channel=APPEAL_CHANNEL.get(visit.kind, "visit"),
        client_token=client_token,
    )
    if created or not visit.appeals.filter(pk=appeal.pk).exists():
        visit.appeals.add(appeal)
        audit_record(
            actor=by,
            action="visit.raise_appeal",
            obj=visit,
            changes={"appeal": [None, appeal.number], "enterprise": [None, enterprise.name]},
        )
    return appeal


# --- plans ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    by: Any,
    date: dt.date,
    purpose: str,
    enterprises: list[Any],
    officials: list[Any],
    kind: str = VK.ONSITE,
) -> VisitPlan:
    _require(permissions.can_record(by))
    errors: dict[str, list[str]] = {}
    if kind not in VisitKind.values:
        errors["kind"] = [_("Choose how the enterprise will be met.")]
    if date < _today():
        errors["date"] = [_("A plan is for today or later.")]
    if not purpose.strip():
        errors["purpose"] = [_("Say what the visit is for.")]
    if not enterprises:
        errors["enterprises"] = [_("Choose the enterprises to visit.")]
    elif not _in_scope(by, enterprises):
        errors["enterprises"] = [_("You can plan visits only to enterprises in your scope.")]
    if not officials or not _district_officials(by, officials):
        errors["officials"] = [_("Choose officials of your district.")]
    if errors:
        raise ValidationError(errors)
    plan = VisitPlan.objects.create(
        date=date, purpose=purpose.strip()[:200], kind=kind, created_by=by
    )
    plan.enterprises.set(enterprises)
    plan.officials.set(officials)
    audit_record(
        actor=by,
        action="visit_plan.create",
        obj=plan,
        changes={
            "date": [None, date],
            "enterprises": [None, sorted(e.name for e in enterprises)],
            "officials": [None, sorted(u.get_username() for u in officials)],
        },
    )
    return plan


@transaction.atomic
def plan_cancel(*, by: Any, plan: VisitPlan) -> VisitPlan:
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    _require(plan.created_by_id == by.pk or plan.officials.filter(pk=by.pk).exists())
    if plan.status != PlanStatus.PLANNED:
        raise TransitionError(_("Only a planned visit can be cancelled."))
    plan.status = PlanStatus.CANCELLED
    plan.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="visit_plan.cancel",
        obj=plan,
        changes={"status": [PlanStatus.PLANNED, PlanStatus.CANCELLED]},
    )
    return plan


# --- red flags -----------------------------------------------------------------------------------


@transaction.atomic
def red_flag_raise(*, by: Any, enterprise: Any, kind: str, note: str) -> RedFlag:
    """A red flag heard outside a recorded visit (a phone call from the enterprise, say)."""
    _require(permissions.can_record(by))
    if not _in_scope(by, [enterprise]):
        raise PermissionDenied
    if kind not in RedFlagKind.values:
        raise ValidationError({"kind": _("Unknown kind of red flag.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what was heard.")})
    flag = RedFlag.objects.create(
        enterprise=enterprise, kind=kind, note=note.strip()[:500], raised_by=by, raised_on=_today()
    )
    audit_record(
        actor=by,
        action="red_flag.create",
        obj=flag,
        changes={"kind": [None, kind], "note": [None, flag.note]},
    )
    return flag


@transaction.atomic
def red_flag_resolve(*, by: Any, flag: RedFlag, resolution: str) -> RedFlag:
    flag = (
        RedFlag.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=flag.pk)
    )
    _require(permissions.can_resolve_flag(by, flag) and _in_scope(by, [flag.enterprise]))
    if flag.resolved_at is not None:
        raise TransitionError(_("This red flag is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how it was resolved.")})
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.resolution = resolution.strip()[:500]
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=by,
        action="red_flag.resolve",
        obj=flag,
        changes={"resolved": [False, True], "resolution": [None, flag.resolution]},
    )
    return flag


# --- appeals heard on a visit --------------------------------------------------------------------


@transaction.atomic
def visit_link_appeal(*, by: Any, visit: Visit, appeal: Any) -> bool:
    """Link an appeal that was submitted on its own to the visit where the problem was heard.

    The appeal must concern one of the enterprises met. Linking twice changes nothing. Returns
    whether a link was made.
    """
    visit = _locked(visit)
    _require(permissions.can_edit(by, visit))
    if not visit.enterprises.filter(pk=appeal.enterprise_id).exists():
        raise ValidationError(
            {"appeal": _("The appeal must concern one of the enterprises met on this visit.")}
        )
    if visit.appeals.filter(pk=appeal.pk).exists():
        return False
    visit.appeals.add(appeal)
    audit_record(
        actor=by,
        action="visit.link_appeal",
        obj=visit,
        changes={"appeal": [None, appeal.number], "enterprise": [None, appeal.enterprise.name]},
    )
    return True
