"""The audit trail is append-only: no save of an existing row, no update, no delete."""

from __future__ import annotations

import pytest

from qifu.audit.models import AppendOnlyError, AuditEvent
from qifu.audit.services import audit_record
from qifu.audit.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    return AuditEventFactory()


def test_saving_an_existing_event_raises(event) -> None:
    event.action = "tampered"

    with pytest.raises(AppendOnlyError):
        event.save()

    event.refresh_from_db()
    assert event.action == "test.event"


def test_deleting_an_event_raises(event) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_queryset_update_raises(event) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="tampered")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(success=False)


def test_a_queryset_delete_raises(event) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_bulk_update_raises(event) -> None:
    event.action = "tampered"

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])


def test_new_events_can_still_be_appended(event) -> None:
    before = AuditEvent.objects.count()

    audit_record(actor=None, action="test.second")

    assert AuditEvent.objects.count() == before + 1
