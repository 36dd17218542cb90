"""Every change to monthly data: the reporting list, forms, review, approval, reopening, reminders.

A form moves draft → submitted → accepted (or returned → submitted again). The district's
statistics staff approve a street once every expected form of it is accepted, and the district
once every street is approved; approvals lock the forms and are undone top-down. Each change
writes one audit event; a change to a value keeps the old value in that event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import Role, User
from qifu.audit.services import audit_record
from qifu.core import workdays
from qifu.core.models import Level, OrgUnit
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.lib import expressions
from qifu.notices import services as notices
from qifu.stats import periods, permissions
from qifu.stats.models import (
    Approval,
    DataSet,
    Indicator,
    Listing,
    Reminder,
    ReminderKind,
    Reopening,
    Submission,
    SubmissionStatus,
    ValidationRule,
    Value,
)
from qifu.stats.periods import Period

S: Any = SubmissionStatus
EDITABLE: frozenset[Any] = frozenset({S.DRAFT, S.RETURNED})
COLUMNS = ("month", "ytd", "base_month", "base_ytd")
MAX_ABS = Decimal("1e13")  # 10 万亿 千元: far above any enterprise, far below the column's limit
REMIND_DAYS_BEFORE = 3  # working days before the deadline


class TransitionError(Exception):
    """Not allowed from the current state (pages show a message, the API answers 409)."""


# --- the reporting list ------------------------------------------------------------------------


def qualifies(dataset: DataSet, enterprise: Enterprise) -> bool:
    return (
        enterprise.is_above_scale
        and enterprise.status == EnterpriseStatus.OPERATING
        and bool(enterprise.industry_section)
        and enterprise.industry_section in dataset.industry_sections
    )


def listing_sync(*, dataset: DataSet, period: Period, by: Any = None) -> dict[str, int]:
    """Bring the list for `period` in line with the registry: enterprises that now qualify join
    from `period`, those that no longer do leave after the period before it."""
    with transaction.atomic():
        listed = {
            row.enterprise_id: row
            for row in Listing.objects.filter(dataset=dataset, until="").select_for_update()
        }
        candidates = Enterprise.objects.filter(
            Q(is_above_scale=True, status=EnterpriseStatus.OPERATING) | Q(pk__in=listed)
        )
        joined: list[int] = []
        left: list[int] = []
        for enterprise in candidates:
            on_list = enterprise.pk in listed
            if qualifies(dataset, enterprise) and not on_list:
                Listing.objects.create(dataset=dataset, enterprise=enterprise, since=str(period))
                joined.append(enterprise.pk)
            elif on_list and not qualifies(dataset, enterprise):
                row = listed[enterprise.pk]
                if row.since >= str(period):
                    row.delete()  # listed from this period on: it never had to report
                else:
                    row.until = str(period.previous)
                    row.save(update_fields=["until"])
                left.append(enterprise.pk)
        if joined or left:
            audit_record(
                actor=by,
                action="stats.listing_sync",
                obj=dataset,
                changes={"period": str(period), "joined": joined, "left": left},
            )
    return {"joined": len(joined), "left": len(left)}


def is_listed(dataset: DataSet, enterprise: Any, period: Period) -> bool:
    p = str(period)
    return (
        Listing.objects.filter(dataset=dataset, enterprise=enterprise, since__lte=p)
        .filter(Q(until="") | Q(until__gte=p))
        .exists()
    )


# --- entry window ------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def reopened_until(dataset: DataSet, period: Period, street: OrgUnit) -> dt.date | None:
    found = (
        Reopening.objects.filter(
            dataset=dataset, period=str(period), org_unit_id__in=[street.pk, street.parent_id]
        )
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    return found


def entry_problem(dataset: DataSet, period: Period, street: OrgUnit) -> str:
    """Why entry is refused for `period` in `street` today, or "" when it is open."""
    today = _today()
    if today < periods.opens_on(dataset, period):
        return _("Entry for %(period)s opens on %(day)s.") % {
            "period": period.label,
            "day": periods.opens_on(dataset, period).isoformat(),
        }
    lock = periods.lock_date(dataset, period)
    if today >= lock:
        until = reopened_until(dataset, period, street)
        if until is None or until < today:
            return _(
                "Entry for %(period)s was locked on %(day)s; ask the district's statistics staff "
                "to reopen it."
            ) % {"period": period.label, "day": lock.isoformat()}
    return ""


def _street_approved(dataset: DataSet, period: Period, street_id: int) -> bool:
    return Approval.objects.filter(
        dataset=dataset, period=str(period), org_unit_id=street_id
    ).exists()


# --- values and rules --------------------------------------------------------------------------


def _indicators(dataset: DataSet) -> dict[str, Indicator]:
    return {i.code: i for i in dataset.indicators.all()}


def _number(raw: Any, *, field: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError({field: _("Enter a number.")})
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": str(raw)[:20]}}
        ) from None
    if not value.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if abs(value) >= MAX_ABS:
        raise ValidationError({field: _("The number is too large; amounts are in 千元.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Use at most two decimal places.")})
    return value.quantize(Decimal("0.01"))


def last_year_basis(
    dataset: DataSet, enterprise: Any, period: Period
) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """The same period last year from approved data: {indicator code: (month, ytd)}."""
    source = Submission.objects.filter(
        dataset=dataset, enterprise=enterprise, period=str(period.last_year), status=S.ACCEPTED
    ).first()
    # approved by its street, or by the district (which covers a street it has since left)
    approved = Approval.objects.filter(
        dataset=dataset,
        period=str(period.last_year),
        org_unit_id__in=[enterprise.street_id, enterprise.street.parent_id],
    ).exists()
    if source is None or not approved:
        return {}
    return {v.indicator.code: (v.month, v.ytd) for v in source.values.select_related("indicator")}


def previous_ytd(dataset: DataSet, enterprise: Any, period: Period) -> dict[str, Decimal | None]:
    """Last month's 1–month figures of the enterprise (January: zero, a new year starts)."""
    if period.month == 1:
        return {code: Decimal(0) for code in _indicators(dataset)}
    rows = Value.objects.filter(
        submission__dataset=dataset,
        submission__enterprise=enterprise,
        submission__period=str(period.previous),
    ).values_list("indicator__code", "ytd")
    return dict(rows)


def rule_values(submission: Submission) -> dict[tuple[str, str], Decimal | None]:
    values: dict[tuple[str, str], Decimal | None] = {}
    for value in submission.values.all():
        code = value.indicator.code
        for column in COLUMNS:
            values[(code, column)] = getattr(value, column)
    prev = previous_ytd(submission.dataset, submission.enterprise, Period.parse(submission.period))
    for code, ytd in prev.items():
        values[(code, "prev_ytd")] = ytd
    return values


def find_violations(
    rules: list[ValidationRule],
    values: dict[tuple[str, str], Decimal | None],
    indicators: dict[str, Indicator],
) -> list[dict[str, Any]]:
    """Every violation of `rules` by one form's `values`, in the shape stored and shown."""
    infos = {
        code: expressions.IndicatorInfo(code, i.kind, i.may_be_negative)
        for code, i in indicators.items()
    }
    found = []
    for rule in rules:
        for v in expressions.check(rule, values, indicators=infos):
            found.append(
                {
                    "rule": rule.code,
                    "name": rule.name,
                    "indicator": v.indicator_code,
                    # the fields a rule over several indicators is shown beside
                    "indicators": [v.indicator_code]
                    if v.indicator_code
                    else sorted(
                        {
                            code
                            for code, _column in expressions.references(rule.left)
                            | expressions.references(rule.right)
                            if code in indicators
                        }
                    ),
                    "indicator_name": indicators[v.indicator_code].name
                    if v.indicator_code in indicators
                    else "",
                    "importance": v.importance,
                    "instruction": v.instruction,
                    "left": str(v.left_value.quantize(Decimal("0.0001"))),
                    "right": str(v.right_value.quantize(Decimal("0.0001"))),
                }
            )
    return found


def evaluate_rules(submission: Submission) -> list[dict[str, Any]]:
    """Every violation of the active rules, as stored on the submission and shown to users."""
    return find_violations(
        list(ValidationRule.objects.filter(is_active=True)),
        rule_values(submission),
        _indicators(submission.dataset),
    )


def _store_violations(submission: Submission) -> None:
    found = evaluate_rules(submission)
    submission.violations = found
    submission.hard_violations = sum(1 for v in found if v["importance"] == "hard")
    submission.soft_violations = len(found) - submission.hard_violations


def _check_can_enter(user: Any, dataset: DataSet, enterprise: Any, period: Period) -> None:
    if not permissions.can_enter(user, enterprise):
        raise PermissionDenied(_("You may not enter figures for this enterprise."))
    if not is_listed(dataset, enterprise, period):
        raise ValidationError(
            {
                "enterprise": _("%(name)s is not on the reporting list for %(period)s.")
                % {"name": enterprise.name, "period": period.label}
            }
        )
    problem = entry_problem(dataset, period, enterprise.street)
    if problem:
        raise TransitionError(problem)
    if _street_approved(dataset, period, enterprise.street_id):
        raise TransitionError(_("The street's figures for this period are approved and locked."))


def submission_save(
    *, by: Any, dataset: DataSet, enterprise: Any, period: Any, values: list[dict[str, Any]]
) -> Submission:
    """Create or update a draft (or a returned form). Last year's columns left empty are filled
    from last year's approved figures; a different last-year figure needs a reason."""
    period = period if isinstance(period, Period) else Period.parse(period)
    _check_can_enter(by, dataset, enterprise, period)
    indicators = _indicators(dataset)
    basis = last_year_basis(dataset, enterprise, period)
    parsed: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(values):
        code = str(entry.get("indicator", ""))
        if code not in indicators:
            errors.setdefault(f"values[{index}].indicator", []).append(
                _("“%(code)s” is not an indicator of this form.") % {"code": code[:30]}
            )
            continue
        if code in parsed:
            errors.setdefault(f"values[{index}].indicator", []).append(
                _("%(name)s is given twice.") % {"name": indicators[code].name}
            )
            continue
        row: dict[str, Any] = {}
        for column in COLUMNS:
            try:
                row[column] = _number(entry.get(column), field=f"{code}.{column}")
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        reason = str(entry.get("base_reason") or "").strip()[:500]
        auto_month, auto_ytd = basis.get(code, (None, None))
        if basis:
            if row.get("base_month") is None:
                row["base_month"] = auto_month
            if row.get("base_ytd") is None:
                row["base_ytd"] = auto_ytd
            revised = (row["base_month"], row["base_ytd"]) != (auto_month, auto_ytd)
            if revised and not reason:
                errors.setdefault(f"{code}.base_reason", []).append(
                    _(
                        "%(name)s: last year's figures differ from the approved ones; give the "
                        "reason for the revision."
                    )
                    % {"name": indicators[code].name}
                )
            row["base_reason"] = reason if revised else ""
        else:
            row["base_reason"] = reason
        parsed[code] = row
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        submission, created = Submission.objects.select_for_update().get_or_create(
            dataset=dataset, enterprise=enterprise, period=str(period)
        )
        if submission.status not in EDITABLE:
            raise TransitionError(
                _("This form is %(status)s and cannot be changed; the street can return it.")
                % {"status": submission.get_status_display()}
            )
        existing = {v.indicator.code: v for v in submission.values.select_related("indicator")}
        changes: dict[str, list[Any]] = {}
        for code, indicator in indicators.items():
            given: dict[str, Any] | None = parsed.get(code)
            value = existing.get(code)
            if value is None:
                value = Value(submission=submission, indicator=indicator)
                if given is None:
                    auto_month, auto_ytd = basis.get(code, (None, None))
                    given = {"base_month": auto_month, "base_ytd": auto_ytd}
            if given is None:
                continue
            for column, new in given.items():
                old = getattr(value, column)
                if old != new:
                    if value.pk is not None:
                        changes[f"{code}.{column}"] = [old, new]
                    setattr(value, column, new)
            value.save()
        _store_violations(submission)
        submission.save()
        audit_record(
            actor=by,
            action="stats.submission_create" if created else "stats.submission_update",
            obj=submission,
            object_repr=f"{enterprise.name} {period.label}",
            changes=changes,
        )
    return submission


def submission_submit(
    *, by: Any, submission: Submission, explanations: dict[str, Any] | None = None
) -> Submission:
    """draft/returned → submitted. Hard violations block; each soft one needs an explanation."""
    explanations = {str(k): str(v or "").strip()[:500] for k, v in (explanations or {}).items()}
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        period = Period.parse(submission.period)
        _check_can_enter(by, submission.dataset, submission.enterprise, period)
        if submission.status not in EDITABLE:
            raise TransitionError(
                _("This form is already %(status)s.") % {"status": submission.get_status_display()}
            )
        missing = [
            v.indicator.name
            for v in submission.values.select_related("indicator")
            if v.month is None or v.ytd is None
        ]
        if missing or not submission.values.exists():
            raise ValidationError(
                {
                    "values": _("Fill in this month and 1–this month of: %(names)s.")
                    % {"names": "、".join(missing) or _("every indicator")}
                }
            )
        _store_violations(submission)
        hard = [v for v in submission.violations if v["importance"] == "hard"]
        if hard:
            raise ValidationError(
                {
                    "values": [
                        _("%(name)s: %(text)s")
                        % {"name": v["indicator_name"] or v["name"], "text": v["instruction"]}
                        for v in hard
                    ]
                }
            )
        soft_codes = sorted({v["rule"] for v in submission.violations if v["importance"] == "soft"})
        unexplained = [code for code in soft_codes if len(explanations.get(code, "")) < 2]
        if unexplained:
            names = dict(
                ValidationRule.objects.filter(code__in=unexplained).values_list("code", "name")
            )
            raise ValidationError(
                {
                    f"explanations.{code}": _("Explain why: %(rule)s.")
                    % {"rule": names.get(code, code)}
                    for code in unexplained
                }
            )
        now = timezone.now()
        submission.explanations = {code: explanations[code] for code in soft_codes}
        submission.status = S.SUBMITTED
        submission.submitted_at = now
        submission.first_submitted_at = submission.first_submitted_at or now
        submission.submitted_by = by
        submission.return_reason = ""
        submission.save()
        audit_record(
            actor=by,
            action="stats.submission_submit",
            obj=submission,
            object_repr=f"{submission.enterprise.name} {period.label}",
            changes={"explanations": submission.explanations},
        )
        notices.notify(
            users=User.objects.filter(
                role=Role.STREET_STAFF, org_unit_id=submission.enterprise.street_id, is_active=True
            ),
            title=_("%(enterprise)s submitted the monthly figures of %(period)s")
            % {"enterprise": submission.enterprise.name, "period": period.label},
            url=reverse("stats:submission", args=[submission.pk]),
            email=False,
        )
    return submission


def _review(submission: Submission, by: Any, sources: frozenset[Any]) -> Submission:
    submission = (
        Submission.objects.select_for_update().select_related("enterprise").get(pk=submission.pk)
    )
    if not permissions.can_review(by, submission.enterprise):
        raise PermissionDenied(_("Only the clerk of the enterprise's street reviews its forms."))
    if submission.status not in sources:
        raise TransitionError(
            _("Not possible while the form is %(status)s.")
            % {"status": submission.get_status_display()}
        )
    if _street_approved(
        submission.dataset, Period.parse(submission.period), submission.enterprise.street_id
    ):
        raise TransitionError(
            _("The street's figures for this period are approved; ask the district to undo it.")
        )
    return submission


def submission_accept(*, by: Any, submission: Submission) -> Submission:
    with transaction.atomic():
        submission = _review(submission, by, frozenset({S.SUBMITTED}))
        submission.status = S.ACCEPTED
        submission.reviewed_at = timezone.now()
        submission.reviewed_by = by
        submission.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        audit_record(
            actor=by,
            action="stats.submission_accept",
            obj=submission,
            object_repr=f"{submission.enterprise.name} {submission.period}",
        )
    return submission


def submission_return(*, by: Any, submission: Submission, reason: str) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the form is returned.")})
    with transaction.atomic():
        submission = _review(submission, by, frozenset({S.SUBMITTED, S.ACCEPTED}))
        submission.status = S.RETURNED
        submission.reviewed_at = timezone.now()
        submission.reviewed_by = by
        submission.return_reason = reason[:1000]
        submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "return_reason"])
        audit_record(
            actor=by,
            action="stats.submission_return",
            obj=submission,
            object_repr=f"{submission.enterprise.name} {submission.period}",
            changes={"reason": submission.return_reason},
        )
        notices.notify(
            users=User.objects.filter(enterprise_id=submission.enterprise_id, is_active=True),
            title=_("The monthly figures of %(period)s were returned")
            % {"period": Period.parse(submission.period).label},
            body=submission.return_reason,
            url=reverse("stats:submission", args=[submission.pk]),
        )
    return submission


def accept_all(*, by: Any, dataset: DataSet, period: Any, street: OrgUnit) -> int:
    """Accept every submitted form of the street that has no rule violation left unexplained."""
    period = period if isinstance(period, Period) else Period.parse(period)
    pending = Submission.objects.filter(
        dataset=dataset, period=str(period), status=S.SUBMITTED, enterprise__street=street
    )
    count = 0
    for submission in pending:
        submission_accept(by=by, submission=submission)
        count += 1
    return count


# --- approvals ---------------------------------------------------------------------------------


def approval_create(*, by: Any, dataset: DataSet, period: Any, org_unit: OrgUnit) -> Approval:
    period = period if isinstance(period, Period) else Period.parse(period)
    if not permissions.can_approve(by, org_unit):
        raise PermissionDenied(_("Only the district's statistics staff approve."))
    from qifu.stats import selectors

    with transaction.atomic():
        # one approval at a time per data set and period: the check below cannot race
        list(DataSet.objects.select_for_update().filter(pk=dataset.pk))
        if Approval.objects.filter(dataset=dataset, period=str(period), org_unit=org_unit).exists():
            raise TransitionError(
                _("%(unit)s is already approved for %(period)s.")
                % {"unit": org_unit.name, "period": period.label}
            )
        if org_unit.level == Level.STREET:
            figures = selectors.completeness_counts(dataset=dataset, period=period, unit=org_unit)
            if figures["accepted"] < figures["expected"]:
                raise TransitionError(
                    _(
                        "%(unit)s cannot be approved yet: %(accepted)d of %(expected)d forms are "
                        "accepted."
                    )
                    % {"unit": org_unit.name, **figures}
                )
        else:
            streets = OrgUnit.objects.filter(parent=org_unit, level=Level.STREET)
            approved = set(
                Approval.objects.filter(
                    dataset=dataset, period=str(period), org_unit__in=streets
                ).values_list("org_unit_id", flat=True)
            )
            waiting = [s.name for s in streets if s.pk not in approved]
            if waiting:
                raise TransitionError(
                    _("The district can be approved once every street is: waiting for %(names)s.")
                    % {"names": "、".join(waiting)}
                )
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    dataset=dataset, period=str(period), org_unit=org_unit, approved_by=by
                )
        except IntegrityError:
            raise TransitionError(_("Already approved.")) from None
        audit_record(
            actor=by,
            action="stats.approval_create",
            obj=approval,
            object_repr=f"{org_unit.name} {period.label}",
        )
    return approval


def approval_delete(*, by: Any, dataset: DataSet, period: Any, org_unit: OrgUnit) -> None:
    period = period if isinstance(period, Period) else Period.parse(period)
    if not permissions.can_approve(by, org_unit):
        raise PermissionDenied(_("Only the district's statistics staff approve."))
    with transaction.atomic():
        list(DataSet.objects.select_for_update().filter(pk=dataset.pk))
        approval = Approval.objects.filter(
            dataset=dataset, period=str(period), org_unit=org_unit
        ).first()
        if approval is None:
            raise TransitionError(
                _("%(unit)s is not approved for %(period)s.")
                % {"unit": org_unit.name, "period": period.label}
            )
        if (
            org_unit.parent_id
            and Approval.objects.filter(
                dataset=dataset, period=str(period), org_unit_id=org_unit.parent_id
            ).exists()
        ):
            raise TransitionError(
                _("Undo the approval of %(parent)s first: approvals are undone from the top.")
                % {"parent": org_unit.parent.name}
            )
        audit_record(
            actor=by,
            action="stats.approval_delete",
            obj=approval,
            object_repr=f"{org_unit.name} {period.label}",
        )
        approval.delete()


def reopen(
    *, by: Any, dataset: DataSet, period: Any, org_unit: OrgUnit, until: dt.date, reason: str
) -> Reopening:
    period = period if isinstance(period, Period) else Period.parse(period)
    if not permissions.can_approve(by, org_unit):
        raise PermissionDenied(_("Only the district's statistics staff reopen entry."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why entry is reopened.")})
    if until < _today():
        raise ValidationError({"until": _("The date must not be in the past.")})
    if until > _today() + dt.timedelta(days=60):
        raise ValidationError({"until": _("Reopen for at most 60 days.")})
    with transaction.atomic():
        reopening = Reopening.objects.create(
            dataset=dataset,
            period=str(period),
            org_unit=org_unit,
            until=until,
            reason=reason[:300],
            opened_by=by,
        )
        audit_record(
            actor=by,
            action="stats.reopen",
            obj=reopening,
            object_repr=f"{org_unit.name} {period.label}",
            changes={"until": until, "reason": reopening.reason},
        )
    return reopening


# --- reminders ---------------------------------------------------------------------------------


def _remind_enterprises(
    dataset: DataSet,
    period: Period,
    enterprises: list[Any],
    kind: Any,
    by: Any,
    today: dt.date | None = None,
) -> int:
    today = today or _today()
    due = periods.deadline(dataset, period)
    sent = 0
    for enterprise in enterprises:
        _reminder, created = Reminder.objects.get_or_create(
            dataset=dataset,
            period=str(period),
            kind=kind,
            enterprise=enterprise,
            org_unit=None,
            sent_on=today,
        )
        if not created and kind != ReminderKind.MANUAL:
            continue
        notices.notify(
            users=User.objects.filter(enterprise=enterprise, is_active=True),
            title=_("Monthly figures of %(period)s are due on %(day)s")
            % {"period": period.label, "day": due.isoformat()},
            url=reverse("stats:form", args=[str(period)]),
            sms_text=_("qifu: please submit the monthly figures of %(period)s by %(day)s.")
            % {"day": due.isoformat(), "period": period.label},
        )
        sent += 1
    return sent


def remind(*, by: Any, dataset: DataSet, period: Any, org_unit: OrgUnit) -> int:
    """Remind every enterprise of `org_unit` whose form is not submitted (the reminder button)."""
    from qifu.stats import selectors

    period = period if isinstance(period, Period) else Period.parse(period)
    if (
        not permissions.can_remind(by)
        or not by.org_unit.path
        or not org_unit.path.startswith(by.org_unit.path)
    ):
        raise PermissionDenied(_("You may not send reminders for this org unit."))
    missing = list(selectors.missing_enterprises(dataset=dataset, period=period, unit=org_unit))
    with transaction.atomic():
        sent = _remind_enterprises(dataset, period, missing, ReminderKind.MANUAL, by)
        audit_record(
            actor=by,
            action="stats.remind",
            obj=dataset,
            object_repr=f"{org_unit.name} {period.label}",
            changes={"period": str(period), "enterprises": [e.pk for e in missing]},
        )
    return sent


def tick(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: sync the list; remind enterprises in the last days before the deadline,
    and after it remind each street of what it still lacks, until the lock. Each reminder goes
    once a day."""
    today = today or _today()
    result = {"enterprises": 0, "streets": 0, "joined": 0, "left": 0}
    for dataset in DataSet.objects.all():
        current = periods.current(dataset, today)
        synced = listing_sync(dataset=dataset, period=current)
        result["joined"] += synced["joined"]
        result["left"] += synced["left"]
        # last month's period is still open after its deadline when this month's entry opens
        for period in (current, current.previous):
            _tick_period(dataset, period, today, result)
    return result


def _tick_period(dataset: DataSet, period: Period, today: dt.date, result: dict[str, int]) -> None:
    from qifu.stats import selectors

    due = periods.deadline(dataset, period)
    lock = periods.lock_date(dataset, period)
    before = today <= due and workdays.add_working_days(due, -REMIND_DAYS_BEFORE) <= today
    if not before and not due < today < lock:
        return
    missing = list(selectors.missing_enterprises(dataset=dataset, period=period, unit=None))
    if before:
        with transaction.atomic():
            result["enterprises"] += _remind_enterprises(
                dataset, period, missing, ReminderKind.BEFORE_DEADLINE, None, today
            )
        return
    by_street: dict[int, list[Any]] = {}
    for enterprise in missing:
        by_street.setdefault(enterprise.street_id, []).append(enterprise)
    with transaction.atomic():
        for street_id, late in by_street.items():
            _reminder, created = Reminder.objects.get_or_create(
                dataset=dataset,
                period=str(period),
                kind=ReminderKind.AFTER_DEADLINE,
                enterprise=None,
                org_unit_id=street_id,
                sent_on=today,
            )
            if not created:
                continue
            notices.notify(
                users=User.objects.filter(
                    role=Role.STREET_STAFF, org_unit_id=street_id, is_active=True
                ),
                title=_("%(count)d enterprises have not submitted %(period)s (due %(day)s)")
                % {"count": len(late), "period": period.label, "day": due.isoformat()},
                body="、".join(e.name for e in late[:30]),
                url=reverse("stats:completeness") + f"?period={period}",
            )
            result["streets"] += 1


# --- configuration (the system admin's pages) --------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "unit", "kind", "is_money", "may_be_negative", "sort_order")
DATASET_FIELDS = (
    "code",
    "name",
    "industry_sections",
    "opens_day",
    "deadline_day",
    "lock_after_days",
)
RULE_FIELDS = (
    "code",
    "name",
    "left",
    "operator",
    "right",
    "importance",
    "missing_values",
    "for_each",
    "condition",
    "instruction",
    "is_active",
    "sort_order",
)


@transaction.atomic
def indicator_save(*, by: Any, indicator: Indicator | None = None, **values: Any) -> Indicator:
    from qifu.audit.services import save_with_audit

    obj = indicator or Indicator()
    save_with_audit(
        by=by,
        obj=obj,
        creating=indicator is None,
        fields=INDICATOR_FIELDS,
        action="stats_indicator",
        values=values,
    )
    return obj


@transaction.atomic
def dataset_save(*, by: Any, dataset: DataSet | None = None, **values: Any) -> DataSet:
    from qifu.audit.services import save_with_audit

    chosen = values.pop("indicators", None)
    obj = dataset or DataSet()
    save_with_audit(
        by=by,
        obj=obj,
        creating=dataset is None,
        fields=DATASET_FIELDS,
        action="stats_dataset",
        values=values,
    )
    if chosen is not None:
        before = sorted(obj.indicators.values_list("code", flat=True))
        obj.indicators.set(chosen)
        after = sorted(obj.indicators.values_list("code", flat=True))
        if before != after:
            audit_record(
                actor=by,
                action="stats_dataset.update",
                obj=obj,
                changes={"indicators": [before, after]},
            )
    return obj


@transaction.atomic
def rule_save(*, by: Any, rule: ValidationRule | None = None, **values: Any) -> ValidationRule:
    """A validation rule, refused (ValidationError) unless every expression can be evaluated."""
    from qifu.audit.services import save_with_audit

    obj = rule or ValidationRule()  # the model's clean() refuses what cannot be evaluated
    save_with_audit(
        by=by,
        obj=obj,
        creating=rule is None,
        fields=RULE_FIELDS,
        action="stats_rule",
        values=values,
    )
    return obj
