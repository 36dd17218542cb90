"""services.project_from_lead: a project opened from an investment lead (招商线索), which the
investment module then marks converted; the two stay linked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.investment import services as investment
from qifu.investment.models import Lead, LeadStatus
from qifu.projects import services
from qifu.projects.models import Project, Stage
from qifu.projects.tests.conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(tcj_clerk):
    return investment.channel_save(by=tcj_clerk, name="青岛温州商会", kind="chamber")


@pytest.fixture
def lead(tcj_clerk, channel, licun) -> Lead:
    return investment.lead_save(
        by=tcj_clerk,
        investor="温州正泰集团",
        title="智能电气生产基地",
        amount=Decimal("30000"),
        preferred_street=licun,
        channel=channel,
    )


def test_the_project_takes_the_leads_data_and_the_lead_is_converted(
    lead, channel, tcj_clerk, licun
) -> None:
    project = services.project_from_lead(by=tcj_clerk, lead=lead, date=D(2026, 10, 9))

    assert (project.name, project.investor, project.street, project.source_channel) == (
        "智能电气生产基地",
        "温州正泰集团",
        licun,
        channel,
    )
    assert project.total_investment == Decimal("30000.00")
    assert (project.stage, project.stage_date, project.source_lead) == (
        Stage.NEGOTIATING,
        D(2026, 10, 9),
        lead,
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert lead.converted_project == project
    assert list(lead.projects.all()) == [project]
    assert AuditEvent.objects.filter(action="investment.lead.convert").count() == 1
    assert AuditEvent.objects.filter(action="project.create").latest("id").changes[
        "source_lead"
    ] == [None, lead.pk]


def test_the_given_fields_override_the_leads(lead, tcj_clerk, loushan) -> None:
    project = services.project_from_lead(
        by=tcj_clerk, lead=lead, name="正泰智能电气产业园", street=loushan, total_investment="35000"
    )
    assert (project.name, project.street, project.total_investment) == (
        "正泰智能电气产业园",
        loushan,
        Decimal("35000.00"),
    )


def test_a_lead_becomes_one_project(lead, tcj_clerk) -> None:
    services.project_from_lead(by=tcj_clerk, lead=lead)
    lead.refresh_from_db()
    with pytest.raises(services.TransitionError):
        services.project_from_lead(by=tcj_clerk, lead=lead)
    assert Project.objects.count() == 1


def test_a_dropped_lead_does_not(lead, tcj_clerk) -> None:
    lead = investment.lead_drop(by=tcj_clerk, lead=lead, reason="投资方另选他址")
    with pytest.raises(services.TransitionError):
        services.project_from_lead(by=tcj_clerk, lead=lead)
    assert not Project.objects.exists()


def test_a_lead_without_a_street_needs_one(tcj_clerk, licun) -> None:
    lead = investment.lead_save(
        by=tcj_clerk, investor="某集团", title="总部项目", amount=Decimal("5000")
    )
    with pytest.raises(ValidationError):
        services.project_from_lead(by=tcj_clerk, lead=lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    assert services.project_from_lead(by=tcj_clerk, lead=lead, street=licun).street == licun


def test_an_invalid_project_leaves_the_lead_open(lead, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.project_from_lead(by=tcj_clerk, lead=lead, total_investment="-5")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


@pytest.mark.parametrize("who", ["jxj_clerk", "licun_clerk", "outsider"])
def test_others_may_not_open_a_project_from_a_lead(who, request, lead) -> None:
    with pytest.raises(PermissionDenied):
        services.project_from_lead(by=request.getfixturevalue(who), lead=lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


def test_a_channel_of_another_district_is_refused(make_project, outsider, laoshan) -> None:
    foreign = investment.channel_save(by=outsider, name="崂山商会", kind="chamber")
    with pytest.raises(ValidationError) as error:
        make_project(source_channel=foreign)
    assert "source_channel" in error.value.message_dict
