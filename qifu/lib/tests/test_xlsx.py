"""qifu.lib.xlsx: formula-safe cells and a one-sheet table that Excel (openpyxl) opens."""

from __future__ import annotations

import ast
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

import qifu.lib
from qifu.lib.xlsx import safe_cell, write_table


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+86 532", "-1", "@SUM(A1)", '=HYPERLINK("http://x","点我")', "\t=1", "\r=1"],
)
def test_safe_cell_neutralises_text_that_a_spreadsheet_would_run(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["李村街道", "a=b", "", "100", "2026-02-14"])
def test_safe_cell_leaves_ordinary_text_alone(value: str) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-1, 3.5, Decimal("-12.50"), None, True, dt.date(2026, 2, 14)])
def test_safe_cell_leaves_numbers_and_dates_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_safe_cell_drops_the_time_zone_excel_cannot_store() -> None:
    moment = dt.datetime(2026, 2, 14, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

    assert safe_cell(moment) == dt.datetime(2026, 2, 14, 9, 30)  # noqa: DTZ001


def test_write_table_opens_with_title_headers_and_rows() -> None:
    content = write_table(
        title="企业名单",
        headers=["名称", "街道", "营业收入（万元）"],
        rows=[("天路集团", "李村街道", Decimal("2300.50")), ("=cmd", "楼山街道", 12)],
        sheet="企业",
    )

    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "企业"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业名单"
    assert rows[1] == ("名称", "街道", "营业收入（万元）")
    assert rows[2] == ("天路集团", "李村街道", 2300.5)
    assert rows[3] == ("'=cmd", "楼山街道", 12)
    assert sheet["A2"].font.b
    assert sheet.freeze_panes == "A3"
    assert "A1:C1" in {str(r) for r in sheet.merged_cells.ranges}


def test_write_table_accepts_a_generator_and_no_rows() -> None:
    nothing: list[tuple[str]] = []

    content = write_table(title="空", headers=["一"], rows=(row for row in nothing))

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 2
    assert sheet.title == "Sheet1"


def test_a_long_sheet_name_is_cut_to_excels_limit() -> None:
    content = write_table(title="t", headers=["a", "b"], rows=[], sheet="x" * 40)

    assert load_workbook(io.BytesIO(content)).active.title == "x" * 31


def test_the_lib_package_imports_no_django() -> None:
    for path in Path(qifu.lib.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(m.split(".")[0] == "django" for m in modules), path.name
