"""qifu.lib.expressions: validation rules as data, checked against the seeded audit rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pytest

from qifu.lib.expressions import (
    ExpressionError,
    IndicatorInfo,
    Violation,
    check,
    evaluate,
    references,
    validate,
    validate_rule,
)
from qifu.stats.seed import INDICATORS, RULES


@dataclass(frozen=True)
class Rule:
    code: str
    left: str
    operator: str
    right: str
    for_each: str = ""
    condition: str = ""
    missing_values: str = "skip_if_any"
    importance: str = "hard"
    instruction: str = "fix it"


SEEDED = {
    code: Rule(code, left, operator, right, for_each, condition, missing, importance, instruction)
    for (
        code,
        _name,
        for_each,
        condition,
        left,
        operator,
        right,
        importance,
        missing,
        instruction,
    ) in RULES
}
INFO = {
    code: IndicatorInfo(code, kind, may_be_negative)
    for code, _name, _unit, kind, _money, may_be_negative in INDICATORS
}

Values = dict[tuple[str, str], Decimal | None]


def consistent() -> Values:
    """A month of figures that passes every seeded rule."""
    figures = {
        # indicator: (prev_ytd, month, base_month, base_ytd)
        "output": ("1000", "200", "180", "1100"),
        "sales": ("950", "190", "170", "1050"),
        "export": ("300", "60", "50", "330"),
        "revenue": ("1100", "220", "200", "1200"),
        "cost": ("900", "180", "160", "1000"),
        "profit": ("-50", "-10", "-5", "-40"),
        "vat": ("40", "-5", "6", "40"),
        "employees": ("120", "121", "119", "119"),
        "electricity": ("50", "10", "9", "55"),
    }
    values: Values = {}
    for code, (prev_ytd, month, base_month, base_ytd) in figures.items():
        values[(code, "prev_ytd")] = Decimal(prev_ytd)
        values[(code, "month")] = Decimal(month)
        values[(code, "ytd")] = Decimal(prev_ytd) + Decimal(month)
        values[(code, "base_month")] = Decimal(base_month)
        values[(code, "base_ytd")] = Decimal(base_ytd)
    return values


def violations(code: str, **changes: str | None) -> list[Violation]:
    """Check the seeded rule `code` on the consistent month with some values changed, given as
    indicator__column="value"."""
    values = consistent()
    for key, value in changes.items():
        indicator, column = key.split("__")
        values[(indicator, column)] = None if value is None else Decimal(value)
    return check(SEEDED[code], values, indicators=INFO)


# --- the seeded rules ----------------------------------------------------------------------


@pytest.mark.parametrize("code", list(SEEDED))
def test_every_seeded_rule_is_valid(code: str) -> None:
    validate_rule(SEEDED[code], indicator_codes=INFO)


@pytest.mark.parametrize("code", list(SEEDED))
def test_every_seeded_rule_passes_on_consistent_figures(code: str) -> None:
    assert check(SEEDED[code], consistent(), indicators=INFO) == []


def test_ytd_continuity_fails_when_last_ytd_plus_month_is_not_this_ytd() -> None:
    found = violations("ytd-continuity", sales__prev_ytd="100", sales__month="20", sales__ytd="130")
    assert found == [
        Violation(
            "ytd-continuity",
            "sales",
            Decimal("120"),
            Decimal("130"),
            "hard",
            SEEDED["ytd-continuity"].instruction,
        )
    ]


def test_ytd_continuity_tolerates_a_thousandth_of_noise_but_not_a_cent() -> None:
    noisy = {"output__prev_ytd": "100.001", "output__month": "20", "output__ytd": "120"}
    assert violations("ytd-continuity", **noisy) == []
    off = {"output__prev_ytd": "100", "output__month": "20", "output__ytd": "120.01"}
    assert [v.indicator_code for v in violations("ytd-continuity", **off)] == ["output"]


def test_ytd_continuity_is_checked_for_flow_indicators_only() -> None:
    # employees is an average: its ytd is no sum of months
    assert violations("ytd-continuity", employees__ytd="999") == []


def test_ytd_continuity_reports_each_inconsistent_indicator() -> None:
    found = violations("ytd-continuity", output__ytd="1", cost__ytd="2", profit__ytd="3")
    assert [v.indicator_code for v in found] == ["output", "cost", "profit"]


def test_ytd_below_month_fails_for_a_non_negative_flow() -> None:
    found = violations("ytd-not-below-month", revenue__month="300", revenue__ytd="250")
    assert [(v.indicator_code, v.left_value, v.right_value) for v in found] == [
        ("revenue", Decimal("250"), Decimal("300"))
    ]


def test_ytd_below_month_is_allowed_for_an_indicator_that_may_be_negative() -> None:
    # profit: a loss this month after a profit earlier gives ytd > month, and the reverse
    assert violations("ytd-not-below-month", profit__month="50", profit__ytd="20") == []


def test_export_greater_than_sales_fails() -> None:
    found = violations("export-within-sales", export__ytd="1200")
    assert len(found) == 1
    assert found[0].indicator_code == ""
    assert (found[0].left_value, found[0].right_value) == (Decimal("1200"), Decimal("1140"))
    assert found[0].importance == "hard"


def test_export_equal_to_sales_passes() -> None:
    assert violations("export-within-sales", export__ytd="1140") == []


def test_a_negative_month_fails_no_negative() -> None:
    found = violations("no-negative", output__month="-5")
    assert [(v.indicator_code, v.left_value) for v in found] == [("output", Decimal("-5"))]


def test_no_negative_covers_averages_too() -> None:
    assert [v.indicator_code for v in violations("no-negative", employees__month="-1")] == [
        "employees"
    ]


def test_profit_may_be_negative_so_no_negative_does_not_apply_to_it() -> None:
    assert violations("no-negative", profit__month="-500", vat__month="-3") == []


def test_a_sales_ratio_of_70_percent_fails_soft() -> None:
    found = violations("sales-ratio-low", output__ytd="1000", sales__ytd="700")
    assert [(v.left_value, v.importance) for v in found] == [(Decimal("0.7"), "soft")]
    assert violations("sales-ratio-high", output__ytd="1000", sales__ytd="700") == []


def test_a_sales_ratio_of_exactly_80_percent_passes() -> None:
    assert violations("sales-ratio-low", output__ytd="1000", sales__ytd="800") == []


def test_a_sales_ratio_of_130_percent_fails_soft() -> None:
    found = violations("sales-ratio-high", output__ytd="1000", sales__ytd="1300")
    assert [(v.left_value, v.importance) for v in found] == [(Decimal("1.3"), "soft")]


def test_a_year_on_year_rise_of_40_percent_fails_soft() -> None:
    found = violations("yoy-within-30", revenue__base_ytd="1000", revenue__ytd="1400")
    assert [(v.indicator_code, v.left_value, v.importance) for v in found] == [
        ("revenue", Decimal("0.4"), "soft")
    ]


def test_a_year_on_year_fall_of_40_percent_fails_soft() -> None:
    found = violations("yoy-within-30", revenue__base_ytd="1000", revenue__ytd="600")
    assert [(v.indicator_code, v.left_value) for v in found] == [("revenue", Decimal("0.4"))]


def test_a_year_on_year_change_of_exactly_30_percent_passes() -> None:
    assert violations("yoy-within-30", revenue__base_ytd="1000", revenue__ytd="1300") == []


def test_year_on_year_is_not_checked_without_a_base_last_year() -> None:
    # the condition #{*.base_ytd} > 0 keeps a new enterprise out of the rule (and off a /0)
    assert violations("yoy-within-30", revenue__base_ytd="0", revenue__ytd="1400") == []


def test_year_on_year_does_not_apply_to_profit() -> None:
    assert violations("yoy-within-30", profit__base_ytd="10", profit__ytd="100") == []


def test_no_electricity_with_output_fails_soft() -> None:
    found = violations("electricity-with-output", electricity__month="0", output__month="200")
    assert [(v.left_value, v.right_value, v.importance) for v in found] == [
        (Decimal("0"), Decimal("0"), "soft")
    ]


def test_no_electricity_without_output_passes_because_of_the_condition() -> None:
    assert violations("electricity-with-output", electricity__month="0", output__month="0") == []


def test_a_rule_is_skipped_when_its_condition_cannot_be_evaluated() -> None:
    assert violations("electricity-with-output", electricity__month="0", output__month=None) == []


# --- missing values ------------------------------------------------------------------------

SUM = "#{sales.month} + #{export.month}"


def test_skip_if_any_skips_when_one_value_is_missing() -> None:
    values = {("sales", "month"): Decimal(5), ("export", "month"): None}
    assert evaluate(SUM, values, missing="skip_if_any") is None


def test_a_reference_absent_from_the_values_counts_as_missing() -> None:
    assert evaluate(SUM, {("sales", "month"): Decimal(5)}, missing="skip_if_any") is None


def test_skip_if_all_counts_a_missing_value_as_zero_when_others_are_there() -> None:
    values = {("sales", "month"): Decimal(5), ("export", "month"): None}
    assert evaluate(SUM, values, missing="skip_if_all") == Decimal(5)


def test_skip_if_all_skips_when_every_value_is_missing() -> None:
    values: Values = {("sales", "month"): None, ("export", "month"): None}
    assert evaluate(SUM, values, missing="skip_if_all") is None


def test_never_skip_counts_every_missing_value_as_zero() -> None:
    assert evaluate(SUM, {}, missing="never_skip") == Decimal(0)


def test_an_expression_without_references_is_never_skipped() -> None:
    assert evaluate("0.8", {}, missing="skip_if_all") == Decimal("0.8")


def test_an_unknown_missing_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="missing"):
        evaluate(SUM, {}, missing="sometimes")


def test_missing_values_apply_to_both_sides_of_a_rule_together() -> None:
    rule = SEEDED["export-within-sales"]
    values: Values = {("export", "ytd"): Decimal(10), ("sales", "ytd"): None}
    assert check(rule, values, indicators=INFO) == []
    never = replace(rule, missing_values="never_skip")
    assert [v.right_value for v in check(never, values, indicators=INFO)] == [Decimal(0)]
    some = replace(rule, missing_values="skip_if_all")
    assert len(check(some, values, indicators=INFO)) == 1
    assert check(some, {}, indicators=INFO) == []


# --- for each ------------------------------------------------------------------------------


def test_for_each_expands_the_star_to_each_matching_indicator() -> None:
    rule = Rule("positive-ytd", "#{*.ytd}", ">", "0", for_each="flow")
    values = {(code, "ytd"): Decimal(0) for code in INFO}
    assert [v.indicator_code for v in check(rule, values, indicators=INFO)] == [
        "output",
        "sales",
        "export",
        "revenue",
        "cost",
        "profit",
        "vat",
        "electricity",
    ]
    non_negative = replace(rule, for_each="non_negative")
    assert [v.indicator_code for v in check(non_negative, values, indicators=INFO)] == [
        "output",
        "sales",
        "export",
        "revenue",
        "cost",
        "employees",
        "electricity",
    ]
    both = replace(rule, for_each="flow_non_negative")
    assert "employees" not in {v.indicator_code for v in check(both, values, indicators=INFO)}
    assert "profit" not in {v.indicator_code for v in check(both, values, indicators=INFO)}


def test_for_each_may_mix_the_star_with_a_named_indicator() -> None:
    rule = Rule("below-output", "#{*.month}", "<=", "#{output.month}", for_each="flow")
    values = {(code, "month"): Decimal(10) for code in INFO} | {("vat", "month"): Decimal(11)}
    assert [v.indicator_code for v in check(rule, values, indicators=INFO)] == ["vat"]


def test_a_star_without_for_each_is_refused() -> None:
    rule = Rule("bad", "#{*.month}", ">=", "0")
    with pytest.raises(ExpressionError, match="for each"):
        check(rule, consistent(), indicators=INFO)


def test_for_each_without_a_star_is_refused() -> None:
    with pytest.raises(ExpressionError, match="for each"):
        validate_rule(Rule("bad", "#{output.month}", ">=", "0", for_each="flow"))


def test_validate_rule_finds_unknown_indicators_operators_and_kinds() -> None:
    with pytest.raises(ExpressionError, match="unknown indicator 'outptu'"):
        validate_rule(Rule("bad", "#{outptu.month}", ">=", "0"), indicator_codes=INFO)
    with pytest.raises(ExpressionError, match="unknown operator"):
        validate_rule(Rule("bad", "1", "=>", "0"))
    with pytest.raises(ExpressionError, match="for_each"):
        validate_rule(Rule("bad", "#{*.month}", ">=", "0", for_each="stock"))
    with pytest.raises(ExpressionError, match="condition"):
        validate_rule(Rule("bad", "1", ">=", "0", condition="#{output.month}"))
    with pytest.raises(ExpressionError, match="right side"):
        validate_rule(Rule("bad", "1", ">=", "#{output.month} > 0"))


# --- division by zero ----------------------------------------------------------------------


@pytest.mark.parametrize("expression", ["#{sales.ytd} / #{output.ytd}", "1 / (2 - 2)", "0 / 0"])
def test_a_division_by_zero_gives_no_value(expression: str) -> None:
    values = {("sales", "ytd"): Decimal(0), ("output", "ytd"): Decimal(0)}
    assert evaluate(expression, values, missing="skip_if_any") is None


def test_a_division_by_zero_skips_the_rule() -> None:
    assert violations("sales-ratio-low", output__ytd="0", sales__ytd="100") == []
    assert violations("sales-ratio-high", output__ytd="0", sales__ytd="100") == []
    assert violations("sales-ratio-low", output__ytd="0", sales__ytd="0") == []


def test_a_division_by_zero_in_a_condition_skips_the_rule() -> None:
    rule = Rule("r", "#{sales.ytd}", "<", "0", condition="#{sales.ytd} / #{output.ytd} > 0")
    values = {("sales", "ytd"): Decimal(5), ("output", "ytd"): Decimal(0)}
    assert check(rule, values, indicators=INFO) == []


# --- the language --------------------------------------------------------------------------


def test_references_lists_indicator_column_pairs() -> None:
    assert references("abs(#{*.ytd} / #{*.base_ytd} - 1)") == {("*", "ytd"), ("*", "base_ytd")}
    assert references("#{ sales . ytd } / #{output.ytd} + #{sales.ytd}") == {
        ("sales", "ytd"),
        ("output", "ytd"),
    }
    assert references("0.8") == set()


def test_numbers_are_exact_decimals() -> None:
    assert evaluate("0.1 + 0.2", {}, missing="skip_if_any") == Decimal("0.3")
    assert evaluate("1 / 4", {}, missing="skip_if_any") == Decimal("0.25")
    assert evaluate("2 * (3 + 4) - -1", {}, missing="skip_if_any") == Decimal(15)


def test_abs_works() -> None:
    values = {("profit", "month"): Decimal("-5.25")}
    assert evaluate("abs(#{profit.month})", values, missing="skip_if_any") == Decimal("5.25")
    assert evaluate("abs(3 - 10) + abs(2)", {}, missing="skip_if_any") == Decimal(9)


def test_a_condition_may_compare_and_combine() -> None:
    values = {("output", "month"): Decimal(10), ("sales", "month"): Decimal(0)}
    both = "#{output.month} > 0 and #{sales.month} == 0"
    assert evaluate(both, values, missing="skip_if_any") is True
    either = "#{output.month} < 0 or #{sales.month} != 0"
    assert evaluate(either, values, missing="skip_if_any") is False
    assert evaluate("0 <= #{output.month} <= 10", values, missing="skip_if_any") is True
    assert evaluate("0.1 + 0.2 == 0.3", {}, missing="skip_if_any") is True


def test_validate_accepts_sides_and_conditions() -> None:
    validate("abs(#{*.ytd} / #{*.base_ytd} - 1)")
    validate("-#{profit.month} * 2")
    condition = "#{output.month} > 0 and (#{sales.month} >= 1 or #{export.month} != 0)"
    validate(condition, condition=True)


def test_a_comparison_is_not_a_side_and_a_number_is_not_a_condition() -> None:
    with pytest.raises(ExpressionError, match="must be a number"):
        validate("#{output.month} > 0")
    with pytest.raises(ExpressionError, match="comparison"):
        validate("#{output.month}", condition=True)
    with pytest.raises(ExpressionError, match="cannot be used as a number"):
        validate("(#{output.month} > 0) + 1", condition=True)
    with pytest.raises(ExpressionError, match="expected a comparison"):
        validate("#{output.month} > 0 and 1", condition=True)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os')", "only abs"),
        ("__import__('os').system('true')", "attribute access"),
        ("#{output.month}.real", "attribute access"),
        ("().__class__", "attribute access"),
        ("(lambda: 1)()", "only abs"),
        ("lambda: 1", "lambda"),
        ("[x for x in (1, 2)]", "comprehension"),
        ("sum(x for x in (1, 2))", "only abs"),
        ("'text'", "text"),
        ("f'{1}'", "text"),
        ("b'x'", "text"),
        ("open('/etc/passwd')", "only abs"),
        ("eval('1')", "only abs"),
        ("abs", "unknown name 'abs'"),
        ("x + 1", "unknown name 'x'"),
        ("_qifu_ref_0", "reserved"),
        ("True", "not allowed"),
        ("None", "not allowed"),
        ("2 ** 1000000", r"\*\*"),
        ("7 // 2", "//"),
        ("7 % 2", "%"),
        ("1 if 1 else 0", "if"),
        ("(x := 1)", "assignment"),
        ("[1][0]", "indexing"),
        ("abs(1, 2)", "one argument"),
        ("abs(x=1)", "one argument"),
        ("abs(*[1])", "one argument"),
        ("1 +", "syntax error"),
        ("1 2", "syntax error"),
        ("", "empty"),
        ("   ", "empty"),
        ("1 #{output.month}", "syntax error"),
        ("1 + #{output.month", "malformed reference"),
        ("1 # a comment hides the rest", "malformed reference"),
        ("#{output}", "malformed reference"),
        ("#{output.mnoth}", "unknown column 'mnoth'"),
        ("1" + " + 1" * 600, "longer than"),
    ],
)
def test_a_malicious_or_malformed_expression_is_refused(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        evaluate(expression, {}, missing="never_skip")
    with pytest.raises(ExpressionError):
        validate(expression)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("not #{output.month} > 0", "operator not"),
        ("#{output.month} in (1, 2)", "comparison in"),
        ("#{output.month} is 0", "comparison is"),
        ("#{output.month} > 0 and __import__('os')", "only abs"),
    ],
)
def test_a_malformed_condition_is_refused(condition: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        validate(condition, condition=True)
