"""The demo's policy work: the library at every level, the seed's recommendations and wins, current
programmes with open windows (one that 瑞丰气体 qualifies for and has not applied to), a 免申即享
list confirmed and partly paid, pushes and notices partly read; a second build adds nothing.

The demo runs on the real clock (dates relative to today), so this module replaces the policies
tests' fixed clock with the real one.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from qifu.accounts.models import User
from qifu.audit.models import AuditEvent
from qifu.core import demo as core_demo
from qifu.enterprises import demo as enterprise_demo
from qifu.policies import demo, permissions, selectors, services
from qifu.policies.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Delivery,
    Notice,
    Origin,
    Policy,
    Programme,
    ProgrammeStatus,
)
from qifu.stats import demo as stats_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock() -> None:
    """The real clock (instead of the policies tests' fixed day)."""
    return None


def _counts() -> tuple[int, ...]:
    return (
        Policy.objects.count(),
        Programme.objects.count(),
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        Notice.objects.count(),
        Delivery.objects.count(),
        Delivery.objects.filter(read_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """What runs before the policies in `qifu.core.demo.build` and matters to them (the
    enterprises, the accounts and the monthly figures that give revenue and employees), then the
    policies demo twice; built once for the module and rolled back after it."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        enterprise_demo.build()
        core_demo.build_accounts()
        stats_demo.build()
        made = demo.build()
        first = _counts()
        again = demo.build()
        yield {"made": made, "first": first, "again": again, "second": _counts()}
        transaction.set_rollback(True)


def _programme(fragment: str) -> Programme:
    return Programme.objects.select_related("department").get(title__contains=fragment)


def test_a_second_build_adds_nothing(built: dict[str, Any]) -> None:
    assert built["made"]["policies"] >= 10
    assert built["made"]["applications"] > 40
    assert set(built["again"].values()) == {0}
    assert built["second"] == built["first"]


def test_the_library_has_policies_of_every_level_with_numbers_and_departments(
    built: dict[str, Any],
) -> None:
    policies = Policy.objects.prefetch_related("categories")
    assert set(policies.values_list("level", flat=True)) == {
        "national",
        "provincial",
        "city",
        "district",
    }
    assert all(p.document_number and p.department_id for p in policies)
    assert all(p.categories.all() for p in policies)
    assert len(set(policies.values_list("department__code", flat=True))) >= 5
    assert policies.filter(valid_until__lt=timezone.localdate()).exists()  # expired, kept


def test_30_enterprises_are_recommended_for_technology_innovation(built: dict[str, Any]) -> None:
    programme = _programme("技术创新项目计划")
    applications = programme.applications.select_related("enterprise")

    assert applications.count() == 30
    assert {a.status for a in applications} == {ApplicationStatus.RECOMMENDED}
    assert {a.origin for a in applications} == {Origin.RECOMMENDED}
    assert all(a.recommended_by and a.recommended_by.code == "jxj" for a in applications)
    names = {a.enterprise.name for a in applications}
    assert {"天路集团", "路达实业公司"} <= names
    assert all(a.enterprise.industry_section == "C" for a in applications)
    assert programme.status == ProgrammeStatus.CLOSED
    assert (
        ApplicationEvent.objects.filter(
            application__programme=programme, action="recommend"
        ).count()
        == 30
    )


def test_the_named_enterprises_win_what_the_seed_says(built: dict[str, Any]) -> None:
    new_product = _programme("新技术新产品认定")
    won = new_product.applications.filter(status=ApplicationStatus.FUNDED)
    assert set(won.values_list("enterprise__name", flat=True)) == {"瑞丰气体", "崂山电子"}
    assert all(a.funds_amount and a.funds_on for a in won)

    conservation = _programme("节约型社会")
    funded = conservation.applications.filter(status=ApplicationStatus.FUNDED)
    assert set(funded.values_list("enterprise__name", flat=True)) == {
        "玖琦化工",
        "洁新再生资源有限公司",
    }
    assert funded.aggregate(s=Sum("funds_amount"))["s"] == Decimal("200")
    assert conservation.applications.filter(status=ApplicationStatus.REJECTED).count() == 1

    clean = _programme("清洁生产")
    assert clean.applications.filter(status=ApplicationStatus.RECOMMENDED).count() == 2
    circular = _programme("循环经济")
    assert circular.applications.filter(status=ApplicationStatus.RECOMMENDED).count() == 4


def test_current_programmes_have_open_windows_and_criteria(built: dict[str, Any]) -> None:
    today = timezone.localdate()
    open_now = Programme.objects.filter(
        status=ProgrammeStatus.PUBLISHED, window_opens__lte=today, window_closes__gte=today
    )
    assert open_now.count() >= 3
    assert all(p.criteria.get("conditions") for p in open_now)
    fields = {c["field"] for p in open_now for c in p.criteria["conditions"]}
    assert {"industry", "above_scale", "tags", "revenue_last_year", "employees"} <= fields
    assert Programme.objects.filter(
        status=ProgrammeStatus.PUBLISHED, window_opens__gt=today
    ).exists()
    assert Programme.objects.filter(status=ProgrammeStatus.DRAFT).exists()


def test_the_no_application_programme_has_its_list_confirmed_and_partly_paid(
    built: dict[str, Any],
) -> None:
    programme = Programme.objects.get(no_application=True, status=ProgrammeStatus.PUBLISHED)
    applications = programme.applications.all()

    assert {a.origin for a in applications} == {Origin.CONFIRMED}
    statuses = set(applications.values_list("status", flat=True))
    assert statuses == {ApplicationStatus.CONFIRMED, ApplicationStatus.FUNDED}
    # the list is the programme's eligible enterprises
    leader = User.objects.get(username="leader")
    eligible = selectors.programme_matches(user=leader, programme=programme).eligible
    assert {m.enterprise.pk for m in eligible if m.enterprise} == set(
        applications.values_list("enterprise_id", flat=True)
    )


def test_ruifeng_qualifies_for_an_open_programme_it_has_not_applied_to_and_jxj_may_recommend(
    built: dict[str, Any],
) -> None:
    ruifeng = User.objects.get(username="ruifeng")
    jxj = User.objects.get(username="jxj")
    matches = selectors.enterprise_matches(user=ruifeng, enterprise=ruifeng.enterprise)
    applied = set(
        Application.objects.filter(enterprise=ruifeng.enterprise).values_list(
            "programme_id", flat=True
        )
    )
    candidates = [
        m.programme
        for m in matches.now
        if m.programme is not None
        and not m.programme.no_application
        and m.programme.pk not in applied
        and permissions.can_handle(jxj, m.programme)
    ]
    assert candidates
    programme = candidates[0]
    assert permissions.can_manage(jxj)
    assert permissions.can_recommend(jxj, programme)
    # the pushed programme reached 瑞丰气体, unread
    delivery = Delivery.objects.get(notice__programme=programme, enterprise=ruifeng.enterprise)
    assert delivery.read_at is None

    # the journey: 瑞丰气体 applies, 经信局 reviews and recommends it upward
    application, created = services.application_apply(
        by=ruifeng, programme=programme, enterprise=ruifeng.enterprise, client_token="journey"
    )
    assert created
    application = services.application_review(
        by=jxj, application=application, passed=True, materials_checked=programme.materials
    )
    application = services.application_recommend(by=jxj, application=application)
    assert application.status == ApplicationStatus.RECOMMENDED


def test_pushes_and_notices_reach_their_targets_and_some_are_read(built: dict[str, Any]) -> None:
    notices = Notice.objects.all()
    assert notices.filter(programme__isnull=False).exists()
    assert notices.filter(programme__isnull=True).count() >= 2
    deliveries = Delivery.objects.all()
    read = deliveries.filter(read_at__isnull=False)
    assert 0 < read.count() < deliveries.count()
    assert read.filter(enterprise__name="天路集团").exists()
    assert all(d.read_at >= d.delivered_at for d in read)
    assert all(d.read_at <= timezone.now() for d in read)


def test_the_steps_are_dated_when_they_were_taken(built: dict[str, Any]) -> None:
    programme = _programme("节约型社会")
    application = programme.applications.filter(status=ApplicationStatus.FUNDED).first()
    assert application is not None
    events = list(application.events.order_by("at", "pk"))
    assert [e.action for e in events] == ["apply", "review", "recommend", "approve", "funds"]
    assert programme.window_opens <= timezone.localdate(application.submitted_at)
    assert timezone.localdate(application.submitted_at) <= programme.window_closes
    assert timezone.localdate(events[-1].at) == application.funds_on
    assert events[-1].at < timezone.now()


def test_the_core_demo_builds_the_policies_after_the_monthly_figures_and_reports() -> None:
    source = inspect.getsource(core_demo.build)

    assert source.index("stats_demo.build()") < source.index("policies_demo.build()")
    assert source.index("reports_demo.build()") < source.index("policies_demo.build()")
