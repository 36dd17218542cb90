"""The project list filtered by what waits for a department (a department's home links here):
`obstacle_department` (an obstacle not yet resolved it is responsible for) and `task_department`
(a task not done it owns); and the department's obstacles waiting, across projects."""

from __future__ import annotations

import re

import pytest

from qifu.projects import selectors, services
from qifu.projects.tests.conftest import D, department

pytestmark = pytest.mark.django_db


def _count(html: str) -> int:
    found = re.search(r'data-testid="result-count"[^>]*>\s*(\d+)', html)
    if found is None:  # the list's own total, before the marked count existed
        found = re.search(r'data-testid="project-count"[^>]*>\D*(\d+)', html)
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def three(make_project, tcj_clerk):
    """A project with a land obstacle for 自然资源局, one whose obstacle for it is resolved, and
    one with a task for 自然资源局 (and one done)."""
    open_one = make_project(name="有制约因素的项目")
    services.obstacle_add(
        by=tcj_clerk,
        project=open_one,
        description="土地指标未落实",
        type="land",
        department=department("zrj"),
        deadline=D(2026, 11, 1),
    )
    solved = make_project(name="制约因素已解决的项目")
    obstacle = services.obstacle_add(
        by=tcj_clerk,
        project=solved,
        description="规划条件待定",
        type="planning",
        department=department("zrj"),
    )
    services.obstacle_resolve(by=tcj_clerk, obstacle=obstacle, resolution="已出具规划条件")
    tasked = make_project(name="有任务的项目")
    services.task_add(
        by=tcj_clerk,
        project=tasked,
        what="完成土地报批",
        department=department("zrj"),
        due=D(2026, 11, 1),
    )
    done = services.task_add(
        by=tcj_clerk,
        project=solved,
        what="出具规划条件",
        department=department("zrj"),
        due=D(2026, 10, 1),
    )
    services.task_complete(by=tcj_clerk, task=done)
    return open_one, solved, tasked


def test_the_list_shows_the_projects_with_an_obstacle_the_department_must_solve(
    client, zrj_clerk, three
) -> None:
    client.force_login(zrj_clerk)

    response = client.get("/projects/?obstacle_department=zrj")

    html = response.content.decode()
    assert response.status_code == 200
    assert _count(html) == 1
    assert "有制约因素的项目" in html
    assert "制约因素已解决的项目" not in html
    assert 'data-testid="project-waiting-for"' in html
    assert "区自然资源局" in html


def test_the_list_shows_the_projects_with_a_task_the_department_must_do(
    client, tcj_clerk, three
) -> None:
    client.force_login(tcj_clerk)

    html = client.get("/projects/?task_department=zrj").content.decode()

    assert _count(html) == 1
    assert "有任务的项目" in html
    assert "制约因素已解决的项目" not in html


def test_without_the_filters_the_list_is_as_before(client, tcj_clerk, three) -> None:
    client.force_login(tcj_clerk)

    html = client.get("/projects/").content.decode()

    assert _count(html) == 3
    assert 'data-testid="project-waiting-for"' not in html


def test_another_departments_code_finds_nothing_for_it(client, tcj_clerk, three) -> None:
    client.force_login(tcj_clerk)

    assert _count(client.get("/projects/?obstacle_department=jxj").content.decode()) == 0


def test_the_obstacles_waiting_for_a_department_leave_the_resolved_ones_out(
    zrj_clerk, three
) -> None:
    found = list(selectors.obstacles_waiting_for(user=zrj_clerk, department=department("zrj")))

    assert [o.description for o in found] == ["土地指标未落实"]


def test_an_enterprise_user_sees_no_obstacles_waiting(enterprise_user, three) -> None:
    assert not selectors.obstacles_waiting_for(user=enterprise_user, department=department("zrj"))
