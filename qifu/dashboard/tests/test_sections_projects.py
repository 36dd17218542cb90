"""The command centre's projects section: the pipeline by stage (count, amount as note), the key
projects started, past 30% of their investment and ahead of plan on the key-project board, and the
overdue milestones; each figure links to the project list, the board or the overdue list filtered
so that it shows the same count.

The data, 李沧区 (key list 2025年十大二产项目): 李村街道 has a key project under construction since
June 2025 with 40% of its investment reported in August and its completion forecast before plan,
a signed key project and a project in negotiation (each with an overdue milestone); 楼山街道 has a
key project that started only in October 2025 and a project in production. 崂山区 has a project
under construction with an overdue milestone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import Department, OrgUnit
from qifu.dashboard.sections import projects as section_module
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    queries_of,
    section_of,
    values,
)
from qifu.projects.models import Inspection, KeyList, Milestone, Project, Stage

pytestmark = pytest.mark.django_db

PERIOD = "2025Q3"
D = dt.date
STAGES = ("negotiating", "signed", "approval", "construction", "production")


def project(street: OrgUnit, stage: str, total: int, **fields: Any) -> Project:
    return Project.objects.create(
        name=fields.pop("name", f"项目{Project.objects.count() + 1}"),
        investor="某投资公司",
        street=street,
        stage=stage,
        stage_date=D(2025, 1, 10),
        total_investment=Decimal(total),
        **fields,
    )


def overdue(one: Project, **dates: Any) -> Milestone:
    return Milestone.objects.create(
        project=one, name="开工", **(dates or {"planned": D(2025, 1, 1)})
    )


def report(one: Project, month: str, cumulative: int, by: Any) -> Inspection:
    return Inspection.objects.create(
        project=one,
        month=month,
        month_investment=Decimal(cumulative),
        cumulative_investment=Decimal(cumulative),
        progress="主体施工",
        progress_percent=40,
        department=Department.objects.get(district__code="370213", code="jxj"),
        submitted_by=by,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def scene(leader, licun, loushan, district, laoshan) -> dict[str, Any]:
    key_list = KeyList.objects.create(district=district, name="2025年十大二产项目", year=2025)
    key = {"is_key": True, "key_list": key_list}
    started = project(
        licun, Stage.CONSTRUCTION, 10000, name="天路产业园", actual_start=D(2025, 6, 1), **key
    )
    report(started, "202508", 4000, leader)
    Milestone.objects.create(
        project=started,
        name="竣工投产",
        is_completion=True,
        planned=D(2099, 12, 31),
        forecast=D(2099, 6, 1),
    )
    signed = project(licun, Stage.SIGNED, 20000, name="鲁抗医药物流中心", **key)
    overdue(signed)
    talks = project(licun, Stage.NEGOTIATING, 5000, name="五金商贸城")
    overdue(talks, forecast=D(2025, 2, 1))
    late = project(
        loushan, Stage.CONSTRUCTION, 10000, name="楼山新材料", actual_start=D(2025, 10, 10), **key
    )
    report(late, "202509", 1000, leader)
    running = project(loushan, Stage.PRODUCTION, 8000, name="瑞丰扩建")
    overdue(running, planned=D(2025, 1, 1), actual=D(2025, 1, 2))  # reached: not overdue
    far = project(OrgUnit.objects.get(code="370212001"), Stage.CONSTRUCTION, 3000, name="崂山项目")
    overdue(far)
    return {"key_list": key_list}


def stages(section: Any) -> dict[str, Any]:
    return {key: values(section)[f"projects.stage.{key}"] for key in STAGES}


def test_the_pipeline_by_stage_with_the_amounts_as_notes(scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert stages(section) == {
        "negotiating": 1,
        "signed": 1,
        "approval": 0,
        "construction": 2,
        "production": 1,
    }
    assert "2.00亿元" in section.figure("projects.stage.construction").note
    assert "5,000.00万元" in section.figure("projects.stage.negotiating").note


def test_the_key_projects_of_the_periods_last_month(scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    found = values(section)
    assert (found["projects.key_started"], found["projects.key_past_30"]) == (1, 1)
    assert found["projects.key_ahead"] == 1
    assert "2025年十大二产项目" in section.figure("projects.key_started").note
    assert "month=202509" in section.figure("projects.key_started").url
    assert found["projects.overdue_milestones"] == 2


def test_each_count_equals_the_count_of_its_list(client, scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    checked = assert_figures_match_their_lists(client, leader, section)

    assert len(checked) == len(section.figures) == 9


def test_the_key_projects_of_a_later_period_count_what_started_since(scene, leader) -> None:
    found = values(section_of(section_module, leader, period="2025Q4"))

    assert found["projects.key_started"] == 2  # 楼山新材料 started in October


def test_a_street_filter_counts_the_streets_projects(client, scene, leader, licun, loushan) -> None:
    at_licun = section_of(section_module, leader, period=PERIOD, street=licun.code)
    at_loushan = section_of(section_module, leader, period=PERIOD, street=loushan.code)

    assert stages(at_licun) == {
        "negotiating": 1,
        "signed": 1,
        "approval": 0,
        "construction": 1,
        "production": 0,
    }
    assert values(at_licun)["projects.overdue_milestones"] == 2
    assert values(at_loushan)["projects.key_started"] == 0
    assert values(at_loushan)["projects.overdue_milestones"] == 0
    assert len(assert_figures_match_their_lists(client, leader, at_licun)) == 9
    assert len(assert_figures_match_their_lists(client, leader, at_loushan)) == 9


def test_a_zone_filter_counts_the_zones_projects(client, scene, leader, loushan) -> None:
    section = section_of(section_module, leader, period=PERIOD, zone=loushan.zone.code)

    assert stages(section)["construction"] == 1
    assert stages(section)["production"] == 1
    assert len(assert_figures_match_their_lists(client, leader, section)) == 9


def test_a_street_clerk_counts_only_the_street_and_has_no_key_list(
    client, scene, licun_clerk, loushan
) -> None:
    section = section_of(section_module, licun_clerk, period=PERIOD, street=loushan.code)

    found = values(section)
    assert stages(section)["construction"] == 1  # 天路产业园, not 楼山新材料
    assert found["projects.overdue_milestones"] == 2
    assert "projects.key_started" not in found  # the key-project lists are not the street's
    assert len(assert_figures_match_their_lists(client, licun_clerk, section)) == 6


def test_the_outsider_sees_none_of_the_districts_numbers(client, scene, outsider) -> None:
    section = section_of(section_module, outsider, period=PERIOD)

    found = values(section)
    assert stages(section) == dict.fromkeys(STAGES, 0) | {"construction": 1}
    assert found["projects.overdue_milestones"] == 1
    assert "projects.key_started" not in found
    assert len(assert_figures_match_their_lists(client, outsider, section)) == 6


def test_roles_that_do_not_follow_projects_have_no_section(
    scene, enterprise_user, district
) -> None:
    statistician = UserFactory(role=Role.STATISTICS_STAFF, org_unit=district)

    assert section_of(section_module, statistician, period=PERIOD) is None
    assert section_of(section_module, enterprise_user, period=PERIOD) is None


def test_the_section_reads_as_many_queries_for_many_projects_as_for_few(
    scene, leader, licun, django_assert_max_num_queries
) -> None:
    def call() -> Any:
        return section_of(section_module, leader, period=PERIOD)

    few = queries_of(call)
    for i in range(12):
        one = project(
            licun,
            Stage.CONSTRUCTION,
            1000,
            actual_start=D(2025, 5, 1),
            is_key=True,
            key_list=scene["key_list"],
        )
        report(one, "202509", 500 + i, leader)
        overdue(one)
    many = queries_of(call)

    assert few == many
    with django_assert_max_num_queries(5):
        call()
    assert values(call())["projects.key_started"] == 13
