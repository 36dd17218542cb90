"""Every change to an idea. The workflow's allowed transitions are the one table below.

Each change locks the idea's row, checks the state (a wrong state is `TransitionError`: a message
on the page, 409 in the API) and the actor (`PermissionDenied`), writes an `IdeaEvent` (the idea's
timeline) and one audit event, and tells the author through the outbox (text message or e-mail)
when their idea is published or not, answered, adopted or declined.

Submitting, supporting and reporting come from the public: they also pass the block list, the
rate limits and, after repeated submissions, the CAPTCHA (`abuse`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qifu.accounts.models import Role, User
from qifu.audit.services import audit_record
from qifu.core.models import Department, OrgUnit, Zone
from qifu.ideas import abuse, permissions
from qifu.ideas.models import (
    BODY_MAX,
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    TITLE_MAX,
    AnswerStatus,
    BlockedSender,
    BlockKind,
    ContactKind,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Outcome,
    Progress,
    Report,
    Status,
    Support,
    Topic,
)
from qifu.lib.masking import mask_contact
from qifu.notices import services as notices
from qifu.notices.models import Channel, OutboxMessage

S: Any = Status
MODERATOR, EVALUATOR, STAFF, AUTHOR, PUBLIC = "moderator", "evaluator", "staff", "author", "public"
LIVE: frozenset[Any] = frozenset({S.SUBMITTED, S.PUBLISHED, S.EVALUATING})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Any]
    target: Any  # None: the status does not change (or depends on the answer approved)
    who: str


# submitted → published | not published; published → under evaluation (a department) → adopted |
# not adopted; submitted, published or under evaluation → duplicate, or withdrawn by the author.
TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(frozenset({S.SUBMITTED}), S.PUBLISHED, MODERATOR),
    "reject": Transition(frozenset({S.SUBMITTED}), S.NOT_PUBLISHED, MODERATOR),
    "assign": Transition(frozenset({S.PUBLISHED, S.EVALUATING}), S.EVALUATING, MODERATOR),
    "answer": Transition(frozenset({S.EVALUATING}), None, EVALUATOR),
    "approve_answer": Transition(frozenset({S.EVALUATING}), None, MODERATOR),
    "return_answer": Transition(frozenset({S.EVALUATING}), None, MODERATOR),
    "adopt": Transition(frozenset({S.PUBLISHED, S.EVALUATING}), S.ADOPTED, MODERATOR),
    "decline": Transition(frozenset({S.PUBLISHED, S.EVALUATING}), S.DECLINED, MODERATOR),
    "mark_duplicate": Transition(LIVE, S.DUPLICATE, MODERATOR),
    "withdraw": Transition(LIVE, S.WITHDRAWN, AUTHOR),
    "hide": Transition(PUBLIC_STATUSES, None, MODERATOR),
    "restore": Transition(PUBLIC_STATUSES, None, MODERATOR),
    "edit": Transition(LIVE | {S.ADOPTED, S.DECLINED, S.DUPLICATE}, None, MODERATOR),
    "progress": Transition(frozenset({S.ADOPTED}), None, STAFF),
    "support": Transition(OPEN_STATUSES, None, PUBLIC),
    "report": Transition(PUBLIC_STATUSES, None, PUBLIC),
}
MODERATION_ACTIONS = frozenset({"edit", "hide", "restore", "report", "hidden_by_reports", "block"})


class TransitionError(Exception):
    """The action is not allowed from the idea's current state (HTTP 409)."""


class AlreadyDone(Exception):
    """The same contact already supported or reported this idea (HTTP 409)."""


def _not_now(idea: Idea, action: str) -> str:
    """Why an action that the status allows still cannot be done ("" when it can)."""
    if action == "answer" and _pending_answer(idea) is not None:
        return _("An answer is already waiting for approval.")
    if action in ("approve_answer", "return_answer") and _pending_answer(idea) is None:
        return _("There is no answer waiting for approval.")
    if action == "hide" and idea.hidden:
        return _("The idea is already hidden.")
    if action == "restore" and not idea.hidden and not idea.open_reports:
        return _("The idea is not hidden and has no reports to review.")
    return ""


def refusal(*, idea: Idea, action: str, user: Any) -> Exception | None:
    """Why `user` may not do `action` now, as the service would refuse it: the state first
    (`TransitionError`), then the actor (`PermissionDenied`). None when it is allowed."""
    try:
        _check(idea, action, user)
    except (TransitionError, PermissionDenied) as error:
        return error
    reason = _not_now(idea, action)
    return TransitionError(reason) if reason else None


def allowed(*, idea: Idea, action: str, user: Any) -> bool:
    """Whether `user` may do `action` now: the state allows it and the user is the right actor."""
    rule = TRANSITIONS[action]
    if idea.status not in rule.sources or not _is_actor(rule.who, user, idea):
        return False
    return not _not_now(idea, action)


def _is_actor(who: str, user: Any, idea: Idea) -> bool:
    if who == MODERATOR:
        return permissions.can_moderate(user, idea)
    if who == EVALUATOR:
        return permissions.can_evaluate(user, idea)
    if who == STAFF:
        return permissions.can_moderate(user, idea) or permissions.can_evaluate(user, idea)
    return who in (AUTHOR, PUBLIC)


def _check(idea: Idea, action: str, user: Any) -> Transition:
    rule = TRANSITIONS[action]
    if idea.status not in rule.sources:
        raise TransitionError(
            _("This cannot be done now: the idea is %(status)s.")
            % {"status": idea.get_status_display()}
        )
    if not _is_actor(rule.who, user, idea):
        raise PermissionDenied
    return rule


def _lock(idea: Idea) -> Idea:
    return Idea.objects.select_for_update(of=("self",)).select_related("district").get(pk=idea.pk)


def _event(
    idea: Idea,
    *,
    by: Any,
    action: str,
    before: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    actor = by if getattr(by, "is_authenticated", False) else None
    IdeaEvent.objects.create(
        idea=idea,
        actor=actor,
        action=action,
        from_status=before,
        to_status=idea.status,
        note=note,
        data=data or {},
    )
    changes: dict[str, Any] = {"status": [before, idea.status]} if before != idea.status else {}
    if note:
        changes["note"] = note
    audit_record(actor=actor, action=f"idea.{action}", obj=idea, changes=changes)


def _text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("%(field)s is required.") % {"field": label}})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("%(field)s is too long: at most %(limit)s characters (now %(n)s).")
                % {"field": label, "limit": limit, "n": len(value)}
            }
        )
    return value


# --- telling people ---------------------------------------------------------------------------


def _public_url(idea: Idea) -> str:
    return reverse("ideas:detail", args=[idea.pk])


def _tell_author(idea: Idea, subject: str, text: str) -> None:
    """A text message or an e-mail to the author, through the outbox (sent after the commit)."""
    now = timezone.now()
    if idea.contact_kind == ContactKind.PHONE:
        message = OutboxMessage(
            channel=Channel.SMS, recipient=idea.contact, body=text, next_attempt_at=now
        )
    else:
        message = OutboxMessage(
            channel=Channel.EMAIL,
            recipient=idea.contact,
            subject=subject[:200],
            body=text,
            next_attempt_at=now,
        )
    notices.outbox_enqueue([message])


def _staff_url(idea: Idea) -> str:
    return reverse("ideas:manage-detail", args=[idea.pk])


def _moderators(idea: Idea) -> list[User]:
    return list(
        User.objects.filter(role=Role.DISTRICT_LEADER, org_unit_id=idea.district_id, is_active=True)
    )


def _department_staff(department: Department) -> list[User]:
    return list(
        User.objects.filter(role=Role.DEPARTMENT_STAFF, department=department, is_active=True)
    )


# --- tracking codes ---------------------------------------------------------------------------

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_CODE_LENGTH = 10


def _code_from(raw: bytes) -> str:
    chars = "".join(_ALPHABET[b % len(_ALPHABET)] for b in raw[:_CODE_LENGTH])
    return f"{chars[:5]}-{chars[5:]}"


def tracking_code_for(client_token: str | None) -> str:
    """The author's tracking code (查询码). Derived from the form's token when there is one, so
    that a repeated submission of the same form shows the same code; random otherwise."""
    if client_token:
        return _code_from(salted_hmac("qifu.ideas.tracking", client_token).digest())
    return _code_from(secrets.token_bytes(_CODE_LENGTH))


def tracking_hash(code: str) -> str:
    normal = re.sub(r"[\s\-]", "", (code or "").upper())
    return hashlib.sha256(normal.encode()).hexdigest()


# --- the public: submit, support, report, withdraw ----------------------------------------------


@dataclass(frozen=True)
class IdeaInput:
    title: str
    body: str
    topic: str
    contact: str
    consent: bool
    zone: str = ""  # a zone's code; empty: the whole district
    author_name: str = ""
    client_token: str = ""


@dataclass(frozen=True)
class Submitted:
    idea: Idea
    code: str  # empty when the same idea had already come without a token
    created: bool


REPEAT_WINDOW = dt.timedelta(minutes=30)


def _clean_input(data: IdeaInput, district: OrgUnit) -> tuple[dict[str, Any], abuse.Contact]:
    errors: dict[str, list[str]] = {}

    def take(field: str, fn: Any) -> Any:
        try:
            return fn()
        except ValidationError as error:
            for key, messages in (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [(field, error.messages)]
            ):
                errors.setdefault(key, []).extend(messages)
            return None

    title = take(
        "title",
        lambda: _text(
            " ".join((data.title or "").split()), field="title", label=_("Title"), limit=TITLE_MAX
        ),
    )
    body = take("body", lambda: _text(data.body, field="body", label=_("Idea"), limit=BODY_MAX))
    name = take(
        "author_name",
        lambda: _text(
            data.author_name,
            field="author_name",
            label=pgettext("person", "Name"),
            limit=30,
            required=False,
        ),
    )
    if data.topic not in Topic.values:
        errors.setdefault("topic", []).append(_("Choose a topic."))
    zone = None
    if data.zone:
        zone = Zone.objects.filter(district=district, code=data.zone).first()
        if zone is None:
            errors.setdefault("zone", []).append(_("Choose a zone of the district."))
    if not data.consent:
        errors.setdefault("consent", []).append(
            _("Please agree to how your contact details are kept and used.")
        )
    contact = take("contact", lambda: abuse.contact_parse(data.contact))
    if len(data.client_token or "") > 64:
        errors.setdefault("client_token", []).append(_("The form token is not valid."))
    if errors:
        raise ValidationError(errors)
    values = {"title": title, "body": body, "author_name": name, "topic": data.topic, "zone": zone}
    return values, contact


def idea_submit(
    *,
    data: IdeaInput,
    ip: str | None,
    district: OrgUnit,
    captcha_passed: bool = False,
) -> Submitted:
    """A new idea from the public, waiting for review. A repeated submission (the same form
    token, or the same text from the same contact within half an hour) is the same idea."""
    values, contact = _clean_input(data, district)
    token = (data.client_token or "").strip() or None
    if token:
        existing = Idea.objects.filter(client_token=token).first()
        if existing is not None:
            return Submitted(idea=existing, code=tracking_code_for(token), created=False)
    repeat = Idea.objects.filter(
        contact_key=contact.key,
        title=values["title"],
        body=values["body"],
        submitted_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if repeat is not None:
        return Submitted(idea=repeat, code="", created=False)
    ip_k = abuse.ip_key(ip)
    abuse.check_blocked(district_id=district.pk, contact_key=contact.key, ip=ip_k)
    abuse.check_idea_rate(contact_key=contact.key, ip=ip_k)
    if not captcha_passed and abuse.captcha_needed(contact_key=contact.key, ip=ip_k):
        raise abuse.CaptchaRequired(_("Please type the characters in the picture."))
    code = tracking_code_for(token)
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                district=district,
                contact=contact.value,
                contact_kind=contact.kind,
                contact_key=contact.key,
                ip_key=ip_k,
                consent_at=timezone.now(),
                tracking_hash=tracking_hash(code),
                client_token=token,
                **values,
            )
            _event(idea, by=None, action="submit", before="")
            _tell_author(
                idea,
                _("Your idea has been received"),
                _(
                    "Your idea 「%(title)s」 has been received and will be reviewed. Your tracking "
                    "code is %(code)s: use it to follow or withdraw your idea."
                )
                % {"title": idea.title, "code": code},
            )
    except IntegrityError:
        # the same form token, submitted twice at the same moment
        existing = Idea.objects.filter(client_token=token).first() if token else None
        if existing is None:
            raise
        return Submitted(idea=existing, code=code, created=False)
    return Submitted(idea=idea, code=code, created=True)


@transaction.atomic
def idea_support(*, idea: Idea, contact: str, ip: str | None) -> Support:
    """附议: one support per contact per idea, while the idea is open."""
    idea = _lock(idea)
    if idea.hidden:
        raise TransitionError(_("This idea is being reviewed and cannot be supported now."))
    _check(idea, "support", None)
    parsed = abuse.contact_parse(contact)
    ip_k = abuse.ip_key(ip)
    abuse.check_blocked(district_id=idea.district_id, contact_key=parsed.key, ip=ip_k)
    abuse.check_support_rate(ip=ip_k)
    if Support.objects.filter(idea=idea, contact_key=parsed.key).exists():
        raise AlreadyDone(_("You have already supported this idea."))
    support = Support.objects.create(idea=idea, contact_key=parsed.key, ip_key=ip_k)
    idea.support_count += 1
    idea.save(update_fields=["support_count", "updated_at"])
    audit_record(actor=None, action="idea.support", obj=idea)
    return support


@transaction.atomic
def idea_report(*, idea: Idea, contact: str, reason: str, ip: str | None) -> Report:
    """A report from the public; the third open report hides the idea until a moderator looks."""
    idea = _lock(idea)
    if idea.hidden:
        raise TransitionError(_("This idea is already being reviewed."))
    _check(idea, "report", None)
    reason = _text(reason, field="reason", label=_("Reason"), limit=200)
    parsed = abuse.contact_parse(contact)
    ip_k = abuse.ip_key(ip)
    abuse.check_blocked(district_id=idea.district_id, contact_key=parsed.key, ip=ip_k)
    abuse.check_report_rate(ip=ip_k)
    if Report.objects.filter(idea=idea, contact_key=parsed.key).exists():
        raise AlreadyDone(_("You have already reported this idea."))
    report = Report.objects.create(idea=idea, reason=reason, contact_key=parsed.key, ip_key=ip_k)
    idea.open_reports += 1
    fields = ["open_reports", "updated_at"]
    _event(idea, by=None, action="report", before=idea.status, note=reason)
    if idea.open_reports >= abuse.REPORTS_TO_HIDE:
        idea.hidden = True
        idea.hidden_reason = _("Reported by the public; waiting for review.")
        fields += ["hidden", "hidden_reason"]
        _event(idea, by=None, action="hidden_by_reports", before=idea.status)
        notices.notify(
            users=_moderators(idea),
            title=_("Idea hidden after reports: %(title)s") % {"title": idea.title},
            body=_("%(n)s reports from the public hid this idea until it is reviewed.")
            % {"n": idea.open_reports},
            url=_staff_url(idea),
            email=False,
        )
    idea.save(update_fields=fields)
    return report


@transaction.atomic
def idea_withdraw(*, idea: Idea, code: str) -> Idea:
    """The author withdraws the idea with its tracking code."""
    idea = _lock(idea)
    if not secrets.compare_digest(idea.tracking_hash, tracking_hash(code)):
        raise PermissionDenied
    _check(idea, "withdraw", None)
    before = idea.status
    idea.status = Status.WITHDRAWN
    idea.save(update_fields=["status", "updated_at"])
    IdeaAnswer.objects.filter(idea=idea, status=AnswerStatus.PENDING).update(
        status=AnswerStatus.RETURNED, note=_("The author withdrew the idea.")
    )
    _event(idea, by=None, action="withdraw", before=before)
    return idea


# --- moderation ---------------------------------------------------------------------------------


@transaction.atomic
def idea_publish(*, idea: Idea, by: Any) -> Idea:
    idea = _lock(idea)
    _check(idea, "publish", by)
    before = idea.status
    idea.status = Status.PUBLISHED
    idea.published_at = timezone.now()
    idea.save(update_fields=["status", "published_at", "updated_at"])
    _event(idea, by=by, action="publish", before=before)
    _tell_author(
        idea,
        _("Your idea has been published"),
        _("Your idea 「%(title)s」 has been published on the district's ideas portal.")
        % {"title": idea.title},
    )
    return idea


@transaction.atomic
def idea_reject(*, idea: Idea, by: Any, reason: str) -> Idea:
    """不予公开, with a reason that is sent to the author."""
    idea = _lock(idea)
    _check(idea, "reject", by)
    reason = _text(reason, field="reason", label=_("Reason"), limit=500)
    before = idea.status
    idea.status = Status.NOT_PUBLISHED
    idea.rejection_reason = reason
    idea.decided_at = timezone.now()
    idea.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    _event(idea, by=by, action="reject", before=before, note=reason)
    _tell_author(
        idea,
        _("Your idea was not published"),
        _("Your idea 「%(title)s」 was not published: %(reason)s")
        % {
            "title": idea.title,
            "reason": reason,
        },
    )
    return idea


@transaction.atomic
def idea_assign(*, idea: Idea, by: Any, department: Department, note: str = "") -> Idea:
    """Hand the idea to a department of the district to evaluate (or to another one)."""
    idea = _lock(idea)
    _check(idea, "assign", by)
    if department.district_id != idea.district_id or not department.is_active:
        raise ValidationError({"department": _("Choose an active department of the district.")})
    if idea.department_id == department.pk and idea.status == Status.EVALUATING:
        raise TransitionError(_("The idea is already with this department."))
    before = idea.status
    idea.status = Status.EVALUATING
    idea.department = department
    idea.save(update_fields=["status", "department", "updated_at"])
    IdeaAnswer.objects.filter(idea=idea, status=AnswerStatus.PENDING).update(
        status=AnswerStatus.RETURNED, note=_("The idea was handed to another department.")
    )
    _event(
        idea,
        by=by,
        action="assign",
        before=before,
        note=note.strip(),
        data={"department": department.name},
    )
    notices.notify(
        users=_department_staff(department),
        title=_("An idea to evaluate: %(title)s") % {"title": idea.title},
        body=note.strip(),
        url=_staff_url(idea),
    )
    return idea


def _pending_answer(idea: Idea) -> IdeaAnswer | None:
    return IdeaAnswer.objects.filter(idea=idea, status=AnswerStatus.PENDING).first()


def _check_plan(plan: str, due_on: dt.date | None) -> str:
    plan = _text(plan, field="plan", label=_("What will be done"), limit=BODY_MAX)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date by which it will be done.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date by which it will be done is in the past.")})
    return plan


@transaction.atomic
def idea_answer(
    *,
    idea: Idea,
    by: Any,
    text: str,
    outcome: str,
    plan: str = "",
    due_on: dt.date | None = None,
) -> IdeaAnswer:
    """The department drafts the answer and proposes the outcome; a leader approves it."""
    idea = _lock(idea)
    _check(idea, "answer", by)
    if reason := _not_now(idea, "answer"):
        raise TransitionError(reason)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the proposed outcome.")})
    text = _text(text, field="text", label=_("Answer"), limit=BODY_MAX)
    if outcome == Outcome.ADOPT:
        plan = _check_plan(plan, due_on)
    else:
        plan, due_on = "", None
    answer = IdeaAnswer.objects.create(
        idea=idea,
        department=idea.department,
        text=text,
        outcome=outcome,
        plan=plan,
        due_on=due_on,
        drafted_by=by,
    )
    _event(idea, by=by, action="answer", before=idea.status, data={"outcome": outcome})
    notices.notify(
        users=_moderators(idea),
        title=_("An answer to approve: %(title)s") % {"title": idea.title},
        url=_staff_url(idea),
    )
    return answer


def _publish_answer(idea: Idea, *, by: Any, text: str, now: dt.datetime) -> None:
    idea.answer_text = text
    idea.answered_at = now
    idea.answered_by = by


def _supersede_pending(idea: Idea, by: Any, note: str) -> None:
    IdeaAnswer.objects.filter(idea=idea, status=AnswerStatus.PENDING).update(
        status=AnswerStatus.RETURNED, decided_by=by, decided_at=timezone.now(), note=note
    )


def _announce_answer(idea: Idea) -> None:
    if idea.status == Status.ADOPTED:
        subject = _("Your idea has been adopted")
        text = _("Your idea 「%(title)s」 has been adopted: %(plan)s (by %(due)s).") % {
            "title": idea.title,
            "plan": idea.adoption_plan,
            "due": idea.adoption_due,
        }
    else:
        subject = _("Your idea has been answered")
        text = _("Your idea 「%(title)s」 has an official answer: %(answer)s") % {
            "title": idea.title,
            "answer": idea.answer_text,
        }
    _tell_author(idea, subject, text)


@transaction.atomic
def idea_approve_answer(*, idea: Idea, by: Any) -> Idea:
    """Publish the department's answer; its proposed outcome takes effect."""
    idea = _lock(idea)
    _check(idea, "approve_answer", by)
    answer = _pending_answer(idea)
    if answer is None:
        raise TransitionError(_("There is no answer waiting for approval."))
    before = idea.status
    now = timezone.now()
    answer.status = AnswerStatus.APPROVED
    answer.decided_by = by
    answer.decided_at = now
    answer.save(update_fields=["status", "decided_by", "decided_at"])
    _publish_answer(idea, by=by, text=answer.text, now=now)
    if answer.outcome == Outcome.ADOPT:
        idea.status = Status.ADOPTED
        idea.adoption_plan = answer.plan
        idea.adoption_due = answer.due_on
        idea.decided_at = now
    elif answer.outcome == Outcome.DECLINE:
        idea.status = Status.DECLINED
        idea.decided_at = now
    idea.save()
    _event(idea, by=by, action="approve_answer", before=before, data={"outcome": answer.outcome})
    _announce_answer(idea)
    return idea


@transaction.atomic
def idea_return_answer(*, idea: Idea, by: Any, note: str) -> IdeaAnswer:
    """Send the draft back to the department with what to change."""
    idea = _lock(idea)
    _check(idea, "return_answer", by)
    answer = _pending_answer(idea)
    if answer is None:
        raise TransitionError(_("There is no answer waiting for approval."))
    note = _text(note, field="note", label=_("What to change"), limit=500)
    answer.status = AnswerStatus.RETURNED
    answer.decided_by = by
    answer.decided_at = timezone.now()
    answer.note = note
    answer.save(update_fields=["status", "decided_by", "decided_at", "note"])
    _event(idea, by=by, action="return_answer", before=idea.status, note=note)
    notices.notify(
        users=_department_staff(answer.department),
        title=_("Answer returned: %(title)s") % {"title": idea.title},
        body=note,
        url=_staff_url(idea),
    )
    return answer


@transaction.atomic
def idea_adopt(*, idea: Idea, by: Any, plan: str, due_on: dt.date | None, text: str = "") -> Idea:
    """A leader adopts the idea: what will be done and by when, published at once."""
    idea = _lock(idea)
    _check(idea, "adopt", by)
    plan = _check_plan(plan, due_on)
    text = _text(text, field="text", label=_("Answer"), limit=BODY_MAX, required=False)
    before = idea.status
    now = timezone.now()
    _supersede_pending(idea, by, _("Decided by a district leader."))
    _publish_answer(idea, by=by, text=text or plan, now=now)
    idea.status = Status.ADOPTED
    idea.adoption_plan = plan
    idea.adoption_due = due_on
    idea.decided_at = now
    idea.save()
    _event(idea, by=by, action="adopt", before=before)
    _announce_answer(idea)
    return idea


@transaction.atomic
def idea_decline(*, idea: Idea, by: Any, reason: str) -> Idea:
    """A leader does not adopt the idea; the reason is the published answer."""
    idea = _lock(idea)
    _check(idea, "decline", by)
    reason = _text(reason, field="reason", label=_("Reason"), limit=BODY_MAX)
    before = idea.status
    now = timezone.now()
    _supersede_pending(idea, by, _("Decided by a district leader."))
    _publish_answer(idea, by=by, text=reason, now=now)
    idea.status = Status.DECLINED
    idea.decided_at = now
    idea.save()
    _event(idea, by=by, action="decline", before=before, note=reason)
    _announce_answer(idea)
    return idea


@transaction.atomic
def idea_mark_duplicate(*, idea: Idea, by: Any, target: Idea, note: str = "") -> Idea:
    """The idea repeats a published one; its supporters are pointed there."""
    idea = _lock(idea)
    _check(idea, "mark_duplicate", by)
    while target.duplicate_of_id is not None and target.status == Status.DUPLICATE:
        target = Idea.objects.get(pk=target.duplicate_of_id)
    if target.pk == idea.pk:
        raise ValidationError({"target": _("An idea cannot duplicate itself.")})
    if target.district_id != idea.district_id or target.status not in PUBLIC_STATUSES:
        raise ValidationError({"target": _("Choose a published idea of the same district.")})
    before = idea.status
    idea.status = Status.DUPLICATE
    idea.duplicate_of = target
    idea.decided_at = timezone.now()
    if idea.published_at is None:
        idea.published_at = idea.decided_at
    idea.save()
    _supersede_pending(idea, by, _("The idea was marked as a duplicate."))
    _event(
        idea,
        by=by,
        action="mark_duplicate",
        before=before,
        note=note.strip(),
        data={"target": target.pk},
    )
    _tell_author(
        idea,
        _("Your idea joins an earlier one"),
        _("Your idea 「%(title)s」 repeats the published idea 「%(target)s」, followed there.")
        % {"title": idea.title, "target": target.title},
    )
    return idea


@transaction.atomic
def idea_hide(*, idea: Idea, by: Any, reason: str) -> Idea:
    idea = _lock(idea)
    _check(idea, "hide", by)
    if not_now := _not_now(idea, "hide"):
        raise TransitionError(not_now)
    reason = _text(reason, field="reason", label=_("Reason"), limit=200)
    idea.hidden = True
    idea.hidden_reason = reason
    idea.open_reports = 0
    idea.save(update_fields=["hidden", "hidden_reason", "open_reports", "updated_at"])
    Report.objects.filter(idea=idea, reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    _event(idea, by=by, action="hide", before=idea.status, note=reason)
    return idea


@transaction.atomic
def idea_restore(*, idea: Idea, by: Any, note: str = "") -> Idea:
    """Show the idea again (or dismiss the reports it has), after review."""
    idea = _lock(idea)
    _check(idea, "restore", by)
    if reason := _not_now(idea, "restore"):
        raise TransitionError(reason)
    idea.hidden = False
    idea.hidden_reason = ""
    idea.open_reports = 0
    idea.save(update_fields=["hidden", "hidden_reason", "open_reports", "updated_at"])
    Report.objects.filter(idea=idea, reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    _event(idea, by=by, action="restore", before=idea.status, note=note.strip())
    return idea


@transaction.atomic
def idea_edit(*, idea: Idea, by: Any, title: str, body: str, note: str) -> Idea:
    """A moderator's edit (personal data, abuse); the original text stays in the timeline."""
    idea = _lock(idea)
    _check(idea, "edit", by)
    title = _text(" ".join((title or "").split()), field="title", label=_("Title"), limit=TITLE_MAX)
    body = _text(body, field="body", label=_("Idea"), limit=BODY_MAX)
    note = _text(note, field="note", label=_("Reason for the edit"), limit=200)
    if title == idea.title and body == idea.body:
        raise ValidationError({"body": _("Nothing was changed.")})
    data = {
        "before": {"title": idea.title, "body": idea.body},
        "after": {"title": title, "body": body},
    }
    idea.title, idea.body = title, body
    idea.save(update_fields=["title", "body", "updated_at"])
    _event(idea, by=by, action="edit", before=idea.status, note=note, data=data)
    return idea


@transaction.atomic
def idea_progress(
    *, idea: Idea, by: Any, text: str, on: dt.date | None = None, done: bool = False
) -> Progress:
    """What has been done on an adopted idea ("you said, we did")."""
    idea = _lock(idea)
    _check(idea, "progress", by)
    text = _text(text, field="text", label=_("What was done"), limit=BODY_MAX)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future.")})
    progress = Progress.objects.create(idea=idea, on=on, text=text, done=done, by=by)
    _event(idea, by=by, action="progress", before=idea.status, note=text, data={"done": done})
    return progress


# --- the block list -----------------------------------------------------------------------------


@transaction.atomic
def sender_block(
    *,
    by: Any,
    idea: Idea,
    reason: str,
    until: dt.date | None = None,
    network: bool = False,
) -> list[BlockedSender]:
    """Block the author of an idea (their contact, and their network address if asked)."""
    if not permissions.can_moderate(by, idea):
        raise PermissionDenied
    reason = _text(reason, field="reason", label=_("Reason"), limit=200)
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("The date is in the past.")})
    wanted = [(BlockKind.CONTACT, idea.contact_key, mask_contact(idea.contact))]
    if network and idea.ip_key:
        wanted.append(
            (BlockKind.IP, idea.ip_key, _("Network address of idea %(n)s") % {"n": idea.pk})
        )
    made = []
    for kind, key, label in wanted:
        block, created = BlockedSender.objects.update_or_create(
            district_id=idea.district_id,
            kind=kind,
            key=key,
            defaults={"label": label, "reason": reason, "until": until, "created_by": by},
        )
        made.append(block)
        audit_record(
            actor=by,
            action="idea_block.create" if created else "idea_block.update",
            obj=block,
            changes={"reason": reason, "until": until},
        )
    IdeaEvent.objects.create(
        idea=idea,
        actor=by,
        action="block",
        note=reason,
        from_status=idea.status,
        to_status=idea.status,
    )
    return made


@transaction.atomic
def sender_unblock(*, by: Any, block: BlockedSender) -> None:
    if not permissions.is_moderator(by, block.district_id):
        raise PermissionDenied
    audit_record(actor=by, action="idea_block.delete", obj=block)
    block.delete()
