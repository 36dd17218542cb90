"""The enterprise sheet: its columns, the template, the export, and checking every row.

Import is check-everything-first: `check_rows` returns the clean rows and every error (row,
column, reason); only when there is no error does the service save, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qifu.enterprises import selectors
from qifu.enterprises.models import Enterprise, Kind, Status
from qifu.lib import credit_code, industry
from qifu.lib.masking import mask_phone
from qifu.lib.xlsx import Table, WorkbookError, open_workbook, read_table, write_form

# field → header texts that mean it (normalised when compared)
ALIASES: dict[str, list[str]] = {
    "name": ["企业名称", "单位名称", "名称", "企业(单位)名称"],
    "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码", "统一代码"],
    "legal_representative": ["法定代表人", "法人代表", "法定代表人(负责人)", "负责人"],
    "street": ["所属街道", "街道", "街道名称", "所在街道"],
    "address": ["地址", "注册地址", "经营地址", "详细地址"],
    "industry_code": ["行业代码", "国民经济行业代码", "行业分类代码", "行业小类代码"],
    "registered_capital": ["注册资本(万元)", "注册资本万元", "注册资金(万元)"],
    "registered_capital_yuan": ["注册资本(元)", "注册资金(元)"],
    "established_on": ["成立日期", "成立时间", "注册日期"],
    "kind": ["类型", "主体类型", "单位类型"],
    "is_above_scale": ["是否规上", "规上企业", "规模以上", "是否规模以上"],
    "is_key": ["是否重点企业", "重点企业", "是否重点"],
    "park": ["园区", "所在园区", "所属园区"],
    "tags": ["标签", "企业标签"],
    "status": ["状态", "经营状态", "企业状态"],
    "contact_name": ["联系人", "联系人姓名", "联系人姓名"],
    "contact_title": ["职务", "联系人职务"],
    "contact_phone": ["联系电话", "手机", "联系人电话", "电话"],
}
REQUIRED = ("name", "credit_code", "street", "industry_code")

GROUPS = [
    (
        gettext_lazy("Basic data"),
        ["企业名称*", "统一社会信用代码*", "法定代表人", "所属街道*", "地址"],
    ),
    (gettext_lazy("Registration"), ["行业代码*", "注册资本（万元）", "成立日期", "类型"]),
    (gettext_lazy("Scale and marks"), ["是否规上", "是否重点企业", "园区", "标签", "状态"]),
    (gettext_lazy("Contact"), ["联系人", "职务", "联系电话"]),
]

# The sheet is the office's own Chinese form: its headers and notes are not translated.
NOTES = [
    "注：带*的列必填：企业名称、统一社会信用代码、所属街道（名称或代码）、"
    "行业代码（GB/T 4754-2017四位小类代码）。",
    "注：是否规上、是否重点企业填“是”或“否”；类型填“企业”或“金融机构”；状态填“在营”“迁出”或“注销”；"
    "多个标签用顿号分隔；注册资本以万元计。",
    "注：统一社会信用代码已存在的更新该企业，否则新建；任何一行有误时整份文件都不导入。",
]
_KIND_WORDS = {Kind.ENTERPRISE: "企业", Kind.FINANCIAL: "金融机构"}
_STATUS_WORDS = {Status.OPERATING: "在营", Status.RELOCATED: "迁出", Status.CLOSED: "注销"}

_YES = {"是", "y", "yes", "true", "1", "√", "✓", "规上", "重点"}
_NO = {"否", "n", "no", "false", "0", "×", "", "none"}
_KINDS = {
    "企业": Kind.ENTERPRISE,
    "金融机构": Kind.FINANCIAL,
    "enterprise": Kind.ENTERPRISE,
    "financial": Kind.FINANCIAL,
}
_STATUSES = {
    "在营": Status.OPERATING,
    "正常": Status.OPERATING,
    "存续": Status.OPERATING,
    "迁出": Status.RELOCATED,
    "已迁出": Status.RELOCATED,
    "关闭": Status.CLOSED,
    "注销": Status.CLOSED,
    "已注销": Status.CLOSED,
    "停业": Status.CLOSED,
}
_TAG_SPLIT = re.compile(r"[、,，;；]+")


@dataclass
class RowError:
    row: int
    column: str
    message: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _flag(value: Any) -> bool | None:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise ValueError
    return dt.date(*(int(g) for g in match.groups()))


def _industry(value: Any) -> str:
    text = _text(value).upper()
    if text.isdigit() and len(text) == 3:  # Excel dropped the leading zero of 0111
        text = text.zfill(4)
    match = re.match(r"^[A-T]?(\d{4})\b", text)
    return match.group(1) if match else text


def _decimal(value: Any) -> Decimal:
    text = _text(value).replace(",", "").replace("，", "")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _field_problem(name: str, value: Any) -> str | None:
    """What the register's own field says of the value (too long, too many digits), or None."""
    try:
        Enterprise._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def load_table(data: bytes) -> Table:
    """The first sheet's table; raises WorkbookError with a reason the view turns into words."""
    book = open_workbook(data)
    return read_table(book.worksheets[0], ALIASES, required=REQUIRED)


WORKBOOK_ERRORS = {
    "too_big": gettext_lazy("The file is larger than %(limit_mb)s MB."),
    "not_xlsx": gettext_lazy(
        "The file is not an Excel workbook (.xlsx). Save it as .xlsx in Excel or WPS and try again."
    ),
    "bomb": gettext_lazy("The file unpacks to far more data than a sheet holds; it was refused."),
    "broken": gettext_lazy("The workbook is damaged and cannot be read."),
    "no_header": gettext_lazy(
        "No header row with the required columns was found (missing: %(missing)s). "
        "Download the template to see the expected columns."
    ),
    "too_many_rows": gettext_lazy("The sheet has more than %(limit)s rows."),
}


def workbook_error_message(error: WorkbookError) -> str:
    params = dict(error.params)
    if "missing" in params:
        names = {
            "name": "企业名称",
            "credit_code": "统一社会信用代码",
            "street": "所属街道",
            "industry_code": "行业代码",
        }
        params["missing"] = "、".join(names.get(m, m) for m in params["missing"]) or "—"
    return str(WORKBOOK_ERRORS[error.code]) % params


def check_rows(*, table: Table, user: Any) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Every row checked; clean rows ready for `services.enterprise_import`, and every error."""
    streets = list(selectors.streets_for_user(user=user))
    by_name = {s.name: s for s in streets} | {s.code: s for s in streets}
    by_name |= {s.name.removesuffix("街道"): s for s in streets}
    parks = {p.name: p for p in selectors.parks()}
    known = {
        e.credit_code: e
        for e in Enterprise.objects.filter(
            credit_code__in=[
                credit_code.normalise(_text(r.get("credit_code"))) for _n, r in table.rows
            ]
        ).only("id", "credit_code", "street_id")
    }
    visible = set(
        selectors.enterprises_for_user(user=user)
        .filter(pk__in=[e.pk for e in known.values()])
        .values_list("pk", flat=True)
    )
    seen: dict[str, int] = {}
    clean: list[dict[str, Any]] = []
    errors: list[RowError] = []

    for number, raw in table.rows:
        row_errors: list[RowError] = []

        def fail(field: str, message: str, number: int = number, errs: list = row_errors) -> None:
            label = table.labels.get(field, field)
            errs.append(
                RowError(
                    row=number, column=f"{table.column_letter(field)}（{label}）", message=message
                )
            )

        values: dict[str, Any] = {}
        name = _text(raw.get("name"))
        if not name:
            fail("name", _("The enterprise name is required."))
        elif len(name) > 200:
            fail("name", _("The name is longer than 200 characters."))
        values["name"] = name

        code = credit_code.normalise(_text(raw.get("credit_code")))
        found = credit_code.problem(code)
        if found is not None:
            from qifu.enterprises.validators import CREDIT_CODE_PROBLEMS

            fail("credit_code", str(CREDIT_CODE_PROBLEMS[found[0]] % found[1]))
        elif code in seen:
            fail(
                "credit_code",
                _("The same credit code is already in row %(row)s of this file.")
                % {"row": seen[code]},
            )
        elif code in known and known[code].pk not in visible:
            fail("credit_code", _("This enterprise exists but lies outside your scope."))
        else:
            seen[code] = number
        values["credit_code"] = code

        street_text = _text(raw.get("street"))
        street = by_name.get(street_text)
        if street is None:
            fail(
                "street",
                _("“%(street)s” is not a street in your scope.") % {"street": street_text}
                if street_text
                else _("The street is required."),
            )
        values["street"] = street

        code4 = _industry(raw.get("industry_code"))
        if industry.lookup(code4) is None:
            fail(
                "industry_code",
                _("“%(code)s” is not a GB/T 4754-2017 class code (four digits).")
                % {"code": _text(raw.get("industry_code"))},
            )
        values["industry_code"] = code4

        for key, scale in (("registered_capital", 1), ("registered_capital_yuan", 10000)):
            if key in table.columns and _text(raw.get(key)):
                try:
                    amount = _decimal(raw.get(key)) / scale
                    if amount < 0:
                        raise InvalidOperation
                    values["registered_capital"] = amount.quantize(Decimal("0.01"))
                except (InvalidOperation, ValueError):
                    fail(key, _("“%(value)s” is not an amount.") % {"value": _text(raw.get(key))})
                else:
                    too_large = _field_problem("registered_capital", values["registered_capital"])
                    if too_large:
                        fail(key, too_large)

        if "established_on" in table.columns and _text(raw.get("established_on")):
            try:
                established = _date(raw.get("established_on"))
                if established and established > timezone.localdate():
                    fail("established_on", _("The date established is in the future."))
                values["established_on"] = established
            except ValueError:
                fail(
                    "established_on",
                    _("“%(value)s” is not a date (e.g. 2008-05-12).")
                    % {"value": _text(raw.get("established_on"))},
                )

        if "kind" in table.columns:
            text = _text(raw.get("kind"))
            if text and text not in _KINDS:
                fail("kind", _("The kind is 企业 or 金融机构."))
            values["kind"] = _KINDS.get(text, Kind.ENTERPRISE)
        for flag in ("is_above_scale", "is_key"):
            if flag in table.columns:
                value = _flag(raw.get(flag))
                if value is None:
                    fail(flag, _("Write 是 or 否."))
                values[flag] = bool(value)
        if "status" in table.columns:
            text = _text(raw.get("status"))
            if text and text not in _STATUSES:
                fail("status", _("The status is 在营, 迁出 or 注销."))
            values["status"] = _STATUSES.get(text, Status.OPERATING)
        if "park" in table.columns:
            text = _text(raw.get("park"))
            if text and text not in parks:
                fail("park", _("“%(park)s” is not a known park.") % {"park": text})
            values["park"] = parks.get(text)
        for key in ("legal_representative", "address"):
            if key in table.columns:
                values[key] = _text(raw.get(key))
                too_long = _field_problem(key, values[key])
                if too_long:
                    fail(key, too_long)
        if "tags" in table.columns:
            values["tags"] = [
                t.strip() for t in _TAG_SPLIT.split(_text(raw.get("tags"))) if t.strip()
            ]
        contact_name = _text(raw.get("contact_name"))
        if contact_name:
            contact = {"name": contact_name[:50], "title": _text(raw.get("contact_title"))[:50]}
            phone = _text(raw.get("contact_phone"))
            if phone and "*" not in phone:  # a masked number from an export is left as it is
                contact["phone"] = phone[:30]
            values["contact"] = contact
        errors.extend(row_errors)
        if not row_errors:
            clean.append(values)
    if not table.rows:
        errors.append(
            RowError(row=table.header_row + 1, column="—", message=_("The sheet has no data rows."))
        )
    return clean, errors


def template_bytes() -> bytes:
    return write_form(
        title=_("Enterprise register"),
        groups=[(str(g), cols) for g, cols in GROUPS],
        rows=[],
        notes=[
            *NOTES,
        ],
        sheet=_("Enterprises"),
    )


def export_bytes(*, enterprises: Any, user: Any) -> bytes:
    from qifu.enterprises import permissions

    rows = []
    for e in enterprises:
        contact = next(iter(e.contacts.all()), None)
        phone = ""
        if contact and contact.phone:
            full = permissions.sees_full_phone(user, e)
            phone = contact.phone if full else mask_phone(contact.phone)
        rows.append(
            [
                e.name,
                e.credit_code,
                e.legal_representative,
                e.street.name,
                e.address,
                e.industry_code,
                float(e.registered_capital) if e.registered_capital is not None else None,
                e.established_on,
                _KIND_WORDS[e.kind],
                "是" if e.is_above_scale else "否",
                "是" if e.is_key else "否",
                e.park.name if e.park else "",
                "、".join(t.name for t in e.tags.all()),
                _STATUS_WORDS[e.status],
                contact.name if contact else "",
                contact.title if contact else "",
                phone,
            ]
        )
    return write_form(
        title=_("Enterprise register (exported %(date)s)") % {"date": timezone.localdate()},
        groups=[(str(g), cols) for g, cols in GROUPS],
        rows=rows,
        sheet=_("Enterprises"),
    )
