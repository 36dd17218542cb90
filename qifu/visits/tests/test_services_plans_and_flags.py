"""Visit plans (made for today or later, cancelled by who made them or goes) and red flags heard
outside a visit (raised in scope, resolved once, by a leader of the district or who raised them)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.visits import selectors, services
from qifu.visits.models import PlanStatus
from qifu.visits.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db


# --- plans ----------------------------------------------------------------------------------------


def test_an_official_plans_a_visit(licun_clerk, other_leader, tianlu) -> None:
    plan = services.plan_create(
        by=licun_clerk,
        date=D(2026, 10, 28),
        purpose="了解四季度订单",
        enterprises=[tianlu],
        officials=[licun_clerk, other_leader],
    )
    assert plan.status == PlanStatus.PLANNED
    assert set(plan.officials.all()) == {licun_clerk, other_leader}
    assert list(selectors.plans_for_user(user=other_leader)) == [plan]
    assert AuditEvent.objects.filter(action="visit_plan.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": D(2026, 10, 19)}, "date"),
        ({"purpose": " "}, "purpose"),
        ({"enterprises": []}, "enterprises"),
        ({"officials": []}, "officials"),
        ({"kind": "letter"}, "kind"),
    ],
)
def test_a_plan_that_cannot_be_carried_out_is_refused(licun_clerk, tianlu, changes, field) -> None:
    values = {
        "date": TODAY,
        "purpose": "走访",
        "enterprises": [tianlu],
        "officials": [licun_clerk],
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.plan_create(by=licun_clerk, **values)
    assert field in error.value.message_dict


def test_a_street_clerk_plans_visits_only_in_its_street(licun_clerk, ruifeng) -> None:
    with pytest.raises(ValidationError) as error:
        services.plan_create(
            by=licun_clerk,
            date=TODAY,
            purpose="走访",
            enterprises=[ruifeng],
            officials=[licun_clerk],
        )
    assert "enterprises" in error.value.message_dict


def test_a_plan_is_cancelled_once_by_who_made_it(licun_clerk, leader, tianlu) -> None:
    plan = services.plan_create(
        by=licun_clerk, date=TODAY, purpose="走访", enterprises=[tianlu], officials=[licun_clerk]
    )
    with pytest.raises(PermissionDenied):
        services.plan_cancel(by=leader, plan=plan)
    services.plan_cancel(by=licun_clerk, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED
    with pytest.raises(services.TransitionError):
        services.plan_cancel(by=licun_clerk, plan=plan)
    assert list(selectors.plans_for_user(user=licun_clerk)) == []


# --- red flags ------------------------------------------------------------------------------------


def test_a_red_flag_heard_outside_a_visit_is_raised_and_resolved(
    licun_clerk, leader, tianlu
) -> None:
    flag = services.red_flag_raise(
        by=licun_clerk, enterprise=tianlu, kind="financing", note="银行抽贷"
    )
    assert flag.raised_on == TODAY
    assert list(selectors.red_flags_for_user(user=leader)) == [flag]
    services.red_flag_resolve(by=leader, flag=flag, resolution="已协调续贷")
    flag.refresh_from_db()
    assert flag.resolved_by == leader
    assert flag.resolution == "已协调续贷"
    assert list(selectors.red_flags_for_user(user=leader)) == []
    assert list(selectors.red_flags_for_user(user=leader, open_only=False)) == [flag]
    assert AuditEvent.objects.filter(action="red_flag.resolve").count() == 1


def test_a_red_flag_is_resolved_once(leader, tianlu) -> None:
    flag = services.red_flag_raise(by=leader, enterprise=tianlu, kind="layoffs", note="放假")
    services.red_flag_resolve(by=leader, flag=flag, resolution="已复工")
    with pytest.raises(services.TransitionError):
        services.red_flag_resolve(by=leader, flag=flag, resolution="再次")


def test_resolving_says_how(leader, tianlu) -> None:
    flag = services.red_flag_raise(by=leader, enterprise=tianlu, kind="layoffs", note="放假")
    with pytest.raises(ValidationError):
        services.red_flag_resolve(by=leader, flag=flag, resolution=" ")


def test_who_raised_a_flag_resolves_it_and_other_officials_do_not(
    licun_clerk, jxj_clerk, tianlu
) -> None:
    flag = services.red_flag_raise(by=licun_clerk, enterprise=tianlu, kind="land", note="缺地")
    with pytest.raises(PermissionDenied):
        services.red_flag_resolve(by=jxj_clerk, flag=flag, resolution="已协调")
    services.red_flag_resolve(by=licun_clerk, flag=flag, resolution="已协调")


def test_a_leader_of_another_district_cannot_resolve_a_flag(outsider, leader, tianlu) -> None:
    flag = services.red_flag_raise(by=leader, enterprise=tianlu, kind="land", note="缺地")
    with pytest.raises(PermissionDenied):
        services.red_flag_resolve(by=outsider, flag=flag, resolution="已协调")


def test_a_red_flag_is_raised_in_scope_only(licun_clerk, ruifeng) -> None:
    with pytest.raises(PermissionDenied):
        services.red_flag_raise(by=licun_clerk, enterprise=ruifeng, kind="land", note="缺地")


def test_a_red_flag_says_what_was_heard(leader, tianlu) -> None:
    with pytest.raises(ValidationError):
        services.red_flag_raise(by=leader, enterprise=tianlu, kind="land", note="")
    with pytest.raises(ValidationError):
        services.red_flag_raise(by=leader, enterprise=tianlu, kind="weather", note="台风")
