"""audit_record, snapshot and diff: what one audit event says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qifu.audit.context import client_ip
from qifu.audit.models import AuditEvent
from qifu.audit.services import audit_record, diff, snapshot

pytestmark = pytest.mark.django_db


def test_diff_keeps_only_the_fields_that_changed() -> None:
    before = {"name": "李村", "code": "370213007", "sort_order": 1}
    after = {"name": "李村街道", "code": "370213007", "sort_order": 1}

    assert diff(before, after) == {"name": ["李村", "李村街道"]}


def test_diff_of_a_new_object_has_none_before() -> None:
    assert diff({}, {"name": "新"}) == {"name": [None, "新"]}


def test_snapshot_reads_foreign_keys_by_id(licun) -> None:
    assert snapshot(licun, ["code", "parent", "zone"]) == {
        "code": "370213007",
        "parent": licun.parent_id,
        "zone": licun.zone_id,
    }


def test_audit_record_makes_values_fit_for_json(leader) -> None:
    event = audit_record(
        actor=leader,
        action="test.values",
        obj=leader,
        changes={"day": [None, dt.date(2026, 2, 14)], "amount": [Decimal("1.50"), None]},
    )

    event.refresh_from_db()
    assert event.changes == {"day": [None, "2026-02-14"], "amount": ["1.50", None]}
    assert event.actor_username == "leader"
    assert event.actor_role == "district_leader"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(leader.pk)


def test_an_event_without_an_actor_is_the_system(org) -> None:
    event = audit_record(actor=None, action="test.system")

    assert event.actor is None
    assert event.actor_username == ""
    assert event.success is True


def test_audit_record_takes_the_client_address_of_the_request(org) -> None:
    token = client_ip.set("10.1.2.3")
    try:
        event = audit_record(actor=None, action="test.ip")
    finally:
        client_ip.reset(token)

    assert AuditEvent.objects.get(pk=event.pk).ip == "10.1.2.3"
