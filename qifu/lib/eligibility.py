"""Eligibility criteria as data: conditions over an enterprise's attributes, combined with all/any,
each one said in words. No Django import.

A criteria document is JSON:

    {"combine": "all",                      # or "any"
     "conditions": [
        {"field": "industry", "op": "in", "value": ["C", "3434"]},   # section letter or code prefix
        {"field": "street", "op": "in", "value": ["370213007"]},      # street codes
        {"field": "zone", "op": "in", "value": ["east"]},            # zone codes
        {"field": "above_scale", "op": "is", "value": true},
        {"field": "key", "op": "is", "value": true},
        {"field": "tags", "op": "has_any", "value": ["高新技术企业"]},  # or "has_all"
        {"field": "registered_capital", "op": ">=", "value": 1000},  # 万元
        {"field": "years_established", "op": ">=", "value": 3},
        {"field": "revenue_last_year", "op": ">=", "value": 2000},   # 万元
        {"field": "employees", "op": ">=", "value": 50},
        {"field": "growth", "op": ">=", "value": 10}                 # % of revenue, year on year
     ]}

`evaluate(criteria, facts)` says which conditions an enterprise meets and which it misses; an
attribute the enterprise does not have (no revenue reported, say) misses the condition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

NUMBER_FIELDS = {
    "registered_capital": ("注册资本", "万元"),
    "years_established": ("成立年限", "年"),
    "revenue_last_year": ("上年营业收入", "万元"),
    "employees": ("从业人员", "人"),
    "growth": ("营业收入同比增长", "%"),
}
FLAG_FIELDS = {"above_scale": "规模以上企业", "key": "重点企业"}
LIST_FIELDS = {"industry": "行业", "street": "所在街道", "zone": "所在片区"}
TAG_FIELD = "tags"
FIELDS = (*LIST_FIELDS, *FLAG_FIELDS, TAG_FIELD, *NUMBER_FIELDS)
NUMBER_OPS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于"}
TAG_OPS = {"has_any": "具有其中任一", "has_all": "同时具有"}
COMBINE = {"all": "同时满足以下全部条件", "any": "满足以下任一条件"}


class CriteriaError(ValueError):
    """A criteria document that cannot be evaluated; the message says what is wrong (Chinese)."""


@dataclass(frozen=True)
class Facts:
    """What the criteria may ask about one enterprise. None: not known."""

    industry_code: str = ""
    industry_section: str = ""  # the GB/T 4754 section letter
    street: str = ""  # street code
    zone: str = ""  # zone code
    above_scale: bool = False
    key: bool = False
    tags: frozenset[str] = frozenset()
    registered_capital: Decimal | None = None
    established_on: dt.date | None = None
    revenue_last_year: Decimal | None = None
    employees: Decimal | None = None
    growth: Decimal | None = None  # percent
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def years_established(self) -> Decimal | None:
        if self.established_on is None:
            return None
        years = self.today.year - self.established_on.year
        if (self.today.month, self.today.day) < (
            self.established_on.month,
            self.established_on.day,
        ):
            years -= 1
        return Decimal(years)


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def words(self, names: dict[str, dict[str, str]] | None = None) -> str:
        """The condition in Chinese; `names` maps codes to names (streets, zones, industries)."""
        names = names or {}
        if self.field in NUMBER_FIELDS:
            label, unit = NUMBER_FIELDS[self.field]
            return f"{label}{NUMBER_OPS[self.op]}{_plain(self.value)}{unit}"
        if self.field in FLAG_FIELDS:
            return f"{'是' if self.value else '不是'}{FLAG_FIELDS[self.field]}"
        if self.field == TAG_FIELD:
            return f"{TAG_OPS[self.op]}标签：{'、'.join(self.value)}"
        shown = [names.get(self.field, {}).get(v, v) for v in self.value]
        return f"{LIST_FIELDS[self.field]}属于：{'、'.join(shown)}"

    def met_by(self, facts: Facts) -> bool:
        if self.field in NUMBER_FIELDS:
            actual = getattr(facts, self.field)
            if actual is None:
                return False
            limit = Decimal(str(self.value))
            return {
                ">=": actual >= limit,
                ">": actual > limit,
                "<=": actual <= limit,
                "<": actual < limit,
            }[self.op]
        if self.field in FLAG_FIELDS:
            return bool(getattr(facts, self.field)) is bool(self.value)
        if self.field == TAG_FIELD:
            wanted = set(self.value)
            return wanted <= facts.tags if self.op == "has_all" else bool(wanted & facts.tags)
        if self.field == "industry":
            return any(
                facts.industry_section == v.upper()
                if len(v) == 1 and v.isalpha()
                else facts.industry_code.startswith(v)
                for v in self.value
            )
        actual_code = facts.street if self.field == "street" else facts.zone
        return actual_code in self.value


@dataclass(frozen=True)
class Criteria:
    combine: str
    conditions: tuple[Condition, ...]

    def words(self, names: dict[str, dict[str, str]] | None = None) -> list[str]:
        return [c.words(names) for c in self.conditions]

    @property
    def heading(self) -> str:
        """How the conditions combine, in words ("" when there is none: everyone qualifies)."""
        return COMBINE[self.combine] if self.conditions else ""


@dataclass(frozen=True)
class Result:
    met: tuple[Condition, ...]
    missed: tuple[Condition, ...]
    eligible: bool

    @property
    def misses_by_one(self) -> bool:
        """Not eligible, but one condition short (for "all"; "any" has no near miss)."""
        return not self.eligible and len(self.missed) == 1 and bool(self.met)


def parse(document: Any) -> Criteria:
    """Check a criteria document and return it typed; CriteriaError says what is wrong."""
    if document in (None, "", {}):
        return Criteria("all", ())
    if not isinstance(document, dict):
        raise CriteriaError('条件须是一个对象：{"combine": ..., "conditions": [...]}。')
    combine = document.get("combine", "all")
    if combine not in COMBINE:
        raise CriteriaError("组合方式须是 all（全部满足）或 any（任一满足）。")
    raw = document.get("conditions", [])
    if not isinstance(raw, list):
        raise CriteriaError("conditions 须是条件的列表。")
    if len(raw) > 30:
        raise CriteriaError("条件不能超过30个。")
    return Criteria(combine, tuple(_condition(i, item) for i, item in enumerate(raw, start=1)))


def evaluate(criteria: Criteria, facts: Facts) -> Result:
    met = tuple(c for c in criteria.conditions if c.met_by(facts))
    missed = tuple(c for c in criteria.conditions if c not in met)
    if not criteria.conditions:
        eligible = True
    elif criteria.combine == "all":
        eligible = not missed
    else:
        eligible = bool(met)
    return Result(met=met, missed=missed, eligible=eligible)


def _condition(number: int, item: Any) -> Condition:
    where = f"第{number}个条件"
    if not isinstance(item, dict):
        raise CriteriaError(f"{where}须是一个对象。")
    name, op, value = item.get("field"), item.get("op"), item.get("value")
    if name not in FIELDS:
        raise CriteriaError(f"{where}：未知的属性 {name!r}。")
    if name in NUMBER_FIELDS:
        if op not in NUMBER_OPS:
            raise CriteriaError(f"{where}：比较方式须是 >=、>、<= 或 <。")
        try:
            number_value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise CriteriaError(f"{where}：须填写数值。") from None
        if isinstance(value, bool) or not number_value.is_finite():
            raise CriteriaError(f"{where}：须填写数值。")
        return Condition(name, op, number_value)
    if name in FLAG_FIELDS:
        if op != "is" or not isinstance(value, bool):
            raise CriteriaError(f'{where}：须写作 {{"op": "is", "value": true/false}}。')
        return Condition(name, op, value)
    if name == TAG_FIELD and op not in TAG_OPS:
        raise CriteriaError(f"{where}：标签的比较方式须是 has_any 或 has_all。")
    if name != TAG_FIELD and op != "in":
        raise CriteriaError(f"{where}：比较方式须是 in。")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise CriteriaError(f"{where}：须给出一个或多个取值。")
    return Condition(name, str(op), tuple(value))


def _plain(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")
