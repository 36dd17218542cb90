"""Obstacles (制约因素): added at the project's stage, updated and resolved by the managers or the
department responsible, and raised as an appeal of the project's enterprise, the two linked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import selectors as appeal_selectors
from qifu.appeals import services as appeal_services
from qifu.appeals.models import Appeal, Channel, Status
from qifu.audit.models import AuditEvent
from qifu.projects import selectors, services
from qifu.projects.models import Obstacle, ObstacleStatus, ObstacleType, Stage
from qifu.projects.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def obstacle(project, walk, tcj_clerk, zrj_clerk) -> Obstacle:
    project = walk(project, Stage.APPROVAL)
    return services.obstacle_add(
        by=tcj_clerk,
        project=project,
        description="项目用地尚未完成土地征收，影响供地",
        type=ObstacleType.LAND,
        department=zrj_clerk.department,
        deadline=D(2026, 11, 30),
        internal_note="需区长协调",
    )


def test_an_obstacle_is_recorded_at_the_projects_stage(obstacle) -> None:
    assert obstacle.stage == Stage.APPROVAL
    assert obstacle.status == ObstacleStatus.OPEN
    audit = AuditEvent.objects.get(action="project_obstacle.create")
    assert audit.changes["stage"] == [None, "approval"]


def test_the_department_must_be_the_districts(project, tcj_clerk, laoshan) -> None:
    from qifu.core.models import Department

    with pytest.raises(ValidationError):
        services.obstacle_add(
            by=tcj_clerk,
            project=project,
            description="x",
            type=ObstacleType.OTHER,
            department=Department.objects.get(district=laoshan),
        )


def test_the_type_is_checked(project, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.obstacle_add(by=tcj_clerk, project=project, description="x", type="weather")


def test_a_terminated_project_takes_no_new_obstacle(project, tcj_clerk) -> None:
    services.stage_change(
        by=tcj_clerk, project=project, stage=Stage.TERMINATED, date=TODAY, reason="撤资"
    )
    with pytest.raises(services.TransitionError):
        services.obstacle_add(
            by=tcj_clerk, project=project, description="x", type=ObstacleType.OTHER
        )


def test_the_department_responsible_updates_and_resolves_it(obstacle, zrj_clerk) -> None:
    changes = services.obstacle_update(
        by=zrj_clerk, obstacle=obstacle, status=ObstacleStatus.IN_PROGRESS, deadline=D(2026, 12, 15)
    )
    assert changes == {"deadline": ["2026-11-30", "2026-12-15"], "status": ["open", "in_progress"]}
    resolved = services.obstacle_resolve(
        by=zrj_clerk, obstacle=obstacle, resolution="已完成征收，挂牌出让", date=D(2026, 10, 19)
    )
    assert (resolved.status, resolved.resolved_on) == (ObstacleStatus.RESOLVED, D(2026, 10, 19))
    with pytest.raises(services.TransitionError):
        services.obstacle_resolve(by=zrj_clerk, obstacle=obstacle, resolution="again")
    with pytest.raises(services.TransitionError):
        services.obstacle_update(by=zrj_clerk, obstacle=obstacle, description="x")


def test_resolving_needs_the_resolution(obstacle, zrj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.obstacle_resolve(by=zrj_clerk, obstacle=obstacle, resolution=" ")


def test_status_resolved_is_not_set_by_an_update(obstacle, zrj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.obstacle_update(by=zrj_clerk, obstacle=obstacle, status=ObstacleStatus.RESOLVED)


@pytest.mark.parametrize("who", ["zjj_clerk", "licun_clerk", "enterprise_user", "outsider"])
def test_others_may_not_handle_it(who, request, obstacle) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.obstacle_resolve(by=user, obstacle=obstacle, resolution="x")
    with pytest.raises(PermissionDenied):
        services.obstacle_raise_appeal(by=user, obstacle=obstacle)


# --- raising an appeal ----------------------------------------------------------------------------


def test_an_obstacle_is_raised_as_an_appeal_of_the_projects_enterprise(
    obstacle, tcj_clerk, tianlu, enterprise_user
) -> None:
    appeal = services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)

    assert appeal.enterprise == tianlu
    assert appeal.status == Status.SUBMITTED
    assert appeal.channel == Channel.VISIT
    assert appeal.category.code == "land"
    assert appeal.number.startswith("SQ-202610-")
    assert "项目用地尚未完成土地征收" in appeal.description
    assert obstacle.project.name in appeal.title
    # linked both ways
    obstacle.refresh_from_db()
    assert obstacle.appeal == appeal
    assert obstacle.status == ObstacleStatus.IN_PROGRESS
    assert Appeal.objects.get(pk=appeal.pk).project_obstacle == obstacle
    assert selectors.obstacle_for_appeal(user=tcj_clerk, appeal=appeal) == obstacle
    # the enterprise follows it in its appeals
    assert appeal_selectors.appeals_for_user(user=enterprise_user).filter(pk=appeal.pk).exists()
    assert AuditEvent.objects.filter(action="project_obstacle.raise_appeal").count() == 1
    assert AuditEvent.objects.filter(action="appeal.submit", object_id=str(appeal.pk)).exists()


def test_the_appeal_follows_its_workflow_and_the_link_stays(
    obstacle, tcj_clerk, leader, zrj_clerk
) -> None:
    appeal = services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)
    appeal = appeal_services.appeal_accept(by=leader, appeal=appeal)
    appeal = appeal_services.appeal_assign(
        by=leader, appeal=appeal, department=zrj_clerk.department
    )
    assert appeal.status == Status.ASSIGNED
    assert Obstacle.objects.get(pk=obstacle.pk).appeal.status == Status.ASSIGNED


def test_the_category_and_title_may_be_given(obstacle, tcj_clerk) -> None:
    from qifu.appeals.models import Category

    appeal = services.obstacle_raise_appeal(
        by=tcj_clerk,
        obstacle=obstacle,
        category=Category.objects.get(code="planning"),
        title="请求协调项目供地",
        kind="demand",
    )
    assert (appeal.category.code, appeal.title, appeal.kind) == (
        "planning",
        "请求协调项目供地",
        "demand",
    )


def test_an_obstacle_is_raised_once(obstacle, tcj_clerk) -> None:
    services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)
    with pytest.raises(services.TransitionError):
        services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)
    assert Appeal.objects.count() == 1


def test_a_resolved_obstacle_is_not_raised(obstacle, tcj_clerk) -> None:
    services.obstacle_resolve(by=tcj_clerk, obstacle=obstacle, resolution="已解决")
    with pytest.raises(services.TransitionError):
        services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)


def test_a_project_without_enterprise_cannot_raise_an_appeal(make_project, tcj_clerk) -> None:
    project = make_project(enterprise=None)
    obstacle = services.obstacle_add(
        by=tcj_clerk, project=project, description="资金未到位", type=ObstacleType.FUNDING
    )
    with pytest.raises(ValidationError) as error:
        services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)
    assert "enterprise" in error.value.message_dict
    assert not Appeal.objects.exists()


def test_the_department_responsible_may_raise_it_too(obstacle, zrj_clerk) -> None:
    appeal = services.obstacle_raise_appeal(by=zrj_clerk, obstacle=obstacle)
    assert appeal.submitted_by == zrj_clerk


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        (ObstacleType.FUNDING, "finance"),
        (ObstacleType.APPROVAL, "approval"),
        (ObstacleType.UTILITIES, "utilities"),
        (ObstacleType.DEMOLITION, "land"),
        (ObstacleType.OTHER, "other"),
    ],
)
def test_the_appeal_category_follows_the_obstacle_type(kind, category, project, tcj_clerk):
    obstacle = services.obstacle_add(by=tcj_clerk, project=project, description="问题", type=kind)
    assert services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle).category.code == category


def test_the_link_is_not_shown_outside_the_projects_scope(obstacle, tcj_clerk, ruifeng_user):
    appeal = services.obstacle_raise_appeal(by=tcj_clerk, obstacle=obstacle)
    assert selectors.obstacle_for_appeal(user=ruifeng_user, appeal=appeal) is None
