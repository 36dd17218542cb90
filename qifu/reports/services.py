"""Every change to research reports.

Each service is keyword-only and atomic, checks the actor (`PermissionDenied`), the state
(`TransitionError`: pages show a message, the API answers 409) and the input (`ValidationError`,
by field), and writes one audit event.

A report's states are one table, `TRANSITIONS`: a draft is changed, given attachments and made
final; a final report is only reopened as a draft (by its authors or a district leader over it).

A repeated creation with the same `client_token` (a double submit) returns the report made the
first time: the token is kept in the audit event of the creation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qifu.accounts.models import OFFICIAL_ROLES
from qifu.audit.services import audit_record
from qifu.core import uploads as uploads_checked
from qifu.core.models import OrgUnit
from qifu.lib.quarters import Span, SpanError
from qifu.reports import drafting, permissions, selectors
from qifu.reports.models import Report, ReportAttachment, ReportKind, ReportStatus

# Status members (TextChoices), typed Any because mypy sees a choice as its (value, label)
D: Any = ReportStatus.DRAFT
F: Any = ReportStatus.FINAL
K: Any = ReportKind

# From each state, the actions allowed and the state they lead to.
TRANSITIONS: dict[str, dict[str, Any]] = {
    D: {"update": D, "attach": D, "finalise": F},
    F: {"reopen": D},
}

MAX_ATTACHMENTS = 20
MAX_LINKS = 5000  # appeals or visits a report may draw on
MAX_BODY = 100000
MAX_AUTHORS = 20


class TransitionError(Exception):
    """The action is not allowed from the current state (HTTP 409)."""


REFUSED = {
    "update": gettext_lazy("A final report cannot be changed; reopen it as a draft first."),
    "attach": gettext_lazy("Attachments are added to a draft; reopen the report first."),
    "finalise": gettext_lazy("This report is already final."),
    "reopen": gettext_lazy("This report is already a draft."),
}


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _check(report: Report, action: str) -> str:
    target = TRANSITIONS[report.status].get(action)
    if target is None:
        raise TransitionError(str(REFUSED[action]))
    return target


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("org_unit__parent", "created_by")
        .get(pk=report.pk)
    )


def parse_period(value: Any) -> Span:
    """A quarter (2026Q4) or a year (2026), or a ValidationError on `period`."""
    try:
        return Span.parse(value)
    except SpanError:
        raise ValidationError(
            {"period": _("Enter a quarter like 2026Q4 or a year like 2026.")}
        ) from None


def _clean(
    *,
    by: Any,
    title: str,
    kind: str,
    org_unit: OrgUnit | None,
    period: Any,
    summary: str,
    body: str,
    authors: list[Any],
    check_unit: bool = True,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the report a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if kind not in ReportKind.values:
        errors["kind"] = [_("Choose the kind of report.")]
    span: Span | None = None
    try:
        span = parse_period(period)
    except ValidationError as error:
        errors["period"] = error.message_dict["period"]
    if org_unit is None or (
        check_unit and not selectors.units_for_user(user=by).filter(pk=org_unit.pk).exists()
    ):
        errors["org_unit"] = [_("Choose your district or one of its streets.")]
    summary = (summary or "").strip()
    if len(summary) > 500:
        errors["summary"] = [_("At most 500 characters.")]
    body = (body or "").replace("\r\n", "\n")
    if len(body) > MAX_BODY:
        errors["body"] = [_("The body is longer than %(n)d characters.") % {"n": MAX_BODY}]
    if not authors:
        errors["authors"] = [_("Name at least one author.")]
    elif len(authors) > MAX_AUTHORS:
        errors["authors"] = [_("At most %(n)d authors.") % {"n": MAX_AUTHORS}]
    elif org_unit is not None and not _district_officials(org_unit, authors):
        errors["authors"] = [_("Authors are officials of the report's district.")]
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "kind": kind,
        "org_unit": org_unit,
        "period": str(span),
        "summary": summary,
        "body": body,
    }


def _district_officials(org_unit: OrgUnit, users: Iterable[Any]) -> bool:
    district = selectors.district_of(org_unit)
    for user in users:
        if user.role not in OFFICIAL_ROLES or not user.is_active:
            return False
        if district is None or selectors.district_of(user.org_unit) != district:
            return False
    return True


def _snapshot(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "kind": report.kind,
        "org_unit": report.org_unit.name if report.org_unit_id else None,
        "period": report.period,
        "summary": report.summary,
        "body_length": len(report.body),
        "status": report.status,
        "authors": sorted(u.get_username() for u in report.authors.all()) if report.pk else [],
    }


def _made_before(by: Any, client_token: str) -> Report | None:
    if not client_token:
        return None
    return Report.objects.filter(created_by=by, client_token=client_token).first()


@transaction.atomic
def report_create(
    *,
    by: Any,
    title: str,
    org_unit: OrgUnit | None,
    period: Any,
    kind: str = K.THEMATIC,
    summary: str = "",
    body: str = "",
    authors: list[Any] | None = None,
    appeals: Iterable[Any] = (),
    visits: Iterable[Any] = (),
    client_token: str = "",
) -> tuple[Report, bool]:
    """A new report, as a draft; `by` is its first author unless authors are named.

    Returns (report, created); a repeated `client_token` gives the report made the first time.
    """
    _require(permissions.can_create(by))
    client_token = (client_token or "")[:64]
    existing = _made_before(by, client_token)
    if existing is not None:
        return existing, False
    authors = list(authors) if authors else [by]
    values = _clean(
        by=by,
        title=title,
        kind=kind,
        org_unit=org_unit,
        period=period,
        summary=summary,
        body=body,
        authors=authors,
    )
    appeal_ids = sorted({getattr(a, "pk", a) for a in appeals})
    visit_ids = sorted({getattr(v, "pk", v) for v in visits})
    if len(appeal_ids) > MAX_LINKS or len(visit_ids) > MAX_LINKS:
        raise ValidationError(_("A report draws on at most %(n)d records.") % {"n": MAX_LINKS})
    report = Report(created_by=by, status=D, client_token=client_token, **values)
    report.full_clean(exclude=["client_token"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = _made_before(by, client_token)
        if existing is None:
            raise
        return existing, False
    report.authors.set(authors)
    report.appeals.set(appeal_ids)
    report.visits.set(visit_ids)
    changes = {k: [None, v] for k, v in _snapshot(report).items()}
    changes["appeals"] = [None, len(appeal_ids)]
    changes["visits"] = [None, len(visit_ids)]
    audit_record(actor=by, action="report.create", obj=report, changes=changes)
    return report, True


_UNSET: Any = object()


@transaction.atomic
def report_update(
    *,
    by: Any,
    report: Report,
    title: Any = _UNSET,
    kind: Any = _UNSET,
    org_unit: Any = _UNSET,
    period: Any = _UNSET,
    summary: Any = _UNSET,
    body: Any = _UNSET,
    authors: Any = _UNSET,
) -> Report:
    """Change a draft (its authors only). Fields left out keep their value."""
    report = _locked(report)
    _require(permissions.can_edit(by, report))
    _check(report, "update")
    before = _snapshot(report)
    current_authors = list(report.authors.all())
    given = {
        "title": report.title if title is _UNSET else title,
        "kind": report.kind if kind is _UNSET else kind,
        "org_unit": report.org_unit if org_unit is _UNSET else org_unit,
        "period": report.period if period is _UNSET else period,
        "summary": report.summary if summary is _UNSET else summary,
        "body": report.body if body is _UNSET else body,
        "authors": current_authors if authors is _UNSET else list(authors or []),
    }
    values = _clean(
        by=by, check_unit=getattr(given["org_unit"], "pk", None) != report.org_unit_id, **given
    )
    for name, value in values.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    if authors is not _UNSET:
        report.authors.set(given["authors"])
    after = _snapshot(report)
    changes = {k: [before[k], v] for k, v in after.items() if before.get(k) != v}
    if changes:
        audit_record(actor=by, action="report.update", obj=report, changes=changes)
    return report


@transaction.atomic
def report_finalise(*, by: Any, report: Report) -> Report:
    """Draft → final: the authors' text is decided (its authors, or a district leader)."""
    report = _locked(report)
    _require(permissions.can_finalise(by, report))
    target = _check(report, "finalise")
    if not report.body.strip():
        raise ValidationError({"body": _("Write the body before making the report final.")})
    report.status = target
    report.finalised_at = timezone.now()
    report.save(update_fields=["status", "finalised_at", "updated_at"])
    audit_record(
        actor=by,
        action="report.finalise",
        obj=report,
        changes={"status": [D, F], "finalised_at": [None, report.finalised_at]},
    )
    return report


@transaction.atomic
def report_reopen(*, by: Any, report: Report, reason: str = "") -> Report:
    """Final → draft, to be changed again (its authors, or a district leader)."""
    report = _locked(report)
    _require(permissions.can_reopen(by, report))
    target = _check(report, "reopen")
    before = report.finalised_at
    report.status = target
    report.finalised_at = None
    report.save(update_fields=["status", "finalised_at", "updated_at"])
    changes: dict[str, Any] = {"status": [F, D], "finalised_at": [before, None]}
    if reason.strip():
        changes["reason"] = [None, reason.strip()[:500]]
    audit_record(actor=by, action="report.reopen", obj=report, changes=changes)
    return report


@transaction.atomic
def report_attach(*, by: Any, report: Report, uploads: list[Any]) -> list[ReportAttachment]:
    """Attachments of a draft; type and size are checked before anything is saved."""
    report = _locked(report)
    _require(permissions.can_edit(by, report))
    _check(report, "attach")
    if not uploads:
        raise ValidationError({"attachments": _("Choose a file to attach.")})
    uploads_checked.check_all(
        uploads,
        already=report.attachments.count(),
        limit=MAX_ATTACHMENTS,
        too_many=_("At most %(n)d attachments per report.") % {"n": MAX_ATTACHMENTS},
    )
    saved = [
        ReportAttachment.objects.create(
            report=report,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            content_type=uploads_checked.content_type(upload),
            uploaded_by=by,
        )
        for upload in uploads
    ]
    audit_record(
        actor=by,
        action="report_attachment.create",
        obj=report,
        changes={"attachments": [None, [a.name for a in saved]]},
    )
    return saved


@transaction.atomic
def report_draft(
    *,
    by: Any,
    period: Any,
    org_unit: OrgUnit | None,
    kind: str,
    client_token: str = "",
) -> tuple[Report, bool]:
    """Draft a report from the data (see `drafting`) and save it as an editable draft by `by`.

    The org unit is the user's own by default; outside their scope it is 404. Returns
    (report, created).
    """
    _require(permissions.can_create(by))
    existing = _made_before(by, (client_token or "")[:64])
    if existing is not None:
        return existing, False
    if kind not in drafting.DRAFTABLE:
        raise ValidationError({"kind": _("Drafting is available for the problems and the visits.")})
    span = parse_period(period)
    unit = selectors.unit_for_drafting(user=by, org_unit=org_unit)
    draft = drafting.build_draft(user=by, span=span, org_unit=unit, kind=kind)
    return report_create(
        by=by,
        title=draft.title,
        kind=draft.kind,
        org_unit=unit,
        period=str(span),
        summary=draft.summary,
        body=draft.body,
        authors=[by],
        appeals=draft.appeal_ids,
        visits=draft.visit_ids,
        client_token=client_token,
    )
