"""Criteria as data: each kind of condition, all/any, near misses, parse errors and words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qifu.lib import eligibility
from qifu.lib.eligibility import CriteriaError, Facts, evaluate, parse

TODAY = dt.date(2026, 3, 25)

TIANLU = Facts(
    industry_code="3434",
    industry_section="C",
    street="370213007",
    zone="central",
    above_scale=True,
    key=True,
    tags=frozenset({"高新技术企业", "专精特新"}),
    registered_capital=Decimal("12000"),
    established_on=dt.date(2000, 5, 1),
    revenue_last_year=Decimal("35000"),
    employees=Decimal("820"),
    growth=Decimal("12.5"),
    today=TODAY,
)
UNKNOWN = Facts(today=TODAY)


def one(field: str, op: str, value: object) -> eligibility.Criteria:
    return parse({"combine": "all", "conditions": [{"field": field, "op": op, "value": value}]})


def meets(criteria: eligibility.Criteria, facts: Facts) -> bool:
    return evaluate(criteria, facts).eligible


@pytest.mark.parametrize(
    ("value", "expected"),
    [(["C"], True), (["c"], True), (["B", "D"], False), (["34"], True), (["3434"], True)],
)
def test_industry_matches_by_section_letter_or_code_prefix(value, expected):
    assert meets(one("industry", "in", value), TIANLU) is expected


def test_industry_code_prefix_that_differs_misses():
    assert not meets(one("industry", "in", ["35"]), TIANLU)


def test_street_and_zone_match_by_code():
    assert meets(one("street", "in", ["370213007", "370213006"]), TIANLU)
    assert not meets(one("street", "in", ["370213006"]), TIANLU)
    assert meets(one("zone", "in", ["central"]), TIANLU)
    assert not meets(one("zone", "in", ["west"]), TIANLU)


def test_above_scale_and_key_flags_match_either_way():
    assert meets(one("above_scale", "is", True), TIANLU)
    assert not meets(one("above_scale", "is", False), TIANLU)
    assert meets(one("key", "is", True), TIANLU)
    assert meets(one("key", "is", False), UNKNOWN)


def test_tags_has_any_needs_one_of_them_and_has_all_needs_every_one():
    assert meets(one("tags", "has_any", ["高新技术企业", "瞪羚企业"]), TIANLU)
    assert not meets(one("tags", "has_all", ["高新技术企业", "瞪羚企业"]), TIANLU)
    assert meets(one("tags", "has_all", ["高新技术企业", "专精特新"]), TIANLU)
    assert not meets(one("tags", "has_any", ["瞪羚企业"]), TIANLU)


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("registered_capital", ">=", 12000, True),
        ("registered_capital", ">", 12000, False),
        ("years_established", ">=", 25, True),
        ("years_established", ">=", 26, False),  # 26 years on 2026-05-01, not yet
        ("revenue_last_year", ">=", "20000", True),
        ("revenue_last_year", "<", 20000, False),
        ("employees", "<=", 820, True),
        ("employees", "<", 820, False),
        ("growth", ">=", 10, True),
        ("growth", ">", "12.5", False),
        ("growth", ">=", -5, True),
    ],
)
def test_number_conditions_compare_with_the_operator(field, op, value, expected):
    assert meets(one(field, op, value), TIANLU) is expected


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [
        ("registered_capital", ">=", 0),
        ("years_established", ">=", 0),
        ("revenue_last_year", ">=", 0),
        ("employees", ">=", 0),
        ("growth", "<", 1000),
        ("tags", "has_any", ["高新技术企业"]),
        ("street", "in", ["370213007"]),
        ("industry", "in", ["C"]),
    ],
)
def test_an_attribute_the_enterprise_does_not_have_counts_as_missed(field, op, value):
    result = evaluate(one(field, op, value), UNKNOWN)
    assert not result.eligible
    assert len(result.missed) == 1


def test_all_needs_every_condition_and_any_needs_one():
    conditions = [
        {"field": "key", "op": "is", "value": True},
        {"field": "employees", "op": ">=", "value": 1000},
    ]
    assert not meets(parse({"combine": "all", "conditions": conditions}), TIANLU)
    assert meets(parse({"combine": "any", "conditions": conditions}), TIANLU)
    assert not meets(parse({"combine": "any", "conditions": conditions}), UNKNOWN)


def test_an_enterprise_that_misses_by_exactly_one_condition_is_told_which():
    criteria = parse(
        {
            "combine": "all",
            "conditions": [
                {"field": "industry", "op": "in", "value": ["C"]},
                {"field": "tags", "op": "has_any", "value": ["高新技术企业"]},
                {"field": "revenue_last_year", "op": ">=", "value": 50000},
            ],
        }
    )
    result = evaluate(criteria, TIANLU)
    assert not result.eligible
    assert result.misses_by_one
    assert [c.field for c in result.missed] == ["revenue_last_year"]
    assert [c.field for c in result.met] == ["industry", "tags"]


def test_missing_two_conditions_is_not_a_near_miss():
    criteria = parse(
        {
            "conditions": [
                {"field": "industry", "op": "in", "value": ["C"]},
                {"field": "employees", "op": ">=", "value": 5000},
                {"field": "growth", "op": ">=", "value": 50},
            ]
        }
    )
    result = evaluate(criteria, TIANLU)
    assert not result.eligible
    assert not result.misses_by_one
    assert len(result.missed) == 2


def test_an_eligible_enterprise_is_no_near_miss_and_any_has_none():
    assert not evaluate(one("key", "is", True), TIANLU).misses_by_one
    criteria = parse(
        {
            "combine": "any",
            "conditions": [
                {"field": "key", "op": "is", "value": True},
                {"field": "growth", "op": ">=", "value": 1},
            ],
        }
    )
    assert not evaluate(criteria, UNKNOWN).misses_by_one


def test_no_criteria_means_everyone_qualifies():
    for document in (None, {}, "", {"combine": "any", "conditions": []}):
        assert evaluate(parse(document), UNKNOWN).eligible
    assert parse(None).heading == ""


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "条件须是一个对象"),
        ({"combine": "some"}, "组合方式须是 all"),
        ({"conditions": {}}, "conditions 须是条件的列表"),
        ({"conditions": ["key"]}, "第1个条件须是一个对象"),
        ({"conditions": [{"field": "colour", "op": "in", "value": ["red"]}]}, "未知的属性"),
        ({"conditions": [{"field": "employees", "op": "==", "value": 5}]}, "比较方式须是 >="),
        ({"conditions": [{"field": "employees", "op": ">=", "value": "many"}]}, "须填写数值"),
        ({"conditions": [{"field": "employees", "op": ">=", "value": True}]}, "须填写数值"),
        ({"conditions": [{"field": "employees", "op": ">=", "value": None}]}, "须填写数值"),
        ({"conditions": [{"field": "growth", "op": ">=", "value": "NaN"}]}, "须填写数值"),
        ({"conditions": [{"field": "key", "op": "is", "value": "yes"}]}, '"op": "is"'),
        ({"conditions": [{"field": "tags", "op": "in", "value": ["x"]}]}, "has_any 或 has_all"),
        ({"conditions": [{"field": "street", "op": "has_any", "value": ["x"]}]}, "须是 in"),
        ({"conditions": [{"field": "street", "op": "in", "value": []}]}, "一个或多个取值"),
        ({"conditions": [{"field": "zone", "op": "in", "value": "east"}]}, "一个或多个取值"),
        ({"conditions": [{"field": "key", "op": "is", "value": True}] * 31}, "不能超过30个"),
    ],
)
def test_a_document_that_cannot_be_evaluated_is_refused_in_chinese(document, message):
    with pytest.raises(CriteriaError) as raised:
        parse(document)
    assert message in str(raised.value)


def test_the_second_bad_condition_is_named_by_its_number():
    with pytest.raises(CriteriaError, match="第2个条件"):
        parse(
            {
                "conditions": [
                    {"field": "key", "op": "is", "value": True},
                    {"field": "employees", "op": ">=", "value": "x"},
                ]
            }
        )


def test_each_condition_is_said_in_words():
    criteria = parse(
        {
            "combine": "any",
            "conditions": [
                {"field": "industry", "op": "in", "value": ["C", "3434"]},
                {"field": "street", "op": "in", "value": ["370213007"]},
                {"field": "zone", "op": "in", "value": ["east"]},
                {"field": "above_scale", "op": "is", "value": True},
                {"field": "key", "op": "is", "value": False},
                {"field": "tags", "op": "has_any", "value": ["高新技术企业", "专精特新"]},
                {"field": "tags", "op": "has_all", "value": ["高新技术企业"]},
                {"field": "registered_capital", "op": ">=", "value": 1000},
                {"field": "years_established", "op": ">", "value": 3},
                {"field": "revenue_last_year", "op": ">=", "value": "2000.50"},
                {"field": "employees", "op": "<=", "value": 50},
                {"field": "growth", "op": "<", "value": 10},
            ],
        }
    )
    names = {"street": {"370213007": "李村街道"}, "industry": {"C": "制造业"}}
    assert criteria.heading == "满足以下任一条件"
    assert criteria.words(names) == [
        "行业属于：制造业、3434",
        "所在街道属于：李村街道",
        "所在片区属于：east",
        "是规模以上企业",
        "不是重点企业",
        "具有其中任一标签：高新技术企业、专精特新",
        "同时具有标签：高新技术企业",
        "注册资本不低于1000万元",
        "成立年限高于3年",
        "上年营业收入不低于2000.5万元",
        "从业人员不高于50人",
        "营业收入同比增长低于10%",
    ]


def test_years_established_counts_whole_years_to_today():
    facts = Facts(established_on=dt.date(2023, 3, 26), today=TODAY)
    assert facts.years_established == 2
    assert Facts(established_on=dt.date(2023, 3, 25), today=TODAY).years_established == 3
    assert UNKNOWN.years_established is None
