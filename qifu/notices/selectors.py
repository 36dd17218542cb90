from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from qifu.notices.models import Notification


def notification_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    notes = Notification.objects.filter(user=user)
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes.order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get_for_user(*, user: Any, pk: Any) -> Notification:
    try:
        return Notification.objects.get(pk=pk, user=user)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
