"""The monthly set of 规上工业 and its audit rules, as the statistics bureau uses them."""

from typing import Any

# code, name, unit, kind, money, may be negative
INDICATORS = [
    ("output", "工业总产值", "千元", "flow", True, False),
    ("sales", "工业销售产值", "千元", "flow", True, False),
    ("export", "出口交货值", "千元", "flow", True, False),
    ("revenue", "营业收入", "千元", "flow", True, False),
    ("cost", "营业成本", "千元", "flow", True, False),
    ("profit", "利润总额", "千元", "flow", True, True),
    ("vat", "应交增值税", "千元", "flow", True, True),
    ("employees", "从业人员平均人数", "人", "average", False, False),
    ("electricity", "用电量", "万千瓦时", "flow", False, False),
]

DATASET = ("industry-monthly", "规模以上工业企业主要经济指标月报")

# code, name, for each, condition, left, operator, right, importance, missing, instruction
RULES = [
    (
        "ytd-continuity",
        "上月累计加本月等于本月累计",
        "flow",
        "",
        "#{*.prev_ytd} + #{*.month}",
        "==",
        "#{*.ytd}",
        "hard",
        "skip_if_any",
        "1–本月数应等于上月的1–本月数加本月数，请核对。",
    ),
    (
        "ytd-not-below-month",
        "累计不小于本月",
        "flow_non_negative",
        "",
        "#{*.ytd}",
        ">=",
        "#{*.month}",
        "hard",
        "skip_if_any",
        "1–本月数不能小于本月数。",
    ),
    (
        "export-within-sales",
        "出口交货值不大于工业销售产值",
        "",
        "",
        "#{export.ytd}",
        "<=",
        "#{sales.ytd}",
        "hard",
        "skip_if_any",
        "出口交货值是工业销售产值的一部分，不能大于它。",
    ),
    (
        "no-negative",
        "不得为负数",
        "non_negative",
        "",
        "#{*.month}",
        ">=",
        "0",
        "hard",
        "skip_if_any",
        "该指标不能为负数。",
    ),
    (
        "sales-ratio-low",
        "产销率不低于80%",
        "",
        "",
        "#{sales.ytd} / #{output.ytd}",
        ">=",
        "0.8",
        "soft",
        "skip_if_any",
        "工业销售产值与工业总产值之比低于80%，请说明原因。",
    ),
    (
        "sales-ratio-high",
        "产销率不高于120%",
        "",
        "",
        "#{sales.ytd} / #{output.ytd}",
        "<=",
        "1.2",
        "soft",
        "skip_if_any",
        "工业销售产值与工业总产值之比高于120%，请说明原因。",
    ),
    (
        "yoy-within-30",
        "同比增减不超过30%",
        "flow_non_negative",
        "#{*.base_ytd} > 0",
        "abs(#{*.ytd} / #{*.base_ytd} - 1)",
        "<=",
        "0.3",
        "soft",
        "skip_if_any",
        "与上年同期相比增减超过30%，请说明原因。",
    ),
    (
        "electricity-with-output",
        "有产值时用电量不为零",
        "",
        "#{output.month} > 0",
        "#{electricity.month}",
        ">",
        "0",
        "soft",
        "skip_if_any",
        "本月有工业总产值但用电量为零，请核对或说明原因。",
    ),
]


def install(indicator_model: Any, dataset_model: Any, rule_model: Any) -> None:
    """Add what is missing of the seeded set (idempotent; existing rows are left as edited).

    Takes the model classes so that the data migration can pass its historical models.
    """
    indicators = []
    for order, (code, name, unit, kind, money, negative) in enumerate(INDICATORS):
        indicator, _created = indicator_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "is_money": money,
                "may_be_negative": negative,
                "sort_order": order,
            },
        )
        indicators.append(indicator)
    dataset, created = dataset_model.objects.get_or_create(
        code=DATASET[0], defaults={"name": DATASET[1]}
    )
    if created:
        dataset.indicators.add(*indicators)
    for order, row in enumerate(RULES):
        code, name, for_each, condition, left, operator, right, importance, missing, text = row
        rule_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "for_each": for_each,
                "condition": condition,
                "left": left,
                "operator": operator,
                "right": right,
                "importance": importance,
                "missing_values": missing,
                "instruction": text,
                "sort_order": order,
            },
        )
