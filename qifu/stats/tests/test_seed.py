"""The monthly form of 规上工业 is seeded with its indicators and audit rules."""

from __future__ import annotations

import pytest

from qifu.stats.models import DataSet, Indicator, ValidationRule

pytestmark = pytest.mark.django_db


def test_the_monthly_form_has_the_nine_indicators_of_above_scale_industry() -> None:
    form = DataSet.objects.get(code="industry-monthly")

    names = list(form.indicators.order_by("sort_order").values_list("name", flat=True))

    assert names[:3] == ["工业总产值", "工业销售产值", "出口交货值"]
    assert len(names) == 9
    assert Indicator.objects.get(code="profit").may_be_negative
    assert Indicator.objects.get(code="output").unit == "千元"


def test_the_bureau_rules_are_seeded_hard_and_soft() -> None:
    hard = set(ValidationRule.objects.filter(importance="hard").values_list("code", flat=True))
    soft = set(ValidationRule.objects.filter(importance="soft").values_list("code", flat=True))

    assert {"ytd-continuity", "ytd-not-below-month", "export-within-sales", "no-negative"} <= hard
    assert {"sales-ratio-low", "sales-ratio-high", "yoy-within-30"} <= soft
