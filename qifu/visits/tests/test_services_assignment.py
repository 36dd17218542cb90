"""Responsibility (包干): district leaders assign over the district, street staff over their own
street only; the same responsibility is not given twice; an assignment is ended, not deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.visits import selectors, services
from qifu.visits.models import Assignment
from qifu.visits.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db


def test_a_district_leader_makes_an_official_responsible_for_a_street(
    leader, licun_clerk, licun
) -> None:
    assignment = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, visits_per_quarter=2
    )
    assert (assignment.official, assignment.street, assignment.enterprise) == (
        licun_clerk,
        licun,
        None,
    )
    assert assignment.key_only is True
    assert assignment.starts_on == TODAY
    assert assignment.ends_on is None
    event = AuditEvent.objects.get(action="visit_assignment.create")
    assert event.actor == leader
    assert event.changes["official"] == [None, "licun_clerk"]


def test_a_district_leader_makes_an_official_responsible_for_a_named_enterprise(
    leader, other_leader, ruifeng
) -> None:
    assignment = services.assignment_create(by=leader, official=other_leader, enterprise=ruifeng)
    assert assignment.enterprise == ruifeng
    assert assignment.street is None


def test_a_street_clerk_assigns_its_own_street_and_its_enterprises(
    licun_clerk, licun, tianlu
) -> None:
    services.assignment_create(by=licun_clerk, official=licun_clerk, street=licun)
    services.assignment_create(by=licun_clerk, official=licun_clerk, enterprise=tianlu)
    assert Assignment.objects.filter(official=licun_clerk).count() == 2


def test_a_street_clerk_cannot_assign_another_street(licun_clerk, loushan) -> None:
    with pytest.raises(PermissionDenied):
        services.assignment_create(by=licun_clerk, official=licun_clerk, street=loushan)


def test_a_street_clerk_cannot_assign_an_enterprise_of_another_street(licun_clerk, ruifeng) -> None:
    with pytest.raises(PermissionDenied):
        services.assignment_create(by=licun_clerk, official=licun_clerk, enterprise=ruifeng)


@pytest.mark.parametrize("who", ["jxj_clerk", "enterprise_user", "sysadmin", "no_role_user"])
def test_only_leaders_and_street_staff_assign(request, who, licun_clerk, licun) -> None:
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            by=request.getfixturevalue(who), official=licun_clerk, street=licun
        )
    assert not Assignment.objects.exists()


def test_an_outsider_cannot_assign_a_street_of_another_district(outsider, licun) -> None:
    with pytest.raises(PermissionDenied):
        services.assignment_create(by=outsider, official=outsider, street=licun)


def test_the_official_must_be_of_the_same_district(leader, outsider, licun) -> None:
    with pytest.raises(ValidationError) as error:
        services.assignment_create(by=leader, official=outsider, street=licun)
    assert "official" in error.value.message_dict


def test_an_enterprise_user_cannot_be_made_responsible(leader, enterprise_user, licun) -> None:
    with pytest.raises(ValidationError):
        services.assignment_create(by=leader, official=enterprise_user, street=licun)


def test_either_a_street_or_an_enterprise_is_assigned(leader, licun_clerk, licun, tianlu) -> None:
    with pytest.raises(ValidationError):
        services.assignment_create(by=leader, official=licun_clerk)
    with pytest.raises(ValidationError):
        services.assignment_create(by=leader, official=licun_clerk, street=licun, enterprise=tianlu)


def test_the_same_responsibility_is_not_given_twice(leader, licun_clerk, licun) -> None:
    services.assignment_create(by=leader, official=licun_clerk, street=licun)
    with pytest.raises(ValidationError):
        services.assignment_create(by=leader, official=licun_clerk, street=licun)
    assert Assignment.objects.count() == 1


def test_another_official_may_share_the_street(leader, licun_clerk, other_leader, licun) -> None:
    services.assignment_create(by=leader, official=licun_clerk, street=licun)
    services.assignment_create(by=leader, official=other_leader, street=licun)
    assert Assignment.objects.filter(street=licun).count() == 2


def test_the_target_is_between_one_and_thirteen_visits_a_quarter(
    leader, licun_clerk, licun
) -> None:
    with pytest.raises(ValidationError):
        services.assignment_create(
            by=leader, official=licun_clerk, street=licun, visits_per_quarter=0
        )
    with pytest.raises(ValidationError):
        services.assignment_create(
            by=leader, official=licun_clerk, street=licun, visits_per_quarter=14
        )


def test_ending_an_assignment_keeps_it_with_its_end_date(leader, licun_clerk, licun) -> None:
    assignment = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, starts_on=D(2026, 1, 1)
    )
    services.assignment_end(by=leader, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY
    assert AuditEvent.objects.filter(action="visit_assignment.end").count() == 1
    assert selectors.assignments_for_user(user=leader, active_on=D(2026, 12, 1)).count() == 0
    assert selectors.assignments_for_user(user=leader, active_on=D(2026, 6, 1)).count() == 1


def test_an_assignment_that_ended_cannot_be_ended_again(leader, licun_clerk, licun) -> None:
    assignment = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, starts_on=D(2026, 1, 1)
    )
    services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 6, 30))
    with pytest.raises(services.TransitionError):
        services.assignment_end(by=leader, assignment=assignment)


def test_an_assignment_cannot_end_before_it_starts(leader, licun_clerk, licun) -> None:
    assignment = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, starts_on=D(2026, 10, 1)
    )
    with pytest.raises(ValidationError):
        services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 9, 1))


def test_after_it_ended_the_responsibility_can_be_given_again(leader, licun_clerk, licun) -> None:
    first = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, starts_on=D(2026, 1, 1)
    )
    services.assignment_end(by=leader, assignment=first, ends_on=D(2026, 6, 30))
    again = services.assignment_create(
        by=leader, official=licun_clerk, street=licun, starts_on=D(2026, 7, 1)
    )
    assert again.pk != first.pk


def test_a_street_clerk_cannot_end_an_assignment_outside_its_street(
    leader, loushan_clerk, licun_clerk, tianlu
) -> None:
    # the leader made the 楼山 clerk responsible for an enterprise of 李村: the clerk sees it as
    # their own, but may not end it
    assignment = services.assignment_create(by=leader, official=loushan_clerk, enterprise=tianlu)
    with pytest.raises(PermissionDenied):
        services.assignment_end(by=loushan_clerk, assignment=assignment)
    services.assignment_end(by=licun_clerk, assignment=assignment)


def test_an_enterprise_shows_who_is_responsible_for_it(
    assign, licun_clerk, other_leader, leader, licun, tianlu, licun_small
) -> None:
    assign(licun_clerk, street=licun)  # key enterprises of 李村
    assign(other_leader, enterprise=licun_small)
    ended = assign(leader, enterprise=tianlu)
    services.assignment_end(by=leader, assignment=ended, ends_on=D(2026, 3, 31))
    assert selectors.responsible_for(enterprise=tianlu) == [licun_clerk]
    assert selectors.responsible_for(enterprise=licun_small) == [other_leader]
    assert selectors.responsible_for(enterprise=tianlu, on=D(2026, 2, 1)) == [
        leader,
        licun_clerk,
    ]


def test_a_leader_sees_the_assignments_of_the_district_and_a_street_clerk_those_of_its_street(
    assign, leader, licun_clerk, loushan_clerk, other_leader, licun, loushan, ruifeng, outsider
) -> None:
    assign(licun_clerk, street=licun)
    assign(loushan_clerk, street=loushan)
    assign(other_leader, enterprise=ruifeng)
    assert selectors.assignments_for_user(user=leader).count() == 3
    assert [a.street for a in selectors.assignments_for_user(user=licun_clerk)] == [licun]
    assert selectors.assignments_for_user(user=loushan_clerk).count() == 2
    assert selectors.assignments_for_user(user=outsider).count() == 0
