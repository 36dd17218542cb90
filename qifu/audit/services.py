"""The one function that writes the audit trail, and helpers to describe a change."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from qifu.audit.context import client_ip
from qifu.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` (foreign keys by id), ready for JSON."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _plain(getattr(obj, attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    success: bool = True,
    username: str = "",
) -> AuditEvent:
    """Append one event. `actor` may be None (the system, or an unknown user on a failed login)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        actor=user,
        actor_username=(user.get_username() if user else username)[:150],
        actor_role=getattr(user, "role", "") if user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        ip=client_ip.get(),
        success=success,
    )


def save_with_audit(
    *,
    by: Any,
    obj: models.Model,
    creating: bool,
    fields: Iterable[str],
    action: str,
    values: dict[str, Any],
    prepare: Any = None,
    exclude: Iterable[str] = (),
) -> dict[str, list[Any]]:
    """The common shape of a create-or-change service.

    Applies `values`, validates the model (`full_clean`), and when anything changed saves it and
    writes one `<action>.create` or `<action>.update` event. `prepare(obj)` runs after validation
    and before the save (to derive fields). Returns the changes; empty means nothing was saved.
    """
    fields = tuple(fields)
    before = {} if creating else snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=list(exclude) or None)
    if prepare is not None:
        prepare(obj)
    changes = diff(before, snapshot(obj, fields))
    if not creating and not changes:
        return {}
    obj.save()
    audit_record(
        actor=by,
        action=f"{action}.create" if creating else f"{action}.update",
        obj=obj,
        changes=changes,
    )
    return changes
