"""Excel files as district offices send them, built for the import tests.

`office_sheet` writes a title row, a two-row header whose upper row groups the columns (merged
cells), the data rows with blank rows between them, and notes below the table.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from qifu.enterprises.tests.factories import valid_code

GROUPS: list[tuple[str, list[str]]] = [
    ("基本情况", ["企业名称*", "统一社会信用代码*", "所属街道*", "法定代表人"]),
    ("登记信息", ["行业代码*", "注册资本（万元）", "成立日期"]),
    ("规模与标识", ["是否规上", "是否重点企业", "标签"]),
    ("联系人", ["联系人", "职务", "联系电话"]),
]
COLUMNS = [header for _group, headers in GROUPS for header in headers]
TITLE = "李沧区重点企业名录（2026年一季度）"
NOTES = ["注：带*的列必填。", "填表说明：是否规上填“是”或“否”。"]
FIRST_DATA_ROW = 4  # title, group row, header row


def row(n: int, **values: Any) -> dict[str, Any]:
    """The n-th enterprise of a file: valid, in 李村街道; `values` override columns by header."""
    return {
        "企业名称*": f"青岛导入测试{n:03d}有限公司",
        "统一社会信用代码*": valid_code(100_000 + n),
        "所属街道*": "李村街道",
        "法定代表人": "王磊",
        "行业代码*": "2614",
        "注册资本（万元）": 1200.5,
        "成立日期": dt.date(2010, 1, 1) + dt.timedelta(days=n),
        "是否规上": "是" if n % 2 else "否",
        "是否重点企业": "否",
        "标签": "专精特新、高新技术企业" if n % 3 == 0 else "",
        "联系人": f"联系人{n}",
        "职务": "办公室主任",
        "联系电话": "13600001234",
        **values,
    }


def office_sheet(
    rows: Sequence[dict[str, Any]],
    *,
    groups: Sequence[tuple[str, Sequence[str]]] = GROUPS,
    title: str = TITLE,
    notes: Sequence[str] = NOTES,
    blank_after: Sequence[int] = (),
) -> bytes:
    """The workbook's bytes. A blank row follows the data rows whose index is in `blank_after`."""
    columns = [header for _group, headers in groups for header in headers]
    book = Workbook()
    ws = book.active
    ws.title = "企业名录"
    ws.cell(row=1, column=1, value=title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    column = 1
    for group, headers in groups:
        ws.cell(row=2, column=column, value=group)
        if len(headers) > 1:
            ws.merge_cells(
                start_row=2, start_column=column, end_row=2, end_column=column + len(headers) - 1
            )
        for offset, header in enumerate(headers):
            ws.cell(row=3, column=column + offset, value=header)
        column += len(headers)
    number = FIRST_DATA_ROW
    for index, values in enumerate(rows):
        for c, header in enumerate(columns, start=1):
            ws.cell(row=number, column=c, value=values.get(header))
        number += 1
        if index in blank_after:
            number += 1
    number += 1
    for note in notes:
        ws.cell(row=number, column=1, value=note)
        number += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    """Every row of the first sheet, as values."""
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
