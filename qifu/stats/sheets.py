"""The monthly form as an Excel sheet: download for offline filling, import all or nothing, and
the analysis export.

The sheet is the statistical form itself (统一社会信用代码, 企业名称, 指标名称, 计量单位, then 本年
and 上年同期 each over 本月 and 1–本月): its headers, notes and messages are the office's own
Chinese and are not translated. Amounts stay in 千元, the form's unit. A second sheet "说明" holds
the form's code and the period (报告期 YYYYMM) so that an import can check them.

Import checks every row first and saves each enterprise through the services (save, then
submit) inside one transaction that is rolled back when any row fails: the file goes in whole or
not at all. A file that cannot be read at all raises `SheetError` (a ValueError) with a message;
everything about rows comes back in `ImportResult.errors` as (sheet row number, message).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from qifu.enterprises.models import Enterprise
from qifu.lib import credit_code
from qifu.lib.rollup import display
from qifu.lib.xlsx import WorkbookError, normalise_label, open_workbook, read_table, safe_cell
from qifu.stats import permissions, services
from qifu.stats.models import (
    DataSet,
    Indicator,
    Submission,
    SubmissionStatus,
    ValidationRule,
)
from qifu.stats.periods import Period

S: Any = SubmissionStatus
HANDED_IN: frozenset[Any] = frozenset({S.SUBMITTED, S.ACCEPTED})
COLUMNS = ("month", "ytd", "base_month", "base_ytd")

FORM_SHEET = "月报"
INFO_SHEET = "说明"
INFO_DATASET = "报表代码"
INFO_PERIOD = "报告期"
HEADER_ROWS = (2, 3)
FIRST_DATA_ROW = 4

# (field, group over two header rows or "", header text)
LAYOUT: list[tuple[str, str, str]] = [
    ("credit_code", "", "统一社会信用代码"),
    ("name", "", "企业名称"),
    ("indicator", "", "指标名称"),
    ("unit", "", "计量单位"),
    ("month", "本年", "本月"),
    ("ytd", "本年", "1–本月"),
    ("base_month", "上年同期", "本月"),
    ("base_ytd", "上年同期", "1–本月"),
    ("base_reason", "", "上年同期修订原因"),
    ("note", "", "情况说明"),
    ("status", "", "报送状态"),
]

_YTD_WORDS = ["1–本月", "1-本月", "1—本月", "1－本月", "1~本月", "1～本月", "1至本月", "累计"]
ALIASES: dict[str, list[str]] = {
    "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码", "统一代码"],
    "name": ["企业名称", "单位名称", "单位详细名称", "名称"],
    "indicator": ["指标名称", "指标", "项目"],
    "unit": ["计量单位", "单位"],
    "month": ["本月", "本年本月", "本月数", "本年本月数"],
    "ytd": _YTD_WORDS + [f"本年{w}" for w in _YTD_WORDS],
    "base_month": ["上年同期本月", "上年本月", "上年同月"],
    "base_ytd": [f"上年同期{w}" for w in _YTD_WORDS] + [f"上年{w}" for w in _YTD_WORDS],
    "base_reason": ["上年同期修订原因", "修订原因", "上年同期数修订原因"],
    "note": ["情况说明", "说明", "备注", "原因说明"],
}
REQUIRED = ("credit_code", "indicator", "month", "ytd")

STATUS_WORDS = {S.DRAFT: "草稿", S.SUBMITTED: "已报送", S.ACCEPTED: "已审核", S.RETURNED: "已退回"}

NOTES = [
    "注：金额单位为千元（与统计报表一致），从业人员以人计，用电量以万千瓦时计；最多两位小数。",
    "注：“上年同期”已按上年审核数据填好；如需修订，请在“上年同期修订原因”中写明原因。",
    "注：审核规则提示需要说明的，请在该指标行的“情况说明”中写明原因。",
    "注：导入时逐企业保存并报送；任何一行有误时整份文件都不导入。已报送或已审核的企业需先退回才能修改。",
]

WORKBOOK_MESSAGES = {
    "too_big": "文件超过 {limit_mb} MB，无法导入。",
    "not_xlsx": "文件不是 Excel 工作簿（.xlsx），请在 Excel 或 WPS 中另存为 .xlsx 后再导入。",
    "bomb": "文件解压后的数据量远超正常报表，已拒绝。",
    "broken": "工作簿已损坏，无法读取。",
    "no_header": "未找到表头（缺少列：{missing}）。请下载本系统的报表模板填写。",
    "too_many_rows": "表格超过 {limit} 行，无法导入。",
}
_FIELD_WORDS = {
    "credit_code": "统一社会信用代码",
    "indicator": "指标名称",
    "month": "本年本月",
    "ytd": "本年1–本月",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_REFERENCE = re.compile(r"#\{\s*([A-Za-z0-9_\-*]+)\s*\.")
_TITLE_PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_MAX_TEXT = 500


class SheetError(ValueError):
    """The file as a whole cannot be imported; the message says why, in the office's words."""


@dataclass
class ImportResult:
    """What an import did. When `errors` is not empty nothing was saved and the counts are 0.

    created: forms that did not exist; updated: drafts or returned forms changed; submitted:
    forms submitted (created + updated when all went well); skipped: forms already submitted or
    accepted whose figures equal the file's; blank: enterprises listed in the file with no
    figures this month, left alone.
    """

    created: int = 0
    updated: int = 0
    submitted: int = 0
    skipped: int = 0
    blank: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- words --------------------------------------------------------------------------------------


def period_words(period: Period) -> str:
    """ "2026年10月"."""
    return f"{period.year}年{period.month}月"


def ytd_words(period: Period) -> str:
    """ "1–10月"; January's year to date is "1月"."""
    return "1月" if period.month == 1 else f"1–{period.month}月"


def workbook_message(error: WorkbookError) -> str:
    params = dict(error.params)
    if "missing" in params:
        params["missing"] = "、".join(_FIELD_WORDS.get(m, m) for m in params["missing"]) or "—"
    return WORKBOOK_MESSAGES.get(error.code, WORKBOOK_MESSAGES["broken"]).format(**params)


# --- the form -----------------------------------------------------------------------------------


def _indicators(dataset: DataSet) -> list[Indicator]:
    return list(dataset.indicators.order_by("sort_order", "code"))


def _rule_indicators(rule: Any) -> list[str]:
    """The indicators a rule's two sides refer to, in order (not its condition)."""
    found: list[str] = []
    for part in (rule.left, rule.right):
        for code in _REFERENCE.findall(part or ""):
            if code != "*" and code not in found:
                found.append(code)
    return found


def _explanation_rows(
    submission: Submission, rules: dict[str, ValidationRule]
) -> dict[str, list[str]]:
    """Each stored explanation placed on the indicator its violation concerns."""
    placed: dict[str, list[str]] = {}
    for violation in submission.violations or []:
        code = violation.get("rule", "")
        text = (submission.explanations or {}).get(code, "")
        if not text:
            continue
        indicator = violation.get("indicator") or ""
        if not indicator and code in rules:
            indicator = next(iter(_rule_indicators(rules[code])), "")
        if indicator and text not in placed.setdefault(indicator, []):
            placed[indicator].append(text)
    return placed


def _title(dataset: DataSet, period: Period) -> str:
    return f"{dataset.name}（{period_words(period)}）　金额单位：千元"


def form_workbook(*, dataset: DataSet, period: Period, enterprises: Iterable[Enterprise]) -> bytes:
    """The month's form for `enterprises` (already scoped by the caller): one row per enterprise
    and indicator, filled with the period's figures where a form exists, else with last year's
    approved figures in the 上年同期 columns."""
    period = period if isinstance(period, Period) else Period.parse(period)
    companies = list(enterprises)
    indicators = _indicators(dataset)
    submissions = {
        s.enterprise_id: s
        for s in Submission.objects.filter(
            dataset=dataset, period=str(period), enterprise__in=[e.pk for e in companies]
        ).prefetch_related("values__indicator")
    }
    with_basis = set(
        Submission.objects.filter(
            dataset=dataset,
            period=str(period.last_year),
            status=S.ACCEPTED,
            enterprise__in=[e.pk for e in companies if e.pk not in submissions],
        ).values_list("enterprise_id", flat=True)
    )
    rules = {r.code: r for r in ValidationRule.objects.all()}

    book = Workbook()
    ws = book.active
    ws.title = FORM_SHEET
    width = len(LAYOUT)
    title = ws.cell(row=1, column=1, value=safe_cell(_title(dataset, period)))
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _write_header(ws)

    r = FIRST_DATA_ROW
    for enterprise in companies:
        submission = submissions.get(enterprise.pk)
        stored: dict[str, Any] = {}
        notes: dict[str, list[str]] = {}
        basis: dict[str, tuple[Decimal | None, Decimal | None]] = {}
        if submission is not None:
            stored = {v.indicator.code: v for v in submission.values.all()}
            notes = _explanation_rows(submission, rules)
        elif enterprise.pk in with_basis:
            basis = services.last_year_basis(dataset, enterprise, period)
        status = STATUS_WORDS.get(submission.status, "") if submission else "未填报"
        for indicator in indicators:
            value = stored.get(indicator.code)
            if value is not None:
                figures = [value.month, value.ytd, value.base_month, value.base_ytd]
                reason = value.base_reason
            else:
                base_month, base_ytd = basis.get(indicator.code, (None, None))
                figures = [None, None, base_month, base_ytd]
                reason = ""
            row = [
                enterprise.credit_code,
                enterprise.name,
                indicator.name,
                indicator.unit,
                *figures,
                reason,
                "；".join(notes.get(indicator.code, [])),
                status,
            ]
            for c, cell_value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=safe_cell(cell_value))
                if 5 <= c <= 8:
                    cell.number_format = "#,##0.00"
            r += 1
    for note in NOTES:
        r += 1
        ws.cell(row=r, column=1, value=safe_cell(note))
    for c, (_name, _group, header) in enumerate(LAYOUT, start=1):
        ws.column_dimensions[get_column_letter(c)].width = {1: 22, 2: 28, 3: 18, 10: 30}.get(
            c, max(12, len(header) * 2 + 2)
        )
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=5)
    _write_info(book, dataset, period)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_header(ws: Any) -> None:
    fill = PatternFill("solid", fgColor="DDEBF7")
    thin = Side(style="thin", color="999999")
    upper, lower = HEADER_ROWS
    c = 1
    while c <= len(LAYOUT):
        _name, group, header = LAYOUT[c - 1]
        if group:
            span = sum(1 for _n, g, _h in LAYOUT if g == group)
            ws.cell(row=upper, column=c, value=group)
            ws.merge_cells(start_row=upper, start_column=c, end_row=upper, end_column=c + span - 1)
            for offset in range(span):
                ws.cell(row=lower, column=c + offset, value=LAYOUT[c - 1 + offset][2])
            c += span
        else:
            ws.cell(row=upper, column=c, value=header)
            ws.merge_cells(start_row=upper, start_column=c, end_row=lower, end_column=c)
            c += 1
    for r in HEADER_ROWS:
        for col in range(1, len(LAYOUT) + 1):
            cell = ws.cell(row=r, column=col)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_info(book: Workbook, dataset: DataSet, period: Period) -> None:
    ws = book.create_sheet(INFO_SHEET)
    rows = [
        ("项目", "内容"),
        ("报表名称", dataset.name),
        (INFO_DATASET, dataset.code),
        (INFO_PERIOD, str(period)),
        ("报告期（文字）", period_words(period)),
        ("金额单位", "千元"),
        ("生成日期", timezone.localdate().isoformat()),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=safe_cell(key)).font = Font(bold=r == 1)
        ws.cell(row=r, column=2, value=safe_cell(value)).font = Font(bold=r == 1)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    for offset, note in enumerate(NOTES, start=len(rows) + 2):
        ws.cell(row=offset, column=1, value=safe_cell(note))


# --- import -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        text = text[1:]  # a cell neutralised by safe_cell on download
    return text


_FULL_WIDTH_DIGITS = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {
    0xFF0E: ".",
    0xFF0D: "-",
}


def _number(raw: Any) -> Decimal | None:
    """A cell as a number; ValueError with the office's words for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool | dt.date | dt.time):
        raise ValueError(f"“{_text(raw)[:20]}”不是数字。")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError("请填写数字。")
        value = Decimal(repr(raw))
        if abs(value) < services.MAX_ABS:
            rounded = value.quantize(Decimal("0.01"))
            if abs(value - rounded) < Decimal("1e-6"):  # binary noise of a spreadsheet sum
                value = rounded
        return value
    text = str(raw).strip().translate(_FULL_WIDTH_DIGITS)
    text = text.replace(",", "").replace("，", "").replace(" ", "").replace("\u3000", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{str(raw).strip()[:20]}”不是数字。") from None
    if not value.is_finite():
        raise ValueError("请填写数字。")
    return value


def _number_problem(value: Decimal) -> str:
    if abs(value) >= services.MAX_ABS:
        return "数值过大，请注意金额单位为千元。"
    if value != value.quantize(Decimal("0.01")):
        return "最多保留两位小数。"
    return ""


def _indicator_lookup(indicators: list[Indicator]) -> dict[str, Indicator]:
    lookup: dict[str, Indicator] = {}
    for indicator in indicators:
        for key in (indicator.name, indicator.code, f"{indicator.name}({indicator.unit})"):
            lookup[normalise_label(key)] = indicator
    return lookup


def _file_period(book: Any, ws: Any) -> tuple[str, str]:
    """(form code, period) written in the file: the 说明 sheet, else the title's 年月."""
    code = period = ""
    if INFO_SHEET in book.sheetnames:
        info = book[INFO_SHEET]
        for key, value, *_rest in info.iter_rows(min_row=1, max_row=30, values_only=True):
            label = _text(key)
            if label == INFO_DATASET:
                code = _text(value)
            elif label == INFO_PERIOD:
                period = _text(value)
    if not period:
        for row in ws.iter_rows(min_row=1, max_row=3, values_only=True):
            for value in row:
                found = _TITLE_PERIOD.search(_text(value))
                if found:
                    period = f"{int(found[1]):04d}{int(found[2]):02d}"
                    break
            if period:
                break
    return code, period


@dataclass
class _Line:
    """One data row of the file, checked."""

    row: int
    indicator: Indicator | None = None
    figures: dict[str, Decimal | None] = field(default_factory=dict)
    base_reason: str = ""
    note: str = ""
    ok: bool = True


@dataclass
class _Company:
    code: str
    name: str
    lines: list[_Line] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return self.lines[0].row


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, row: int, message: str) -> None:
        if (row, message) not in self.items:
            self.items.append((row, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[tuple[int, str]]:
        return sorted(self.items, key=lambda item: item[0])


def _read(
    data: bytes, dataset: DataSet, period: Period
) -> tuple[dict[str, _Company], list[Indicator], _Errors]:
    """The file's rows grouped by credit code, each row checked on its own."""
    try:
        book = open_workbook(data)
    except WorkbookError as error:
        raise SheetError(workbook_message(error)) from None
    if not book.worksheets:
        raise SheetError("工作簿中没有工作表。")
    ws = book[FORM_SHEET] if FORM_SHEET in book.sheetnames else book.worksheets[0]
    if not ws.max_row or ws.max_row < 2:
        raise SheetError("工作表是空的，请在下载的报表中填写后再导入。")
    code, written = _file_period(book, ws)
    if code and code != dataset.code:
        raise SheetError(
            f"文件是另一张报表（{code[:40]}）的，不是“{dataset.name}”，请下载本报表的模板。"
        )
    if not written:
        raise SheetError(
            f"文件中找不到报告期，请使用本系统下载的{period_words(period)}报表填写（“说明”表中的报告期）。"
        )
    if written != str(period):
        try:
            shown = period_words(Period.parse(written))
        except ValidationError:
            shown = written[:20]
        raise SheetError(
            f"文件的报告期是{shown}，与要导入的{period_words(period)}不一致，请下载{period_words(period)}的报表。"
        )
    try:
        table = read_table(ws, ALIASES, required=REQUIRED)
    except WorkbookError as error:
        raise SheetError(workbook_message(error)) from None
    if not table.rows:
        raise SheetError("表中没有数据行。")

    indicators = _indicators(dataset)
    lookup = _indicator_lookup(indicators)
    errors = _Errors()
    companies: dict[str, _Company] = {}
    for number, raw in table.rows:
        line = _Line(row=number)
        code = credit_code.normalise(_text(raw.get("credit_code")))
        name = _text(raw.get("name"))
        label = _text(raw.get("indicator"))
        who = name or code or "（无企业）"
        if not code:
            errors.add(number, f"{who}：缺少统一社会信用代码。")
            continue
        indicator = lookup.get(normalise_label(label))
        if indicator is None:
            message = f"“{label[:30]}”不是本报表的指标。" if label else "缺少指标名称。"
            errors.add(number, f"{who}：{message}")
            line.ok = False
        line.indicator = indicator
        what = f"{who}　{indicator.name if indicator else label[:30]}"
        unit = _text(raw.get("unit"))
        if (
            indicator is not None
            and unit
            and normalise_label(unit) != normalise_label(indicator.unit)
        ):
            errors.add(number, f"{what}：计量单位应为{indicator.unit}，不能是“{unit[:20]}”。")
            line.ok = False
        for column in COLUMNS:
            if column not in table.columns:
                line.figures[column] = None
                continue
            try:
                value = _number(raw.get(column))
            except ValueError as problem:
                errors.add(number, f"{what}：{table.labels.get(column, column)} {problem}")
                line.ok = False
                continue
            if value is not None and _number_problem(value):
                errors.add(number, f"{what}：{_number_problem(value)}")
                line.ok = False
            line.figures[column] = value
        line.base_reason = _text(raw.get("base_reason"))[:_MAX_TEXT]
        line.note = _text(raw.get("note"))[:_MAX_TEXT]
        company = companies.setdefault(code, _Company(code=code, name=name))
        if indicator is not None and any(
            other.indicator == indicator for other in company.lines if other.ok
        ):
            errors.add(number, f"{what}：同一企业的该指标在文件中出现了两次。")
            line.ok = False
        company.lines.append(line)
    return companies, indicators, errors


def _same(line: _Line, stored: Any) -> bool:
    if stored is None:
        return all(v is None for v in line.figures.values())
    for column in COLUMNS:
        given = line.figures.get(column)
        if column.startswith("base_") and given is None:
            continue  # left empty: last year's figures are kept as they are
        if given != getattr(stored, column):
            return False
    return True


def _explanations(
    company: _Company, violations: list[dict[str, Any]], rules: dict[str, ValidationRule]
) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The 情况说明 of each soft rule violated (from the rows of the indicators it concerns)
    and a row error for each soft rule left unexplained."""
    rows = {line.indicator.code: line for line in company.lines if line.indicator}
    labels = {line.indicator.code: line.indicator.name for line in company.lines if line.indicator}
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for violation in violations:
        if violation["importance"] == "soft":
            by_rule.setdefault(violation["rule"], []).append(violation)
    texts: dict[str, str] = {}
    missing: list[tuple[int, str]] = []
    for code, found in by_rule.items():
        concerned = [v["indicator"] for v in found if v["indicator"]]
        if not concerned and code in rules:
            concerned = _rule_indicators(rules[code])
        notes: list[str] = []
        for indicator in concerned:
            line = rows.get(indicator)
            if line is not None and line.note and line.note not in notes:
                notes.append(line.note)
        if len("；".join(notes)) >= 2:
            texts[code] = "；".join(notes)[:_MAX_TEXT]
            continue
        for violation in found:
            indicator = violation["indicator"] or (concerned[0] if concerned else "")
            line = rows.get(indicator)
            names = violation["indicator_name"] or "、".join(
                labels[c] for c in concerned if c in labels
            )
            missing.append(
                (
                    line.row if line is not None else company.first_row,
                    f"{company.name}　{names or violation['name']}：{violation['instruction']}"
                    "（请在该指标行的“情况说明”中写明原因）",
                )
            )
    return texts, missing


def _hard(
    company: _Company, violations: list[dict[str, Any]], rules: dict[str, Any]
) -> list[tuple[int, str]]:
    rows = {line.indicator.code: line for line in company.lines if line.indicator}
    found = []
    for violation in violations:
        if violation["importance"] != "hard":
            continue
        indicator = violation["indicator"]
        if not indicator and violation["rule"] in rules:
            indicator = next(
                (c for c in _rule_indicators(rules[violation["rule"]]) if c in rows), ""
            )
        line = rows.get(indicator)
        name = violation["indicator_name"] or (
            line.indicator.name if line is not None and line.indicator else violation["name"]
        )
        found.append(
            (
                line.row if line is not None else company.first_row,
                f"{company.name}　{name}：{violation['instruction']}",
            )
        )
    return found


def _service_errors(company: _Company, error: Exception) -> list[tuple[int, str]]:
    """A service's refusal as row errors: a field like `output.base_reason` or `values[2].…`
    points at the indicator's row, anything else at the enterprise's first row."""
    rows = {line.indicator.code: line.row for line in company.lines if line.indicator}
    valid = [line for line in company.lines if line.ok and line.indicator]
    found: list[tuple[int, str]] = []
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            row = company.first_row
            index = re.match(r"values\[(\d+)\]", key)
            if index and int(index[1]) < len(valid):
                row = valid[int(index[1])].row
            elif key.split(".")[0] in rows:
                row = rows[key.split(".")[0]]
            for message in messages:
                found.append((row, f"{company.name}：{message}"))
        return found
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return [(company.first_row, f"{company.name}：{m}") for m in messages if m]


class _Rollback(Exception):
    pass


def import_workbook(*, by: Any, dataset: DataSet, period: Period, data: bytes) -> ImportResult:
    """Save and submit the forms in the file, all or nothing.

    Raises SheetError when the file cannot be read (wrong type, damaged, too large, empty, no
    header, another period or form). Every problem of a row comes back as (row number, message)
    and nothing is saved then.
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    companies, indicators, errors = _read(data, dataset, period)
    by_code = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=list(companies)).select_related("street")
    }
    submissions = {
        s.enterprise_id: s
        for s in Submission.objects.filter(
            dataset=dataset, period=str(period), enterprise__in=list(by_code.values())
        ).prefetch_related("values__indicator")
    }
    rules = {r.code: r for r in ValidationRule.objects.all()}
    result = ImportResult()

    try:
        with transaction.atomic():
            for company in sorted(companies.values(), key=lambda c: c.first_row):
                enterprise = by_code.get(company.code)
                if enterprise is None:
                    errors.add(
                        company.first_row,
                        f"{company.name or company.code}：统一社会信用代码 {company.code[:20]} "
                        "不在企业库中。",
                    )
                    continue
                company.name = enterprise.name
                if not permissions.can_enter(by, enterprise):
                    errors.add(
                        company.first_row,
                        f"{enterprise.name}：不属于您可以填报的企业（{enterprise.street.name}）。",
                    )
                    continue
                if not services.is_listed(dataset, enterprise, period):
                    errors.add(
                        company.first_row,
                        f"{enterprise.name}：不在{period_words(period)}的规上工业调查名录中。",
                    )
                    continue
                _import_one(
                    by, dataset, period, enterprise, company, indicators,
                    submissions.get(enterprise.pk), rules, errors, result,
                )  # fmt: skip
            if errors:
                raise _Rollback
    except _Rollback:
        return ImportResult(errors=errors.sorted())
    return result


def _import_one(
    by: Any,
    dataset: DataSet,
    period: Period,
    enterprise: Enterprise,
    company: _Company,
    indicators: Sequence[Indicator],
    submission: Submission | None,
    rules: dict[str, ValidationRule],
    errors: _Errors,
    result: ImportResult,
) -> None:
    filled = any(
        line.figures.get("month") is not None or line.figures.get("ytd") is not None
        for line in company.lines
    )
    if not filled:
        if submission is None or submission.status not in HANDED_IN:
            result.blank += 1
        else:
            result.skipped += 1
        return
    if any(not line.ok for line in company.lines):
        return  # its row errors are already listed
    lines = [(line, line.indicator) for line in company.lines if line.indicator is not None]

    if submission is not None and submission.status in HANDED_IN:
        stored = {v.indicator.code: v for v in submission.values.all()}
        changed = [
            (line, indicator)
            for line, indicator in lines
            if not _same(line, stored.get(indicator.code))
        ]
        if not changed:
            result.skipped += 1
            return
        word = STATUS_WORDS[submission.status]
        for line, indicator in changed:
            errors.add(
                line.row,
                f"{enterprise.name}　{indicator.name}：该企业本月报表{word}，"
                "数据与已报数不同，需先由街道退回后再导入。",
            )
        return

    known = len(errors.items)
    given = {indicator.code for _line, indicator in lines}
    absent = [i.name for i in indicators if i.code not in given]
    if absent:
        errors.add(company.first_row, f"{enterprise.name}：缺少指标 {'、'.join(absent)}。")
    for line, indicator in lines:
        blank = [
            word
            for column, word in (("month", "本年本月"), ("ytd", "本年1–本月"))
            if line.figures.get(column) is None
        ]
        if blank:
            errors.add(line.row, f"{enterprise.name}　{indicator.name}：请填写{'和'.join(blank)}。")
    if len(errors.items) > known:
        return

    values = [
        {"indicator": indicator.code, **line.figures, "base_reason": line.base_reason}
        for line, indicator in lines
    ]
    try:
        with transaction.atomic():
            saved = services.submission_save(
                by=by, dataset=dataset, enterprise=enterprise, period=period, values=values
            )
            problems = _hard(company, saved.violations, rules)
            explanations, unexplained = _explanations(company, saved.violations, rules)
            problems += unexplained
            if problems:
                for row, message in problems:
                    errors.add(row, message)
                raise _Rollback
            services.submission_submit(by=by, submission=saved, explanations=explanations)
    except _Rollback:
        return
    except (ValidationError, services.TransitionError, PermissionDenied) as error:
        for row, message in _service_errors(company, error):
            errors.add(row, message)
        return
    if submission is None:
        result.created += 1
    else:
        result.updated += 1
    result.submitted += 1


# --- the analysis export ------------------------------------------------------------------------

_WAN = Decimal(10)


def _amount(value: Decimal | None, money: bool) -> Decimal | None:
    if value is None:
        return None
    shown = value / _WAN if money else value
    return shown.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate(rate: Decimal | None) -> Decimal | None:
    """A rate rounded for display as a number of percent (or percentage points)."""
    text = display(rate)
    return Decimal(text.removesuffix("%")) if text else None


def _rollup_row(name: str, entry: dict[str, Any], money: bool, contribution: Any) -> list[Any]:
    return [
        name,
        _amount(entry.get("month"), money),
        _amount(entry.get("ytd"), money),
        _amount(entry.get("ytd_base"), money),
        _rate(entry.get("ytd_yoy")),
        entry.get("yoy_note", ""),
        _rate(contribution),
        _rate(entry.get("mom")),
        _rate(entry.get("month_yoy")),
        _amount(entry.get("last_year_ytd"), money),
        _rate(entry.get("naive_ytd_yoy")),
        entry.get("enterprises"),
    ]


def rollup_workbook(
    *, title: str, result: dict[str, Any], indicator: Indicator, period: Period
) -> bytes:
    """The rollup of `selectors.rollup` as a table: the total, one row per child unit, the
    comparable-basis note and, when the rollup has `by_enterprise`, a second sheet of
    enterprises by contribution. Money in 万元 (2 decimals), rates rounded for display.

    `title` names the unit (e.g. "李沧区"); the indicator is added unless the title names it, and
    the period is always added."""
    period = period if isinstance(period, Period) else Period.parse(period)
    money = bool(indicator.is_money)
    unit = "万元" if money else indicator.unit
    ytd = ytd_words(period)
    headers = [
        "单位",
        f"本月（{unit}）",
        f"{ytd}（{unit}）",
        f"上年同期{ytd}（{unit}）",
        "同比(%)",
        "说明",
        "贡献率(百分点)",
        "环比(%)",
        "本月同比(%)",
        f"上年公布{ytd}（{unit}）",
        "按上年公布数同比(%)",
        "企业数",
    ]
    rows: list[list[Any]] = [_rollup_row("合计", result, money, result.get("ytd_yoy"))]
    for child in result.get("children") or []:
        rows.append(_rollup_row(child.get("name", ""), child, money, child.get("contribution")))

    book = Workbook()
    ws = book.active
    ws.title = "汇总"
    heading = title if indicator.name in title else f"{title}　{indicator.name}"
    heading = f"{heading}（{period.year}年{ytd}）"
    _table(ws, heading, headers, rows, rates=(5, 7, 8, 9, 11))
    r = ws.max_row + 2
    naive = display(result.get("naive_ytd_yoy"))
    comparable = display(result.get("ytd_yoy"))
    lines = [
        "口径说明：同比按可比口径计算，即本期与上年同期均有数据的企业，本期合计与其上年同期"
        "（含修订）合计之比；贡献率为各单位对合计增速的拉动（百分点），合计等于总增速。",
        f"可比口径同比：{comparable or result.get('yoy_note') or '—'}；"
        f"按上年同期公布总量计算：{naive or result.get('naive_note') or '—'}。",
    ]
    if money:
        lines.append("金额单位：万元（报表单位千元÷10，保留两位小数）。")
    for line in lines:
        ws.cell(row=r, column=1, value=safe_cell(line))
        r += 1

    enterprises = result.get("by_enterprise")
    if enterprises is not None:
        sheet = book.create_sheet("企业")
        rows = [
            [
                e.get("name", ""),
                e.get("street", ""),
                _amount(e.get("ytd"), money),
                _amount(e.get("ytd_base"), money),
                _amount(e.get("change"), money),
                _rate(e.get("ytd_yoy")),
                e.get("yoy_note", ""),
                _rate(e.get("contribution")),
            ]
            for e in enterprises
        ]
        _table(
            sheet,
            f"{heading}　企业贡献",
            [
                "企业",
                "街道",
                f"{ytd}（{unit}）",
                f"上年同期{ytd}（{unit}）",
                f"增减（{unit}）",
                "同比(%)",
                "说明",
                "贡献率(百分点)",
            ],
            rows,
            rates=(6, 8),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(
    ws: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], rates: Sequence[int]
) -> None:
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    fill = PatternFill("solid", fgColor="DDEBF7")
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=c, value=safe_cell(header))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = max(10, min(30, len(header) * 2))
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(value))
            if isinstance(value, Decimal):
                cell.number_format = "0.00" if c in rates else "#,##0.00"
    ws.column_dimensions["A"].width = 24
    ws.freeze_panes = "B3"
