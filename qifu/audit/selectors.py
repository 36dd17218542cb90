from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from qifu.accounts import permissions
from qifu.audit.models import AuditEvent


def audit_event_list_for_user(*, user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The audit log, for the audit admin only (everyone else gets nothing)."""
    if not permissions.can_read_audit(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if filters.get("actor"):
        events = events.filter(actor_username__icontains=filters["actor"])
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("q"):
        q = filters["q"]
        events = events.filter(Q(object_repr__icontains=q) | Q(ip__startswith=q))
    if filters.get("success") in (True, False):
        events = events.filter(success=filters["success"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz)
        events = events.filter(created_at__gte=start)
    if filters.get("date_to"):
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        events = events.filter(created_at__lt=end)
    return events.order_by("-created_at", "-id")


def audit_action_choices() -> list[str]:
    return list(
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()[:200]
    )
