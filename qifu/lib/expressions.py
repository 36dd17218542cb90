"""Validation rules stored as data, in the DHIS2 manner: `left operator right`, with an optional
`condition`, repeated for each indicator of a kind when `for_each` is set.

Expressions hold numbers (read as Decimal), references `#{indicator.column}` (column: month,
ytd, base_month, base_ytd, prev_ytd; indicator a slug, or `*` for the indicator of a `for_each`
rule), + - * / and unary minus, parentheses and abs(x). A condition may also compare
(==, != , <, <=, >, >=) and combine comparisons with `and` / `or`.

The text is parsed with Python's `ast` module after each reference is replaced by a placeholder
name, and only whitelisted nodes are turned into small closures: nothing is ever passed to
eval/exec, and anything else (attribute access, calls other than abs, strings, lambdas,
comprehensions...) raises ExpressionError. A division by zero skips the rule: it is neither an
error nor a violation.

Missing values follow the rule's `missing_values`: "skip_if_any" skips the rule when any value
it refers to is missing, "skip_if_all" only when all are (the others count as 0), "never_skip"
counts every missing value as 0. For a rule, the strategy applies to the references of the
condition on their own, then to those of both sides together.

"==" and "!=" allow a tolerance of 0.005 (values have two decimal places, and a ytd continuity
must not fail on 0.001 of noise); the other comparisons are exact.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DecimalException, localcontext
from functools import lru_cache
from typing import Protocol, TypeVar

COLUMNS = ("month", "ytd", "base_month", "base_ytd", "prev_ytd")
OPERATORS = ("==", "!=", "<", "<=", ">", ">=")
MISSING_VALUES = ("skip_if_any", "skip_if_all", "never_skip")
FOR_EACH = ("", "flow", "non_negative", "flow_non_negative")
TOLERANCE = Decimal("0.005")
MAX_LENGTH = 500  # the model allows 300; a bound keeps nesting far from the recursion limit

STAR = "*"

Reference = tuple[str, str]
Env = Mapping[Reference, Decimal]
NumberFn = Callable[[Env], Decimal]
BoolFn = Callable[[Env], bool]
T = TypeVar("T")

_REFERENCE = re.compile(
    r"#\{\s*(?P<indicator>[A-Za-z0-9_-]+|\*)\s*\.\s*(?P<column>[A-Za-z0-9_]+)\s*\}"
)
_PLACEHOLDER = "_qifu_ref_"


class ExpressionError(ValueError):
    """An expression or rule that cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    kind: str  # "flow" | "stock" | "average"
    may_be_negative: bool = False


@dataclass(frozen=True)
class Violation:
    rule_code: str
    indicator_code: str  # the indicator of a for_each rule, else ""
    left_value: Decimal
    right_value: Decimal
    importance: str
    instruction: str


class Rule(Protocol):
    """What check() reads of a rule: qifu.stats.models.ValidationRule fits."""

    @property
    def code(self) -> str: ...
    @property
    def left(self) -> str: ...
    @property
    def operator(self) -> str: ...
    @property
    def right(self) -> str: ...
    @property
    def for_each(self) -> str: ...
    @property
    def condition(self) -> str: ...
    @property
    def missing_values(self) -> str: ...
    @property
    def importance(self) -> str: ...
    @property
    def instruction(self) -> str: ...


# --- parsing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    references: frozenset[Reference]
    number: NumberFn | None  # exactly one of number / boolean is set
    boolean: BoolFn | None


_BINARY: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_OPERATOR_TEXT: dict[type[ast.AST], str] = {
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Not: "not",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_COMPARE: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (.) is not allowed",
    ast.Subscript: "indexing ([...]) is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "text is not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


class _Compiler:
    """Turns a whitelisted `ast` tree into closures over an environment of reference values."""

    def __init__(self, source: str, names: Mapping[str, Reference]) -> None:
        self.source = source
        self.names = names

    def number(self, node: ast.expr) -> NumberFn:
        if isinstance(node, ast.Constant):
            value = self._constant(node)
            return lambda env: value
        if isinstance(node, ast.Name):
            ref = self._reference(node)
            return lambda env: env[ref]
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise ExpressionError(f"operator {_op_text(node.op)} is not allowed")
            apply = _BINARY[type(node.op)]
            left, right = self.number(node.left), self.number(node.right)
            return lambda env: apply(left(env), right(env))
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExpressionError(f"operator {_op_text(node.op)} is not allowed")
            operand = self.number(node.operand)
            if isinstance(node.op, ast.USub):
                return lambda env: -operand(env)
            return operand
        if isinstance(node, ast.Call):
            return self._abs(node)
        if isinstance(node, ast.Compare | ast.BoolOp):
            raise ExpressionError("a comparison or and/or cannot be used as a number")
        raise _forbidden(node)

    def boolean(self, node: ast.expr) -> BoolFn:
        if isinstance(node, ast.Compare):
            operators = []
            for op in node.ops:
                if type(op) not in _COMPARE:
                    raise ExpressionError(
                        f"comparison {_op_text(op)} is not allowed; use {', '.join(OPERATORS)}"
                    )
                operators.append(_COMPARE[type(op)])
            operands = [self.number(node.left), *(self.number(c) for c in node.comparators)]

            def compare(env: Env) -> bool:
                left = operands[0](env)
                for operator, right_fn in zip(operators, operands[1:], strict=True):
                    right = right_fn(env)
                    if not _compare(operator, left, right):
                        return False
                    left = right
                return True

            return compare
        if isinstance(node, ast.BoolOp):
            parts = [self.boolean(value) for value in node.values]
            if isinstance(node.op, ast.And):
                return lambda env: all(part(env) for part in parts)
            return lambda env: any(part(env) for part in parts)
        if isinstance(node, ast.Constant | ast.Name | ast.BinOp | ast.UnaryOp | ast.Call):
            self.number(node)  # report what is wrong inside first, if anything
            raise ExpressionError("expected a comparison (e.g. #{output.month} > 0), got a number")
        raise _forbidden(node)

    def _constant(self, node: ast.Constant) -> Decimal:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise ExpressionError(f"{value!r} is not allowed; only numbers and references")
        if isinstance(value, str | bytes):
            raise ExpressionError("text is not allowed; only numbers and references")
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            # Read the digits as written: 0.1 is Decimal("0.1"), not the float's binary value.
            segment = ast.get_source_segment(self.source, node) or repr(value)
            try:
                number = Decimal(segment)
            except DecimalException:
                number = Decimal(repr(value))
            if not number.is_finite():
                raise ExpressionError(f"number {segment} is not finite")
            return number
        raise ExpressionError(f"number {value!r} is not allowed")

    def _reference(self, node: ast.Name) -> Reference:
        if node.id not in self.names:
            raise ExpressionError(
                f"unknown name {node.id!r}; refer to values as #{{indicator.column}}"
            )
        return self.names[node.id]

    def _abs(self, node: ast.Call) -> NumberFn:
        if isinstance(node.func, ast.Attribute):
            raise _forbidden(node.func)
        if not (isinstance(node.func, ast.Name) and node.func.id == "abs"):
            called = node.func.id if isinstance(node.func, ast.Name) else "this"
            raise ExpressionError(f"calling {called} is not allowed; only abs(x) may be called")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError("abs() takes exactly one argument")
        operand = self.number(node.args[0])
        return lambda env: abs(operand(env))


def _op_text(op: ast.AST) -> str:
    return _OPERATOR_TEXT.get(type(op), type(op).__name__)


def _forbidden(node: ast.AST) -> ExpressionError:
    message = _FORBIDDEN.get(type(node), f"{type(node).__name__} is not allowed")
    return ExpressionError(message)


@lru_cache(maxsize=512)
def _parse(expression: str) -> _Parsed:
    if not isinstance(expression, str):
        raise ExpressionError("an expression must be text")
    text = expression.strip()
    if not text:
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    if _PLACEHOLDER in text:
        raise ExpressionError(f"names starting with {_PLACEHOLDER!r} are reserved")

    names: dict[str, Reference] = {}
    placeholders: dict[Reference, str] = {}

    def substitute(match: re.Match[str]) -> str:
        ref = (match["indicator"], match["column"])
        if ref[1] not in COLUMNS:
            raise ExpressionError(
                f"unknown column {ref[1]!r} in {match[0]}; use one of {', '.join(COLUMNS)}"
            )
        if ref not in placeholders:
            placeholders[ref] = f"{_PLACEHOLDER}{len(placeholders)}"
            names[placeholders[ref]] = ref
        return placeholders[ref]

    source = _REFERENCE.sub(substitute, text)
    if "#" in source:  # also: "#" would start a Python comment and hide the rest
        raise ExpressionError(
            f"malformed reference in {expression!r}; write #{{indicator.column}}, "
            "e.g. #{output.month}"
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"syntax error in {expression!r}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ExpressionError(f"cannot read {expression!r}: {error}") from None

    compiler = _Compiler(source, names)
    body = tree.body
    try:
        if isinstance(body, ast.Compare | ast.BoolOp):
            return _Parsed(frozenset(names.values()), None, compiler.boolean(body))
        return _Parsed(frozenset(names.values()), compiler.number(body), None)
    except RecursionError:
        raise ExpressionError(f"{expression!r} is nested too deeply") from None


# --- evaluation ------------------------------------------------------------------------------


def _compare(operator: str, left: Decimal, right: Decimal) -> bool:
    if operator == "==":
        return abs(left - right) <= TOLERANCE
    if operator == "!=":
        return abs(left - right) > TOLERANCE
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    if operator == ">=":
        return left >= right
    raise ExpressionError(f"unknown operator {operator!r}; use one of {', '.join(OPERATORS)}")


def _resolve(
    references: Iterable[Reference],
    values: Mapping[Reference, Decimal | None],
    missing: str,
    star: str | None,
) -> dict[Reference, Decimal] | None:
    """The value of each reference (`*` bound to `star`), or None when the rule is skipped."""
    if missing not in MISSING_VALUES:
        raise ValueError(f"unknown missing-values strategy {missing!r}")
    found: dict[Reference, Decimal | None] = {}
    for indicator, column in references:
        key = (star, column) if indicator == STAR and star is not None else (indicator, column)
        found[(indicator, column)] = values.get(key)
    absent = sum(1 for value in found.values() if value is None)
    if absent and (missing == "skip_if_any" or (missing == "skip_if_all" and absent == len(found))):
        return None
    return {ref: Decimal(0) if value is None else value for ref, value in found.items()}


def _run(fn: Callable[[Env], T], env: Env) -> T | None:
    """fn(env), or None when the arithmetic is undefined (division by zero, 0/0)."""
    with localcontext() as context:
        context.prec = 28
        try:
            return fn(env)
        except (DecimalException, ZeroDivisionError):
            return None
        except RecursionError:
            raise ExpressionError("the expression is nested too deeply") from None


# --- API -------------------------------------------------------------------------------------


def references(expression: str) -> set[Reference]:
    """The (indicator, column) pairs an expression refers to; `*` stays `*`."""
    return set(_parse(expression).references)


def validate(expression: str, *, condition: bool = False) -> None:
    """Raise ExpressionError unless `expression` is a valid side of a rule (a number), or with
    condition=True a valid condition (comparisons, and/or)."""
    parsed = _parse(expression)
    if condition and parsed.boolean is None:
        raise ExpressionError(
            f"a condition must be a comparison, e.g. #{{output.month}} > 0, not {expression!r}"
        )
    if not condition and parsed.number is None:
        raise ExpressionError(
            f"{expression!r} must be a number: put the comparison in the rule's operator"
        )


def evaluate(
    expression: str, values: Mapping[Reference, Decimal | None], *, missing: str
) -> Decimal | bool | None:
    """The value of an expression (a bool for a comparison), or None when skipped: missing
    values under `missing`, or a division by zero."""
    parsed = _parse(expression)
    env = _resolve(parsed.references, values, missing, star=None)
    if env is None:
        return None
    if parsed.boolean is not None:
        return _run(parsed.boolean, env)
    assert parsed.number is not None  # noqa: S101 - one of the two is always set
    return _run(parsed.number, env)


@dataclass(frozen=True)
class _CompiledRule:
    left: _Parsed
    right: _Parsed
    condition: _Parsed | None
    has_star: bool


def _compile_rule(rule: Rule) -> _CompiledRule:
    where = f"rule {rule.code!r}"
    parsed: dict[str, _Parsed] = {}
    for side in ("left", "right"):
        text = getattr(rule, side)
        try:
            validate(text)
        except ExpressionError as error:
            raise ExpressionError(f"{where}, {side} side: {error}") from None
        parsed[side] = _parse(text)
    condition = None
    if rule.condition and rule.condition.strip():
        try:
            validate(rule.condition, condition=True)
        except ExpressionError as error:
            raise ExpressionError(f"{where}, condition: {error}") from None
        condition = _parse(rule.condition)
    if rule.operator not in OPERATORS:
        raise ExpressionError(
            f"{where}: unknown operator {rule.operator!r}; use one of {', '.join(OPERATORS)}"
        )
    if rule.missing_values not in MISSING_VALUES:
        raise ExpressionError(f"{where}: unknown missing values {rule.missing_values!r}")
    if rule.for_each not in FOR_EACH:
        raise ExpressionError(f"{where}: unknown for_each {rule.for_each!r}")
    all_references = parsed["left"].references | parsed["right"].references
    if condition is not None:
        all_references |= condition.references
    has_star = any(indicator == STAR for indicator, _ in all_references)
    if has_star and not rule.for_each:
        raise ExpressionError(f"{where}: #{{*.column}} needs a 'for each' kind of indicator")
    if rule.for_each and not has_star:
        raise ExpressionError(f"{where}: 'for each' needs #{{*.column}} in the rule")
    return _CompiledRule(parsed["left"], parsed["right"], condition, has_star)


def validate_rule(rule: Rule, *, indicator_codes: Iterable[str] | None = None) -> None:
    """Raise ExpressionError unless the whole rule is usable; with `indicator_codes`, also for a
    reference to an unknown indicator."""
    compiled = _compile_rule(rule)
    if indicator_codes is None:
        return
    known = set(indicator_codes)
    parts = [compiled.left, compiled.right, *([compiled.condition] if compiled.condition else [])]
    for part in parts:
        for indicator, _column in sorted(part.references):
            if indicator != STAR and indicator not in known:
                raise ExpressionError(f"rule {rule.code!r}: unknown indicator {indicator!r}")


def _applies(info: IndicatorInfo, for_each: str) -> bool:
    if for_each == "flow":
        return info.kind == "flow"
    if for_each == "non_negative":
        return not info.may_be_negative
    if for_each == "flow_non_negative":
        return info.kind == "flow" and not info.may_be_negative
    return False


def check(
    rule: Rule,
    values: Mapping[Reference, Decimal | None],
    *,
    indicators: Mapping[str, IndicatorInfo],
) -> list[Violation]:
    """The violations of `rule` by `values` (keyed by (indicator code, column)); a for_each rule
    is checked once per matching indicator of `indicators`, in their order."""
    compiled = _compile_rule(rule)
    targets: list[str | None] = (
        [info.code for info in indicators.values() if _applies(info, rule.for_each)]
        if rule.for_each
        else [None]
    )
    violations = []
    for star in targets:
        if compiled.condition is not None:
            assert compiled.condition.boolean is not None  # noqa: S101 - validated
            env = _resolve(compiled.condition.references, values, rule.missing_values, star)
            if env is None or _run(compiled.condition.boolean, env) is not True:
                continue
        sides = compiled.left.references | compiled.right.references
        env = _resolve(sides, values, rule.missing_values, star)
        if env is None:
            continue
        assert compiled.left.number is not None and compiled.right.number is not None  # noqa: S101
        left = _run(compiled.left.number, env)
        right = _run(compiled.right.number, env)
        if left is None or right is None:
            continue  # a division by zero: the rule does not apply
        if not _compare(rule.operator, left, right):
            violations.append(
                Violation(
                    rule_code=rule.code,
                    indicator_code=star or "",
                    left_value=left,
                    right_value=right,
                    importance=rule.importance,
                    instruction=rule.instruction,
                )
            )
    return violations
