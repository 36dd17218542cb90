"""Monthly inspections (月督查): submitted by the lead department for key projects, one per month,
cumulative above the total (or below last report) only with an explanation; the gaps listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.projects import selectors, services
from qifu.projects.models import Document, DocumentCategory, Inspection, Stage
from qifu.projects.tests.conftest import EXE, JPG, PNG, TODAY, D, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_project(make_project, key_list):
    return make_project(is_key=True, key_list=key_list)


def submit(project, by, month="202609", this="500", cumulative="3000", **kwargs):
    kwargs.setdefault("progress", "主体结构完成60%")
    return services.inspection_submit(
        by=by,
        project=project,
        month=month,
        month_investment=this,
        cumulative_investment=cumulative,
        **kwargs,
    )


def test_the_lead_department_submits_the_months_report(key_project, jxj_clerk) -> None:
    inspection = submit(
        key_project,
        jxj_clerk,
        progress_percent=60,
        problems="钢材价格上涨",
        next_plan="完成屋面施工",
        photos=[upload("现场.jpg", JPG), upload("塔吊.png", PNG)],
    )
    assert inspection.month == "202609"
    assert inspection.department == jxj_clerk.department
    assert inspection.cumulative_investment == Decimal("3000.00")
    key_project.refresh_from_db()
    assert key_project.investment_completed == Decimal("3000.00")
    assert key_project.completion_ratio == Decimal("0.3")
    photos = Document.objects.filter(inspection=inspection)
    assert {(d.category, d.name) for d in photos} == {
        (DocumentCategory.PHOTO, "现场.jpg"),
        (DocumentCategory.PHOTO, "塔吊.png"),
    }
    assert AuditEvent.objects.filter(action="project_inspection.create").count() == 1


def test_the_same_month_again_corrects_the_report(key_project, jxj_clerk) -> None:
    submit(key_project, jxj_clerk)
    submit(key_project, jxj_clerk, cumulative="3200")
    assert Inspection.objects.filter(project=key_project).count() == 1
    key_project.refresh_from_db()
    assert key_project.investment_completed == Decimal("3200.00")
    audit = AuditEvent.objects.get(action="project_inspection.update")
    assert audit.changes["cumulative_investment"] == ["3000.00", "3200.00"]


def test_the_completed_investment_is_the_latest_months(key_project, jxj_clerk) -> None:
    submit(key_project, jxj_clerk, month="202609", cumulative="3000")
    submit(key_project, jxj_clerk, month="202608", cumulative="2500")
    key_project.refresh_from_db()
    assert key_project.investment_completed == Decimal("3000.00")


def test_cumulative_above_the_total_needs_an_explanation(key_project, jxj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        submit(key_project, jxj_clerk, cumulative="10500")
    assert "explanation" in error.value.message_dict
    assert not Inspection.objects.exists()

    inspection = submit(
        key_project, jxj_clerk, cumulative="10500", explanation="追加设备投资，总投资待调整"
    )
    assert inspection.explanation == "追加设备投资，总投资待调整"


def test_cumulative_equal_to_the_total_needs_none(key_project, jxj_clerk) -> None:
    assert submit(key_project, jxj_clerk, cumulative="10000").explanation == ""


def test_cumulative_below_the_last_report_needs_an_explanation(key_project, jxj_clerk) -> None:
    submit(key_project, jxj_clerk, month="202608", cumulative="3000")
    with pytest.raises(ValidationError) as error:
        submit(key_project, jxj_clerk, month="202609", this="0", cumulative="2800")
    assert "explanation" in error.value.message_dict
    submit(key_project, jxj_clerk, month="202609", this="0", cumulative="2800", explanation="核减")


def test_the_figures_are_checked(key_project, jxj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        submit(key_project, jxj_clerk, this="800", cumulative="500")
    assert "cumulative_investment" in error.value.message_dict
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, this="-1")
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, this="很多")
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, progress=" ")
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, progress_percent=120)


def test_the_month_is_checked(key_project, jxj_clerk) -> None:
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, month="2026-09")
    with pytest.raises(ValidationError):
        submit(key_project, jxj_clerk, month="202611")  # not come yet (today: 2026-10-20)
    assert submit(key_project, jxj_clerk, month="202610").month == "202610"


def test_a_photo_must_be_a_picture(key_project, jxj_clerk) -> None:
    with pytest.raises(ValidationError) as error:
        submit(key_project, jxj_clerk, photos=[upload("现场.jpg", EXE)])
    assert "photos" in error.value.message_dict
    assert not Inspection.objects.exists()


def test_only_key_projects_are_inspected(project, jxj_clerk) -> None:
    with pytest.raises(services.TransitionError):
        submit(project, jxj_clerk)


@pytest.mark.parametrize(
    "who", ["tcj_clerk", "leader", "zrj_clerk", "licun_clerk", "enterprise_user"]
)
def test_only_the_lead_department_submits(who, request, key_project) -> None:
    with pytest.raises(PermissionDenied):
        submit(key_project, request.getfixturevalue(who))


# --- missing reports --------------------------------------------------------------------------


@pytest.fixture
def listed(make_project, key_list, walk, tcj_clerk):
    """Four key projects: A and B report, C is terminated, D went into production in August."""
    a = make_project(name="A", is_key=True, key_list=key_list)
    b = make_project(name="B", is_key=True, key_list=key_list)
    c = make_project(name="C", is_key=True, key_list=key_list)
    d = make_project(name="D", is_key=True, key_list=key_list)
    services.stage_change(
        by=tcj_clerk, project=c, stage=Stage.TERMINATED, date=D(2026, 6, 1), reason="撤资"
    )
    walk(d, Stage.CONSTRUCTION)
    services.stage_change(by=tcj_clerk, project=d, stage=Stage.PRODUCTION, date=D(2026, 8, 20))
    make_project(name="not key")
    return {"A": a, "B": b, "C": c, "D": d}


def test_missing_reports_are_listed_month_by_month(listed, key_list, jxj_clerk) -> None:
    submit(listed["A"], jxj_clerk, month="202608")
    submit(listed["A"], jxj_clerk, month="202609")
    submit(listed["B"], jxj_clerk, month="202609")

    def missing(month):
        return [p.name for p in selectors.missing_inspections(key_list=key_list, month=month)]

    # August: D was still under construction until the 20th, so it owed a report
    assert missing("202608") == ["B", "D"]
    assert missing("202609") == []
    assert missing("202610") == ["A", "B"]


def test_missing_reports_are_scoped_when_a_user_asks(
    listed, key_list, licun_clerk, loushan_clerk, outsider
) -> None:
    def missing(user):
        return [
            p.name
            for p in selectors.missing_inspections(key_list=key_list, month="202610", user=user)
        ]

    assert missing(licun_clerk) == ["A", "B"]
    assert missing(loushan_clerk) == []
    assert missing(outsider) == []


def test_the_board_lists_the_missing_reports_too(listed, key_list, jxj_clerk, tcj_clerk) -> None:
    submit(listed["A"], jxj_clerk, month="202610")
    board = selectors.key_board(user=tcj_clerk, key_list=key_list, month="202610", today=TODAY)
    assert [p.name for p in board.missing] == ["B"]
