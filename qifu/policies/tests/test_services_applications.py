"""Applications from application (or recommendation) to funds, refusals, and 免申即享."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from qifu.audit.models import AuditEvent
from qifu.notices.models import Notification
from qifu.policies import services
from qifu.policies.models import Application, ApplicationStatus, Origin


def apply(programme, user, enterprise, **kwargs):
    application, _created = services.application_apply(
        by=user, programme=programme, enterprise=enterprise, **kwargs
    )
    return application


def test_the_pipeline_runs_from_application_to_funds_with_an_event_and_audit_per_step(
    programme, enterprise_user, tianlu, jxj_clerk
):
    application = apply(programme, enterprise_user, tianlu, statement="研发投入3000万元")
    assert application.status == ApplicationStatus.APPLIED
    assert application.origin == Origin.APPLIED
    application = services.application_review(
        by=jxj_clerk, application=application, passed=True, materials_checked=["申报书", "营业执照"]
    )
    assert application.status == ApplicationStatus.REVIEWED
    application = services.application_recommend(by=jxj_clerk, application=application)
    assert application.status == ApplicationStatus.RECOMMENDED
    application = services.application_result(
        by=jxj_clerk, application=application, approved=True, amount=Decimal("40")
    )
    assert application.status == ApplicationStatus.APPROVED
    assert application.amount_approved == Decimal("40")
    application = services.application_funds(
        by=jxj_clerk, application=application, amount=Decimal("40"), on=dt.date(2026, 4, 14)
    )
    assert application.status == ApplicationStatus.FUNDED
    assert application.funds_on == dt.date(2026, 4, 14)
    steps = list(application.events.values_list("action", "status_to"))
    assert steps == [
        ("apply", "applied"),
        ("review", "reviewed"),
        ("recommend", "recommended"),
        ("approve", "approved"),
        ("funds", "funded"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk), object_type="policies.application")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.apply",
        "application.review",
        "application.recommend",
        "application.approve",
        "application.funds",
    ]
    # the enterprise hears of the result
    assert Notification.objects.filter(user=enterprise_user).exists()


def test_an_application_outside_the_window_is_refused_with_the_dates(
    programme, enterprise_user, tianlu, clock
):
    clock.set(dt.date(2026, 3, 31))
    with pytest.raises(services.TransitionError, match="2026-04-01"):
        apply(programme, enterprise_user, tianlu)
    clock.set(dt.date(2026, 5, 1))
    with pytest.raises(services.TransitionError, match="2026-04-30"):
        apply(programme, enterprise_user, tianlu)
    assert not Application.objects.exists()


def test_the_first_and_last_days_of_the_window_are_inside_it(
    programme, enterprise_user, tianlu, clock
):
    clock.set(dt.date(2026, 4, 30))
    assert apply(programme, enterprise_user, tianlu).status == "applied"


def test_a_draft_programme_takes_no_applications(make_programme, enterprise_user, tianlu):
    with pytest.raises(services.TransitionError):
        apply(make_programme(publish=False), enterprise_user, tianlu)


def test_a_duplicate_is_refused_while_a_live_application_exists(
    programme, enterprise_user, tianlu, licun_clerk
):
    first = apply(programme, enterprise_user, tianlu)
    with translation.override("en"), pytest.raises(services.TransitionError, match="already"):
        apply(programme, enterprise_user, tianlu)
    with pytest.raises(services.TransitionError):
        services.application_recommend_by_department(
            by=licun_clerk, programme=programme, enterprise=tianlu
        )
    services.application_withdraw(by=enterprise_user, application=first)
    again = apply(programme, enterprise_user, tianlu)
    assert again.pk != first.pk


def test_a_double_submit_with_the_same_token_is_one_application(programme, enterprise_user, tianlu):
    first, created = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu, client_token="t-1"
    )
    again, created_again = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu, client_token="t-1"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Application.objects.count() == 1


def test_the_materials_the_enterprise_ticks_are_kept_on_its_application(
    programme, enterprise_user, tianlu
):
    application, _ = services.application_apply(
        by=enterprise_user,
        programme=programme,
        enterprise=tianlu,
        materials_checked=["营业执照", "营业执照"],
    )
    application.refresh_from_db()
    assert application.materials_checked == ["营业执照"]


def test_a_ticked_material_not_on_the_checklist_is_refused(programme, enterprise_user, tianlu):
    with pytest.raises(ValidationError) as caught:
        services.application_apply(
            by=enterprise_user,
            programme=programme,
            enterprise=tianlu,
            materials_checked=["申报书", "审计报告"],
        )
    assert "materials_checked" in caught.value.message_dict
    assert not Application.objects.exists()


def test_an_enterprise_applies_only_for_itself(programme, enterprise_user, ruifeng):
    with pytest.raises(PermissionDenied):
        apply(programme, enterprise_user, ruifeng)


def test_an_official_applies_on_behalf_of_an_enterprise_of_its_scope_only(
    programme, licun_clerk, tianlu, ruifeng, outsider
):
    assert apply(programme, licun_clerk, tianlu).submitted_by == licun_clerk
    with pytest.raises(PermissionDenied):
        apply(programme, licun_clerk, ruifeng)
    with pytest.raises(PermissionDenied):
        apply(programme, outsider, ruifeng)


def test_a_department_recommends_an_enterprise(programme, zrj_clerk, ruifeng):
    application, created = services.application_recommend_by_department(
        by=zrj_clerk, programme=programme, enterprise=ruifeng, statement="节能改造成效显著"
    )
    assert created
    assert application.origin == Origin.RECOMMENDED
    assert application.recommended_by.code == "zrj"
    assert application.events.get().action == "recommend_by_department"


def test_a_review_returns_with_a_reason_and_the_enterprise_completes_it(
    programme, enterprise_user, tianlu, jxj_clerk
):
    application = apply(programme, enterprise_user, tianlu)
    with pytest.raises(ValidationError):
        services.application_review(by=jxj_clerk, application=application, passed=False)
    application = services.application_review(
        by=jxj_clerk,
        application=application,
        passed=False,
        materials_checked=["申报书"],
        note="缺营业执照复印件",
    )
    assert application.status == ApplicationStatus.RETURNED
    assert application.review_note == "缺营业执照复印件"
    application = services.application_resubmit(by=enterprise_user, application=application)
    assert application.status == ApplicationStatus.APPLIED


def test_a_review_that_passes_needs_every_material_checked(
    programme, enterprise_user, tianlu, jxj_clerk
):
    application = apply(programme, enterprise_user, tianlu)
    with pytest.raises(ValidationError) as raised:
        services.application_review(
            by=jxj_clerk, application=application, passed=True, materials_checked=["申报书"]
        )
    assert "materials_checked" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.application_review(
            by=jxj_clerk, application=application, passed=True, materials_checked=["不存在的"]
        )


def test_steps_in_the_wrong_state_are_conflicts(programme, enterprise_user, tianlu, jxj_clerk):
    application = apply(programme, enterprise_user, tianlu)
    with pytest.raises(services.TransitionError):
        services.application_recommend(by=jxj_clerk, application=application)
    with pytest.raises(services.TransitionError):
        services.application_result(
            by=jxj_clerk, application=application, approved=True, amount=Decimal(1)
        )
    with pytest.raises(services.TransitionError):
        services.application_funds(
            by=jxj_clerk, application=application, amount=Decimal(1), on=dt.date(2026, 4, 1)
        )


def test_funds_are_recorded_only_after_approval_and_never_in_the_future(
    programme, enterprise_user, tianlu, jxj_clerk
):
    application = apply(programme, enterprise_user, tianlu)
    services.application_review(
        by=jxj_clerk, application=application, passed=True, materials_checked=["申报书", "营业执照"]
    )
    services.application_recommend(by=jxj_clerk, application=application)
    rejected = services.application_result(by=jxj_clerk, application=application, approved=False)
    assert rejected.status == ApplicationStatus.REJECTED
    with pytest.raises(services.TransitionError):
        services.application_funds(
            by=jxj_clerk, application=rejected, amount=Decimal(1), on=dt.date(2026, 4, 1)
        )


def test_an_approval_needs_an_amount(programme, enterprise_user, tianlu, jxj_clerk):
    application = apply(programme, enterprise_user, tianlu)
    services.application_review(
        by=jxj_clerk, application=application, passed=True, materials_checked=["申报书", "营业执照"]
    )
    services.application_recommend(by=jxj_clerk, application=application)
    with pytest.raises(ValidationError):
        services.application_result(by=jxj_clerk, application=application, approved=True)


def test_the_enterprise_withdraws_before_review_only(
    programme, enterprise_user, tianlu, jxj_clerk, ruifeng_user
):
    application = apply(programme, enterprise_user, tianlu)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(by=ruifeng_user, application=application)
    services.application_review(
        by=jxj_clerk, application=application, passed=True, materials_checked=["申报书", "营业执照"]
    )
    with pytest.raises(services.TransitionError):
        services.application_withdraw(by=enterprise_user, application=application)


def test_only_the_programmes_department_or_a_leader_reviews(
    programme, enterprise_user, tianlu, zrj_clerk, licun_clerk, leader
):
    application = apply(programme, enterprise_user, tianlu)
    for user in (zrj_clerk, licun_clerk, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.application_review(by=user, application=application, passed=False, note="x")
    services.application_review(by=leader, application=application, passed=False, note="补材料")


def test_no_application_programme_confirms_the_eligible_list_then_pays(
    make_programme, jxj_clerk, tianlu, ruifeng, enterprise_user
):
    programme = make_programme(no_application=True, title="高企研发费用奖补（免申即享）")
    with pytest.raises(services.TransitionError):
        apply(programme, enterprise_user, tianlu)
    with pytest.raises(ValidationError, match="瑞丰气体"):
        services.programme_confirm_list(by=jxj_clerk, programme=programme, enterprises=[ruifeng])
    created = services.programme_confirm_list(
        by=jxj_clerk, programme=programme, enterprises=[tianlu]
    )
    assert [a.status for a in created] == [ApplicationStatus.CONFIRMED]
    assert created[0].origin == Origin.CONFIRMED
    # confirming again changes nothing
    assert (
        services.programme_confirm_list(by=jxj_clerk, programme=programme, enterprises=[tianlu])
        == []
    )
    funded = services.application_funds(
        by=jxj_clerk, application=created[0], amount=Decimal("20"), on=dt.date(2026, 4, 15)
    )
    assert funded.status == ApplicationStatus.FUNDED
    assert [e.action for e in funded.events.all()] == ["confirm", "funds"]


def test_a_programme_with_applications_has_no_confirmed_list(programme, jxj_clerk, tianlu):
    with pytest.raises(services.TransitionError):
        services.programme_confirm_list(by=jxj_clerk, programme=programme, enterprises=[tianlu])
