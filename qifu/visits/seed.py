"""The visit questionnaire that the district asks on its visits (走访问卷), version 1.

What a district asks in business-retention visits: output and orders outlook, expansion or
relocation plans, financing, land and premises, recruitment, policy needs and problems with
government services. The answers that signal a risk raise a red flag (风险信号).
"""

from __future__ import annotations

from typing import Any

QUESTIONS: list[dict[str, Any]] = [
    {
        "code": "output_outlook",
        "text": "今年产值（营业收入）预计比上年",
        "kind": "choice",
        "choices": ["明显增长", "基本持平", "小幅下降", "大幅下降"],
        "required": True,
        "flag": "sales_drop",
        "flag_values": ["大幅下降"],
    },
    {
        "code": "sales_change",
        "text": "前三季度销售收入同比增减",
        "kind": "number",
        "unit": "%",
        "flag": "sales_drop",
        "flag_below": "-20",
    },
    {
        "code": "orders_outlook",
        "text": "在手订单能排产到",
        "kind": "choice",
        "choices": ["半年以上", "三到六个月", "一到三个月", "不足一个月"],
    },
    {"code": "expansion", "text": "有无扩产或新上项目计划", "kind": "yes_no"},
    {
        "code": "expansion_land",
        "text": "扩产是否需要新增用地或厂房",
        "kind": "yes_no",
        "flag": "land",
    },
    {
        "code": "relocation",
        "text": "有无外迁、减产或关停意向",
        "kind": "yes_no",
        "required": True,
        "flag": "relocation",
    },
    {
        "code": "financing",
        "text": "资金状况",
        "kind": "choice",
        "choices": ["充足", "基本满足", "有缺口", "非常紧张"],
        "flag": "financing",
        "flag_values": ["非常紧张"],
    },
    {"code": "financing_need", "text": "融资需求（万元）", "kind": "number", "unit": "万元"},
    {"code": "premises", "text": "土地、房产证照是否齐全", "kind": "yes_no"},
    {"code": "employees", "text": "现有职工人数", "kind": "number", "unit": "人"},
    {"code": "layoffs", "text": "近期有无裁员或放假计划", "kind": "yes_no", "flag": "layoffs"},
    {"code": "recruitment", "text": "招工用工需求（岗位和人数）", "kind": "text"},
    {"code": "policy_needs", "text": "最需要的政策支持", "kind": "text"},
    {"code": "service_problems", "text": "在政务服务方面遇到的问题", "kind": "text"},
]


def install(questionnaire_model: Any, version_model: Any, question_model: Any) -> None:
    """Create the questionnaire and its published first version, once."""
    from django.utils import timezone

    questionnaire, _created = questionnaire_model.objects.get_or_create(
        code="visit", defaults={"name": "企业走访问卷"}
    )
    if version_model.objects.filter(questionnaire=questionnaire).exists():
        return
    version = version_model.objects.create(
        questionnaire=questionnaire, number=1, published_at=timezone.now(), note="初版"
    )
    for order, values in enumerate(QUESTIONS, start=1):
        question_model.objects.create(version=version, sort_order=order, **values)
