"""The project pages: every page renders for the district's investment clerk, the outsider (a
leader of another district) gets 404 on every page with an id, the enterprise user sees its own
project only and no internal notes; bad input is 400 with its message, a stage out of order 409
with the reason; the lists, the board and the overdue lists take the same queries for few and
many projects; the exports are Excel files."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qifu.lib.xlsx import XLSX_MIME
from qifu.projects import services
from qifu.projects.models import Document, ObstacleType, Project, Stage, Task
from qifu.projects.tests.conftest import EXE, PDF, D, department, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_project(make_project, key_list, walk, jxj_clerk, tcj_clerk, leader):
    """A key project under construction with a report, an obstacle, a task, two milestones (one
    overdue), an internal note and an internal document."""
    project = walk(
        make_project(
            name="天路智能装备产业园",
            is_key=True,
            key_list=key_list,
            leader=leader,
            internal_note="内部备注：投资方资金紧张",
        ),
        Stage.CONSTRUCTION,
    )
    services.inspection_submit(
        by=jxj_clerk,
        project=project,
        month="202609",
        month_investment="500",
        cumulative_investment="4000",
        progress="主体施工",
    )
    services.obstacle_add(
        by=tcj_clerk,
        project=project,
        description="用地指标不足",
        type=ObstacleType.LAND,
        department=department("zrj"),
        internal_note="障碍内部备注",
    )
    services.task_add(
        by=tcj_clerk,
        project=project,
        what="协调供电接入",
        department=department("jxj"),
        due=D(2026, 10, 1),
    )
    services.milestone_add(by=tcj_clerk, project=project, name="主体封顶", planned=D(2026, 9, 30))
    services.milestone_add(
        by=tcj_clerk, project=project, name="竣工投产", planned=D(2027, 6, 30), is_completion=True
    )
    services.document_upload(
        by=tcj_clerk,
        project=project,
        upload=upload("会议纪要.pdf", PDF),
        category="minutes",
        is_internal=True,
    )
    services.document_upload(
        by=tcj_clerk, project=project, upload=upload("施工许可证.pdf", PDF), category="approval"
    )
    project.refresh_from_db()
    return project


def project_pages(project: Project) -> list[str]:
    return [
        f"/projects/{project.pk}/",
        f"/projects/{project.pk}/edit/",
    ]


LISTS = [
    "/projects/",
    "/projects/export/",
    "/projects/board/",
    "/projects/board/export/",
    "/projects/timeline/",
    "/projects/overdue/",
    "/projects/overdue/tasks/export/",
    "/projects/overdue/milestones/export/",
    "/projects/leaders/",
]


# --- who sees what --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, key_project) -> None:
    for url in [*LISTS, *project_pages(key_project), "/projects/new/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_every_page_renders_for_the_investment_clerk(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)
    document = Document.objects.filter(project=key_project).first()

    for url in [
        *LISTS,
        *project_pages(key_project),
        "/projects/new/",
        f"/projects/board/lists/{key_project.key_list_id}/meeting/",
        f"/projects/documents/{document.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url

    page = client.get(f"/projects/{key_project.pk}/")
    html = page.content.decode()
    for testid in (
        "stage-form",
        "stage-history",
        "project-dates",
        "obstacles",
        "raise-appeal",
        "tasks",
        "inspections",
        "timetable",
        "documents",
        "upload-form",
        "milestone-form",
        "approve-plan",
        "internal-note",
    ):
        assert f'data-testid="{testid}"' in html, testid
    assert "内部备注：投资方资金紧张" in html
    assert "会议纪要.pdf" in html
    assert page.context["colour"] == "red"  # 主体封顶 was due on 2026-09-30


def test_the_stage_form_offers_only_the_allowed_stages(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)
    form = client.get(f"/projects/{key_project.pk}/").context["stage_form"]

    offered = [value for value, _label in form.fields["stage"].widget.choices]
    assert offered == [Stage.PRODUCTION, Stage.PAUSED, Stage.TERMINATED]


def test_the_lead_department_submits_the_monthly_report(client, key_project, jxj_clerk) -> None:
    client.force_login(jxj_clerk)
    page = client.get(f"/projects/{key_project.pk}/")
    assert 'data-testid="inspection-form"' in page.content.decode()

    response = client.post(
        f"/projects/{key_project.pk}/inspection/",
        {
            "month": "202610",
            "month_investment": "600",
            "cumulative_investment": "4600",
            "progress": "主体封顶",
        },
    )

    assert response.status_code == 302
    key_project.refresh_from_db()
    assert key_project.investment_completed == Decimal("4600.00")


def test_the_outsider_gets_404_on_every_page_and_action_with_an_id(
    client, key_project, outsider
) -> None:
    client.force_login(outsider)
    obstacle = key_project.obstacles.get()
    task = key_project.tasks.get()
    milestone = key_project.milestones.first()
    document = Document.objects.filter(project=key_project).first()

    for url in [
        *project_pages(key_project),
        f"/projects/documents/{document.pk}/",
        f"/projects/board/lists/{key_project.key_list_id}/meeting/",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/projects/{key_project.pk}/stage/", {"stage": "production", "date": "2026-10-19"}),
        (f"/projects/{key_project.pk}/upload/", {"category": "other"}),
        (f"/projects/{key_project.pk}/obstacles/{obstacle.pk}/raise-appeal/", {}),
        (f"/projects/{key_project.pk}/tasks/{task.pk}/complete/", {}),
        (f"/projects/{key_project.pk}/milestones/{milestone.pk}/actual/", {"date": "2026-10-1"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    listing = client.get("/projects/")
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []
    board = client.get("/projects/board/")
    assert board.context["board"] is None
    key_project.refresh_from_db()
    assert key_project.stage == Stage.CONSTRUCTION


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "no_role_user", "statistician"])
def test_roles_without_the_module_are_forbidden(client, key_project, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    for url in [*LISTS, *project_pages(key_project)]:
        assert client.get(url).status_code == 403, url


def test_the_enterprise_user_sees_its_own_project_without_internal_notes(
    client, key_project, make_project, ruifeng, enterprise_user, ruifeng_user
) -> None:
    other = make_project(name="瑞丰气体扩产", enterprise=ruifeng, internal_note="别家备注")
    client.force_login(enterprise_user)

    listing = client.get("/projects/")
    page = client.get(f"/projects/{key_project.pk}/")
    html = page.content.decode()

    assert [p.name for p in listing.context["page"].object_list] == ["天路智能装备产业园"]
    assert listing.context["pipeline"] is None
    assert page.status_code == 200
    assert "内部备注" not in html and "障碍内部备注" not in html
    assert "会议纪要.pdf" not in html and "施工许可证.pdf" in html
    assert 'data-testid="tasks"' not in html and 'data-testid="inspections"' not in html
    assert 'data-testid="stage-form"' not in html and 'data-testid="upload-form"' in html
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    assert client.get(f"/projects/{key_project.pk}/edit/").status_code == 404
    internal = Document.objects.get(name="会议纪要.pdf")
    assert client.get(f"/projects/documents/{internal.pk}/").status_code == 404
    for url in ["/projects/board/", "/projects/overdue/", "/projects/timeline/"]:
        assert client.get(url).status_code == 403, url
    export = load_workbook(io.BytesIO(client.get("/projects/export/").content)).active
    cells = [c for row in export.iter_rows(values_only=True) for c in row if c]
    assert "天路智能装备产业园" in cells and "瑞丰气体扩产" not in cells
    assert not any("内部备注" in str(c) for c in cells)

    client.force_login(ruifeng_user)
    assert client.get(f"/projects/{key_project.pk}/").status_code == 404


def test_the_enterprise_user_uploads_to_its_own_archive(client, key_project, enterprise_user):
    client.force_login(enterprise_user)

    response = client.post(
        f"/projects/{key_project.pk}/upload/",
        {"category": "photo", "upload": upload("现场.pdf", PDF), "is_internal": "on"},
    )

    assert response.status_code == 302
    assert Document.objects.get(name="现场.pdf").is_internal is False


# --- actions --------------------------------------------------------------------------------------


def test_a_stage_out_of_order_is_409_with_the_reason(client, project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)

    response = client.post(
        f"/projects/{project.pk}/stage/", {"stage": "construction", "date": "2026-10-19"}
    )

    assert response.status_code == 409
    assert "在建" in response.content.decode() or "construction" in response.content.decode()
    assert response.context["error"]
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_a_stage_change_with_its_signing_date(client, project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)

    missing = client.post(
        f"/projects/{project.pk}/stage/", {"stage": "signed", "date": "2026-10-19"}
    )
    done = client.post(
        f"/projects/{project.pk}/stage/",
        {"stage": "signed", "date": "2026-10-19", "contract": "2026-10-18"},
    )

    assert missing.status_code == 400
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert project.dates.get().date == D(2026, 10, 18)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("stage", {"stage": "bogus", "date": "2026-10-19"}),
        ("stage", {"stage": "signed", "date": "not-a-date"}),
        ("date", {"kind": "contract", "date": "2026-13-45"}),
        ("obstacle", {"description": "", "type": "land"}),
        ("task", {"what": "x", "department": "999999", "due": "2026-11-01"}),
        ("milestone", {"name": ""}),
        ("inspection", {"month": "2026-99"}),
        ("upload", {"category": "other"}),
    ],
)
def test_bad_input_to_an_action_is_400_never_500(client, project, tcj_clerk, action, data):
    client.force_login(tcj_clerk)

    response = client.post(f"/projects/{project.pk}/{action}/", data)

    assert response.status_code == 400, action
    assert response.context["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/projects/?stage=bogus",
        "/projects/?street=nowhere",
        "/projects/?leader=abc",
        "/projects/?industry=%25%25",
        "/projects/export/?stage=bogus",
        "/projects/board/?month=2026-99",
        "/projects/board/?key_list=abc",
        "/projects/timeline/?month=bogus",
        "/projects/board/export/?month=999999",
    ],
)
def test_bad_query_parameters_are_400(client, key_project, tcj_clerk, url) -> None:
    client.force_login(tcj_clerk)

    response = client.get(url)

    assert response.status_code == 400, url
    assert response.context["message"]


def test_an_unknown_action_is_404_and_a_get_is_405(client, project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)

    assert client.post(f"/projects/{project.pk}/explode/").status_code == 404
    assert client.get(f"/projects/{project.pk}/stage/").status_code == 405
    assert client.post("/projects/").status_code == 405


def test_an_upload_of_a_wrong_type_is_refused_with_a_message(client, project, tcj_clerk):
    client.force_login(tcj_clerk)

    response = client.post(
        f"/projects/{project.pk}/upload/", {"category": "other", "upload": upload("setup.exe", EXE)}
    )

    assert response.status_code == 400
    assert "setup.exe" in response.context["error"]
    assert not Document.objects.filter(project=project).exists()


def test_an_obstacle_is_raised_as_an_appeal_in_one_step(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)
    obstacle = key_project.obstacles.get()

    response = client.post(f"/projects/{key_project.pk}/obstacles/{obstacle.pk}/raise-appeal/")
    again = client.post(f"/projects/{key_project.pk}/obstacles/{obstacle.pk}/raise-appeal/")

    assert response.status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.appeal is not None
    page = client.get(f"/projects/{key_project.pk}/").content.decode()
    assert f"/appeals/{obstacle.appeal.pk}/" in page
    assert again.status_code == 409


def test_obstacle_task_and_milestone_actions(client, key_project, tcj_clerk, leader) -> None:
    client.force_login(tcj_clerk)
    base = f"/projects/{key_project.pk}"
    obstacle = key_project.obstacles.get()
    task = key_project.tasks.get()
    milestone = key_project.milestones.get(name="主体封顶")

    assert (
        client.post(f"{base}/tasks/{task.pk}/update/", {"status": "in_progress"}).status_code == 302
    )
    assert client.post(f"{base}/tasks/{task.pk}/complete/", {}).status_code == 302
    assert client.post(f"{base}/tasks/{task.pk}/complete/", {}).status_code == 409
    assert (
        client.post(f"{base}/milestones/{milestone.pk}/plan/", {"date": "2026-10-30"}).status_code
        == 302
    )
    client.force_login(leader)
    assert client.post(f"{base}/approve-plan/").status_code == 302
    assert (
        client.post(f"{base}/milestones/{milestone.pk}/plan/", {"date": "2026-11-30"}).status_code
        == 409
    )
    assert (
        client.post(f"{base}/milestones/{milestone.pk}/actual/", {"date": "2026-10-19"}).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/obstacles/{obstacle.pk}/resolve/", {"resolution": "已调剂指标"}
        ).status_code
        == 302
    )
    assert (
        client.post(f"{base}/milestones/99999/actual/", {"date": "2026-10-19"}).status_code == 404
    )
    task.refresh_from_db()
    milestone.refresh_from_db()
    obstacle.refresh_from_db()
    assert task.status == "done"
    assert milestone.planned == D(2026, 10, 30) and milestone.actual == D(2026, 10, 19)
    assert obstacle.status == "resolved"


def test_a_project_is_created_from_scratch(client, tcj_clerk, licun, leader) -> None:
    client.force_login(tcj_clerk)

    response = client.post(
        "/projects/new/",
        {
            "name": "青岛新材料产业园",
            "investor": "某新材料有限公司",
            "street": licun.pk,
            "total_investment": "25000",
            "leader": leader.pk,
            "internal_note": "备注",
        },
    )

    project = Project.objects.get(name="青岛新材料产业园")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.stage == Stage.NEGOTIATING and project.leader == leader
    bad = client.post("/projects/new/", {"name": "", "total_investment": "-1"})
    assert bad.status_code == 400


def test_a_project_is_opened_from_a_lead(client, tcj_clerk, licun) -> None:
    from qifu.investment import services as investment

    lead = investment.lead_save(
        by=tcj_clerk,
        title="新能源电池项目",
        investor="宁德某公司",
        amount=Decimal("50000"),
        preferred_street=licun,
    )
    client.force_login(tcj_clerk)

    form = client.get(f"/projects/from-lead/{lead.pk}/")
    detail = client.get(f"/investment/leads/{lead.pk}/")
    response = client.post(
        f"/projects/from-lead/{lead.pk}/",
        {
            "name": "新能源电池项目",
            "investor": "宁德某公司",
            "street": licun.pk,
            "total_investment": "50000",
        },
    )
    again = client.post(
        f"/projects/from-lead/{lead.pk}/",
        {"name": "再来", "investor": "宁德某公司", "street": licun.pk, "total_investment": "1"},
    )

    assert form.status_code == 200 and form.context["form"].initial["investor"] == "宁德某公司"
    assert f"/projects/from-lead/{lead.pk}/" in detail.content.decode()
    assert response.status_code == 302
    project = Project.objects.get(name="新能源电池项目")
    assert project.source_lead == lead
    assert again.status_code == 409


def test_a_scheduling_meeting_turns_decisions_into_tasks(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)
    jxj = department("jxj")

    response = client.post(
        f"/projects/board/lists/{key_project.key_list_id}/meeting/",
        {
            "title": "2026年第三季度重点项目调度会",
            "date": "2026-10-15",
            "attendees": "区领导、各部门",
            f"what_{key_project.pk}": "10月底前完成供电接入",
            f"department_{key_project.pk}": jxj.pk,
            f"due_{key_project.pk}": "2026-10-31",
        },
    )

    assert response.status_code == 302
    task = Task.objects.get(meeting__isnull=False)
    assert task.project == key_project and task.what == "10月底前完成供电接入"
    empty = client.post(
        f"/projects/board/lists/{key_project.key_list_id}/meeting/",
        {"title": "x", "date": "2026-10-15", "attendees": "x"},
    )
    assert empty.status_code == 400


def test_the_board_shows_the_figures_and_colours(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)

    response = client.get("/projects/board/", {"month": "202609"})

    board = response.context["board"]
    assert board.total == 1 and board.started == 1 and board.past_30 == 1
    html = response.content.decode()
    assert 'data-colour="red"' in html
    assert 'data-testid="board-started"' in html


def test_the_pipeline_shows_counts_and_amounts_by_stage(
    client, key_project, make_project, tcj_clerk
):
    make_project(name="另一个", total_investment=Decimal("30000"))
    client.force_login(tcj_clerk)

    response = client.get("/projects/")
    rows = {r["stage"]: r for r in response.context["pipeline"]}
    html = response.content.decode()

    assert rows["negotiating"]["count"] == 1 and rows["construction"]["count"] == 1
    assert "3.00亿元" in html and "1.00亿元" in html
    filtered = client.get("/projects/", {"stage": "negotiating"})
    assert [p.name for p in filtered.context["page"].object_list] == ["另一个"]
    partial = client.get("/projects/", {"stage": "negotiating"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"project-table" in partial.content


def test_the_leader_sees_their_own_projects(client, key_project, make_project, leader) -> None:
    make_project(name="别人的项目")
    client.force_login(leader)

    response = client.get("/projects/leaders/")

    assert [p.name for p in response.context["page"].object_list] == ["天路智能装备产业园"]


def test_the_overdue_lists(client, key_project, tcj_clerk) -> None:
    client.force_login(tcj_clerk)

    response = client.get("/projects/overdue/")

    assert [t.what for t in response.context["tasks"]] == ["协调供电接入"]
    assert [m.name for m in response.context["milestones"]] == ["主体封顶"]


def test_the_enterprise_file_lists_the_enterprises_projects(client, key_project, tcj_clerk):
    client.force_login(tcj_clerk)

    response = client.get(f"/enterprises/{key_project.enterprise_id}/")

    assert 'data-testid="enterprise-projects"' in response.content.decode()
    assert "天路智能装备产业园" in response.content.decode()


# --- exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/projects/export/", "Project"),
        ("/projects/board/export/?month=202609", "Total investment"),
        ("/projects/overdue/tasks/export/", "Task"),
        ("/projects/overdue/milestones/export/", "Milestone"),
    ],
)
def test_the_exports_are_excel_files(client, key_project, tcj_clerk, url, header) -> None:
    from django.utils import translation

    client.force_login(tcj_clerk)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(max_row=4, values_only=True) for c in row if c]
    with translation.override("zh-hans"):
        assert translation.gettext(header) in cells, cells
    assert "天路智能装备产业园" in [c for row in sheet.iter_rows(values_only=True) for c in row]


# --- query budgets --------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# the lists' filters read the streets and zones of the user's scope for their choices
QUERY_PAGES = [
    ("/projects/", 10),
    ("/projects/export/", 3),
    ("/projects/board/?month=202609", 8),
    ("/projects/board/export/?month=202609", 5),
    ("/projects/timeline/?month=202609", 7),
    ("/projects/overdue/", 5),
    ("/projects/leaders/?leader={leader}", 10),
]


def _grow(make_project, key_list, tcj_clerk, leader, n: int) -> None:
    for i in range(n):
        p = make_project(name=f"项目{i}", is_key=True, key_list=key_list, leader=leader)
        services.milestone_add(by=tcj_clerk, project=p, name="开工", planned=D(2026, 9, 1))
        services.task_add(
            by=tcj_clerk, project=p, what="任务", department=department("jxj"), due=D(2026, 9, 1)
        )


def test_the_lists_take_the_same_queries_for_few_and_many_projects(
    client, make_project, key_list, tcj_clerk, leader, django_assert_max_num_queries
) -> None:
    client.force_login(tcj_clerk)
    _grow(make_project, key_list, tcj_clerk, leader, 2)
    few = {url: _count(client, url.format(leader=leader.pk)) for url, _b in QUERY_PAGES}
    _grow(make_project, key_list, tcj_clerk, leader, 12)
    many = {url: _count(client, url.format(leader=leader.pk)) for url, _b in QUERY_PAGES}

    assert few == many
    for url, budget in QUERY_PAGES:
        with django_assert_max_num_queries(budget):
            client.get(url.format(leader=leader.pk))


def test_the_project_page_takes_the_same_queries_for_more_rows(
    client, key_project, tcj_clerk
) -> None:
    client.force_login(tcj_clerk)
    url = f"/projects/{key_project.pk}/"
    before = _count(client, url)
    for i in range(5):
        services.obstacle_add(
            by=tcj_clerk, project=key_project, description=f"障碍{i}", type=ObstacleType.OTHER
        )
        services.task_add(
            by=tcj_clerk,
            project=key_project,
            what=f"任务{i}",
            department=department("jxj"),
            due=D(2026, 11, 1),
        )

    assert _count(client, url) == before
