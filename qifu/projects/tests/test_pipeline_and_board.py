"""selectors.pipeline (counts and amounts by stage) and selectors.key_board (started, past 30%,
ahead of plan, completion, colours, missing reports), in scope and in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.projects import selectors, services
from qifu.projects.models import Stage
from qifu.projects.selectors import Colour
from qifu.projects.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db


def report(project, by, month, cumulative, **kwargs):
    return services.inspection_submit(
        by=by,
        project=project,
        month=month,
        month_investment="0",
        cumulative_investment=cumulative,
        progress="按计划推进",
        **kwargs,
    )


@pytest.fixture
def board_projects(make_project, key_list, walk, jxj_clerk, leader, loushan):
    """Four key projects of 10000万元: P1 started, 40%, completing ahead of plan; P2 started,
    exactly 30%; P3 in approval, 10%; P4 in production, 120% (explained), in 楼山街道."""
    p1 = walk(make_project(name="P1", is_key=True, key_list=key_list), Stage.CONSTRUCTION)
    p2 = walk(make_project(name="P2", is_key=True, key_list=key_list), Stage.CONSTRUCTION)
    p3 = walk(make_project(name="P3", is_key=True, key_list=key_list), Stage.APPROVAL)
    p4 = walk(
        make_project(name="P4", is_key=True, key_list=key_list, street=loushan, enterprise=None),
        Stage.PRODUCTION,
    )
    report(p1, jxj_clerk, "202609", "4000")
    report(p2, jxj_clerk, "202609", "3000")
    report(p3, jxj_clerk, "202609", "1000")
    report(p4, jxj_clerk, "202608", "12000", explanation="追加投资")
    # P1's timetable: completion forecast a month early; P2's: a milestone due tomorrow
    services.milestone_add(by=jxj_clerk, project=p1, name="开工", planned=D(2026, 5, 1))
    services.milestone_add(
        by=jxj_clerk, project=p1, name="竣工投产", planned=D(2027, 6, 30), is_completion=True
    )
    services.milestone_plan_approve(by=leader, project=p1)
    services.milestone_actual(
        by=jxj_clerk, milestone=p1.milestones.get(name="开工"), actual=D(2026, 5, 6)
    )
    services.milestone_forecast(
        by=jxj_clerk, milestone=p1.milestones.get(name="竣工投产"), forecast=D(2027, 5, 31)
    )
    services.milestone_add(by=jxj_clerk, project=p2, name="主体封顶", planned=D(2026, 10, 21))
    services.milestone_add(by=jxj_clerk, project=p3, name="取得施工许可", planned=D(2026, 9, 30))
    make_project(name="not key")
    return {"P1": p1, "P2": p2, "P3": p3, "P4": p4}


def test_the_board_counts_started_past_30_and_ahead(board_projects, key_list, tcj_clerk):
    board = selectors.key_board(user=tcj_clerk, key_list=key_list, month="202609", today=TODAY)

    assert board.total == 4
    assert board.started == 3  # P1, P2 and P4 started building by the end of September
    assert board.past_30 == 3  # P1 40%, P2 30% exactly, P4 120%
    assert board.ahead == 1  # P1
    assert board.total_investment == Decimal("40000.00")
    assert board.completed == Decimal("20000.00")
    assert board.ratio == Decimal("0.5")
    rows = {r.project.name: r for r in board.rows}
    assert rows["P2"].ratio == Decimal("0.3")
    assert rows["P4"].cumulative == Decimal("12000.00")  # August's report stands for September
    assert {name: r.colour for name, r in rows.items()} == {
        "P1": Colour.BLUE,  # started (green), completion far away (blue)
        "P2": Colour.YELLOW,  # due tomorrow
        "P3": Colour.RED,  # construction permit overdue
        "P4": None,  # no timetable
    }
    # P4 went into production on 09-01: the month production began still has its report due
    assert [p.name for p in board.missing] == ["P4"]


def test_the_board_of_an_earlier_month(board_projects, key_list, tcj_clerk) -> None:
    board = selectors.key_board(user=tcj_clerk, key_list=key_list, month="202604", today=TODAY)
    assert board.started == 0  # construction began in May
    assert board.past_30 == 0  # nothing reported yet
    assert board.completed == Decimal("0")
    assert [p.name for p in board.missing] == ["P1", "P2", "P3", "P4"]


def test_the_board_lists_this_months_gaps(board_projects, key_list, tcj_clerk) -> None:
    board = selectors.key_board(user=tcj_clerk, key_list=key_list, month="202610", today=TODAY)
    # P4 has been in production since September: it reports no more
    assert [p.name for p in board.missing] == ["P1", "P2", "P3"]


def test_the_board_is_scoped(board_projects, key_list, loushan_clerk, outsider) -> None:
    board = selectors.key_board(user=loushan_clerk, key_list=key_list, month="202609")
    assert [r.project.name for r in board.rows] == ["P4"]
    assert selectors.key_board(user=outsider, key_list=key_list, month="202609").total == 0


def test_the_board_takes_the_same_queries_for_more_projects(
    board_projects, make_project, key_list, tcj_clerk, jxj_clerk
) -> None:
    selectors.key_board(user=tcj_clerk, key_list=key_list, month="202609")  # warm the calendar
    with CaptureQueriesContext(connection) as few:
        selectors.key_board(user=tcj_clerk, key_list=key_list, month="202609")
    for n in range(6):
        extra = make_project(name=f"X{n}", is_key=True, key_list=key_list)
        services.milestone_add(by=jxj_clerk, project=extra, name="开工", planned=D(2026, 12, 1))
        report(extra, jxj_clerk, "202609", "100")
    with CaptureQueriesContext(connection) as many:
        board = selectors.key_board(user=tcj_clerk, key_list=key_list, month="202609")
    assert board.total == 10
    assert len(many) == len(few) <= 2


# --- the pipeline --------------------------------------------------------------------------------


def test_the_pipeline_counts_and_sums_by_stage(board_projects, tcj_clerk) -> None:
    rows = {r["stage"]: r for r in selectors.pipeline(user=tcj_clerk)}
    assert list(rows) == [
        Stage.NEGOTIATING,
        Stage.SIGNED,
        Stage.APPROVAL,
        Stage.CONSTRUCTION,
        Stage.PRODUCTION,
        Stage.PAUSED,
        Stage.TERMINATED,
    ]
    assert {s: r["count"] for s, r in rows.items() if r["count"]} == {
        Stage.NEGOTIATING: 1,
        Stage.APPROVAL: 1,
        Stage.CONSTRUCTION: 2,
        Stage.PRODUCTION: 1,
    }
    assert rows[Stage.CONSTRUCTION]["total_investment"] == Decimal("20000.00")
    assert rows[Stage.CONSTRUCTION]["investment_completed"] == Decimal("7000.00")
    assert rows[Stage.SIGNED]["total_investment"] == Decimal("0")


def test_the_pipeline_filters_and_scope(board_projects, key_list, tcj_clerk, loushan_clerk):
    key_only = selectors.pipeline(user=tcj_clerk, filters={"key_list": key_list.pk})
    assert sum(r["count"] for r in key_only) == 4
    theirs = selectors.pipeline(user=loushan_clerk)
    assert {r["stage"]: r["count"] for r in theirs if r["count"]} == {Stage.PRODUCTION: 1}


def test_the_pipeline_is_one_query(board_projects, tcj_clerk, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.pipeline(user=tcj_clerk, filters={"is_key": True})


def test_every_audit_action_written_has_a_readable_name(board_projects) -> None:
    from qifu.audit.labels import ACTION_LABELS
    from qifu.audit.models import AuditEvent

    written = set(
        AuditEvent.objects.filter(action__startswith="project").values_list("action", flat=True)
    )
    assert len(written) >= 6
    assert written <= set(ACTION_LABELS)
