"""The demo's projects: the seed's projects opened from the investment leads, the ten key
projects whose board shows 9 started, 5 past 30% of their total investment and 4 ahead of plan on
any day the demo is built, and a second build that adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from qifu.accounts.models import User
from qifu.appeals import demo as appeal_demo
from qifu.audit.models import AuditEvent
from qifu.core import demo
from qifu.enterprises import demo as enterprise_demo
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.investment import demo as investment_demo
from qifu.investment.models import Lead, LeadStatus
from qifu.projects import demo as projects_demo
from qifu.projects import selectors, services
from qifu.projects.models import (
    DateKind,
    Document,
    Inspection,
    KeyList,
    Milestone,
    Obstacle,
    Project,
    SchedulingMeeting,
    Stage,
    Task,
    TaskStatus,
)
from qifu.projects.selectors import Colour
from qifu.stats.periods import Period

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CODES = iter(range(900_000, 900_100))

# the enterprises of the seed the key projects belong to (the full enterprise demo is slow)
ENTERPRISES = {
    "青岛汽车厂": "370213001",
    "天路集团": "370213007",
    "瑞丰气体": "370213006",
    "崂山电子": "370213008",
    "路达实业公司": "370213006",
    "玖琦化工": "370213006",
    "洁新再生资源有限公司": "370213005",
}


def _prerequisites() -> None:
    """What runs before the projects in `qifu.core.demo.build`: the accounts, the other leaders,
    the departments' staff, the enterprises of the key projects and the investment leads."""
    from qifu.core.models import OrgUnit
    from qifu.enterprises.tests.factories import valid_code

    for name, street in ENTERPRISES.items():
        EnterpriseFactory(
            name=name, credit_code=valid_code(next(CODES)), street=OrgUnit.objects.get(code=street)
        )
    demo.build_accounts()
    enterprise_demo.leaders()
    appeal_demo.build_staff()
    investment_demo.build()


def _counts() -> tuple[int, ...]:
    return (
        Project.objects.count(),
        KeyList.objects.count(),
        Inspection.objects.count(),
        Milestone.objects.count(),
        SchedulingMeeting.objects.count(),
        Task.objects.count(),
        Obstacle.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )


def _board(today: dt.date) -> selectors.KeyBoard:
    key_list = KeyList.objects.get(name__endswith="年十大二产项目")
    leader = User.objects.get(username="leader")
    return selectors.key_board(user=leader, key_list=key_list, month=Period.of(today), today=today)


def test_the_demo_builds_the_seeds_projects_and_the_key_projects_once() -> None:
    _prerequisites()
    today = dt.date(2026, 10, 20)  # the clock of the projects' tests

    made = projects_demo.build()
    first = _counts()
    again = projects_demo.build()

    assert made["projects"] == 16
    assert made["key_projects"] == 10
    assert made["from_leads"] == 8
    assert made["meetings"] == 4
    assert made["appeals"] == 1
    assert made["documents"] >= 4
    assert set(again.values()) == {0}
    assert _counts() == first

    # the seed's projects
    def project(name: str) -> Project:
        return Project.objects.get(name=name)

    for name, total, kind in [
        ("鲁抗医药物流中心", 7000, DateKind.CONTRACT),
        ("蒙牛乳业物流中心", 8000, DateKind.CONTRACT),
        ("英派尔 MTBE 项目", 15000, DateKind.LAND_LEASE),
        ("利客来物流", 12000, DateKind.INTENT),
    ]:
        p = project(name)
        assert (p.stage, p.total_investment) == (Stage.SIGNED, Decimal(total))
        assert p.dates.filter(kind=kind).exists()
        assert p.source_lead is not None
        assert p.source_lead.status == LeadStatus.CONVERTED
    assert project("利客来物流").expected_start == dt.date(2027, 7, 1)
    assert project("青岛城市物流配送基地").total_investment == 40000
    assert project("五金商贸城").total_investment == 25000
    assert {project("青岛城市物流配送基地").stage, project("五金商贸城").stage} == {
        Stage.NEGOTIATING
    }
    qiche = project("青汽技改项目")
    assert qiche.enterprise.name == "青岛汽车厂"
    assert qiche.expected_start == dt.date(2027, 7, 1)
    assert qiche.actual_start is None
    assert Lead.objects.filter(status=LeadStatus.CONVERTED).count() == 8

    # the key list: lead departments, leaders, the board of this month
    key_list = KeyList.objects.get()
    assert key_list.name == "2026年十大二产项目"
    keys = list(key_list.projects.select_related("leader", "lead_department"))
    assert len(keys) == 10
    assert all(p.lead_department and p.leader for p in keys)
    assert len({p.leader.username for p in keys}) >= 5
    board = _board(today)
    assert (board.total, board.started, board.past_30, board.ahead) == (10, 9, 5, 4)
    assert len(board.missing) == 2
    colours = Counter(r.colour for r in board.rows)
    assert colours[Colour.RED] == 2 and colours[Colour.YELLOW] == 1
    assert colours[Colour.GREEN] == 1
    assert all(p.plan_approved_at for p in keys)
    # a year of inspections
    months = set(Inspection.objects.values_list("month", flat=True))
    assert len(months) == 12 and str(Period.of(today)) in months

    # meetings, tasks, obstacles, documents
    assert SchedulingMeeting.objects.count() == 4
    tasks = Task.objects.all()
    assert tasks.filter(status=TaskStatus.DONE).count() >= 5
    assert tasks.exclude(status=TaskStatus.DONE).filter(due__lt=today).count() >= 2
    raised = Obstacle.objects.get(appeal__isnull=False)
    assert raised.project.name == "洁新再生资源循环经济产业园"
    assert raised.appeal.enterprise.name == "洁新再生资源有限公司"
    assert Document.objects.filter(category="minutes", is_internal=True).count() == 3
    assert Document.objects.filter(content_type="image/png").exists()
    for document in Document.objects.all():
        document.file.open("rb")
        head = document.file.read(8)
        document.file.close()
        assert services.DOCUMENT_TYPES[f".{document.name.rsplit('.', 1)[1]}"]
        assert head.startswith(b"%PDF-") or head.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI),  # the first working day of a year
        dt.datetime(2026, 2, 28, 18, 0, tzinfo=SHANGHAI),  # a Saturday at the end of February
        dt.datetime(2026, 7, 1, 8, 0, tzinfo=SHANGHAI),  # the first of a month
    ],
)
def test_the_board_holds_on_any_day(now: dt.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=now):
        _prerequisites()
        projects_demo.build()
        board = _board(now.date())

    assert (board.total, board.started, board.past_30, board.ahead) == (10, 9, 5, 4)
    assert len(board.missing) == 2
    assert Counter(r.colour for r in board.rows)[Colour.RED] == 2


def test_without_the_enterprises_and_leads_the_projects_are_made_directly() -> None:
    demo.build_accounts()

    made = projects_demo.build()

    assert made["projects"] == 16 and made["from_leads"] == 0
    assert made["appeals"] == 0  # no enterprise to raise it for
    assert not Enterprise.objects.exists()
    assert Project.objects.filter(stage=Stage.SIGNED).count() == 4
    assert _board(dt.date(2026, 10, 20)).started == 9


def test_without_the_investment_clerk_the_demo_does_nothing() -> None:
    made = projects_demo.build()

    assert set(made.values()) == {0}
    assert not Project.objects.exists()


def test_the_core_demo_builds_the_projects_after_the_investment() -> None:
    import inspect

    source = inspect.getsource(demo.build)
    assert source.index("investment_demo.build()") < source.index("projects_demo.build()")
