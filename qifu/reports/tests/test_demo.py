"""The demo's research reports: the seed's seven, two of them with the seed's titles, the problems
report drafted from the year's data with its countermeasures written in; a second build adds
nothing."""

from __future__ import annotations

import inspect

import pytest
from django.utils import timezone

from qifu.accounts.models import Role, User
from qifu.appeals import demo as appeal_demo
from qifu.audit.models import AuditEvent
from qifu.core import demo
from qifu.core.models import OrgUnit
from qifu.enterprises import demo as enterprise_demo
from qifu.lib.quarters import Span
from qifu.reports import demo as reports_demo
from qifu.reports import drafting
from qifu.reports.models import Report, ReportKind, ReportStatus
from qifu.visits import demo as visits_demo

pytestmark = pytest.mark.django_db


def _prerequisites() -> None:
    """What runs before the reports in `qifu.core.demo.build`: the enterprises, the accounts, the
    appeals and the visits (the org is already built)."""
    enterprise_demo.build()
    demo.build_accounts()
    appeal_demo.build()
    visits_demo.build()


def _counts() -> tuple[int, ...]:
    return (
        Report.objects.count(),
        Report.authors.through.objects.count(),
        Report.appeals.through.objects.count(),
        Report.visits.through.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_writes_the_seeds_seven_research_reports_once() -> None:
    _prerequisites()
    today = timezone.localdate()

    made = reports_demo.build()
    first = _counts()
    again = reports_demo.build()

    assert made == {"reports": 7, "final": 6, "drafts": 1}
    assert set(again.values()) == {0}
    assert _counts() == first

    reports = Report.objects.prefetch_related("authors", "attachments")
    assert reports.count() == 7
    assert reports.filter(status=ReportStatus.DRAFT).count() == 1
    for report in reports:
        assert any(a.role == Role.DISTRICT_LEADER for a in report.authors.all())
        assert report.body.strip()
        assert report.created_at <= timezone.now()
        if report.status == ReportStatus.FINAL:
            assert report.created_at < report.finalised_at <= timezone.now()
        else:
            assert report.finalised_at is None

    # 《我区企业当前面临的主要问题及对策》: drafted from the year's data, countermeasures written in
    problems = reports.get(title=reports_demo.PROBLEMS_TITLE)
    district = OrgUnit.objects.get(code="370213")
    assert (problems.kind, problems.status, problems.org_unit) == (
        ReportKind.PROBLEMS,
        ReportStatus.FINAL,
        district,
    )
    year = reports_demo.report_year(today)
    assert problems.period == str(year)
    leader = User.objects.get(username="leader")
    draft = drafting.build_draft(user=leader, span=year, org_unit=district, kind=problems.kind)
    figures = draft.figures
    assert f"问题和诉求{figures['appeals']['total']}个" in problems.body
    assert f"走访调研企业{figures['visits']['enterprises']}家" in problems.body
    assert f"已解决{figures['appeals']['solved']}个" in problems.body
    assert problems.appeals.count() == len(draft.appeal_ids) >= 67
    assert problems.visits.count() == len(draft.visit_ids) > 67
    assert drafting.PLACEHOLDER not in problems.body
    assert "# 六、对策建议" in problems.body
    assert "## （一）关于" in problems.body
    assert problems.attachments.count() == 1
    assert {"leader", "zhang_fqz"} <= {a.username for a in problems.authors.all()}
    # the table numbers follow each other
    captions = [line for line in problems.body.splitlines() if line.startswith("表")]
    assert [c.split()[0] for c in captions] == [f"表{n}" for n in range(1, len(captions) + 1)]

    # 《李沧区商贸流通业发展现状及对策》: thematic, final, drawn on the trade symposium
    trade = reports.get(title=reports_demo.TRADE_TITLE)
    assert (trade.kind, trade.status) == (ReportKind.THEMATIC, ReportStatus.FINAL)
    assert trade.visits.filter(purpose="商贸流通企业座谈会").exists()

    # the five others: 楼山街道's own, last quarter's visiting work, one still a draft
    titles = set(reports.values_list("title", flat=True))
    assert {
        "关于金融机构支持实体经济情况的调研报告",
        "关于重点企业用工情况的调研报告",
        "楼山街道工业企业转型升级调研",
        "关于中小企业融资难问题的调研报告",
    } <= titles
    assert reports.get(title="楼山街道工业企业转型升级调研").org_unit.name == "楼山街道"
    visiting = reports.get(kind=ReportKind.VISITS)
    assert visiting.period == str(Span.quarter_of(today).previous())
    assert visiting.status == ReportStatus.FINAL
    assert drafting.NEXT_STEP_PLACEHOLDER not in visiting.body
    assert reports.get(status=ReportStatus.DRAFT).title == "关于中小企业融资难问题的调研报告"


def test_without_the_district_leaders_the_demo_writes_nothing() -> None:
    assert set(reports_demo.build().values()) == {0}
    assert not Report.objects.exists()


def test_the_core_demo_writes_the_reports_after_the_visits() -> None:
    source = inspect.getsource(demo.build)

    assert source.index("visits_demo.build()") < source.index("reports_demo.build()")
