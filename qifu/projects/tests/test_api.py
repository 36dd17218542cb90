"""REST /api/v1/projects/: the same services and scope as the pages. A project outside the
caller's scope is 404, a role that may not act on a project it sees 403, bad input 400 with a
message, a change the project's state does not allow 409 with the reason; an enterprise user sees
its own project without internal notes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from qifu.appeals.models import Appeal
from qifu.audit.models import AuditEvent
from qifu.projects import services
from qifu.projects.models import (
    DateKind,
    Document,
    Inspection,
    Milestone,
    Obstacle,
    ObstacleType,
    Project,
    Stage,
    Task,
)
from qifu.projects.tests.conftest import EXE, JPG, PDF, PNG, D, department, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def url(project: Project, tail: str = "") -> str:
    return f"{URL}{project.pk}/{tail}"


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.fixture
def noted(make_project, tcj_clerk) -> Project:
    """The default project with an internal note and a stage note."""
    project = make_project(internal_note="投资方资金链偏紧，需关注")
    return services.stage_change(
        by=tcj_clerk,
        project=project,
        stage=Stage.SIGNED,
        date=D(2026, 2, 2),
        note="区长亲自洽谈",
        signing={DateKind.CONTRACT: D(2026, 2, 2)},
    )


@pytest.fixture
def key_project(make_project, walk, key_list) -> Project:
    return walk(make_project(is_key=True, key_list=key_list), Stage.CONSTRUCTION)


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_gets_401_or_403(api, project) -> None:
    for path in (URL, url(project), f"{URL}pipeline/"):
        assert api.get(path).status_code in (401, 403)


@pytest.mark.parametrize("who", ["outsider", "loushan_clerk", "ruifeng_user", "no_role_user"])
def test_outside_the_scope_a_project_is_404(api, noted, request, who) -> None:
    as_(api, request.getfixturevalue(who))

    assert api.get(URL).json()["count"] == 0
    for tail in ("", "obstacles/", "inspections/", "milestones/", "tasks/"):
        assert api.get(url(noted, tail)).status_code == 404
    assert api.patch(url(noted), {"name": "x"}, format="json").status_code == 404
    body = {"stage": "approval", "date": "2026-03-01"}
    assert api.post(url(noted, "stage/"), body, format="json").status_code == 404
    body = {"description": "x", "type": "land"}
    assert api.post(url(noted, "obstacles/"), body, format="json").status_code == 404


def test_a_street_clerk_reads_its_streets_projects_but_may_not_change_them(
    api, noted, licun_clerk
) -> None:
    as_(api, licun_clerk)

    assert api.get(URL).json()["count"] == 1
    assert api.get(url(noted)).json()["allowed_stages"] == []
    response = api.patch(url(noted), {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    body = {"stage": "approval", "date": "2026-03-01"}
    assert api.post(url(noted, "stage/"), body, format="json").status_code == 403
    body = {"description": "x", "type": "land"}
    assert api.post(url(noted, "obstacles/"), body, format="json").status_code == 403


def test_the_enterprise_sees_its_own_project_without_internal_notes(
    api, noted, enterprise_user, tcj_clerk
) -> None:
    services.obstacle_add(
        by=tcj_clerk,
        project=noted,
        description="供地滞后",
        type=ObstacleType.LAND,
        internal_note="内部：需区长协调",
    )
    services.task_add(
        by=tcj_clerk,
        project=noted,
        what="协调供地",
        department=department("zrj"),
        due=D(2026, 11, 30),
    )
    as_(api, enterprise_user)

    listed = api.get(URL).json()
    assert listed["count"] == 1
    assert "internal_note" not in listed["results"][0]
    detail = api.get(url(noted)).json()
    assert "internal_note" not in detail
    assert "资金链" not in str(detail)
    assert [e["note"] for e in detail["stage_history"]] == ["", ""]
    obstacles = api.get(url(noted, "obstacles/")).json()
    assert obstacles[0]["description"] == "供地滞后"
    assert "internal_note" not in obstacles[0]
    assert api.get(url(noted, "tasks/")).json() == []
    assert api.get(url(noted, "inspections/")).json() == []
    # and changes nothing
    assert api.patch(url(noted), {"name": "x"}, format="json").status_code == 403
    created = {"name": "x", "investor": "y", "street": "370213007", "total_investment": "1"}
    assert api.post(URL, created, format="json").status_code == 403


def test_officials_see_the_internal_notes(api, noted, tcj_clerk) -> None:
    detail = as_(api, tcj_clerk).get(url(noted)).json()

    assert detail["internal_note"] == "投资方资金链偏紧，需关注"
    assert detail["stage_history"][-1]["note"] == "区长亲自洽谈"


# --- projects -------------------------------------------------------------------------------------


def test_projects_are_created_listed_and_filtered(api, tcj_clerk, tianlu, key_list, leader):
    as_(api, tcj_clerk)

    response = api.post(
        URL,
        {
            "name": "天路集团新能源装备项目",
            "investor": "天路集团有限公司",
            "enterprise": tianlu.pk,
            "street": "370213007",
            "industry_code": "3434",
            "total_investment": "12000.50",
            "leader": "leader",
            "lead_department": "jxj",
            "is_key": True,
            "key_list": key_list.pk,
            "expected_start": "2027-03-01",
            "internal_note": "重点跟踪",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    for key in (
        "id",
        "name",
        "stage",
        "is_key",
        "key_list",
        "total_investment",
        "completed_investment",
        "leader",
        "street",
        "enterprise",
        "expected_start",
    ):
        assert key in body
    assert body["stage"] == "negotiating"
    assert body["total_investment"] == "12000.50"
    assert body["completed_investment"] == "0.00"
    assert (body["leader"], body["street"], body["lead_department"]) == (
        "leader",
        "370213007",
        "jxj",
    )
    assert body["allowed_stages"] == ["signed", "paused", "terminated"]
    assert body["stage_history"][0]["to_stage"] == "negotiating"
    project = Project.objects.get(pk=body["id"])
    assert project.created_by == tcj_clerk and project.key_list == key_list

    assert api.get(URL).json()["count"] == 1
    assert api.get(URL, {"stage": "signed"}).json()["count"] == 0
    assert api.get(URL, {"is_key": "true", "key_list": key_list.pk}).json()["count"] == 1
    assert api.get(URL, {"search": "新能源"}).json()["count"] == 1
    assert api.get(URL, {"street": "370213006"}).json()["count"] == 0
    bad = api.get(URL, {"stage": "dreaming", "leader": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"stage", "leader"}


def test_a_project_needs_its_fields_and_a_street_of_the_district(api, tcj_clerk) -> None:
    as_(api, tcj_clerk)

    response = api.post(URL, {"name": "x"}, format="json")
    assert response.status_code == 400
    assert {"investor", "street", "total_investment"} <= set(response.json()["errors"])
    assert response.json()["detail"]
    elsewhere = {"name": "x", "investor": "y", "street": "370212001", "total_investment": "1"}
    response = api.post(URL, elsewhere, format="json")
    assert response.status_code == 400 and "street" in response.json()["errors"]
    negative = {"name": "x", "investor": "y", "street": "370213007", "total_investment": "-1"}
    assert api.post(URL, negative, format="json").status_code == 400


def test_a_project_is_changed_through_the_service(api, project, tcj_clerk, other_leader) -> None:
    as_(api, tcj_clerk)

    response = api.patch(
        url(project), {"total_investment": "15000", "leader": "zhang_fqz"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["total_investment"] == "15000.00"
    project.refresh_from_db()
    assert project.leader == other_leader
    assert api.patch(url(project), {"industry_code": "0000"}, format="json").status_code == 400
    # the stage is not changed by PATCH
    api.patch(url(project), {"stage": "production"}, format="json")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_the_list_takes_the_same_queries_for_few_and_many(
    api, make_project, tcj_clerk, leader, key_list, walk
) -> None:
    as_(api, tcj_clerk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    for _ in range(2):
        walk(make_project(leader=leader, is_key=True, key_list=key_list), Stage.SIGNED)
    few = count()
    for _ in range(8):
        walk(make_project(leader=leader, is_key=True, key_list=key_list), Stage.APPROVAL)
    many = count()

    assert few == many


# --- stages ---------------------------------------------------------------------------------------


def test_the_stage_moves_one_step_at_a_time(api, project, tcj_clerk) -> None:
    as_(api, tcj_clerk)

    unsigned = api.post(url(project, "stage/"), {"stage": "signed", "date": "2026-02-02"})
    assert unsigned.status_code == 400 and "signing" in unsigned.json()["errors"]

    response = api.post(
        url(project, "stage/"),
        {"stage": "signed", "date": "2026-02-02", "signing": "contract", "note": "签约仪式"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "signed"
    assert response.json()["dates"] == [{"kind": "contract", "date": "2026-02-02", "note": ""}]

    skipped = api.post(url(project, "stage/"), {"stage": "production", "date": "2026-03-01"})
    assert skipped.status_code == 409
    assert skipped.json()["detail"] == services.transition_problem(
        Project.objects.get(pk=project.pk), Stage.PRODUCTION
    )
    future = api.post(url(project, "stage/"), {"stage": "approval", "date": "2027-01-01"})
    assert future.status_code == 400 and "date" in future.json()["errors"]
    unknown = api.post(url(project, "stage/"), {"stage": "dreaming"})
    assert unknown.status_code == 400
    paused = api.post(url(project, "stage/"), {"stage": "paused", "date": "2026-03-01"})
    assert paused.status_code == 400 and "reason" in paused.json()["errors"]


def test_a_signing_or_approval_date_is_recorded(api, project, walk, tcj_clerk) -> None:
    as_(api, tcj_clerk)
    early = api.post(url(project, "dates/"), {"kind": "planning", "date": "2026-01-06"})
    assert early.status_code == 409
    walk(project, Stage.APPROVAL)

    response = api.post(url(project, "dates/"), {"kind": "planning", "date": "2026-03-10"})

    assert response.status_code == 200
    assert {"kind": "planning", "date": "2026-03-10", "note": ""} in response.json()["dates"]


# --- obstacles ------------------------------------------------------------------------------------


def test_obstacles_are_recorded_raised_as_appeals_and_resolved(
    api, project, tcj_clerk, zrj_clerk, tianlu
) -> None:
    as_(api, tcj_clerk)

    response = api.post(
        url(project, "obstacles/"),
        {
            "description": "项目用地尚未完成征收",
            "type": "land",
            "department": "zrj",
            "deadline": "2026-11-30",
            "internal_note": "需区长协调",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    obstacle = response.json()
    assert (obstacle["stage"], obstacle["status"], obstacle["department"]) == (
        "negotiating",
        "open",
        "zrj",
    )
    assert api.get(url(project, "obstacles/")).json()[0]["id"] == obstacle["id"]
    bad = api.post(url(project, "obstacles/"), {"description": "x", "type": "weather"})
    assert bad.status_code == 400 and "type" in bad.json()["errors"]

    raise_url = url(project, f"obstacles/{obstacle['id']}/raise-appeal/")
    raised = api.post(raise_url, {}, format="json")
    assert raised.status_code == 201, raised.json()
    appeal = Appeal.objects.get(pk=raised.json()["id"])
    assert appeal.enterprise == tianlu and appeal.number == raised.json()["number"]
    assert raised.json()["obstacle"]["appeal"] == appeal.number
    assert raised.json()["obstacle"]["status"] == "in_progress"
    again = api.post(raise_url, {}, format="json")
    assert again.status_code == 409 and again.json()["detail"]

    # the department responsible resolves it
    as_(api, zrj_clerk)
    resolve_url = url(project, f"obstacles/{obstacle['id']}/resolve/")
    assert api.post(resolve_url, {"resolution": ""}).status_code == 400
    resolved = api.post(resolve_url, {"resolution": "完成征收", "date": "2026-10-19"})
    assert resolved.status_code == 200
    assert (resolved.json()["status"], resolved.json()["resolved_on"]) == ("resolved", "2026-10-19")
    assert api.post(resolve_url, {"resolution": "再次"}).status_code == 409
    assert (
        api.post(url(project, "obstacles/999999/resolve/"), {"resolution": "x"}).status_code == 404
    )


# --- monthly inspections --------------------------------------------------------------------------


def test_the_lead_department_reports_monthly(api, key_project, jxj_clerk, tcj_clerk) -> None:
    path = url(key_project, "inspections/")
    report = {
        "month": "202609",
        "invested_this_month": "800.00",
        "cumulative_investment": "3200.00",
        "progress": "主体结构施工",
        "progress_percent": 35,
    }
    assert as_(api, tcj_clerk).post(path, report, format="json").status_code == 403
    as_(api, jxj_clerk)

    created = api.post(path, report, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["invested_this_month"] == "800.00"
    assert created.json()["department"] == "jxj"
    corrected = api.post(path, {**report, "cumulative_investment": "3300.00"}, format="json")
    assert corrected.status_code == 200
    assert Inspection.objects.filter(project=key_project).count() == 1
    key_project.refresh_from_db()
    assert key_project.investment_completed == Decimal("3300.00")

    above = {**report, "month": "202610", "cumulative_investment": "12000.00"}
    response = api.post(path, above, format="json")
    assert response.status_code == 400
    assert "explanation" in response.json()["errors"]
    explained = api.post(path, {**above, "explanation": "追加设备投资"}, format="json")
    assert explained.status_code == 201
    assert api.get(url(key_project)).json()["completed_investment"] == "12000.00"
    assert [r["month"] for r in api.get(path).json()] == ["202610", "202609"]

    bad = api.post(path, {**report, "month": "202613"}, format="json")
    assert bad.status_code == 400 and "month" in bad.json()["errors"]
    future = api.post(path, {**report, "month": "202612"}, format="json")
    assert future.status_code == 400


def test_only_key_projects_report(api, make_project, jxj_clerk) -> None:
    project = make_project()
    body = {
        "month": "202609",
        "invested_this_month": "1",
        "cumulative_investment": "1",
        "progress": "x",
    }
    response = as_(api, jxj_clerk).post(url(project, "inspections/"), body, format="json")
    assert response.status_code == 409


# --- the timetable --------------------------------------------------------------------------------


def test_the_timetable_is_planned_approved_and_tracked(api, project, tcj_clerk) -> None:
    as_(api, tcj_clerk)
    path = url(project, "milestones/")

    first = api.post(path, {"name": "开工建设", "planned": "2026-10-01"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["colour"] == "red"
    done = {"name": "竣工投产", "planned": "2027-06-30", "is_completion": True}
    assert api.post(path, done, format="json").status_code == 201
    assert api.post(path, {**done, "name": "再次"}, format="json").status_code == 400
    assert api.post(path, {"planned": "2027-01-01"}, format="json").status_code == 400

    approved = api.post(url(project, "milestones/approve/"))
    assert approved.status_code == 200
    assert [m["colour"] for m in approved.json()] == ["red", "blue"]
    assert api.post(path, {"name": "后加"}, format="json").status_code == 409
    assert api.post(url(project, "milestones/approve/")).status_code == 409

    change = url(project, f"milestones/{first.json()['id']}/")
    assert api.patch(change, {"planned": "2026-11-01"}, format="json").status_code == 409
    reached = api.patch(change, {"actual": "2026-10-12"}, format="json")
    assert reached.status_code == 200
    assert reached.json()["colour"] == "green"
    assert api.patch(change, {"actual": "2027-01-01"}, format="json").status_code == 400
    assert [m["colour"] for m in api.get(path).json()] == ["green", "blue"]
    assert Milestone.objects.get(pk=first.json()["id"]).actual == D(2026, 10, 12)
    assert api.patch(url(project, "milestones/999999/"), {}, format="json").status_code == 404


def test_a_street_clerk_may_not_plan_or_approve(api, project, licun_clerk) -> None:
    as_(api, licun_clerk)
    body = {"name": "开工建设", "planned": "2026-10-01"}
    assert api.post(url(project, "milestones/"), body, format="json").status_code == 403
    assert api.post(url(project, "milestones/approve/")).status_code == 403


# --- tasks ----------------------------------------------------------------------------------------


def test_tasks_are_added_listed_and_completed(api, project, tcj_clerk, zrj_clerk) -> None:
    as_(api, tcj_clerk)
    path = url(project, "tasks/")

    response = api.post(
        path, {"what": "协调供地", "department": "zrj", "due": "2026-10-10"}, format="json"
    )
    assert response.status_code == 201, response.json()
    task = response.json()
    assert (task["department"], task["status"], task["overdue"]) == ("zrj", "open", True)
    bad = api.post(path, {"what": "x", "department": "nope", "due": "2026-10-10"}, format="json")
    assert bad.status_code == 400 and "department" in bad.json()["errors"]
    assert [t["id"] for t in api.get(path).json()] == [task["id"]]

    # the owner department completes it
    as_(api, zrj_clerk)
    done_url = url(project, f"tasks/{task['id']}/complete/")
    done = api.post(done_url, {"done_on": "2026-10-19", "note": "已完成"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["overdue"]) == ("done", False)
    assert api.post(done_url, {}, format="json").status_code == 409
    assert Task.objects.get(pk=task["id"]).done_on == D(2026, 10, 19)


# --- figures --------------------------------------------------------------------------------------


def test_the_pipeline_counts_by_stage(api, make_project, walk, tcj_clerk, outsider) -> None:
    walk(make_project(), Stage.SIGNED)
    make_project(total_investment=Decimal("500"))

    rows = as_(api, tcj_clerk).get(f"{URL}pipeline/").json()

    assert [r["stage"] for r in rows][:5] == [
        "negotiating",
        "signed",
        "approval",
        "construction",
        "production",
    ]
    assert rows[0]["count"] == 1 and rows[0]["total_investment"] == "500.00"
    assert rows[1]["count"] == 1
    assert api.get(f"{URL}pipeline/", {"stage": "x"}).status_code == 400
    assert sum(r["count"] for r in as_(api, outsider).get(f"{URL}pipeline/").json()) == 0


def test_the_key_board(api, key_project, key_list, jxj_clerk, tcj_clerk, outsider) -> None:
    services.inspection_submit(
        by=jxj_clerk,
        project=key_project,
        month="202610",
        month_investment="500",
        cumulative_investment="3500",
        progress="主体施工",
    )
    as_(api, tcj_clerk)
    path = f"{URL}key-board/"

    board = api.get(path, {"key_list": key_list.pk, "month": "202610"})

    assert board.status_code == 200, board.json()
    body = board.json()
    assert (body["total"], body["started"], body["past_30"], body["ahead"]) == (1, 1, 1, 0)
    assert body["key_list_name"] == "2026年十大二产项目"
    assert body["rows"][0]["id"] == key_project.pk and body["rows"][0]["reported"] is True
    assert body["missing"] == []
    assert api.get(path, {"key_list": key_list.pk}).json()["month"] == "202610"
    september = api.get(path, {"key_list": key_list.pk, "month": "202609"}).json()
    assert september["missing"] == [key_project.pk]
    assert api.get(path).status_code == 400
    assert api.get(path, {"key_list": key_list.pk, "month": "2026-10"}).status_code == 400
    assert as_(api, outsider).get(path, {"key_list": key_list.pk}).status_code == 404


def test_every_write_is_audited_through_the_services(api, project, tcj_clerk) -> None:
    from qifu.audit.models import AuditEvent

    as_(api, tcj_clerk)
    api.patch(url(project), {"name": "改名"}, format="json")
    api.post(url(project, "obstacles/"), {"description": "x", "type": "other"}, format="json")
    api.post(url(project, "tasks/"), {"what": "x", "department": "jxj", "due": "2026-11-01"})

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"project.update", "project_obstacle.create", "project_task.create"} <= actions
    assert Obstacle.objects.filter(project=project).count() == 1


def _actions() -> set[str]:
    return set(AuditEvent.objects.values_list("action", flat=True))


# --- the archive ----------------------------------------------------------------------------------


def test_documents_are_uploaded_listed_and_downloaded(
    api, project, tcj_clerk, enterprise_user
) -> None:
    path = url(project, "documents/")
    as_(api, tcj_clerk)

    body = {
        "upload": upload("投资协议$`终稿`.pdf", PDF),
        "category": "contract",
        "description": "正式合同",
        "is_internal": "true",
    }
    created = api.post(path, body, format="multipart")

    assert created.status_code == 201, created.json()
    internal = created.json()
    assert (internal["category"], internal["is_internal"], internal["size"]) == (
        "contract",
        True,
        len(PDF),
    )
    assert internal["name"] == "投资协议_终稿.pdf"
    assert "project_document.create" in _actions()
    exe = api.post(path, {"upload": upload("setup.exe", EXE), "category": "other"})
    assert exe.status_code == 400 and "upload" in exe.json()["errors"]
    fake = api.post(path, {"upload": upload("fake.pdf", EXE), "category": "other"})
    assert fake.status_code == 400 and "upload" in fake.json()["errors"]
    no_file = api.post(path, {"category": "other"})
    assert no_file.status_code == 400 and "upload" in no_file.json()["errors"]
    no_category = api.post(path, {"upload": upload("a.pdf", PDF)})
    assert no_category.status_code == 400 and "category" in no_category.json()["errors"]
    assert Document.objects.filter(project=project).count() == 1

    download = url(project, f"documents/{internal['id']}/download/")
    response = api.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "utf-8''" in disposition
    assert "\n" not in disposition and "\r" not in disposition
    assert response["Content-Type"] == "application/pdf"

    # the enterprise adds its own files, never internal, and never sees internal ones
    as_(api, enterprise_user)
    own = api.post(
        path,
        {"upload": upload("现场.png", PNG), "category": "photo", "is_internal": "true"},
        format="multipart",
    )
    assert own.status_code == 201, own.json()
    assert own.json()["is_internal"] is False
    minutes = api.post(path, {"upload": upload("纪要.pdf", PDF), "category": "minutes"})
    assert minutes.status_code == 403
    assert [d["id"] for d in api.get(path).json()] == [own.json()["id"]]
    assert api.get(download).status_code == 404
    assert api.get(url(project, f"documents/{own.json()['id']}/download/")).status_code == 200
    assert api.get(url(project, "documents/999999/download/")).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "ruifeng_user"])
def test_documents_outside_the_scope_are_404(api, project, tcj_clerk, request, who) -> None:
    document = services.document_upload(
        by=tcj_clerk, project=project, upload=upload("a.pdf", PDF), category="contract"
    )
    as_(api, request.getfixturevalue(who))

    assert api.get(url(project, "documents/")).status_code == 404
    assert api.get(url(project, f"documents/{document.pk}/download/")).status_code == 404
    body = {"upload": upload("b.pdf", PDF), "category": "other"}
    assert api.post(url(project, "documents/"), body).status_code == 404


def test_a_street_clerk_may_not_upload(api, project, licun_clerk) -> None:
    body = {"upload": upload("a.pdf", PDF), "category": "other"}
    response = as_(api, licun_clerk).post(url(project, "documents/"), body)
    assert response.status_code == 403


def test_inspection_photos_are_filed_with_the_report(api, key_project, jxj_clerk) -> None:
    as_(api, jxj_clerk)
    path = url(key_project, "inspections/")
    report = {
        "month": "202610",
        "invested_this_month": "100",
        "cumulative_investment": "100",
        "progress": "场地平整",
    }

    bad = api.post(path, {**report, "photos": [upload("x.exe", EXE)]}, format="multipart")
    assert bad.status_code == 400 and "photos" in bad.json()["errors"]
    photos = [upload("东侧.jpg", JPG), upload("西侧.png", PNG)]
    created = api.post(path, {**report, "photos": photos}, format="multipart")

    assert created.status_code == 201, created.json()
    inspection = Inspection.objects.get(pk=created.json()["id"])
    assert sorted(d.name for d in inspection.documents.all()) == ["东侧.jpg", "西侧.png"]
    assert {d.category for d in inspection.documents.all()} == {"photo"}
    assert "project_document.create" in _actions()


# --- changing obstacles and tasks -----------------------------------------------------------------


def test_an_obstacle_is_changed_and_marked_as_being_solved(
    api, project, tcj_clerk, zrj_clerk, enterprise_user, licun_clerk, outsider
) -> None:
    obstacle = services.obstacle_add(
        by=tcj_clerk, project=project, description="供地滞后", type=ObstacleType.LAND
    )
    path = url(project, f"obstacles/{obstacle.pk}/")
    as_(api, tcj_clerk)

    changed = api.patch(
        path, {"department": "zrj", "deadline": "2026-12-31", "internal_note": "急"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["department"], changed.json()["deadline"]) == ("zrj", "2026-12-31")
    assert "project_obstacle.update" in _actions()
    assert api.patch(path, {"type": "weather"}, format="json").status_code == 400
    assert api.patch(path, {"status": "resolved"}, format="json").status_code == 400
    assert api.patch(path, {"department": "nope"}, format="json").status_code == 400
    assert api.patch(url(project, "obstacles/999999/"), {}, format="json").status_code == 404

    assert as_(api, outsider).patch(path, {"status": "in_progress"}).status_code == 404
    assert as_(api, licun_clerk).patch(path, {"status": "in_progress"}).status_code == 403
    assert as_(api, enterprise_user).patch(path, {"status": "in_progress"}).status_code == 403

    # the department responsible marks it as being solved, then resolves it
    as_(api, zrj_clerk)
    started = api.patch(path, {"status": "in_progress"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    services.obstacle_resolve(by=zrj_clerk, obstacle=obstacle, resolution="完成")
    assert api.patch(path, {"status": "open"}, format="json").status_code == 409


def test_a_task_is_changed_and_started(
    api, project, tcj_clerk, zrj_clerk, licun_clerk, enterprise_user, outsider
) -> None:
    task = services.task_add(
        by=tcj_clerk,
        project=project,
        what="协调供地",
        department=department("zrj"),
        due=D(2026, 11, 1),
    )
    path = url(project, f"tasks/{task.pk}/")
    as_(api, tcj_clerk)

    changed = api.patch(path, {"due": "2026-11-15", "note": "区长督办"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["due"], changed.json()["note"]) == ("2026-11-15", "区长督办")
    assert "project_task.update" in _actions()
    assert api.patch(path, {"department": "nope"}, format="json").status_code == 400
    assert api.patch(path, {"status": "done"}, format="json").status_code == 400
    assert api.patch(path, {"due": "x"}, format="json").status_code == 400
    assert api.patch(url(project, "tasks/999999/"), {}, format="json").status_code == 404

    assert as_(api, outsider).patch(path, {"status": "in_progress"}).status_code == 404
    assert as_(api, enterprise_user).patch(path, {"status": "in_progress"}).status_code == 404
    assert as_(api, licun_clerk).patch(path, {"status": "in_progress"}).status_code == 403

    as_(api, zrj_clerk)
    started = api.patch(path, {"status": "in_progress"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    services.task_complete(by=zrj_clerk, task=task)
    assert api.patch(path, {"note": "x"}, format="json").status_code == 409


# --- key project lists and scheduling meetings ----------------------------------------------------

KEY_LISTS = f"{URL}key-lists/"


def test_key_lists_are_created_and_listed(
    api, tcj_clerk, licun_clerk, enterprise_user, outsider, key_list
) -> None:
    as_(api, tcj_clerk)

    created = api.post(KEY_LISTS, {"name": "2027年重点项目", "year": 2027}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["district"] == "370213"
    assert "project_key_list.create" in _actions()
    assert {r["name"] for r in api.get(KEY_LISTS).json()} == {"2027年重点项目", key_list.name}
    assert api.post(KEY_LISTS, {"year": 2027}, format="json").status_code == 400
    bad_year = api.post(KEY_LISTS, {"name": "x", "year": 1990}, format="json")
    assert bad_year.status_code == 400 and "year" in bad_year.json()["errors"]
    assert as_(api, licun_clerk).post(KEY_LISTS, {"name": "x", "year": 2027}).status_code == 403
    assert as_(api, enterprise_user).post(KEY_LISTS, {"name": "x", "year": 2027}).status_code == 403
    assert as_(api, outsider).get(KEY_LISTS).json() == []


def test_a_meeting_is_recorded_and_its_decisions_become_tasks(
    api, key_project, key_list, make_project, tcj_clerk, jxj_clerk, licun_clerk, outsider
) -> None:
    path = f"{KEY_LISTS}{key_list.pk}/meetings/"
    body: dict[str, Any] = {
        "title": "2026年第三季度调度会",
        "date": "2026-10-15",
        "attendees": "区长、投促局、经信局",
        "place": "区政府3楼会议室",
        "decisions": [
            {
                "project": key_project.pk,
                "what": "加快设备进场",
                "department": "jxj",
                "due": "2026-11-30",
            }
        ],
    }
    as_(api, tcj_clerk)

    created = api.post(path, body, format="json")

    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert [t["what"] for t in meeting["tasks"]] == ["加快设备进场"]
    assert meeting["tasks"][0]["meeting"] == meeting["id"]
    assert Task.objects.get(meeting_id=meeting["id"]).project == key_project
    assert "project_meeting.create" in _actions()

    assert api.post(path, {**body, "decisions": []}, format="json").status_code == 400
    missing = api.post(path, {k: v for k, v in body.items() if k != "attendees"}, format="json")
    assert missing.status_code == 400 and "attendees" in missing.json()["errors"]
    other = make_project()
    off_list = [{**body["decisions"][0], "project": other.pk}]
    assert api.post(path, {**body, "decisions": off_list}, format="json").status_code == 400
    late = [{**body["decisions"][0], "due": "2026-10-01"}]
    assert api.post(path, {**body, "decisions": late}, format="json").status_code == 400
    future = api.post(path, {**body, "date": "2026-12-01"}, format="json")
    assert future.status_code == 400

    # with the minutes, as multipart: filed as an internal document of each project discussed
    with_minutes = api.post(
        path,
        {
            **body,
            "decisions": json.dumps(body["decisions"]),
            "minutes": upload("会议纪要.pdf", PDF),
        },
        format="multipart",
    )
    assert with_minutes.status_code == 201, with_minutes.json()
    filed = Document.objects.get(meeting_id=with_minutes.json()["id"])
    assert (filed.project, filed.category, filed.is_internal) == (key_project, "minutes", True)
    bad_minutes = api.post(
        path,
        {**body, "decisions": json.dumps(body["decisions"]), "minutes": upload("a.exe", EXE)},
        format="multipart",
    )
    assert bad_minutes.status_code == 400 and "minutes" in bad_minutes.json()["errors"]

    assert as_(api, jxj_clerk).post(path, body, format="json").status_code == 403
    assert as_(api, licun_clerk).post(path, body, format="json").status_code == 404
    assert as_(api, outsider).post(path, body, format="json").status_code == 404
    assert as_(api, tcj_clerk).post(f"{KEY_LISTS}999999/meetings/", body).status_code == 404
