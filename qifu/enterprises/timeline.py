"""The enterprise file's timeline: audit events told in words (labels, names, 是/否)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qifu.accounts.models import User
from qifu.audit.labels import action_label
from qifu.audit.models import AuditEvent
from qifu.core.models import OrgUnit
from qifu.enterprises.models import Contact, Enterprise, Park
from qifu.lib.masking import mask_phone

_REFERENCES = {"street": OrgUnit, "park": Park, "responsible_leader": User}


def _label(field: str) -> str:
    if field == "tags":
        return _("tags")
    if field == "contact":
        return _("contact")
    for model in (Enterprise, Contact):
        try:
            return str(model._meta.get_field(field).verbose_name)
        except Exception:  # noqa: S112  (not a field of this model: try the next)
            continue
    return field


def describe(*, events: list[AuditEvent], full_phone: bool) -> list[dict[str, Any]]:
    """Each event as {event, label, changes: [(field label, before, after)]}; names resolved in
    one query per referenced model, whatever the number of events."""
    wanted: dict[str, set[str]] = {name: set() for name in _REFERENCES}
    for event in events:
        for field, values in event.changes.items():
            if field in wanted:
                wanted[field].update(str(v) for v in values if v not in (None, ""))
    names: dict[str, dict[str, str]] = {}
    for field, ids in wanted.items():
        model = _REFERENCES[field]
        names[field] = (
            {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}
            if ids
            else {}
        )
    choices = {
        "kind": dict(Enterprise._meta.get_field("kind").flatchoices),
        "status": dict(Enterprise._meta.get_field("status").flatchoices),
    }

    def show(field: str, value: Any) -> str:
        if value in (None, "", []):
            return "∅"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field in names:
            return names[field].get(str(value), str(value))
        if field in choices:
            return str(choices[field].get(value, value))
        if field == "phone" and not full_phone:
            return mask_phone(str(value))
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)

    return [
        {
            "event": event,
            "label": action_label(event.action),
            "changes": [
                (_label(field), show(field, values[0]), show(field, values[1]))
                for field, values in event.changes.items()
                if field != "sort_order"
            ],
        }
        for event in events
    ]
