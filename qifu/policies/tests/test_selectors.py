"""Scoped reads, facts from the registry and the monthly data, matching and its query budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from qifu.core.models import OrgUnit
from qifu.enterprises.models import Enterprise, Tag
from qifu.lib.eligibility import Facts
from qifu.policies import selectors, services

from .conftest import add_figures

REVENUE_RULE = {
    "combine": "all",
    "conditions": [
        {"field": "above_scale", "op": "is", "value": True},
        {"field": "revenue_last_year", "op": ">=", "value": 2000},
    ],
}


# --- scope ---------------------------------------------------------------------------------------


def test_an_enterprise_sees_its_own_applications_only(
    programme, enterprise_user, ruifeng_user, tianlu, ruifeng, zrj_clerk
):
    mine, _ = services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    theirs, _ = services.application_recommend_by_department(
        by=zrj_clerk, programme=programme, enterprise=ruifeng
    )
    assert list(selectors.application_list_for_user(user=enterprise_user)) == [mine]
    assert list(selectors.application_list_for_user(user=ruifeng_user)) == [theirs]
    with pytest.raises(Http404):
        selectors.application_get_for_user(user=enterprise_user, pk=theirs.pk)


def test_officials_of_the_district_see_its_applications_street_staff_their_street(
    programme, enterprise_user, tianlu, ruifeng, zrj_clerk, leader, licun_clerk, loushan_clerk
):
    services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    services.application_recommend_by_department(
        by=zrj_clerk, programme=programme, enterprise=ruifeng
    )
    assert selectors.application_list_for_user(user=leader).count() == 2
    assert selectors.application_list_for_user(user=zrj_clerk).count() == 2
    assert [a.enterprise for a in selectors.application_list_for_user(user=licun_clerk)] == [tianlu]
    assert [a.enterprise for a in selectors.application_list_for_user(user=loushan_clerk)] == [
        ruifeng
    ]


def test_an_outsider_sees_nothing(programme, outsider, enterprise_user, tianlu, jxj_clerk):
    services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    services.notice_send(by=jxj_clerk, title="通知", body="内容", target={"key": True})
    assert not selectors.policy_list_for_user(user=outsider).exists()
    assert not selectors.programme_list_for_user(user=outsider).exists()
    assert not selectors.application_list_for_user(user=outsider).exists()
    assert not selectors.deliveries_for_user(user=outsider).exists()
    with pytest.raises(Http404):
        selectors.programme_get_for_user(user=outsider, pk=programme.pk)


def test_an_enterprise_sees_published_programmes_and_their_policies_only(
    make_programme, enterprise_user, jxj_clerk
):
    draft = make_programme(publish=False, title="草稿项目")
    assert not selectors.programme_list_for_user(user=enterprise_user).exists()
    assert not selectors.policy_list_for_user(user=enterprise_user).exists()
    published = make_programme(title="已发布项目")
    assert list(selectors.programme_list_for_user(user=enterprise_user)) == [published]
    assert selectors.policy_list_for_user(user=enterprise_user).count() == 1
    with pytest.raises(Http404):
        selectors.programme_get_for_user(user=enterprise_user, pk=draft.pk)
    assert selectors.programme_list_for_user(user=jxj_clerk).count() == 2


def test_an_enterprise_sees_its_own_deliveries_only(
    jxj_clerk, tianlu, ruifeng, enterprise_user, ruifeng_user
):
    services.notice_send(by=jxj_clerk, title="通知", body="内容", target={"above_scale": True})
    assert [d.enterprise for d in selectors.deliveries_for_user(user=enterprise_user)] == [tianlu]
    assert [d.enterprise for d in selectors.deliveries_for_user(user=ruifeng_user)] == [ruifeng]
    assert selectors.deliveries_for_user(user=jxj_clerk).count() == 2


# --- the library ---------------------------------------------------------------------------------


def test_policies_are_found_by_a_chinese_substring_and_filtered(policy, jxj_clerk, jxj):
    old = services.policy_save(
        by=jxj_clerk,
        values={
            "title": "节能降耗专项资金管理办法",
            "level": "city",
            "issuer": "青岛市工信局",
            "document_number": "青工信字〔2020〕8号",
            "issued_on": dt.date(2020, 3, 1),
            "valid_until": dt.date(2022, 12, 31),
            "department": jxj,
        },
    )

    def titles(**filters):
        found = selectors.policy_list_for_user(
            user=jxj_clerk, filters=selectors.PolicyFilters(**filters)
        )
        return [p.title for p in found]

    assert titles(q="技术创新") == [policy.title]
    assert titles(q="〔2020〕") == [old.title]
    assert titles(q="新产品研发") == [policy.title]  # in the summary
    assert titles(level="city") == [old.title]
    assert titles(category="innovation") == [policy.title]
    assert titles(validity="expired") == [old.title]
    assert titles(validity="valid") == [policy.title]
    marked = {p.pk: p.is_expired for p in selectors.policy_list_for_user(user=jxj_clerk)}
    assert marked == {policy.pk: False, old.pk: True}


# --- facts ---------------------------------------------------------------------------------------


def test_facts_come_from_the_registry_and_last_years_accepted_figures(tianlu, ruifeng):
    add_figures(tianlu, year=2025, revenue=3000, base=2500, employees=800)
    add_figures(tianlu, year=2026, revenue=3500, employees=820, months=2)
    facts = selectors.facts_for([tianlu, ruifeng])
    mine = facts[tianlu.pk]
    assert mine.street == "370213007"
    assert mine.zone == OrgUnit.objects.get(code="370213007").zone.code
    assert mine.industry_section == "C"
    assert mine.tags == frozenset({"高新技术企业"})
    assert mine.key and mine.above_scale
    assert mine.registered_capital == Decimal("12000.00")
    assert mine.revenue_last_year == Decimal("3600")  # 12 × 3000 千元 = 3600 万元
    assert mine.growth == Decimal("20.0")
    assert mine.employees == Decimal("820")  # the latest month
    theirs = facts[ruifeng.pk]
    assert theirs.revenue_last_year is None
    assert theirs.growth is None
    assert theirs.employees is None


# --- matching ------------------------------------------------------------------------------------


def test_a_programme_lists_the_eligible_and_the_near_misses_with_the_condition_missed(
    make_programme, leader, tianlu, ruifeng
):
    add_figures(tianlu, year=2025, revenue=3000)
    add_figures(ruifeng, year=2025, revenue=100)
    programme = make_programme(criteria=REVENUE_RULE)
    found = selectors.programme_matches(user=leader, programme=programme)
    assert [m.enterprise for m in found.eligible] == [tianlu]
    assert found.eligible[0].met == ["是规模以上企业", "上年营业收入不低于2000万元"]
    assert [m.enterprise for m in found.near] == [ruifeng]
    assert found.near[0].missed == ["上年营业收入不低于2000万元"]
    assert found.heading == "同时满足以下全部条件"


def test_street_staff_match_the_enterprises_of_their_street_only(programme, licun_clerk, ruifeng):
    found = selectors.programme_matches(user=licun_clerk, programme=programme)
    assert ruifeng not in [m.enterprise for m in found.eligible + found.near]


def test_an_enterprise_qualifies_now_and_soon(make_programme, enterprise_user, tianlu, ruifeng):
    now = make_programme(title="现在")
    soon = make_programme(title="即将", window=(dt.date(2026, 5, 10), dt.date(2026, 6, 10)))
    make_programme(title="已截止", window=(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    make_programme(
        title="不符合", criteria={"conditions": [{"field": "key", "op": "is", "value": False}]}
    )
    found = selectors.enterprise_matches(user=enterprise_user, enterprise=tianlu)
    assert [m.programme for m in found.now] == [now]
    assert [m.programme for m in found.soon] == [soon]
    with pytest.raises(Http404):
        selectors.enterprise_matches(user=enterprise_user, enterprise=ruifeng)


def test_the_calculator_sums_the_support_of_what_the_facts_qualify_for(make_programme, leader):
    make_programme(title="甲", support_amount=Decimal("50"))
    make_programme(title="乙", support_amount=Decimal("30"), criteria={})
    make_programme(title="丙", support_amount=Decimal("99"), criteria=REVENUE_RULE)
    facts = Facts(above_scale=True, tags=frozenset({"高新技术企业"}), today=dt.date(2026, 4, 15))
    result = selectors.calculator(facts, selectors.calculator_programmes(user=leader))
    assert sorted(m.programme.title for m in result.eligible) == ["乙", "甲"]
    assert [m.programme.title for m in result.near] == ["丙"]
    assert result.support_total == Decimal("80")


# --- query budget --------------------------------------------------------------------------------


def _build(n_enterprises: int, licun: OrgUnit) -> None:
    tag, _ = Tag.objects.get_or_create(name="高新技术企业")
    start = Enterprise.objects.count()
    rows = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"匹配测试{start + i:04d}",
                credit_code=f"9137021300{start + i:07d}X"[:18],
                street=licun,
                industry_code="3434",
                industry_section="C",
                is_above_scale=i % 2 == 0,
            )
            for i in range(n_enterprises)
        ]
    )
    Enterprise.tags.through.objects.bulk_create(
        [Enterprise.tags.through(enterprise=e, tag=tag) for e in rows[::3]]
    )


def _count_queries(programmes, leader) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        found = selectors.matches_for_many(user=leader, programmes=programmes)
    assert len(found) == len(programmes)
    return len(captured)


def test_matching_300_enterprises_against_20_programmes_costs_what_30_against_2_does(
    make_programme, leader, licun
):
    _build(30, licun)
    programmes = [make_programme(title=f"项目{i}") for i in range(2)]
    few = _count_queries(programmes, leader)
    _build(270, licun)
    programmes += [make_programme(title=f"项目{i}") for i in range(2, 20)]
    many = _count_queries(programmes, leader)
    assert many == few
    assert few <= 8


def test_matching_one_programme_is_a_fixed_number_of_queries(
    make_programme, leader, licun, django_assert_max_num_queries
):
    programme = make_programme()
    _build(300, licun)
    with django_assert_max_num_queries(8):
        found = selectors.programme_matches(user=leader, programme=programme)
    assert len(found.eligible) == 50
