"""`services.visit_link_appeal`: an appeal submitted on its own is linked to the visit where the
problem was heard, once, and only by an official of the visit and for an enterprise met."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals.tests.factories import AppealFactory
from qifu.audit.models import AuditEvent
from qifu.visits import services

pytestmark = pytest.mark.django_db


def test_it_links_an_appeal_of_an_enterprise_met_and_audits_it(licun_clerk, tianlu, record):
    visit = record(licun_clerk, [tianlu])
    appeal = AppealFactory(enterprise=tianlu, by=licun_clerk)

    linked = services.visit_link_appeal(by=licun_clerk, visit=visit, appeal=appeal)

    assert linked is True
    assert list(visit.appeals.all()) == [appeal]
    assert list(appeal.visits.all()) == [visit]
    event = AuditEvent.objects.get(action="visit.link_appeal")
    assert event.object_id == str(visit.pk)
    assert event.actor == licun_clerk
    assert event.changes["appeal"] == [None, appeal.number]


def test_linking_it_again_changes_nothing(licun_clerk, tianlu, record):
    visit = record(licun_clerk, [tianlu])
    appeal = AppealFactory(enterprise=tianlu, by=licun_clerk)
    services.visit_link_appeal(by=licun_clerk, visit=visit, appeal=appeal)

    linked = services.visit_link_appeal(by=licun_clerk, visit=visit, appeal=appeal)

    assert linked is False
    assert visit.appeals.count() == 1
    assert AuditEvent.objects.filter(action="visit.link_appeal").count() == 1


def test_it_refuses_an_appeal_of_an_enterprise_not_met(leader, tianlu, ruifeng, record):
    visit = record(leader, [tianlu])
    appeal = AppealFactory(enterprise=ruifeng, by=leader)

    with pytest.raises(ValidationError) as error:
        services.visit_link_appeal(by=leader, visit=visit, appeal=appeal)

    assert "appeal" in error.value.message_dict
    assert not visit.appeals.exists()


def test_an_official_who_did_not_go_on_the_visit_cannot_link(
    licun_clerk, loushan_clerk, tianlu, record
):
    visit = record(licun_clerk, [tianlu])
    appeal = AppealFactory(enterprise=tianlu, by=licun_clerk)

    with pytest.raises(PermissionDenied):
        services.visit_link_appeal(by=loushan_clerk, visit=visit, appeal=appeal)

    assert not visit.appeals.exists()
