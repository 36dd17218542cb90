"""The services: every change is one transition of the tables in services.py, checks its actor
and writes exactly one audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.investment import services
from qifu.investment.models import FollowUp, LeadStatus, ResourceKind, ResourceStatus
from qifu.investment.tests.conftest import (
    LICUN,
    make_channel,
    make_lead,
    make_project,
    make_resource,
    street,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- leads ---------------------------------------------------------------------------------------


def test_a_new_lead_belongs_to_the_district_is_owned_by_its_writer_and_is_audited(
    investment_clerk, district
) -> None:
    channel = make_channel(investment_clerk)

    lead = make_lead(investment_clerk, channel=channel, land_area_mu=Decimal("40"))

    assert lead.district == district
    assert lead.owner == investment_clerk
    assert lead.status == LeadStatus.NEW
    event = AuditEvent.objects.get(action="investment.lead.create")
    assert event.object_id == str(lead.pk)
    assert event.changes["investor"] == [None, "温州正泰集团"]


def test_a_follow_up_starts_following_the_lead_with_one_audit_event(investment_clerk) -> None:
    lead = make_lead(investment_clerk)

    services.lead_follow_up(
        by=investment_clerk, lead=lead, date=TODAY(), method="visit", note="赴温州拜访"
    )
    services.lead_follow_up(
        by=investment_clerk, lead=lead, date=TODAY(), method="phone", note="电话沟通用地"
    )

    lead.refresh_from_db()
    assert lead.status == LeadStatus.FOLLOWING
    assert FollowUp.objects.filter(lead=lead).count() == 2
    assert events("investment.lead.follow_up") == 2


def test_a_follow_up_needs_a_note_and_a_date_not_in_the_future(investment_clerk) -> None:
    lead = make_lead(investment_clerk)

    with pytest.raises(ValidationError) as blank:
        services.lead_follow_up(
            by=investment_clerk, lead=lead, date=TODAY(), method="visit", note=" "
        )
    with pytest.raises(ValidationError) as future:
        services.lead_follow_up(
            by=investment_clerk,
            lead=lead,
            date=TODAY() + dt.timedelta(days=1),
            method="visit",
            note="x",
        )

    assert "note" in blank.value.message_dict
    assert "date" in future.value.message_dict
    assert not FollowUp.objects.exists()
    assert events("investment.lead.follow_up") == 0


def test_dropping_needs_a_reason_and_then_the_lead_takes_no_follow_up_until_reopened(
    investment_clerk,
) -> None:
    lead = make_lead(investment_clerk)
    with pytest.raises(ValidationError):
        services.lead_drop(by=investment_clerk, lead=lead, reason="")

    lead = services.lead_drop(by=investment_clerk, lead=lead, reason="企业资金链紧张，暂缓投资")

    assert lead.status == LeadStatus.DROPPED
    assert lead.drop_reason == "企业资金链紧张，暂缓投资"
    with pytest.raises(services.TransitionError):
        services.lead_follow_up(
            by=investment_clerk, lead=lead, date=TODAY(), method="visit", note="x"
        )
    with pytest.raises(services.TransitionError):
        services.lead_save(by=investment_clerk, lead=lead, title="改")
    lead = services.lead_reopen(by=investment_clerk, lead=lead)
    assert lead.status == LeadStatus.FOLLOWING
    assert events("investment.lead.drop") == events("investment.lead.reopen") == 1


def test_conversion_links_the_project_and_closes_the_lead(
    investment_clerk, leader, project, other_project
) -> None:
    lead = make_lead(investment_clerk)

    lead = services.lead_convert(by=leader, lead=lead, project=project)

    assert lead.status == LeadStatus.CONVERTED
    assert lead.converted_project == project
    assert lead.converted_at is not None
    event = AuditEvent.objects.get(action="investment.lead.convert")
    assert event.changes["project"] == [None, project.pk]
    with pytest.raises(services.TransitionError):
        services.lead_convert(by=leader, lead=lead, project=other_project.pk)
    with pytest.raises(services.TransitionError):
        services.lead_drop(by=leader, lead=lead, reason="x")


def test_conversion_needs_a_project_of_the_district(investment_clerk, outsider) -> None:
    lead = make_lead(investment_clerk)
    theirs = make_project("崂山项目", "370212001")

    with pytest.raises(ValidationError):
        services.lead_convert(by=investment_clerk, lead=lead, project="abc")
    with pytest.raises(ValidationError):
        services.lead_convert(by=investment_clerk, lead=lead, project=0)
    with pytest.raises(ValidationError):
        services.lead_convert(by=investment_clerk, lead=lead, project=theirs)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


def test_an_edit_that_changes_nothing_writes_no_event(investment_clerk) -> None:
    lead = make_lead(investment_clerk)

    services.lead_save(by=investment_clerk, lead=lead, title=lead.title)
    services.lead_save(by=investment_clerk, lead=lead, title="智能电气二期")

    assert events("investment.lead.update") == 1


def test_only_the_districts_investment_staff_and_leaders_act_on_its_leads(
    investment_clerk, outsider, jxj_clerk, licun_clerk, enterprise_user
) -> None:
    lead = make_lead(investment_clerk)

    for user in (outsider, jxj_clerk, licun_clerk, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.lead_drop(by=user, lead=lead, reason="x")
    for user in (jxj_clerk, licun_clerk, enterprise_user):
        with pytest.raises(PermissionDenied):
            make_lead(user)


def test_the_owner_and_the_channel_must_be_of_the_district(
    investment_clerk, outsider, licun_clerk
) -> None:
    other_channel = make_channel(outsider, name="崂山某商会")

    with pytest.raises(ValidationError) as owner:
        make_lead(investment_clerk, owner=licun_clerk)
    with pytest.raises(ValidationError) as channel:
        make_lead(investment_clerk, channel=other_channel)

    assert "owner" in owner.value.message_dict
    assert "channel" in channel.value.message_dict


def test_the_preferred_street_must_be_a_street_of_the_district(investment_clerk, district) -> None:
    with pytest.raises(ValidationError) as error:
        make_lead(investment_clerk, preferred_street=district)

    assert "preferred_street" in error.value.message_dict


# --- resources -----------------------------------------------------------------------------------


def test_a_resource_is_reserved_released_taken_and_vacated_each_with_one_event(
    investment_clerk, project, other_project
) -> None:
    resource = make_resource(investment_clerk)
    lead = make_lead(investment_clerk)
    until = TODAY() + dt.timedelta(days=30)

    resource = services.resource_reserve(
        by=investment_clerk, resource=resource, lead=lead, project_ref=project.pk, until=until
    )
    assert (resource.status, resource.project, resource.reserved_lead) == (
        "reserved",
        project,
        lead,
    )
    resource = services.resource_release(by=investment_clerk, resource=resource)
    assert (resource.status, resource.project, resource.reserved_lead) == (
        "available",
        None,
        None,
    )
    resource = services.resource_take(
        by=investment_clerk, resource=resource, project_ref=other_project
    )
    assert (resource.status, resource.project) == (ResourceStatus.TAKEN, other_project)
    resource = services.resource_vacate(by=investment_clerk, resource=resource)
    assert resource.status == ResourceStatus.AVAILABLE

    for action in ("reserve", "release", "take", "vacate"):
        assert events(f"investment.resource.{action}") == 1
    reserve = AuditEvent.objects.get(action="investment.resource.reserve")
    assert reserve.changes["status"] == ["available", "reserved"]
    assert reserve.changes["project"] == [None, project.pk]


def test_a_transition_the_state_does_not_allow_is_refused(investment_clerk, project) -> None:
    resource = make_resource(investment_clerk)

    with pytest.raises(services.TransitionError):
        services.resource_release(by=investment_clerk, resource=resource)
    with pytest.raises(services.TransitionError):
        services.resource_vacate(by=investment_clerk, resource=resource)
    services.resource_reserve(by=investment_clerk, resource=resource, project_ref=project)
    with pytest.raises(services.TransitionError):
        services.resource_reserve(by=investment_clerk, resource=resource, project_ref=project)


def test_a_reservation_says_for_what_and_does_not_end_in_the_past(
    investment_clerk, project
) -> None:
    resource = make_resource(investment_clerk)
    dropped = services.lead_drop(
        by=investment_clerk, lead=make_lead(investment_clerk), reason="放弃"
    )

    with pytest.raises(ValidationError):
        services.resource_reserve(by=investment_clerk, resource=resource)
    with pytest.raises(ValidationError):
        services.resource_reserve(
            by=investment_clerk,
            resource=resource,
            project_ref=project,
            until=TODAY() - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.resource_reserve(by=investment_clerk, resource=resource, lead=dropped)
    with pytest.raises(ValidationError):
        services.resource_reserve(by=investment_clerk, resource=resource, project_ref=999999)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.AVAILABLE
    assert events("investment.resource.reserve") == 0


def test_resources_are_measured_by_their_kind(investment_clerk) -> None:
    with pytest.raises(ValidationError) as land:
        make_resource(investment_clerk, area_mu=None)
    with pytest.raises(ValidationError) as floor:
        make_resource(investment_clerk, kind=ResourceKind.BUILDING, area_m2=None)

    assert "area_mu" in land.value.message_dict
    assert "area_m2" in floor.value.message_dict


def test_resources_are_added_only_to_streets_of_the_own_district(
    investment_clerk, outsider, licun_clerk, district, project
) -> None:
    with pytest.raises(ValidationError):
        make_resource(outsider, street_code=LICUN)
    with pytest.raises(ValidationError):
        make_resource(investment_clerk, street=district)
    with pytest.raises(PermissionDenied):
        make_resource(licun_clerk, street_code=LICUN)
    resource = make_resource(investment_clerk, street_code=LICUN)
    with pytest.raises(PermissionDenied):
        services.resource_reserve(by=outsider, resource=resource, project_ref=project)
    with pytest.raises(PermissionDenied):
        services.resource_save(by=licun_clerk, resource=resource, name="改名")
    assert resource.street == street(LICUN)


# --- channels ------------------------------------------------------------------------------------


def test_contacts_and_contact_logs_of_a_channel_are_audited(investment_clerk) -> None:
    channel = make_channel(investment_clerk)
    person = services.channel_contact_save(
        by=investment_clerk, channel=channel, name="陈会长", title="会长", phone="13900000000"
    )

    services.channel_contact_log(
        by=investment_clerk, channel=channel, date=TODAY(), summary="座谈", contact=person
    )

    assert events("investment.channel.create") == 1
    assert events("investment.channel_contact.create") == 1
    assert events("investment.channel.contact_log") == 1
    assert channel.logs.get().contact == person


def test_a_contact_log_needs_a_summary_and_a_past_date(investment_clerk, outsider) -> None:
    channel = make_channel(investment_clerk)

    with pytest.raises(ValidationError):
        services.channel_contact_log(by=investment_clerk, channel=channel, date=TODAY(), summary="")
    with pytest.raises(ValidationError):
        services.channel_contact_log(
            by=investment_clerk,
            channel=channel,
            date=TODAY() + dt.timedelta(days=2),
            summary="x",
        )
    with pytest.raises(PermissionDenied):
        services.channel_contact_log(by=outsider, channel=channel, date=TODAY(), summary="x")
    assert not channel.logs.exists()


def test_a_channel_name_is_unique_in_the_district(investment_clerk) -> None:
    make_channel(investment_clerk)

    with pytest.raises(ValidationError):
        make_channel(investment_clerk)
