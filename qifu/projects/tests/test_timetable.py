"""The timetable (时间表): planned dates fixed when the plan is approved, forecasts and actuals, and
the four colours counted in working days on the official calendar (2026's holidays and 调休)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.projects import selectors, services
from qifu.projects.models import Milestone
from qifu.projects.selectors import Colour
from qifu.projects.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db


def colour(today, planned=None, forecast=None, actual=None) -> str:
    milestone = Milestone(name="主体封顶", planned=planned, forecast=forecast, actual=actual)
    return selectors.milestone_colour(milestone, today)


# --- the colours ------------------------------------------------------------------------------


def test_a_reached_milestone_is_green_even_if_late() -> None:
    assert colour(D(2026, 10, 20), planned=D(2026, 9, 1), actual=D(2026, 10, 1)) == Colour.GREEN


def test_a_passed_date_is_red() -> None:
    assert colour(D(2026, 10, 20), planned=D(2026, 10, 19)) == Colour.RED


def test_due_today_is_yellow() -> None:
    assert colour(D(2026, 10, 20), planned=D(2026, 10, 20)) == Colour.YELLOW


def test_an_ordinary_weekend_does_not_count() -> None:
    # Thursday 03-05: Friday and Monday are the next two working days
    assert colour(D(2026, 3, 5), planned=D(2026, 3, 9)) == Colour.YELLOW
    assert colour(D(2026, 3, 5), planned=D(2026, 3, 10)) == Colour.BLUE


def test_national_day_week_does_not_count() -> None:
    # 09-30 (Wed): 10-01..10-07 are off, 10-08 and 10-09 are the next two working days, and
    # Saturday 10-10 is an adjusted workday: the third
    today = D(2026, 9, 30)
    assert colour(today, planned=D(2026, 10, 8)) == Colour.YELLOW
    assert colour(today, planned=D(2026, 10, 9)) == Colour.YELLOW
    assert colour(today, planned=D(2026, 10, 10)) == Colour.BLUE
    assert colour(today, planned=D(2026, 10, 12)) == Colour.BLUE


def test_a_date_inside_the_holiday_is_yellow_before_it() -> None:
    assert colour(D(2026, 9, 30), planned=D(2026, 10, 5)) == Colour.YELLOW


def test_a_date_passed_during_the_holiday_is_red() -> None:
    assert colour(D(2026, 10, 5), planned=D(2026, 10, 2)) == Colour.RED


def test_the_spring_festival_and_its_adjusted_saturday() -> None:
    # 02-13 (Fri): Saturday 02-14 is worked, 02-15..02-23 are off, 02-24 is the second working day
    today = D(2026, 2, 13)
    assert colour(today, planned=D(2026, 2, 24)) == Colour.YELLOW
    assert colour(today, planned=D(2026, 2, 25)) == Colour.BLUE


def test_without_a_planned_date_the_forecast_counts() -> None:
    assert colour(D(2026, 10, 20), forecast=D(2026, 10, 21)) == Colour.YELLOW
    assert colour(D(2026, 10, 20)) == Colour.BLUE


def test_the_worst_colour_stands_for_the_project() -> None:
    assert selectors.worst_colour([Colour.GREEN, Colour.YELLOW, Colour.BLUE]) == Colour.YELLOW
    assert selectors.worst_colour([Colour.GREEN, Colour.RED]) == Colour.RED
    assert selectors.worst_colour([]) is None


# --- the plan -----------------------------------------------------------------------------------


@pytest.fixture
def plan(project, jxj_clerk):
    services.milestone_add(by=jxj_clerk, project=project, name="开工", planned=D(2026, 5, 1))
    services.milestone_add(by=jxj_clerk, project=project, name="主体封顶", planned=D(2026, 10, 21))
    services.milestone_add(
        by=jxj_clerk, project=project, name="竣工投产", planned=D(2027, 6, 30), is_completion=True
    )
    return project


def test_approving_the_plan_fixes_the_planned_dates(plan, leader, jxj_clerk) -> None:
    services.milestone_plan_approve(by=leader, project=plan)
    plan.refresh_from_db()
    assert plan.plan_approved_by == leader
    milestones = list(plan.milestones.order_by("sort_order"))
    assert [m.forecast for m in milestones] == [m.planned for m in milestones]
    assert AuditEvent.objects.filter(action="project.plan_approve").count() == 1

    with pytest.raises(services.TransitionError):
        services.milestone_plan(by=jxj_clerk, milestone=milestones[1], planned=D(2026, 12, 1))
    with pytest.raises(services.TransitionError):
        services.milestone_add(by=jxj_clerk, project=plan, name="设备安装")
    with pytest.raises(services.TransitionError):
        services.milestone_plan_approve(by=leader, project=plan)


def test_before_approval_the_planned_dates_may_change(plan, jxj_clerk) -> None:
    milestone = plan.milestones.get(name="主体封顶")
    services.milestone_plan(by=jxj_clerk, milestone=milestone, planned=D(2026, 12, 1))
    milestone.refresh_from_db()
    assert milestone.planned == D(2026, 12, 1)


def test_the_plan_needs_every_planned_date(project, jxj_clerk, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.milestone_plan_approve(by=tcj_clerk, project=project)
    services.milestone_add(by=jxj_clerk, project=project, name="开工")
    with pytest.raises(ValidationError, match="开工"):
        services.milestone_plan_approve(by=tcj_clerk, project=project)


def test_the_lead_department_does_not_approve_its_own_plan(plan, jxj_clerk) -> None:
    with pytest.raises(PermissionDenied):
        services.milestone_plan_approve(by=jxj_clerk, project=plan)


def test_one_completion_milestone(plan, jxj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.milestone_add(by=jxj_clerk, project=plan, name="二期投产", is_completion=True)


def test_forecast_and_actual_after_approval(plan, leader, jxj_clerk) -> None:
    services.milestone_plan_approve(by=leader, project=plan)
    roof = plan.milestones.get(name="主体封顶")
    services.milestone_forecast(by=jxj_clerk, milestone=roof, forecast=D(2026, 11, 5))
    roof.refresh_from_db()
    assert (roof.planned, roof.forecast) == (D(2026, 10, 21), D(2026, 11, 5))
    # still held to the approved date: due tomorrow, yellow
    assert selectors.milestone_colour(roof, TODAY) == Colour.YELLOW
    services.milestone_actual(by=jxj_clerk, milestone=roof, actual=D(2026, 10, 19))
    roof.refresh_from_db()
    assert selectors.milestone_colour(roof, TODAY) == Colour.GREEN
    with pytest.raises(services.TransitionError):
        services.milestone_forecast(by=jxj_clerk, milestone=roof, forecast=D(2026, 11, 6))
    with pytest.raises(ValidationError):
        services.milestone_actual(by=jxj_clerk, milestone=roof, actual=D(2026, 10, 21))


def test_the_timetable_reads_in_order_with_colours(plan, tcj_clerk, outsider) -> None:
    rows = selectors.timetable_for_user(user=tcj_clerk, project=plan, today=TODAY)
    assert [(m.name, c) for m, c in rows] == [
        ("开工", Colour.RED),
        ("主体封顶", Colour.YELLOW),
        ("竣工投产", Colour.BLUE),
    ]
    assert selectors.timetable_for_user(user=outsider, project=plan) == []


def test_overdue_milestones(plan, tcj_clerk, jxj_clerk, ruifeng_user) -> None:
    assert [m.name for m in selectors.overdue_milestones(user=tcj_clerk, today=TODAY)] == ["开工"]
    services.milestone_actual(
        by=jxj_clerk, milestone=plan.milestones.get(name="开工"), actual=D(2026, 5, 6)
    )
    assert not selectors.overdue_milestones(user=tcj_clerk, today=TODAY).exists()
    assert [
        m.name for m in selectors.overdue_milestones(user=tcj_clerk, today=D(2026, 10, 22))
    ] == ["主体封顶"]
    assert not selectors.overdue_milestones(user=ruifeng_user, today=D(2026, 10, 22)).exists()


def test_ahead_of_plan_compares_the_completion_milestone() -> None:
    def done(planned, forecast=None, actual=None):
        return [
            Milestone(name="开工", planned=D(2026, 1, 1), forecast=D(2025, 1, 1)),
            Milestone(
                name="竣工", is_completion=True, planned=planned, forecast=forecast, actual=actual
            ),
        ]

    assert selectors.is_ahead_of_plan(done(D(2027, 6, 30), forecast=D(2027, 5, 1)))
    assert selectors.is_ahead_of_plan(done(D(2027, 6, 30), actual=D(2026, 12, 1)))
    assert not selectors.is_ahead_of_plan(done(D(2027, 6, 30), forecast=D(2027, 6, 30)))
    assert not selectors.is_ahead_of_plan(done(None, forecast=D(2027, 5, 1)))
    assert not selectors.is_ahead_of_plan(done(D(2027, 6, 30))[:1])
