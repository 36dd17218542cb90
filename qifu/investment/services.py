"""Every change in investment promotion. Each service runs in a transaction, checks the actor
(`PermissionDenied`) and the state (`TransitionError`: pages show it, the API answers 409), and
writes exactly one audit event.

The two workflows are the tables below: a lead goes new → following → converted to a project,
or is dropped with a reason (and may be taken up again); a resource is available → reserved (for
a project or a lead) → taken, or released back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.audit.services import audit_record, save_with_audit
from qifu.core.models import Level, OrgUnit
from qifu.investment import permissions
from qifu.investment.models import (
    Channel,
    ChannelContact,
    ContactLog,
    FollowUp,
    Lead,
    LeadStatus,
    Resource,
    ResourceStatus,
)
from qifu.projects.models import Project

L: Any = LeadStatus
R: Any = ResourceStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Any]
    target: Any  # None: the status does not change


LEAD_TRANSITIONS: dict[str, Transition] = {
    "edit": Transition(frozenset({L.NEW, L.FOLLOWING}), None),
    "follow_up": Transition(frozenset({L.NEW, L.FOLLOWING}), L.FOLLOWING),
    "convert": Transition(frozenset({L.NEW, L.FOLLOWING}), L.CONVERTED),
    "drop": Transition(frozenset({L.NEW, L.FOLLOWING}), L.DROPPED),
    "reopen": Transition(frozenset({L.DROPPED}), L.FOLLOWING),
}

RESOURCE_TRANSITIONS: dict[str, Transition] = {
    "reserve": Transition(frozenset({R.AVAILABLE}), R.RESERVED),
    "release": Transition(frozenset({R.RESERVED}), R.AVAILABLE),
    "take": Transition(frozenset({R.AVAILABLE, R.RESERVED}), R.TAKEN),
    "vacate": Transition(frozenset({R.TAKEN}), R.AVAILABLE),
}


class TransitionError(Exception):
    """The action is not allowed from the current state (HTTP 409)."""


def lead_allowed(*, lead: Lead, action: str, user: Any) -> bool:
    return lead.status in LEAD_TRANSITIONS[action].sources and _manages(user, lead.district_id)


def resource_allowed(*, resource: Resource, action: str, user: Any) -> bool:
    return resource.status in RESOURCE_TRANSITIONS[action].sources and _manages(
        user, resource.street.parent_id
    )


# --- helpers -----------------------------------------------------------------------------------


def _manages(user: Any, district_id: int | None) -> bool:
    """Investment staff and leaders act in their own district (a city-level one: below it)."""
    if not permissions.can_manage(user) or district_id is None:
        return False
    if user.org_unit_id == district_id:
        return True
    return OrgUnit.objects.filter(
        pk=district_id, path__startswith=user.org_unit.path + "/"
    ).exists()


def _require(user: Any, district_id: int | None) -> None:
    if not _manages(user, district_id):
        raise PermissionDenied(_("Only the district's investment staff and leaders may do this."))


def _check(table: dict[str, Transition], action: str, status: str, label: str) -> Transition:
    rule = table[action]
    if status not in rule.sources:
        raise TransitionError(_("This cannot be done now: it is %(status)s.") % {"status": label})
    return rule


def _district(user: Any) -> OrgUnit:
    district = user.org_unit if permissions.can_manage(user) else None
    if district is None or district.level != Level.DISTRICT:
        raise PermissionDenied(_("Only the district's investment staff and leaders may do this."))
    return district


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- channels ----------------------------------------------------------------------------------

CHANNEL_FIELDS = ("name", "kind", "address", "description", "is_active")


@transaction.atomic
def channel_save(
    *, by: Any, channel: Channel | None = None, district: OrgUnit | None = None, **values: Any
) -> Channel:
    """Add a channel to the actor's district (or `district`), or change one."""
    creating = channel is None
    if channel is None:
        channel = Channel(district=district or _district(by))
    _require(by, channel.district_id)
    values = {k: v for k, v in values.items() if k in CHANNEL_FIELDS}
    save_with_audit(
        by=by,
        obj=channel,
        creating=creating,
        fields=("district", *CHANNEL_FIELDS),
        action="investment.channel",
        values=values,
    )
    return channel


CONTACT_FIELDS = ("name", "title", "phone", "email", "note")


@transaction.atomic
def channel_contact_save(
    *, by: Any, channel: Channel, contact: ChannelContact | None = None, **values: Any
) -> ChannelContact:
    _require(by, channel.district_id)
    creating = contact is None
    if contact is None:
        contact = ChannelContact(channel=channel)
    elif contact.channel_id != channel.pk:
        raise ValidationError({"contact": _("This person is not a contact of the channel.")})
    save_with_audit(
        by=by,
        obj=contact,
        creating=creating,
        fields=("channel", *CONTACT_FIELDS),
        action="investment.channel_contact",
        values={k: v for k, v in values.items() if k in CONTACT_FIELDS},
        exclude=["channel"],
    )
    return contact


@transaction.atomic
def channel_contact_log(
    *,
    by: Any,
    channel: Channel,
    date: dt.date,
    summary: str,
    contact: ChannelContact | None = None,
) -> ContactLog:
    """Record a contact made with the channel (a visit, a call, a meeting)."""
    _require(by, channel.district_id)
    summary = _text(summary, "summary", _("Say what was discussed."))
    if contact is not None and contact.channel_id != channel.pk:
        raise ValidationError({"contact": _("This person is not a contact of the channel.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot lie in the future.")})
    log = ContactLog.objects.create(
        channel=channel, contact=contact, date=date, summary=summary, by=by
    )
    audit_record(
        actor=by,
        action="investment.channel.contact_log",
        obj=channel,
        changes={
            "date": [None, date],
            "contact": [None, contact.name if contact else ""],
            "summary": [None, summary],
        },
    )
    return log


# --- leads ---------------------------------------------------------------------------------------

LEAD_FIELDS = (
    "title",
    "investor",
    "origin",
    "industry",
    "amount",
    "land_area_mu",
    "floor_area_m2",
    "land_use",
    "preferred_street",
    "channel",
    "owner",
    "contact_name",
    "contact_phone",
    "description",
)


def _locked_lead(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _check_owner(owner: Any, district_id: int) -> None:
    if owner is not None and not (
        permissions.can_manage(owner) and owner.org_unit_id == district_id
    ):
        raise ValidationError(
            {"owner": _("The owner must be investment staff or a leader of the district.")}
        )


@transaction.atomic
def lead_save(*, by: Any, lead: Lead | None = None, **values: Any) -> Lead:
    """Record a lead in the actor's district, or change an open one."""
    creating = lead is None
    if lead is None:
        lead = Lead(district=_district(by), created_by=by, status=LeadStatus.NEW)
        if "owner" not in values:
            values["owner"] = by
    else:
        _require(by, lead.district_id)
        lead = _locked_lead(lead)
        _check(LEAD_TRANSITIONS, "edit", lead.status, lead.get_status_display())
    values = {k: v for k, v in values.items() if k in LEAD_FIELDS}
    _check_owner(values.get("owner", lead.owner), lead.district_id)
    save_with_audit(
        by=by,
        obj=lead,
        creating=creating,
        fields=(*LEAD_FIELDS, "status"),
        action="investment.lead",
        values=values,
        exclude=["district", "created_by", "status"],
    )
    return lead


def _lead_change(
    *, by: Any, lead: Lead, action: str, changes: dict[str, Any] | None = None, **fields: Any
) -> Lead:
    _require(by, lead.district_id)
    lead = _locked_lead(lead)
    rule = _check(LEAD_TRANSITIONS, action, lead.status, lead.get_status_display())
    before = lead.status
    if rule.target is not None:
        lead.status = rule.target
    for key, value in fields.items():
        setattr(lead, key, value)
    lead.save()
    audit_record(
        actor=by,
        action=f"investment.lead.{action}",
        obj=lead,
        changes={"status": [before, lead.status], **(changes or {})},
    )
    return lead


@transaction.atomic
def lead_follow_up(
    *,
    by: Any,
    lead: Lead,
    date: dt.date,
    method: str,
    note: str,
    next_step: str = "",
) -> FollowUp:
    """Log a follow-up; a new lead is then being followed up."""
    note = _text(note, "note", _("Say what happened."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot lie in the future.")})
    follow_up = FollowUp(lead=lead, date=date, method=method, note=note, next_step=next_step, by=by)
    follow_up.full_clean(exclude=["lead", "by"])
    lead = _lead_change(
        by=by,
        lead=lead,
        action="follow_up",
        changes={"follow_up": [None, f"{date.isoformat()} {method}: {note}"[:500]]},
    )
    follow_up.lead = lead
    follow_up.save()
    return follow_up


@transaction.atomic
def lead_drop(*, by: Any, lead: Lead, reason: str) -> Lead:
    reason = _text(reason, "reason", _("Give the reason for dropping the lead."))
    return _lead_change(
        by=by, lead=lead, action="drop", changes={"reason": [None, reason]}, drop_reason=reason
    )


@transaction.atomic
def lead_reopen(*, by: Any, lead: Lead, note: str = "") -> Lead:
    return _lead_change(
        by=by, lead=lead, action="reopen", changes={"note": [None, note]} if note else None
    )


def _project(project: Any, district_id: int, field: str) -> Project:
    """The district's project given as a `Project` or its id (ValidationError otherwise)."""
    value = getattr(project, "pk", project)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    found = (
        Project.objects.filter(pk=number, street__parent_id=district_id).first()
        if number > 0
        else None
    )
    if found is None:
        raise ValidationError({field: _("Choose a project of the district.")})
    return found


@transaction.atomic
def lead_convert(*, by: Any, lead: Lead, project: Any) -> Lead:
    """Mark the lead converted into `project` (a `projects.Project` or its id).

    Called by the projects app when it opens a project from a lead.
    """
    found = _project(project, lead.district_id, "project")
    return _lead_change(
        by=by,
        lead=lead,
        action="convert",
        changes={"project": [None, found.pk]},
        converted_project=found,
        converted_at=timezone.now(),
    )


# --- resources -----------------------------------------------------------------------------------

RESOURCE_FIELDS = (
    "kind",
    "name",
    "street",
    "location",
    "land_use",
    "area_mu",
    "area_m2",
    "price",
    "rent",
    "building",
    "floor",
    "owner_name",
    "contact_name",
    "contact_phone",
    "note",
)


@transaction.atomic
def resource_save(*, by: Any, resource: Resource | None = None, **values: Any) -> Resource:
    """Add a resource to a street of the actor's district, or change one."""
    creating = resource is None
    if resource is None:
        resource = Resource(created_by=by)
    else:
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        _require(by, resource.street.parent_id)
    values = {k: v for k, v in values.items() if k in RESOURCE_FIELDS}
    street = values.get("street", getattr(resource, "street", None))
    if street is None:
        raise ValidationError({"street": _("Choose a street.")})
    if street.level != Level.STREET or not _manages(by, street.parent_id):
        if not permissions.can_manage(by):
            raise PermissionDenied(
                _("Only the district's investment staff and leaders may do this.")
            )
        raise ValidationError({"street": _("Choose a street of your district.")})
    save_with_audit(
        by=by,
        obj=resource,
        creating=creating,
        fields=(*RESOURCE_FIELDS, "status"),
        action="investment.resource",
        values=values,
        exclude=["created_by"],
    )
    return resource


def _resource_change(
    *,
    by: Any,
    resource: Resource,
    action: str,
    changes: dict[str, Any] | None = None,
    **fields: Any,
) -> Resource:
    resource = Resource.objects.select_for_update().select_related("street").get(pk=resource.pk)
    _require(by, resource.street.parent_id)
    rule = _check(RESOURCE_TRANSITIONS, action, resource.status, resource.get_status_display())
    before = {
        "status": resource.status,
        "project": resource.project_id,
        "reserved_lead": resource.reserved_lead_id,
        "reserved_until": resource.reserved_until,
    }
    resource.status = rule.target
    for key, value in fields.items():
        setattr(resource, key, value)
    resource.save()
    after = {
        "status": resource.status,
        "project": resource.project_id,
        "reserved_lead": resource.reserved_lead_id,
        "reserved_until": resource.reserved_until,
    }
    audit_record(
        actor=by,
        action=f"investment.resource.{action}",
        obj=resource,
        changes={
            **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
            **(changes or {}),
        },
    )
    return resource


@transaction.atomic
def resource_reserve(
    *,
    by: Any,
    resource: Resource,
    project_ref: Any = None,
    lead: Lead | None = None,
    until: dt.date | None = None,
    note: str = "",
) -> Resource:
    """Hold an available resource for a project (`project_ref`: a Project or its id) and/or an
    open lead."""
    district_id = resource.street.parent_id
    project = (
        _project(project_ref, district_id, "project_ref") if project_ref not in (None, "") else None
    )
    if project is None and lead is None:
        raise ValidationError(
            {"project_ref": _("Say which project or lead the resource is reserved for.")}
        )
    if lead is not None:
        _require(by, lead.district_id)
        if lead.status not in (L.NEW, L.FOLLOWING):
            raise ValidationError({"lead": _("Reserve only for an open lead.")})
        if lead.district_id != district_id:
            raise ValidationError({"lead": _("The lead belongs to another district.")})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("The reservation cannot end in the past.")})
    return _resource_change(
        by=by,
        resource=resource,
        action="reserve",
        changes={"note": [None, note]} if note else None,
        project=project,
        reserved_lead=lead,
        reserved_until=until,
        reserved_at=timezone.now(),
    )


@transaction.atomic
def resource_release(*, by: Any, resource: Resource, note: str = "") -> Resource:
    return _resource_change(
        by=by,
        resource=resource,
        action="release",
        changes={"note": [None, note]} if note else None,
        project=None,
        reserved_lead=None,
        reserved_until=None,
        reserved_at=None,
    )


@transaction.atomic
def resource_take(
    *, by: Any, resource: Resource, project_ref: Any = None, note: str = ""
) -> Resource:
    """The resource is let or sold (to the project it was reserved for, or `project_ref`)."""
    fields: dict[str, Any] = {"reserved_until": None}
    if project_ref not in (None, ""):
        fields["project"] = _project(project_ref, resource.street.parent_id, "project_ref")
    return _resource_change(
        by=by,
        resource=resource,
        action="take",
        changes={"note": [None, note]} if note else None,
        **fields,
    )


@transaction.atomic
def resource_vacate(*, by: Any, resource: Resource, note: str = "") -> Resource:
    """A taken resource is free again (the tenant left, the sale fell through)."""
    return _resource_change(
        by=by,
        resource=resource,
        action="vacate",
        changes={"note": [None, note]} if note else None,
        project=None,
        reserved_lead=None,
        reserved_until=None,
        reserved_at=None,
    )
