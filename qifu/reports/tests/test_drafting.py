"""The drafting tool: the numbers in the drafted body are the counts of the data (enterprises
visited by kind and by street, problems by category with their shares and channels, the
categories that grew, solved and how, open red flags), a street clerk's draft holds its street's
data only and the district is out of its reach (404), and drafting takes the same number of
queries for few and many appeals and visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from qifu.appeals.models import Appeal
from qifu.reports import drafting, services
from qifu.reports.models import Report, ReportStatus
from qifu.reports.tests.conftest import (
    Q3,
    Q4,
    D,
    at,
    captioned_tables,
    record_visit,
    submit,
)
from qifu.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def draft_of(user, unit, kind="problems", span=Q4) -> drafting.Draft:
    return drafting.build_draft(user=user, span=span, org_unit=unit, kind=kind)


# --- 一、基本情况 --------------------------------------------------------------------------------


def test_enterprises_visited_by_kind_count_final_visits_of_the_quarter(world, leader, district):
    tables = captioned_tables(draft_of(leader, district).body)

    assert tables["走访企业情况（按走访方式）"] == [
        ["走访方式", "走访次数", "走访企业（家）"],
        ["实地走访", "1", "1"],
        ["座谈会", "1", "3"],
        ["电话走访", "1", "1"],
        ["视频走访", "1", "1"],
        ["合计", "4", "5"],  # 天路集团 met twice counts once
    ]
    final_q4 = Visit.objects.filter(
        status=VisitStatus.FINAL, date__gte=Q4.first_day, date__lte=Q4.last_day
    )
    assert final_q4.count() == 4  # the draft visit and the 2026Q3 visit are left out


def test_enterprises_visited_by_street_list_every_street_of_the_district(world, leader, district):
    rows = captioned_tables(draft_of(leader, district).body)["走访企业情况（按街道）"]

    by_street = {row[0]: row[1:] for row in rows[1:]}
    assert by_street["李村街道"] == ["2", "3", "2"]  # visits, enterprises, key enterprises
    assert by_street["楼山街道"] == ["2", "2", "1"]
    assert by_street["合计"] == ["4", "5", "3"]
    assert len(by_street) == district.children.count() + 1
    others = [v for name, v in by_street.items() if name not in ("李村街道", "楼山街道", "合计")]
    assert all(v == ["0", "0", "0"] for v in others)


def test_the_problems_heard_and_their_channels_are_counted(world, leader, district):
    draft = draft_of(leader, district)

    assert captioned_tables(draft.body)["问题来源（按渠道）"] == [
        ["渠道", "问题数（个）", "占比"],
        ["走访", "3", "50.0%"],
        ["企业网上平台", "2", "33.3%"],
        ["商会协会", "1", "16.7%"],
        ["合计", "6", "100.0%"],
    ]
    assert "收集企业反映的问题和诉求6个（问题5个、需求1个）" in draft.body
    assert "走访、座谈中了解到3个，企业通过网上平台反映2个，通过其他渠道反映1个" in draft.body


# --- 二、主要问题 --------------------------------------------------------------------------------


def test_problems_by_category_have_counts_and_shares_sorted_by_count(world, leader, district):
    rows = captioned_tables(draft_of(leader, district).body)["企业反映的问题（按类别）"]

    assert rows == [
        ["问题类别", "问题数（个）", "占比", "已解决（个）"],
        ["土地房产", "3", "50.0%", "1"],
        ["融资信贷", "2", "33.3%", "1"],
        ["用工人才", "1", "16.7%", "0"],
        ["合计", "6", "100.0%", "2"],
    ]
    counted = Appeal.objects.filter(submitted_at__date__gte=Q4.first_day, duplicate_of__isnull=True)
    assert counted.count() == 6  # the duplicate is not counted again


def test_the_categories_that_grew_are_compared_with_the_quarter_before(world, leader, district):
    draft = draft_of(leader, district)

    assert captioned_tables(draft.body)["比上期增加的问题类别"] == [
        ["问题类别", "上期（个）", "本期（个）", "增加（个）", "增长"],
        ["土地房产", "1", "3", "2", "200.0%"],
        ["用工人才", "0", "1", "1", "上期为零"],
    ]
    assert "与2026年第三季度相比，有2类问题有所增加" in draft.body
    assert "融资信贷问题由" not in draft.body  # 3 → 2 fell


def test_nothing_recorded_the_period_before_is_said_rather_than_compared(world, leader, district):
    draft = draft_of(leader, district, span=Q3)  # 2026Q2 has no appeals

    assert "比上期增加的问题类别" not in captioned_tables(draft.body)
    assert "2026年第二季度没有问题记录，暂不作增减比较。" in draft.body
    assert "有所增加" not in draft.body


def test_the_quarter_before_is_drafted_from_its_own_data(world, leader, district):
    tables = captioned_tables(draft_of(leader, district, span=Q3).body)

    assert tables["企业反映的问题（按类别）"][1:] == [
        ["融资信贷", "3", "75.0%", "0"],
        ["土地房产", "1", "25.0%", "0"],
        ["合计", "4", "100.0%", "0"],
    ]
    assert tables["走访企业情况（按走访方式）"][-1] == ["合计", "1", "1"]


def test_a_year_counts_its_four_quarters(world, leader, district):
    from qifu.lib.quarters import Span

    tables = captioned_tables(draft_of(leader, district, span=Span(2026)).body)

    assert tables["企业反映的问题（按类别）"][-1] == ["合计", "10", "100.0%", "2"]
    assert tables["走访企业情况（按走访方式）"][-1] == ["合计", "5", "5"]


# --- 三、典型问题 --------------------------------------------------------------------------------


def test_typical_cases_quote_appeals_of_the_biggest_categories(world, leader, district):
    body = draft_of(leader, district).body

    assert "## （一）土地房产问题" in body
    assert "## （二）融资信贷问题" in body
    assert "天路集团反映“厂房土地证一直办不下来”：" in body
    assert "> 我公司2015年建成的厂房至今没有土地证和房产证，影响银行贷款。" in body
    assert "厂区道路产权不清”" not in body  # a returned appeal is not a typical case


def test_a_long_description_is_quoted_to_the_end_of_a_sentence() -> None:
    text = "第一句话说明情况。" * 5 + "第二句很长" * 20

    quoted = drafting.quote(text)

    assert quoted.endswith("。……")
    assert len(quoted) <= drafting.QUOTE_LENGTH + 2


# --- 四、解决情况, 五、风险信号, 六、对策建议 ----------------------------------------------------


def test_solved_in_progress_and_the_ways_of_solving_are_counted(world, leader, district):
    draft = draft_of(leader, district)
    tables = captioned_tables(draft.body)

    assert tables["问题办理情况"][1:] == [
        ["已解决", "2", "33.3%"],
        ["已办结未解决", "0", "0.0%"],
        ["已答复待评价", "0", "0.0%"],
        ["正在办理", "1", "16.7%"],
        ["待受理、待交办", "2", "33.3%"],
        ["已退回", "1", "16.7%"],
        ["合计", "6", "100.0%"],
    ]
    assert sorted(tables["问题解决方式"][1:]) == [["对接融资", "1"], ["查明原因、答复解决", "1"]]
    solved = [a for a in world.q4_appeals if a.status == "closed" and a.resolved]
    assert len(solved) == 2


def test_open_red_flags_are_counted_by_kind(world, leader, district):
    rows = captioned_tables(draft_of(leader, district).body)["未解除的风险信号"]

    assert sorted(rows[1:-1]) == sorted(
        [["资金紧张", "1", "1"], ["裁员", "1", "1"], ["外迁或关停意向", "1", "1"]]
    )
    assert rows[-1] == ["合计", "3", "2"]  # the resolved flag is left out


def test_countermeasures_have_one_headed_section_per_main_category(world, leader, district):
    body = draft_of(leader, district).body
    section = body.split("# 六、对策建议", 1)[1]

    assert "## （一）关于土地房产问题" in section
    assert "## （二）关于融资信贷问题" in section
    assert "## （三）关于用工人才问题" in section
    assert section.count(drafting.PLACEHOLDER) == 3


def test_the_draft_lists_the_appeals_and_visits_it_draws_on(world, leader, district):
    draft = draft_of(leader, district)

    assert draft.appeal_ids == sorted(a.pk for a in world.q4_appeals)
    assert draft.visit_ids == sorted(v.pk for v in world.q4_visits)
    assert draft.title == "李沧区企业当前面临的主要问题及对策（2026年第四季度）"


def test_data_from_enterprises_is_escaped_in_the_markdown(world, leader, district):
    body = draft_of(leader, district).body

    assert "招工难\\<script\\>" in body
    assert "<script>" not in body


# --- the visiting-work report --------------------------------------------------------------------


def test_the_visits_report_counts_problems_heard_on_visits_and_the_coverage(
    world, leader, district, licun_clerk, licun
):
    from qifu.visits import services as visits

    visits.assignment_create(
        by=leader, official=licun_clerk, street=licun, key_only=True, starts_on=D(2026, 10, 1)
    )

    draft = draft_of(leader, district, kind="visits")
    tables = captioned_tables(draft.body)

    assert tables["企业反映的问题（按类别）"][1:] == [
        ["土地房产", "2", "66.7%", "1"],  # 天路集团 and 海湾化工, heard on visits
        ["融资信贷", "1", "33.3%", "0"],  # raised from the video visit
        ["合计", "3", "100.0%", "1"],
    ]
    coverage = {row[0]: row[1:] for row in tables["包干企业走访覆盖情况"][1:]}
    assert coverage["李村街道"] == ["2", "2", "0", "100.0%"]  # its two key enterprises
    assert "# 六、下一步工作" in draft.body


# --- scope ---------------------------------------------------------------------------------------


def test_a_street_clerk_drafts_its_streets_data_only(world, licun_clerk, licun):
    draft = draft_of(licun_clerk, licun)
    tables = captioned_tables(draft.body)

    assert tables["走访企业情况（按走访方式）"][-1] == ["合计", "2", "3"]
    assert "走访企业情况（按街道）" not in tables
    assert tables["企业反映的问题（按类别）"][1:] == [
        ["土地房产", "2", "50.0%", "1"],
        ["融资信贷", "1", "25.0%", "1"],
        ["用工人才", "1", "25.0%", "0"],
        ["合计", "4", "100.0%", "2"],
    ]
    assert tables["未解除的风险信号"][-1] == ["合计", "2", "1"]
    assert "瑞丰气体" not in draft.body and "楼山重工" not in draft.body
    assert set(draft.visit_ids) == {world.q4_visits[0].pk, world.q4_visits[1].pk}


def test_a_street_clerk_drafting_for_the_district_gets_404(world, licun_clerk, district, loushan):
    for unit in (district, loushan):
        with pytest.raises(Http404):
            services.report_draft(by=licun_clerk, period="2026Q4", org_unit=unit, kind="problems")
    assert not Report.objects.exists()


def test_an_outsider_cannot_draft_for_the_district(world, outsider, district):
    with pytest.raises(Http404):
        services.report_draft(by=outsider, period="2026Q4", org_unit=district, kind="problems")


def test_an_enterprise_user_cannot_draft(world, enterprise_user, licun):
    with pytest.raises(PermissionDenied):
        services.report_draft(by=enterprise_user, period="2026Q4", org_unit=licun, kind="problems")


def test_a_bad_period_or_kind_is_refused(world, leader, district):
    with pytest.raises(ValidationError) as error:
        services.report_draft(by=leader, period="2026Q5", org_unit=district, kind="problems")
    assert "period" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_draft(by=leader, period="2026Q4", org_unit=district, kind="thematic")
    assert "kind" in error.value.message_dict


# --- the drafted report --------------------------------------------------------------------------


def test_the_draft_opens_as_an_editable_draft_with_its_links(world, leader, district):
    report, created = services.report_draft(
        by=leader, period="2026q4", org_unit=district, kind="problems"
    )

    assert created
    assert report.status == ReportStatus.DRAFT
    assert report.period == "2026Q4"
    assert list(report.authors.all()) == [leader]
    assert sorted(report.appeals.values_list("pk", flat=True)) == sorted(
        a.pk for a in world.q4_appeals
    )
    assert sorted(report.visits.values_list("pk", flat=True)) == sorted(
        v.pk for v in world.q4_visits
    )
    assert "表1" in report.body
    assert report.summary == "2026年第四季度走访企业5家，收集问题6个，已解决2个。"


def test_drafting_twice_with_the_same_token_makes_one_report(world, leader, district):
    first, _ = services.report_draft(
        by=leader, period="2026Q4", org_unit=district, kind="problems", client_token="t-1"
    )
    again, created = services.report_draft(
        by=leader, period="2026Q4", org_unit=district, kind="problems", client_token="t-1"
    )

    assert again.pk == first.pk and not created
    assert Report.objects.count() == 1


def test_an_empty_quarter_drafts_a_report_that_says_so(leader, district):
    draft = draft_of(leader, district)

    assert "本期未收集到企业反映的问题。" in draft.body
    assert "目前没有未解除的风险信号。" in draft.body
    assert captioned_tables(draft.body)["走访企业情况（按走访方式）"][-1] == ["合计", "0", "0"]


# --- query budget --------------------------------------------------------------------------------


def _more(world, licun_clerk, n: int) -> None:
    with at("2026-11-12T09:00"):
        for i in range(n):
            record_visit(
                licun_clerk,
                day=dt.date(2026, 11, 12),
                kind="onsite",
                enterprises=[world.haiwan],
                flags=[(world.haiwan, "sales_drop")],
            )
            submit(licun_clerk, world.licun_small, ("tax", "market", "policy")[i % 3])


@pytest.mark.parametrize("kind", ["problems", "visits"])
def test_drafting_takes_the_same_queries_for_few_and_many_appeals(
    world, leader, district, licun, licun_clerk, kind
):
    from qifu.visits import services as visits

    visits.assignment_create(by=leader, official=licun_clerk, street=licun, key_only=False)
    with CaptureQueriesContext(connection) as few_queries:
        few = draft_of(leader, district, kind=kind)
    _more(world, licun_clerk, 12)
    with CaptureQueriesContext(connection) as many_queries:
        many = draft_of(leader, district, kind=kind)

    assert len(many.appeal_ids) == len(few.appeal_ids) + 12
    assert len(many.visit_ids) == len(few.visit_ids) + 12
    assert len(many_queries) == len(few_queries) <= 24
