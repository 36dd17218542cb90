"""Every change to the enterprise registry, audited on the enterprise (so its file shows it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from qifu.audit.services import audit_record, diff, snapshot
from qifu.enterprises.models import Contact, Enterprise, Tag
from qifu.lib import credit_code, industry

ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "legal_representative",
    "street",
    "address",
    "industry_code",
    "registered_capital",
    "established_on",
    "kind",
    "is_above_scale",
    "is_key",
    "park",
    "status",
    "responsible_leader",
)
CONTACT_FIELDS = ("name", "title", "phone", "sort_order")
CENTS = Decimal("0.01")


def _tag_names(enterprise: Enterprise) -> list[str]:
    if enterprise.pk is None:
        return []
    return sorted(t.name for t in enterprise.tags.all())


def _tags(names: Iterable[str]) -> list[Tag]:
    wanted = sorted({n.strip() for n in names if n and n.strip()})
    have = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in have:
            have[name] = Tag.objects.create(name=name)
    return [have[n] for n in wanted]


def _apply(
    *, by: Any, enterprise: Enterprise, creating: bool, values: dict[str, Any], tags: Any
) -> dict[str, list[Any]]:
    before = (
        {}
        if creating
        else {**snapshot(enterprise, ENTERPRISE_FIELDS), "tags": _tag_names(enterprise)}
    )
    for key, value in values.items():
        setattr(enterprise, key, value)
    if enterprise.credit_code:
        enterprise.credit_code = credit_code.normalise(enterprise.credit_code)
    enterprise.full_clean(exclude=["industry_section"])
    if enterprise.registered_capital is not None:  # 12000 and 12000.00 are the same amount
        enterprise.registered_capital = enterprise.registered_capital.quantize(CENTS)
    found = industry.lookup(enterprise.industry_code)
    enterprise.industry_section = found.section if found else ""
    new_tags = _tags(tags) if tags is not None else None
    after = {
        **snapshot(enterprise, ENTERPRISE_FIELDS),
        "tags": sorted(t.name for t in new_tags)
        if new_tags is not None
        else before.get("tags", []),
    }
    changes = diff(before, after)
    if not creating and not changes:
        return {}
    enterprise.save()
    if new_tags is not None:
        enterprise.tags.set(new_tags)
    audit_record(
        actor=by,
        action="enterprise.create" if creating else "enterprise.update",
        obj=enterprise,
        changes=changes,
    )
    return changes


@transaction.atomic
def enterprise_create(*, by: Any, tags: Iterable[str] = (), **values: Any) -> Enterprise:
    enterprise = Enterprise()
    _apply(by=by, enterprise=enterprise, creating=True, values=values, tags=list(tags))
    return enterprise


@transaction.atomic
def enterprise_update(
    *, by: Any, enterprise: Enterprise, tags: Iterable[str] | None = None, **values: Any
) -> Enterprise:
    _apply(
        by=by,
        enterprise=enterprise,
        creating=False,
        values=values,
        tags=list(tags) if tags is not None else None,
    )
    return enterprise


def _contact_event(*, by: Any, action: str, contact: Contact, changes: dict[str, Any]) -> None:
    """Contact changes are recorded on the enterprise, so that its file's timeline shows them."""
    audit_record(
        actor=by,
        action=action,
        obj=contact.enterprise,
        changes={"contact": [None, contact.name], **changes},
    )


@transaction.atomic
def contact_add(*, by: Any, enterprise: Enterprise, **values: Any) -> Contact:
    contact = Contact(enterprise=enterprise, **values)
    contact.full_clean()
    contact.save()
    _contact_event(
        by=by,
        action="enterprise.contact_add",
        contact=contact,
        changes=diff({}, snapshot(contact, CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def contact_update(*, by: Any, contact: Contact, **values: Any) -> Contact:
    before = snapshot(contact, CONTACT_FIELDS)
    for key, value in values.items():
        setattr(contact, key, value)
    contact.full_clean()
    changes = diff(before, snapshot(contact, CONTACT_FIELDS))
    if changes:
        contact.save()
        _contact_event(by=by, action="enterprise.contact_update", contact=contact, changes=changes)
    return contact


@transaction.atomic
def contact_remove(*, by: Any, contact: Contact) -> None:
    changes = diff(snapshot(contact, CONTACT_FIELDS), {})
    _contact_event(by=by, action="enterprise.contact_remove", contact=contact, changes=changes)
    contact.delete()


@transaction.atomic
def contacts_replace(*, by: Any, enterprise: Enterprise, contacts: list[dict[str, Any]]) -> None:
    """Make the enterprise's contacts exactly `contacts` (matched in order), for the API."""
    current = list(enterprise.contacts.order_by("sort_order", "id"))
    for order, values in enumerate(contacts):
        values = {**values, "sort_order": order}
        if order < len(current):
            contact_update(by=by, contact=current[order], **values)
        else:
            contact_add(by=by, enterprise=enterprise, **values)
    for extra in current[len(contacts) :]:
        contact_remove(by=by, contact=extra)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)


@transaction.atomic
def enterprise_import(*, by: Any, rows: list[dict[str, Any]], filename: str = "") -> ImportResult:
    """Create or update by credit code. `rows` have been checked (see `imports.check_rows`).

    Each row: the enterprise's fields, `tags` (names) and an optional `contact` (dict). A
    re-import of the same file changes nothing and writes no event but the import's own.
    """
    result = ImportResult()
    existing = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows])
        .select_related("street", "park")
        .prefetch_related("tags", "contacts")
    }
    for row in rows:
        values = dict(row)
        contact = values.pop("contact", None)
        tags = values.pop("tags", None)
        enterprise = existing.get(values["credit_code"])
        if enterprise is None:
            enterprise = enterprise_create(by=by, tags=tags or (), **values)
            result.created += 1
            changed = True
        else:
            changed = bool(
                _apply(by=by, enterprise=enterprise, creating=False, values=values, tags=tags)
            )
        if contact and contact.get("name"):
            match = next((c for c in enterprise.contacts.all() if c.name == contact["name"]), None)
            if match is None:
                contact_add(by=by, enterprise=enterprise, **contact)
                changed = True
            elif diff(snapshot(match, contact.keys()), contact):
                contact_update(by=by, contact=match, **contact)
                changed = True
        if enterprise.pk and enterprise.credit_code in existing:
            result.updated += int(changed)
            result.unchanged += int(not changed)
        result.names.append(enterprise.name)
    audit_record(
        actor=by,
        action="enterprise.import",
        object_type="enterprises.enterprise",
        object_repr=filename[:200],
        changes={
            "created": [None, result.created],
            "updated": [None, result.updated],
            "unchanged": [None, result.unchanged],
        },
    )
    return result
