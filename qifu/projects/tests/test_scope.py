"""selectors.projects_for_user and the reads built on it: who sees which projects, and that an
enterprise user sees its own project without internal notes."""

from __future__ import annotations

import pytest
from django.http import Http404

from qifu.projects import selectors, services
from qifu.projects.models import DateKind, ObstacleType, Stage
from qifu.projects.tests.conftest import TODAY, D, department

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(make_project, loushan, ruifeng):
    """天路 in 李村 led by 经信局; 瑞丰 in 楼山 led by 商务局; a project without enterprise in 李村
    led by 发改局."""
    return {
        "tianlu": make_project(internal_note="领导关注"),
        "ruifeng": make_project(
            name="瑞丰气体扩产",
            enterprise=ruifeng,
            street=loushan,
            lead_department=department("swj"),
        ),
        "loose": make_project(
            name="城市物流配送基地", enterprise=None, lead_department=department("fgj")
        ),
    }


def names(qs) -> set[str]:
    return {p.name for p in qs}


def test_the_investment_clerk_and_the_leader_see_the_districts_pipeline(
    projects, tcj_clerk, leader
) -> None:
    for user in (tcj_clerk, leader):
        assert names(selectors.projects_for_user(user=user)) == names(projects.values())


def test_a_street_clerk_sees_the_projects_of_the_street(projects, licun_clerk, loushan_clerk):
    assert names(selectors.projects_for_user(user=licun_clerk)) == {
        projects["tianlu"].name,
        "城市物流配送基地",
    }
    assert names(selectors.projects_for_user(user=loushan_clerk)) == {"瑞丰气体扩产"}


def test_a_department_sees_what_it_leads(projects, jxj_clerk) -> None:
    assert names(selectors.projects_for_user(user=jxj_clerk)) == {projects["tianlu"].name}


def test_a_department_also_sees_projects_where_it_has_an_obstacle_or_a_task(
    projects, zrj_clerk, zjj_clerk, tcj_clerk
) -> None:
    assert not selectors.projects_for_user(user=zrj_clerk).exists()
    services.obstacle_add(
        by=tcj_clerk,
        project=projects["ruifeng"],
        description="用地指标不足",
        type=ObstacleType.LAND,
        department=zrj_clerk.department,
    )
    services.task_add(
        by=tcj_clerk,
        project=projects["loose"],
        what="办理施工许可",
        department=zjj_clerk.department,
        due=D(2026, 11, 30),
    )
    assert names(selectors.projects_for_user(user=zrj_clerk)) == {"瑞丰气体扩产"}
    assert names(selectors.projects_for_user(user=zjj_clerk)) == {"城市物流配送基地"}


def test_an_enterprise_user_sees_only_its_own_project(projects, enterprise_user, ruifeng_user):
    assert names(selectors.projects_for_user(user=enterprise_user)) == {projects["tianlu"].name}
    assert names(selectors.projects_for_user(user=ruifeng_user)) == {"瑞丰气体扩产"}


@pytest.mark.parametrize(
    "who", ["outsider", "statistician", "sysadmin", "secadmin", "auditor", "no_role_user"]
)
def test_others_see_no_project(who, request, projects) -> None:
    user = request.getfixturevalue(who)
    assert not selectors.projects_for_user(user=user).exists()


def test_an_anonymous_visitor_sees_nothing(projects) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.projects_for_user(user=AnonymousUser()).exists()


def test_one_project_is_404_outside_the_scope(projects, outsider, ruifeng_user, licun_clerk):
    pk = projects["tianlu"].pk
    for user in (outsider, ruifeng_user):
        with pytest.raises(Http404):
            selectors.project_get_for_user(user=user, pk=pk)
    assert selectors.project_get_for_user(user=licun_clerk, pk=pk).pk == pk
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=licun_clerk, pk="abc")


def test_for_write_needs_the_right_to_manage(projects, licun_clerk, jxj_clerk) -> None:
    pk = projects["tianlu"].pk
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=licun_clerk, pk=pk, for_write=True)
    assert selectors.project_get_for_user(user=jxj_clerk, pk=pk, for_write=True).pk == pk


def test_the_enterprise_user_sees_no_internal_note(projects, enterprise_user, tcj_clerk) -> None:
    pk = projects["tianlu"].pk
    mine = selectors.project_get_for_user(user=enterprise_user, pk=pk)
    assert mine.internal_note == ""
    assert selectors.project_get_for_user(user=tcj_clerk, pk=pk).internal_note == "领导关注"


def test_the_enterprise_user_sees_the_stage_history_without_notes(
    projects, enterprise_user, tcj_clerk
) -> None:
    project = services.stage_change(
        by=tcj_clerk,
        project=projects["tianlu"],
        stage=Stage.SIGNED,
        date=TODAY,
        note="投资方要求降低地价，内部研究",
        signing={DateKind.INTENT: TODAY},
    )
    theirs = selectors.stage_history_for_user(user=enterprise_user, project=project)
    assert [e.to_stage for e in theirs] == [Stage.NEGOTIATING, Stage.SIGNED]
    assert {e.note for e in theirs} == {""}
    ours = selectors.stage_history_for_user(user=tcj_clerk, project=project)
    assert ours[-1].note == "投资方要求降低地价，内部研究"


def test_the_enterprise_user_sees_obstacles_without_internal_notes(
    projects, enterprise_user, ruifeng_user, tcj_clerk
) -> None:
    services.obstacle_add(
        by=tcj_clerk,
        project=projects["tianlu"],
        description="电力增容未落实",
        type=ObstacleType.UTILITIES,
        internal_note="供电公司态度消极",
    )
    theirs = selectors.obstacles_for_user(user=enterprise_user, project=projects["tianlu"])
    assert [(o.description, o.internal_note) for o in theirs] == [("电力增容未落实", "")]
    assert selectors.obstacles_for_user(user=ruifeng_user, project=projects["tianlu"]) == []
    ours = selectors.obstacles_for_user(user=tcj_clerk, project=projects["tianlu"])
    assert ours[0].internal_note == "供电公司态度消极"


def test_the_task_list_and_inspections_are_for_officials(
    projects, enterprise_user, tcj_clerk
) -> None:
    services.task_add(
        by=tcj_clerk,
        project=projects["tianlu"],
        what="协调电力增容",
        department=department("jxj"),
        due=D(2026, 11, 30),
    )
    assert selectors.tasks_for_user(user=tcj_clerk).count() == 1
    assert not selectors.tasks_for_user(user=enterprise_user).exists()
    assert not selectors.inspections_for_user(
        user=enterprise_user, project=projects["tianlu"]
    ).exists()


def test_the_key_lists_are_for_the_districts_officials(
    key_list, tcj_clerk, jxj_clerk, enterprise_user, outsider, licun_clerk
) -> None:
    assert list(selectors.key_lists_for_user(user=tcj_clerk)) == [key_list]
    assert list(selectors.key_lists_for_user(user=jxj_clerk)) == [key_list]
    for user in (enterprise_user, outsider, licun_clerk):
        assert not selectors.key_lists_for_user(user=user).exists()


def test_the_list_filters(projects, tcj_clerk) -> None:
    def listed(**filters):
        return names(selectors.project_list_for_user(user=tcj_clerk, filters=filters))

    assert listed(street="370213006") == {"瑞丰气体扩产"}
    assert listed(department="fgj") == {"城市物流配送基地"}
    assert listed(search="物流") == {"城市物流配送基地"}
    assert listed(stage=Stage.SIGNED) == set()
    assert listed(industry="34") == names(projects.values())
