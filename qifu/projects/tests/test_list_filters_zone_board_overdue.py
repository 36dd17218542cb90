"""The filters the command centre's project figures link to: the project list's zone, the
key-project board narrowed to a street or zone and showing only the projects started, past 30% or
ahead of plan, and the overdue lists of a street or zone, one kind at a time; each shows its count
in `result-count`."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from qifu.projects.models import Inspection, Milestone, Project, Stage, Task
from qifu.projects.tests.conftest import D, department

pytestmark = pytest.mark.django_db


def shown_count(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.findall(r'data-testid="result-count"[^>]*>(\d+)<', response.content.decode())
    assert len(found) == 1, (url, found)
    return int(found[0])


def project(street: Any, stage: str, **fields: Any) -> Project:
    return Project.objects.create(
        name=fields.pop("name"),
        investor="某投资公司",
        street=street,
        stage=stage,
        stage_date=D(2026, 1, 10),
        total_investment=Decimal(fields.pop("total", 10000)),
        **fields,
    )


@pytest.fixture
def scene(key_list, licun, loushan, tcj_clerk) -> dict[str, Project]:
    """On the 2026 key list: 李村 天路产业园 (started in May, 40% reported for September, forecast
    to complete early, an overdue milestone and task), 楼山 楼山新材料 (started in November, 10%);
    off the list: 楼山 瑞丰扩建 in production (an overdue milestone)."""
    key = {"is_key": True, "key_list": key_list}
    started = project(
        licun, Stage.CONSTRUCTION, name="天路产业园", actual_start=D(2026, 5, 1), **key
    )
    late = project(
        loushan, Stage.CONSTRUCTION, name="楼山新材料", actual_start=D(2026, 11, 2), **key
    )
    running = project(loushan, Stage.PRODUCTION, name="瑞丰扩建")
    for one, cumulative in ((started, 4000), (late, 1000)):
        Inspection.objects.create(
            project=one,
            month="202609",
            month_investment=Decimal(cumulative),
            cumulative_investment=Decimal(cumulative),
            progress="施工",
            progress_percent=10,
            department=department("jxj"),
            submitted_by=tcj_clerk,
            submitted_at=timezone.now(),
        )
    Milestone.objects.create(
        project=started,
        name="竣工",
        is_completion=True,
        planned=D(2027, 6, 1),
        forecast=D(2027, 3, 1),
    )
    Milestone.objects.create(project=started, name="主体封顶", planned=D(2026, 9, 1))
    Milestone.objects.create(project=running, name="达产", planned=D(2026, 8, 1))
    Task.objects.create(
        project=started, what="协调用地", department=department("zrj"), due=D(2026, 9, 30)
    )
    return {"started": started, "late": late, "running": running}


def test_the_project_list_filters_by_zone(client, tcj_clerk, scene, licun, loushan) -> None:
    client.force_login(tcj_clerk)

    assert shown_count(client, f"/projects/?zone={loushan.zone.code}") == 2
    assert shown_count(client, f"/projects/?zone={licun.zone.code}") == 1
    assert shown_count(client, f"/projects/?zone={loushan.zone.code}&stage=production") == 1
    assert shown_count(client, "/projects/") == 3
    assert client.get("/projects/?zone=nowhere").status_code == 400


def test_the_export_keeps_the_zone(client, tcj_clerk, scene, loushan) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(tcj_clerk)

    response = client.get(f"/projects/export/?zone={loushan.zone.code}")

    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "楼山新材料" in text and "瑞丰扩建" in text and "天路产业园" not in text


def test_the_board_shows_the_projects_started_past_30_or_ahead(
    client, tcj_clerk, scene, key_list
) -> None:
    client.force_login(tcj_clerk)
    base = f"/projects/board/?key_list={key_list.pk}&month=202610"

    counts = {show: shown_count(client, f"{base}&show={show}") for show in ("started", "past_30")}
    response = client.get(f"{base}&show=ahead")

    assert counts == {"started": 1, "past_30": 1}
    assert [r.project.name for r in response.context["rows"]] == ["天路产业园"]
    assert response.context["board"].total == 2  # the figures stay those of the whole board
    assert shown_count(client, base) == 2
    assert (
        shown_count(client, f"/projects/board/?key_list={key_list.pk}&month=202611&show=started")
        == 2
    )
    assert client.get(f"{base}&show=everything").status_code == 400


def test_the_board_narrowed_to_a_street_or_zone_says_so(
    client, tcj_clerk, scene, key_list, licun, loushan
) -> None:
    client.force_login(tcj_clerk)
    base = f"/projects/board/?key_list={key_list.pk}&month=202611"

    street = client.get(f"{base}&street={loushan.code}")
    zone = client.get(f"{base}&zone={licun.zone.code}&show=started")

    assert street.context["board"].total == 1
    assert street.context["board"].started == 1
    page = street.content.decode()
    assert 'data-testid="board-narrowed-to"' in page and loushan.name in page
    assert [r.project.name for r in zone.context["rows"]] == ["天路产业园"]
    assert client.get(f"{base}&street=000000000").status_code == 400


def test_the_overdue_lists_one_kind_at_a_time_of_a_street_or_zone(
    client, tcj_clerk, scene, licun, loushan
) -> None:
    client.force_login(tcj_clerk)

    assert shown_count(client, "/projects/overdue/?kind=milestones") == 2
    assert shown_count(client, f"/projects/overdue/?kind=milestones&street={licun.code}") == 1
    assert shown_count(client, f"/projects/overdue/?kind=milestones&zone={loushan.zone.code}") == 1
    assert shown_count(client, "/projects/overdue/?kind=tasks") == 1
    assert shown_count(client, f"/projects/overdue/?kind=tasks&street={loushan.code}") == 0
    both = client.get("/projects/overdue/").content.decode()
    assert 'data-testid="result-count"' not in both  # two lists: no single count
    assert "主体封顶" in both and "协调用地" in both
    assert client.get("/projects/overdue/?kind=everything").status_code == 400


def test_the_overdue_export_keeps_the_street(client, tcj_clerk, scene, licun) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(tcj_clerk)

    response = client.get(f"/projects/overdue/milestones/export/?street={licun.code}")

    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "主体封顶" in text and "达产" not in text


def test_a_street_clerk_may_not_ask_for_another_street(
    client, licun_clerk, scene, loushan, licun
) -> None:
    client.force_login(licun_clerk)

    assert (
        client.get(f"/projects/overdue/?kind=milestones&street={loushan.code}").status_code == 400
    )
    assert shown_count(client, f"/projects/overdue/?kind=milestones&street={licun.code}") == 1
    assert shown_count(client, "/projects/overdue/?kind=milestones") == 1


def test_the_overdue_list_takes_the_same_queries_for_few_and_many_rows(
    client, tcj_clerk, scene, licun, django_assert_max_num_queries
) -> None:
    client.force_login(tcj_clerk)
    url = f"/projects/overdue/?kind=milestones&street={licun.code}"
    client.get(url)
    with django_assert_max_num_queries(6):
        client.get(url)
    for i in range(12):
        one = project(licun, Stage.SIGNED, name=f"新项目{i}")
        Milestone.objects.create(project=one, name="签约", planned=dt.date(2026, 3, 1))
    with django_assert_max_num_queries(6):
        assert shown_count(client, url) == 13
