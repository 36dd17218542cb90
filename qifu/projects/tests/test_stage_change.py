"""services.stage_change and services.TRANSITIONS: the main line one step at a time, every change
out of order refused with its reason (TransitionError, HTTP 409), signing with its dates, pausing
and resuming where it paused, termination as final, dates checked, history and audit written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.projects import services
from qifu.projects.models import STAGE_ORDER, DateKind, ProjectDate, Stage, StageEvent
from qifu.projects.tests.conftest import STAGE_DATES, TODAY, D

pytestmark = pytest.mark.django_db

ALL = list(Stage.values)
ALLOWED = {
    Stage.NEGOTIATING: {Stage.SIGNED, Stage.PAUSED, Stage.TERMINATED},
    Stage.SIGNED: {Stage.APPROVAL, Stage.PAUSED, Stage.TERMINATED},
    Stage.APPROVAL: {Stage.CONSTRUCTION, Stage.PAUSED, Stage.TERMINATED},
    Stage.CONSTRUCTION: {Stage.PRODUCTION, Stage.PAUSED, Stage.TERMINATED},
    Stage.PRODUCTION: set(),
}


def change(project, stage, by, **kwargs):
    kwargs.setdefault("date", TODAY)
    if stage == Stage.SIGNED:
        kwargs.setdefault("signing", {DateKind.INTENT: kwargs["date"]})
    if stage in (Stage.PAUSED, Stage.TERMINATED):
        kwargs.setdefault("reason", "投资方资金链紧张")
    return services.stage_change(by=by, project=project, stage=stage, **kwargs)


def test_a_new_project_is_negotiating_with_its_first_history_event(project, tcj_clerk) -> None:
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_date == D(2026, 1, 5)
    event = StageEvent.objects.get(project=project)
    assert (event.from_stage, event.to_stage, event.date, event.actor) == (
        "",
        Stage.NEGOTIATING,
        D(2026, 1, 5),
        tcj_clerk,
    )


def test_the_main_line_is_walked_one_step_at_a_time(project, walk) -> None:
    project = walk(project, Stage.PRODUCTION)

    assert project.stage == Stage.PRODUCTION
    assert project.actual_start == STAGE_DATES[Stage.CONSTRUCTION]
    assert project.production_date == STAGE_DATES[Stage.PRODUCTION]
    history = list(
        StageEvent.objects.filter(project=project).values_list("from_stage", "to_stage", "date")
    )
    assert history == [
        ("", Stage.NEGOTIATING, D(2026, 1, 5)),
        (Stage.NEGOTIATING, Stage.SIGNED, STAGE_DATES[Stage.SIGNED]),
        (Stage.SIGNED, Stage.APPROVAL, STAGE_DATES[Stage.APPROVAL]),
        (Stage.APPROVAL, Stage.CONSTRUCTION, STAGE_DATES[Stage.CONSTRUCTION]),
        (Stage.CONSTRUCTION, Stage.PRODUCTION, STAGE_DATES[Stage.PRODUCTION]),
    ]


@pytest.mark.parametrize("current", list(STAGE_ORDER))
@pytest.mark.parametrize("target", ALL)
def test_each_stage_allows_exactly_its_table(current, target, project, walk, tcj_clerk) -> None:
    project = walk(project, current)
    if target in ALLOWED[current]:
        result = change(project, target, tcj_clerk)
        assert result.stage == target
        assert StageEvent.objects.filter(project=project, to_stage=target).exists()
    else:
        with pytest.raises(services.TransitionError):
            change(project, target, tcj_clerk)
        project.refresh_from_db()
        assert project.stage == current


def test_production_before_construction_is_refused_with_the_reason(project, walk, tcj_clerk):
    project = walk(project, Stage.APPROVAL)

    with pytest.raises(services.TransitionError) as error:
        change(project, Stage.PRODUCTION, tcj_clerk)

    message = str(error.value)
    assert str(Stage.PRODUCTION.label) in message
    assert str(Stage.CONSTRUCTION.label) in message
    assert str(Stage.APPROVAL.label) in message
    assert StageEvent.objects.filter(project=project).count() == 3


def test_skipping_approval_is_refused(project, walk, tcj_clerk) -> None:
    project = walk(project, Stage.SIGNED)
    with pytest.raises(services.TransitionError, match=str(Stage.APPROVAL.label)):
        change(project, Stage.CONSTRUCTION, tcj_clerk)


def test_going_back_a_stage_is_refused(project, walk, tcj_clerk) -> None:
    project = walk(project, Stage.CONSTRUCTION)
    with pytest.raises(services.TransitionError, match=str(Stage.SIGNED.label)):
        change(project, Stage.SIGNED, tcj_clerk)


def test_the_same_stage_again_is_refused(project, tcj_clerk) -> None:
    with pytest.raises(services.TransitionError):
        change(project, Stage.NEGOTIATING, tcj_clerk)


def test_an_unknown_stage_is_a_validation_error(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.stage_change(by=tcj_clerk, project=project, stage="built", date=TODAY)


# --- signing ---------------------------------------------------------------------------------


def test_signing_needs_the_date_of_at_least_one_signing(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        services.stage_change(
            by=tcj_clerk, project=project, stage=Stage.SIGNED, date=TODAY, signing={}
        )
    assert "signing" in error.value.message_dict
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_signing_records_each_kind_with_its_date(project, tcj_clerk) -> None:
    services.stage_change(
        by=tcj_clerk,
        project=project,
        stage=Stage.SIGNED,
        date=D(2026, 3, 1),
        signing={DateKind.INTENT: D(2026, 2, 1), DateKind.LAND_LEASE: D(2026, 3, 1)},
    )
    dates = dict(ProjectDate.objects.filter(project=project).values_list("kind", "date"))
    assert dates == {DateKind.INTENT: D(2026, 2, 1), DateKind.LAND_LEASE: D(2026, 3, 1)}


def test_an_approval_item_is_not_a_signing(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.stage_change(
            by=tcj_clerk,
            project=project,
            stage=Stage.SIGNED,
            date=TODAY,
            signing={DateKind.PLANNING: TODAY},
        )


def test_a_signing_date_in_the_future_is_refused(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        change(project, Stage.SIGNED, tcj_clerk, signing={DateKind.CONTRACT: D(2026, 12, 1)})


def test_the_contract_after_the_intent_and_the_approvals_are_recorded_later(
    project, walk, tcj_clerk
) -> None:
    project = walk(project, Stage.APPROVAL)
    services.project_date_record(
        by=tcj_clerk, project=project, kind=DateKind.LAND_LEASE, date=D(2026, 3, 10)
    )
    for kind, day in [
        (DateKind.PROJECT_APPROVAL, D(2026, 3, 12)),
        (DateKind.ENVIRONMENT, D(2026, 3, 20)),
        (DateKind.PLANNING, D(2026, 4, 1)),
        (DateKind.LAND, D(2026, 4, 8)),
        (DateKind.CONSTRUCTION_PERMIT, D(2026, 4, 28)),
    ]:
        services.project_date_record(by=tcj_clerk, project=project, kind=kind, date=day)

    dates = dict(ProjectDate.objects.filter(project=project).values_list("kind", "date"))
    assert len(dates) == 7
    assert dates[DateKind.CONSTRUCTION_PERMIT] == D(2026, 4, 28)
    assert AuditEvent.objects.filter(action="project.date").count() == 6


def test_a_corrected_date_replaces_the_old_one(project, walk, tcj_clerk) -> None:
    project = walk(project, Stage.SIGNED)
    services.project_date_record(
        by=tcj_clerk, project=project, kind=DateKind.CONTRACT, date=D(2026, 2, 3)
    )
    assert ProjectDate.objects.get(project=project, kind=DateKind.CONTRACT).date == D(2026, 2, 3)
    event = AuditEvent.objects.filter(action="project.date").latest("id")
    assert event.changes == {"contract": ["2026-02-02", "2026-02-03"]}


def test_approval_dates_wait_for_the_signing(project, tcj_clerk) -> None:
    with pytest.raises(services.TransitionError):
        services.project_date_record(
            by=tcj_clerk, project=project, kind=DateKind.PLANNING, date=TODAY
        )


# --- pausing, resuming, terminating ------------------------------------------------------------


def test_a_paused_project_resumes_at_the_stage_it_paused_from(project, walk, tcj_clerk) -> None:
    project = walk(project, Stage.APPROVAL)
    project = change(project, Stage.PAUSED, tcj_clerk, date=D(2026, 4, 1))
    assert (project.stage, project.paused_from) == (Stage.PAUSED, Stage.APPROVAL)
    assert project.stop_reason == "投资方资金链紧张"

    for wrong in (Stage.NEGOTIATING, Stage.SIGNED, Stage.CONSTRUCTION, Stage.PRODUCTION):
        with pytest.raises(services.TransitionError, match=str(Stage.APPROVAL.label)):
            change(project, wrong, tcj_clerk)

    project = change(project, Stage.APPROVAL, tcj_clerk, note="资金到位，恢复推进")
    assert (project.stage, project.paused_from, project.stop_reason) == (Stage.APPROVAL, "", "")
    assert change(project, Stage.CONSTRUCTION, tcj_clerk).stage == Stage.CONSTRUCTION


def test_a_paused_project_may_be_terminated(project, tcj_clerk) -> None:
    project = change(project, Stage.PAUSED, tcj_clerk, date=D(2026, 3, 1))
    project = change(project, Stage.TERMINATED, tcj_clerk, reason="投资方撤资")
    assert project.stage == Stage.TERMINATED
    assert project.stop_reason == "投资方撤资"


@pytest.mark.parametrize("stage", [Stage.PAUSED, Stage.TERMINATED])
def test_pausing_and_terminating_need_a_reason(stage, project, tcj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        change(project, stage, tcj_clerk, reason="  ")
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize("target", ALL)
def test_terminated_is_final(target, project, tcj_clerk) -> None:
    project = change(project, Stage.TERMINATED, tcj_clerk)
    with pytest.raises(services.TransitionError):
        change(project, target, tcj_clerk)
    with pytest.raises(services.TransitionError):
        services.project_date_record(
            by=tcj_clerk, project=project, kind=DateKind.CONTRACT, date=TODAY
        )


def test_allowed_stages_follow_the_table(project, walk, tcj_clerk) -> None:
    assert services.allowed_stages(project) == [Stage.SIGNED, Stage.PAUSED, Stage.TERMINATED]
    project = walk(project, Stage.SIGNED)
    project = change(project, Stage.PAUSED, tcj_clerk)
    assert services.allowed_stages(project) == [Stage.SIGNED, Stage.TERMINATED]


# --- dates ----------------------------------------------------------------------------------


def test_a_change_dated_in_the_future_is_refused(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        change(project, Stage.SIGNED, tcj_clerk, date=D(2026, 10, 21), signing={})
    assert "date" in error.value.message_dict


def test_a_change_dated_before_the_current_stage_is_refused(project, walk, tcj_clerk) -> None:
    project = walk(project, Stage.SIGNED)
    with pytest.raises(ValidationError, match="2026-02-02"):
        change(project, Stage.APPROVAL, tcj_clerk, date=D(2026, 1, 31))


def test_the_real_start_is_compared_with_the_expected_one(make_project, walk) -> None:
    project = make_project(expected_start=D(2026, 4, 1))
    project = walk(project, Stage.CONSTRUCTION)
    assert project.actual_start == D(2026, 5, 6)
    assert project.start_slip_days == 35
    early = walk(make_project(expected_start=D(2026, 6, 1)), Stage.CONSTRUCTION)
    assert early.start_slip_days == -26


# --- actors and the trail ------------------------------------------------------------------------


def test_each_change_writes_one_event_and_one_audit_record(project, tcj_clerk) -> None:
    before = AuditEvent.objects.count()
    change(project, Stage.SIGNED, tcj_clerk, note="区长会见后签约", date=D(2026, 2, 2))

    assert AuditEvent.objects.count() == before + 1
    audit = AuditEvent.objects.latest("id")
    assert audit.action == "project.stage"
    assert audit.changes["stage"] == ["negotiating", "signed"]
    assert audit.changes["intent"] == [None, "2026-02-02"]
    event = StageEvent.objects.filter(project=project).latest("id")
    assert (event.note, event.actor) == ("区长会见后签约", tcj_clerk)


def test_the_lead_department_and_leaders_change_stages(project, jxj_clerk, leader) -> None:
    project = change(project, Stage.SIGNED, jxj_clerk)
    assert change(project, Stage.APPROVAL, leader).stage == Stage.APPROVAL


@pytest.mark.parametrize(
    "who", ["zrj_clerk", "licun_clerk", "enterprise_user", "outsider", "statistician"]
)
def test_others_may_not_change_a_stage(who, request, project) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        change(project, Stage.SIGNED, user)
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_the_money_is_kept_to_the_cent(make_project) -> None:
    project = make_project(total_investment=Decimal("7000.5"))
    project.refresh_from_db()
    assert project.total_investment == Decimal("7000.50")
