"""Every change to policies, programmes, applications, notices and their deliveries.

Each service is keyword-only and atomic, checks the actor (`PermissionDenied`), the state
(`TransitionError`: pages show a message, the API answers 409) and the input (`ValidationError`,
by field), and writes one audit event.

An application's states are one table, `TRANSITIONS`: the enterprise applies (or a department
recommends it) → the district reviews it against the materials checklist (or returns it for
completion) → recommends it upward (推荐上报) → the upper level approves or rejects it → the funds
arrive (资金到位). A 免申即享 programme skips the application: the department confirms the eligible
list (the applications start confirmed) and then records the funds. Each step writes an
`ApplicationEvent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import Role
from qifu.audit.services import audit_record, diff, snapshot
from qifu.core import workdays
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.lib import eligibility
from qifu.notices.services import notify
from qifu.policies import permissions
from qifu.policies.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Delivery,
    Notice,
    Origin,
    Policy,
    PolicyCategory,
    Programme,
    ProgrammeStatus,
)

# the choices' members as plain strings (without Django's type stubs mypy sees them as tuples)
AS: Any = ApplicationStatus
PS: Any = ProgrammeStatus
OR: Any = Origin

# From each state, the actions allowed and the state each leads to ("" is "no application yet").
TRANSITIONS: dict[str, dict[str, str]] = {
    "": {"apply": AS.APPLIED, "recommend_by_department": AS.APPLIED, "confirm": AS.CONFIRMED},
    AS.APPLIED: {"review": AS.REVIEWED, "return": AS.RETURNED, "withdraw": AS.WITHDRAWN},
    AS.RETURNED: {"resubmit": AS.APPLIED, "withdraw": AS.WITHDRAWN},
    AS.REVIEWED: {"recommend": AS.RECOMMENDED},
    AS.RECOMMENDED: {"approve": AS.APPROVED, "reject": AS.REJECTED},
    AS.APPROVED: {"funds": AS.FUNDED},
    AS.CONFIRMED: {"funds": AS.FUNDED},
}
# the programme's states: draft → published → closed
PROGRAMME_TRANSITIONS: dict[str, dict[str, str]] = {
    PS.DRAFT: {"publish": PS.PUBLISHED},
    PS.PUBLISHED: {"close": PS.CLOSED},
}
REMIND_DAYS = 3  # working days before a window closes
MAX_MATERIALS = 30
TARGET_KEYS = ("eligible", "not_applied", "streets", "industries", "tags", "key", "above_scale")

POLICY_FIELDS = (
    "title",
    "level",
    "issuer",
    "document_number",
    "issued_on",
    "valid_from",
    "valid_until",
    "summary",
    "full_text",
    "attachment",
    "department",
)
PROGRAMME_FIELDS = (
    "policy",
    "title",
    "window_opens",
    "window_closes",
    "support_amount",
    "support_text",
    "materials",
    "no_application",
    "criteria",
    "department",
)


class TransitionError(Exception):
    """The action is not allowed from the current state (HTTP 409)."""


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _today() -> dt.date:
    return timezone.localdate()


def _next(status: str, action: str) -> str:
    allowed = TRANSITIONS.get(status, {})
    if action not in allowed:
        raise TransitionError(
            _("This cannot be done to an application that is %(status)s.")
            % {"status": ApplicationStatus(status).label if status else _("not made")}
        )
    return allowed[action]


def _enterprise_district_id(enterprise: Enterprise) -> int | None:
    return enterprise.street.parent_id


# --- the library ---------------------------------------------------------------------------------


@transaction.atomic
def policy_save(
    *,
    by: Any,
    policy: Policy | None = None,
    values: dict[str, Any],
    categories: Iterable[PolicyCategory] | None = None,
) -> Policy:
    """Create a policy (without `policy`) or change it; `categories` replaces its categories."""
    _require(permissions.can_manage(by))
    creating = policy is None
    if policy is None:
        policy = Policy(created_by=by)
    else:
        policy = Policy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        _require(permissions.can_edit_policy(by, policy))
    audited = [f for f in POLICY_FIELDS if f != "attachment"]
    before = {} if creating else snapshot(policy, audited)
    before["attachment"] = "" if creating else policy.attachment.name
    old_categories = [] if creating else sorted(policy.categories.values_list("code", flat=True))
    for key, value in values.items():
        if key not in POLICY_FIELDS:
            raise ValidationError(_("Unknown field: %(field)s") % {"field": key})
        setattr(policy, key, value)
    if isinstance(policy.title, str):
        policy.title = policy.title.strip()
    if policy.department_id is not None:
        _require(permissions.can_edit_policy(by, policy))
    policy.full_clean()
    _require(permissions.can_edit_policy(by, policy))
    changes = diff(before, {**snapshot(policy, audited), "attachment": policy.attachment.name})
    policy.save()
    if categories is not None:
        chosen = list(categories)
        policy.categories.set(chosen)
        new_categories = sorted(c.code for c in chosen)
        if new_categories != old_categories:
            changes["categories"] = [old_categories, new_categories]
    if creating or changes:
        audit_record(
            actor=by,
            action="policy.create" if creating else "policy.update",
            obj=policy,
            changes=changes,
        )
    return policy


def _criteria(document: Any) -> dict[str, Any]:
    try:
        eligibility.parse(document)
    except eligibility.CriteriaError as error:
        raise ValidationError({"criteria": str(error)}) from None
    return document or {}


def _materials(items: Any) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValidationError({"materials": _("List the materials one by one.")})
    cleaned = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    if len(cleaned) > MAX_MATERIALS:
        raise ValidationError({"materials": _("At most %(n)d materials.") % {"n": MAX_MATERIALS}})
    return cleaned


@transaction.atomic
def programme_save(
    *, by: Any, programme: Programme | None = None, values: dict[str, Any]
) -> Programme:
    """Create a programme (a draft) or change one; its criteria must parse."""
    _require(permissions.can_manage(by))
    creating = programme is None
    if programme is None:
        programme = Programme(created_by=by)
    else:
        programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
        _require(permissions.can_handle(by, programme))
        if programme.status == PS.CLOSED:
            raise TransitionError(_("A closed programme cannot be changed."))
    before = {} if creating else snapshot(programme, PROGRAMME_FIELDS)
    for key, value in values.items():
        if key not in PROGRAMME_FIELDS:
            raise ValidationError(_("Unknown field: %(field)s") % {"field": key})
        setattr(programme, key, value)
    programme.criteria = _criteria(programme.criteria)
    programme.materials = _materials(programme.materials)
    if isinstance(programme.title, str):
        programme.title = programme.title.strip()
    if (
        programme.window_opens
        and programme.window_closes
        and programme.window_closes < programme.window_opens
    ):
        raise ValidationError({"window_closes": _("The window cannot close before it opens.")})
    if programme.department_id is not None:
        _require(permissions.can_handle(by, programme))
    programme.full_clean()
    _require(permissions.can_handle(by, programme))
    if programme.policy.department.district_id != programme.department.district_id:
        raise ValidationError({"policy": _("Choose a policy of your district.")})
    changes = diff(before, snapshot(programme, PROGRAMME_FIELDS))
    if not creating and not changes:
        return programme
    programme.save()
    audit_record(
        actor=by,
        action="programme.create" if creating else "programme.update",
        obj=programme,
        changes=changes,
    )
    return programme


def _programme_move(by: Any, programme: Programme, action: str) -> Programme:
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=programme.pk)
    )
    _require(permissions.can_handle(by, programme))
    allowed = PROGRAMME_TRANSITIONS.get(programme.status, {})
    if action not in allowed:
        raise TransitionError(
            _("This cannot be done to a programme that is %(status)s.")
            % {"status": ProgrammeStatus(programme.status).label}
        )
    before = programme.status
    programme.status = allowed[action]
    fields = ["status"]
    if action == "publish":
        programme.published_at = timezone.now()
        fields.append("published_at")
    programme.save(update_fields=fields)
    audit_record(
        actor=by,
        action=f"programme.{action}",
        obj=programme,
        changes={"status": [before, programme.status]},
    )
    return programme


@transaction.atomic
def programme_publish(*, by: Any, programme: Programme) -> Programme:
    """Publish a draft: enterprises see it and may apply within its window."""
    return _programme_move(by, programme, "publish")


@transaction.atomic
def programme_close(*, by: Any, programme: Programme) -> Programme:
    """Close a published programme: no more applications; those made go on."""
    return _programme_move(by, programme, "close")


# --- applications --------------------------------------------------------------------------------


def _event(
    application: Application, *, by: Any, action: str, before: str, note: str = ""
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        status_from=before,
        status_to=application.status,
        note=note,
        actor=by if getattr(by, "is_authenticated", False) else None,
    )


def _check_window(programme: Programme) -> None:
    if programme.status != PS.PUBLISHED:
        raise TransitionError(_("This programme is not open for applications."))
    if programme.no_application:
        raise TransitionError(
            _("This programme needs no application: the department confirms the eligible list.")
        )
    today = _today()
    if today < programme.window_opens:
        raise TransitionError(
            _("Applications open on %(date)s.") % {"date": programme.window_opens.isoformat()}
        )
    if today > programme.window_closes:
        raise TransitionError(
            _("Applications closed on %(date)s.") % {"date": programme.window_closes.isoformat()}
        )


def _live(programme: Programme, enterprise: Enterprise) -> Application | None:
    return (
        Application.objects.filter(programme=programme, enterprise=enterprise)
        .exclude(status=AS.WITHDRAWN)
        .first()
    )


def _duplicate() -> TransitionError:
    return TransitionError(_("This enterprise already has an application for this programme."))


def _create(
    *,
    by: Any,
    programme: Programme,
    enterprise: Enterprise,
    action: str,
    origin: str,
    statement: str = "",
    client_token: str = "",
    recommended_by: Any = None,
    note: str = "",
    materials_checked: Iterable[str] = (),
) -> tuple[Application, bool]:
    if client_token:
        existing = Application.objects.filter(submitted_by=by, client_token=client_token).first()
        if existing is not None:
            return existing, False
    # the programme row is the lock under which duplicates are checked
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if _live(programme, enterprise) is not None:
        raise _duplicate()
    application = Application(
        programme=programme,
        enterprise=enterprise,
        origin=origin,
        status=_next("", action),
        statement=statement.strip(),
        materials_checked=_on_checklist(programme, materials_checked),
        recommended_by=recommended_by,
        submitted_by=by,
        submitted_at=timezone.now(),
        client_token=client_token,
    )
    application.full_clean(exclude=["client_token", "submitted_by"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        if client_token:
            existing = Application.objects.filter(
                submitted_by=by, client_token=client_token
            ).first()
            if existing is not None:
                return existing, False
        raise _duplicate() from None
    _event(application, by=by, action=action, before="", note=note)
    audit_record(
        actor=by,
        action=f"application.{action}",
        obj=application,
        changes={
            "programme": [None, programme.title],
            "enterprise": [None, enterprise.name],
            "status": [None, application.status],
            "materials_checked": [None, application.materials_checked],
        },
    )
    return application, True


def _in_scope(user: Any, enterprise: Enterprise) -> bool:
    from qifu.enterprises.selectors import enterprises_for_user

    return enterprises_for_user(user=user).filter(pk=enterprise.pk).exists()


def _on_checklist(programme: Programme, items: Iterable[str]) -> list[str]:
    """The ticked materials, once each, in the order given; each must be on the checklist."""
    checked = list(dict.fromkeys(items))
    expected = list(programme.materials)
    unknown = [str(m) for m in checked if m not in expected]
    if unknown:
        raise ValidationError(
            {
                "materials_checked": _("Not on the checklist: %(items)s")
                % {"items": "、".join(unknown)}
            }
        )
    return checked


@transaction.atomic
def application_apply(
    *,
    by: Any,
    programme: Programme,
    enterprise: Enterprise,
    statement: str = "",
    materials_checked: Iterable[str] = (),
    client_token: str = "",
) -> tuple[Application, bool]:
    """The enterprise applies (its user, or an official on its behalf) within the window.

    Returns (application, created); a double submit with the same `client_token` is one.
    """
    if getattr(by, "role", "") == Role.ENTERPRISE_USER:
        _require(by.is_active and by.enterprise_id == enterprise.pk)
    else:
        _require(permissions.can_recommend(by, programme) and _in_scope(by, enterprise))
    _require(_enterprise_district_id(enterprise) == programme.department.district_id)
    if client_token:
        existing = Application.objects.filter(submitted_by=by, client_token=client_token).first()
        if existing is not None:
            return existing, False
    _check_window(programme)
    return _create(
        by=by,
        programme=programme,
        enterprise=enterprise,
        action="apply",
        origin=OR.APPLIED,
        statement=statement,
        materials_checked=materials_checked,
        client_token=client_token,
    )


@transaction.atomic
def application_recommend_by_department(
    *,
    by: Any,
    programme: Programme,
    enterprise: Enterprise,
    statement: str = "",
    materials_checked: Iterable[str] = (),
    client_token: str = "",
) -> tuple[Application, bool]:
    """A department (or the street, or a leader) nominates an enterprise of its scope (推荐)."""
    _require(permissions.can_recommend(by, programme) and _in_scope(by, enterprise))
    _require(_enterprise_district_id(enterprise) == programme.department.district_id)
    if client_token:
        existing = Application.objects.filter(submitted_by=by, client_token=client_token).first()
        if existing is not None:
            return existing, False
    _check_window(programme)
    return _create(
        by=by,
        programme=programme,
        enterprise=enterprise,
        action="recommend_by_department",
        origin=OR.RECOMMENDED,
        statement=statement,
        materials_checked=materials_checked,
        client_token=client_token,
        recommended_by=by.department if by.role == Role.DEPARTMENT_STAFF else None,
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme__department", "enterprise__street")
        .get(pk=application.pk)
    )


def _move(
    application: Application,
    *,
    by: Any,
    action: str,
    note: str = "",
    fields: dict[str, Any] | None = None,
    audit_action: str = "",
) -> Application:
    before = application.status
    application.status = _next(before, action)
    changes: dict[str, Any] = {"status": [before, application.status]}
    for key, value in (fields or {}).items():
        changes[key] = [getattr(application, key), value]
        setattr(application, key, value)
    application.save(update_fields=["status", *(fields or {})])
    _event(application, by=by, action=action, before=before, note=note)
    if note:
        changes["note"] = note
    audit_record(
        actor=by,
        action=f"application.{audit_action or action}",
        obj=application,
        changes=changes,
    )
    return application


@transaction.atomic
def application_review(
    *,
    by: Any,
    application: Application,
    passed: bool,
    materials_checked: Iterable[str] = (),
    note: str = "",
) -> Application:
    """The district's review against the checklist: reviewed, or returned with the reason."""
    application = _locked(application)
    _require(permissions.can_handle(by, application.programme))
    checked = _on_checklist(application.programme, materials_checked)
    expected = list(application.programme.materials)
    note = note.strip()
    if passed:
        missing = [m for m in expected if m not in checked]
        if missing:
            raise ValidationError(
                {
                    "materials_checked": _("Materials not yet checked: %(items)s")
                    % {"items": "、".join(missing)}
                }
            )
        fields = {"materials_checked": checked, "review_note": note}
        return _move(application, by=by, action="review", note=note, fields=fields)
    if not note:
        raise ValidationError({"note": _("Say what the enterprise must complete.")})
    fields = {"materials_checked": checked, "review_note": note}
    application = _move(application, by=by, action="return", note=note, fields=fields)
    _tell_enterprise(
        application,
        title=_("Application returned: %(title)s") % {"title": application.programme.title},
        body=note,
    )
    return application


@transaction.atomic
def application_resubmit(*, by: Any, application: Application, statement: str = "") -> Application:
    """The enterprise (or who made the application) completes a returned application."""
    application = _locked(application)
    _require(_may_act_for_enterprise(by, application))
    fields = {"statement": statement.strip()} if statement.strip() else {}
    return _move(application, by=by, action="resubmit", fields=fields)


@transaction.atomic
def application_recommend(*, by: Any, application: Application, note: str = "") -> Application:
    """Recommend a reviewed application to the upper level (推荐上报)."""
    application = _locked(application)
    _require(permissions.can_handle(by, application.programme))
    return _move(application, by=by, action="recommend", note=note.strip())


@transaction.atomic
def application_result(
    *,
    by: Any,
    application: Application,
    approved: bool,
    amount: Decimal | None = None,
    note: str = "",
) -> Application:
    """The upper level's result: approved (with the amount, 万元) or rejected."""
    application = _locked(application)
    _require(permissions.can_handle(by, application.programme))
    note = note.strip()
    if approved:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("Give the amount approved (10k yuan).")})
        fields: dict[str, Any] = {"amount_approved": amount, "result_note": note}
        application = _move(application, by=by, action="approve", note=note, fields=fields)
        title = _("Application approved: %(title)s")
    else:
        fields = {"result_note": note}
        application = _move(application, by=by, action="reject", note=note, fields=fields)
        title = _("Application not approved: %(title)s")
    _tell_enterprise(application, title=title % {"title": application.programme.title}, body=note)
    return application


@transaction.atomic
def application_funds(
    *, by: Any, application: Application, amount: Decimal, on: dt.date, note: str = ""
) -> Application:
    """The funds arrived (资金到位): amount (万元) and date; only once approved or confirmed."""
    application = _locked(application)
    _require(permissions.can_handle(by, application.programme))
    _next(application.status, "funds")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give the amount received (10k yuan).")})
    if on is None or on > _today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    fields = {"funds_amount": amount, "funds_on": on}
    return _move(application, by=by, action="funds", note=note.strip(), fields=fields)


def _may_act_for_enterprise(user: Any, application: Application) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ENTERPRISE_USER:
        return user.enterprise_id == application.enterprise_id
    return application.submitted_by_id == user.pk


@transaction.atomic
def application_withdraw(*, by: Any, application: Application, note: str = "") -> Application:
    """The enterprise withdraws its application before the district has reviewed it."""
    application = _locked(application)
    _require(_may_act_for_enterprise(by, application))
    return _move(application, by=by, action="withdraw", note=note.strip())


@transaction.atomic
def programme_confirm_list(
    *, by: Any, programme: Programme, enterprises: Iterable[Enterprise]
) -> list[Application]:
    """免申即享: confirm the eligible enterprises chosen; each gets a confirmed application.

    Enterprises already confirmed are skipped (confirming twice changes nothing); an enterprise
    that does not qualify is refused.
    """
    from qifu.policies import selectors

    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=programme.pk)
    )
    _require(permissions.can_handle(by, programme))
    if not programme.no_application:
        raise TransitionError(_("Enterprises apply for this programme themselves."))
    if programme.status != PS.PUBLISHED:
        raise TransitionError(_("Publish the programme before confirming its list."))
    chosen = list({e.pk: e for e in enterprises}.values())
    if not chosen:
        raise ValidationError({"enterprises": _("Choose the enterprises to confirm.")})
    from qifu.enterprises.selectors import enterprises_for_user

    ids = [e.pk for e in chosen]
    visible = set(
        enterprises_for_user(user=by)
        .filter(pk__in=ids, street__parent_id=programme.department.district_id)
        .values_list("pk", flat=True)
    )
    _require(visible == set(ids))
    criteria = eligibility.parse(programme.criteria)
    facts = selectors.facts_for(Enterprise.objects.filter(pk__in=ids))
    refused = [e.name for e in chosen if not eligibility.evaluate(criteria, facts[e.pk]).eligible]
    if refused:
        raise ValidationError(
            {"enterprises": _("Not eligible: %(names)s") % {"names": "、".join(refused)}}
        )
    already = set(
        Application.objects.filter(programme=programme, enterprise_id__in=ids)
        .exclude(status=AS.WITHDRAWN)
        .values_list("enterprise_id", flat=True)
    )
    created = []
    for enterprise in chosen:
        if enterprise.pk in already:
            continue
        application, _created = _create(
            by=by,
            programme=programme,
            enterprise=enterprise,
            action="confirm",
            origin=OR.CONFIRMED,
        )
        created.append(application)
    return created


def _tell_enterprise(application: Application, *, title: str, body: str = "") -> None:
    from qifu.accounts.models import User

    users = User.objects.filter(
        role=Role.ENTERPRISE_USER, enterprise_id=application.enterprise_id, is_active=True
    )
    notify(users=users, title=title, body=body)


# --- notices and pushes --------------------------------------------------------------------------


def _target(target: Any, programme: Programme | None) -> dict[str, Any]:
    if not isinstance(target, dict) or not target:
        raise ValidationError({"target": _("Say who receives it.")})
    unknown = [k for k in target if k not in TARGET_KEYS]
    if unknown:
        raise ValidationError(
            {"target": _("Unknown target: %(keys)s") % {"keys": ", ".join(map(str, unknown))}}
        )
    cleaned: dict[str, Any] = {}
    for key in ("eligible", "not_applied", "key", "above_scale"):
        if key in target:
            if not isinstance(target[key], bool):
                raise ValidationError({"target": _("%(key)s is true or false.") % {"key": key}})
            if target[key]:
                cleaned[key] = True
    for key in ("streets", "industries", "tags"):
        if key in target:
            values = target[key]
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ValidationError(
                    {"target": _("%(key)s is a list of codes or names.") % {"key": key}}
                )
            if values:
                cleaned[key] = list(dict.fromkeys(values))
    if (cleaned.get("eligible") or cleaned.get("not_applied")) and programme is None:
        raise ValidationError({"target": _("Only a programme has an eligible list.")})
    if not cleaned:
        raise ValidationError({"target": _("Say who receives it.")})
    return cleaned


def target_enterprises(
    *, district_id: int, target: dict[str, Any], programme: Programme | None = None
) -> list[Enterprise]:
    """The operating enterprises of the district that a (checked) target reaches."""
    from qifu.policies import selectors

    qs: QuerySet[Enterprise] = Enterprise.objects.filter(
        street__parent_id=district_id, status=EnterpriseStatus.OPERATING
    )
    if target.get("streets"):
        qs = qs.filter(street__code__in=target["streets"])
    if target.get("industries"):
        condition = Q()
        for code in target["industries"]:
            if len(code) == 1 and code.isalpha():
                condition |= Q(industry_section=code.upper())
            else:
                condition |= Q(industry_code__startswith=code)
        qs = qs.filter(condition)
    if target.get("tags"):
        qs = qs.filter(pk__in=Enterprise.objects.filter(tags__name__in=target["tags"]).values("pk"))
    if target.get("key"):
        qs = qs.filter(is_key=True)
    if target.get("above_scale"):
        qs = qs.filter(is_above_scale=True)
    if target.get("not_applied") and programme is not None:
        qs = qs.exclude(
            pk__in=Application.objects.filter(programme=programme)
            .exclude(status=AS.WITHDRAWN)
            .values("enterprise_id")
        )
    enterprises = list(qs.order_by("pk"))
    if target.get("eligible") and programme is not None:
        criteria = eligibility.parse(programme.criteria)
        facts = selectors.facts_for(enterprises)
        enterprises = [
            e for e in enterprises if eligibility.evaluate(criteria, facts[e.pk]).eligible
        ]
    return enterprises


def _deliver(notice: Notice, enterprises: list[Enterprise]) -> list[Delivery]:
    from qifu.accounts.models import User

    now = notice.sent_at
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notice=notice, enterprise=e, delivered_at=now) for e in enterprises]
    )
    users = User.objects.filter(
        role=Role.ENTERPRISE_USER,
        enterprise_id__in=[e.pk for e in enterprises],
        is_active=True,
    )
    notify(
        users=users,
        title=notice.title,
        body=notice.body,
        email=notice.sms,
        sms_text=notice.title if notice.sms else "",
    )
    return deliveries


@transaction.atomic
def notice_send(
    *,
    by: Any,
    title: str,
    body: str,
    target: Any,
    programme: Programme | None = None,
    sms: bool = False,
    client_token: str = "",
) -> tuple[Notice, bool]:
    """Send a notice (or push a programme) to a target: {"eligible": true} for a programme's
    eligible list, or streets / industries / tags / key / above_scale (all that are given must
    hold). One delivery per enterprise, a bell notification to its users, and e-mail and SMS
    through the outbox when `sms`. Returns (notice, created)."""
    _require(permissions.can_manage(by))
    if client_token:
        existing = Notice.objects.filter(created_by=by, client_token=client_token).first()
        if existing is not None:
            return existing, False
    district_id = permissions.district_id(by)
    _require(district_id is not None)
    assert district_id is not None  # noqa: S101 (for the type checker)
    if programme is not None:
        programme = Programme.objects.select_related("department").get(pk=programme.pk)
        _require(programme.department.district_id == district_id)
        if programme.status != PS.PUBLISHED:
            raise TransitionError(_("Publish the programme before pushing it."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if not body and programme is None:
        raise ValidationError({"body": _("Write the notice.")})
    checked = _target(target, programme)
    notice = Notice(
        title=title,
        body=body,
        programme=programme,
        target=checked,
        district_id=district_id,
        sms=sms,
        created_by=by,
        sent_at=timezone.now(),
        client_token=client_token,
    )
    notice.full_clean(exclude=["client_token", "district", "created_by", "programme"])
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        existing = Notice.objects.filter(created_by=by, client_token=client_token).first()
        if existing is None:
            raise
        return existing, False
    enterprises = target_enterprises(district_id=district_id, target=checked, programme=programme)
    _deliver(notice, enterprises)
    audit_record(
        actor=by,
        action="notice.send",
        obj=notice,
        changes={
            "target": [None, checked],
            "programme": [None, programme.title if programme else None],
            "deliveries": [None, len(enterprises)],
            "sms": [None, sms],
        },
    )
    return notice, True


@transaction.atomic
def delivery_read(*, by: Any, delivery: Delivery) -> Delivery:
    """The enterprise's user reads its copy: the first reading is recorded, later ones not."""
    _require(permissions.is_enterprise_user(by) and by.enterprise_id == delivery.enterprise_id)
    delivery = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
    if delivery.read_at is not None:
        return delivery
    delivery.read_at = timezone.now()
    delivery.read_by = by
    delivery.save(update_fields=["read_at", "read_by"])
    audit_record(
        actor=by,
        action="delivery.read",
        obj=delivery,
        changes={"read_at": [None, delivery.read_at]},
    )
    return delivery


@transaction.atomic
def programme_remind(*, programme: Programme, today: dt.date | None = None) -> Notice | None:
    """Remind the eligible enterprises that have not applied, once per programme and day."""
    today = today or _today()
    programme = Programme.objects.select_related("department").get(pk=programme.pk)
    if Notice.objects.filter(programme=programme, reminder_on=today).exists():
        return None
    title = _("%(days)d working days left to apply: %(title)s") % {
        "days": workdays.working_days_between(today, programme.window_closes),
        "title": programme.title,
    }
    body = _("Applications close on %(date)s.") % {"date": programme.window_closes.isoformat()}
    target = {"eligible": True, "not_applied": True}
    notice = Notice(
        title=title[:200],
        body=body,
        programme=programme,
        target=target,
        district_id=programme.department.district_id,
        reminder_on=today,
        sent_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        return None
    enterprises = target_enterprises(
        district_id=programme.department.district_id, target=target, programme=programme
    )
    _deliver(notice, enterprises)
    audit_record(
        actor=None,
        action="notice.remind",
        obj=notice,
        changes={"programme": [None, programme.title], "deliveries": [None, len(enterprises)]},
    )
    return notice


def programmes_to_remind(
    *, today: dt.date | None = None, days: int = REMIND_DAYS
) -> list[Programme]:
    """Published programmes (with applications) whose window closes `days` working days from
    today; on a day off nobody is reminded."""
    today = today or _today()
    if not workdays.is_working_day(today):
        return []
    candidates = Programme.objects.filter(
        status=PS.PUBLISHED,
        no_application=False,
        window_opens__lte=today,
        window_closes__gt=today,
        window_closes__lte=today + dt.timedelta(days=days * 3 + 14),
    ).order_by("pk")
    return [p for p in candidates if workdays.working_days_between(today, p.window_closes) == days]


# --- configuration (system admin) ----------------------------------------------------------------

CATEGORY_FIELDS = ("code", "name", "sort_order")


@transaction.atomic
def category_save(
    *, by: Any, category: PolicyCategory | None = None, **values: Any
) -> PolicyCategory:
    """Add or change a policy category (the system admin's configuration), audited."""
    from qifu.accounts import permissions as account_permissions
    from qifu.audit.services import save_with_audit

    _require(account_permissions.can_configure(by))
    obj = category or PolicyCategory()
    save_with_audit(
        by=by,
        obj=obj,
        creating=category is None,
        fields=CATEGORY_FIELDS,
        action="policy_category",
        values=values,
    )
    return obj
