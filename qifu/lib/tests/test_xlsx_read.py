"""qifu.lib.xlsx, reading: open an upload safely, then find the table in an office's sheet."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from qifu.lib import xlsx
from qifu.lib.xlsx import (
    WorkbookError,
    normalise_label,
    open_workbook,
    read_table,
    write_form,
    write_table,
)

ALIASES = {
    "name": ["企业名称", "名称"],
    "code": ["统一社会信用代码"],
    "capital": ["注册资本(万元)"],
    "contact_name": ["联系人姓名"],
    "contact_phone": ["联系人电话", "联系电话"],
}


def book_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_sheet() -> Workbook:
    """A title row, a two-row header with merged groups, blank rows, a total and notes."""
    book = Workbook()
    ws = book.active
    ws["A1"] = "2026年李沧区企业名录"
    ws.merge_cells("A1:E1")
    ws["A2"] = "基本情况"
    ws.merge_cells("A2:B2")
    ws["C2"] = "注册资本（万元）"  # one column, its header merged over two rows
    ws.merge_cells("C2:C3")
    ws["D2"] = "联系人"
    ws.merge_cells("D2:E2")
    ws["A3"] = "企业名称 *"
    ws["B3"] = "统一社会信用\n代码"
    ws["D3"] = "姓名"
    ws["E3"] = "电话"
    ws.append(["天路集团", "91370200163562681G", 12000, "张伟", "13812341234"])
    ws.append([])
    ws.append([None, "   ", None])
    ws.append(["瑞丰气体", "9144030071526726XG", "5,200.5", "李强", None])
    ws.append(["合计", None, 17200.5])
    ws.append([])
    ws.append(["注：带*的列必填。"])
    ws.append(["说明", "数据截至2026年3月"])
    return book


def table_of(book: Workbook, **kwargs):
    return read_table(load_workbook(io.BytesIO(book_bytes(book))).active, ALIASES, **kwargs)


# --- Reading the table --------------------------------------------------------------------------


def test_a_two_row_merged_header_under_a_title_is_found() -> None:
    table = table_of(office_sheet())

    assert table.header_row == 3
    assert table.columns == {
        "name": 1,
        "code": 2,
        "capital": 3,
        "contact_name": 4,
        "contact_phone": 5,
    }


def test_a_group_cell_and_the_cell_below_it_make_one_header() -> None:
    table = table_of(office_sheet())

    # 联系人 over 姓名 and 电话: 联系人姓名, 联系人电话
    assert table.labels["contact_name"] == "姓名"
    assert table.column_letter("contact_phone") == "E"
    assert table.column_letter("nothing") == ""


def test_the_header_keeps_the_text_as_written_for_error_messages() -> None:
    table = table_of(office_sheet())

    assert table.labels["name"] == "企业名称 *"
    assert table.labels["capital"] == "注册资本（万元）"


def test_blank_rows_totals_and_notes_are_skipped_and_row_numbers_kept() -> None:
    table = table_of(office_sheet())

    assert [number for number, _row in table.rows] == [4, 7]
    first = table.rows[0][1]
    assert first == {
        "name": "天路集团",
        "code": "91370200163562681G",
        "capital": 12000,
        "contact_name": "张伟",
        "contact_phone": "13812341234",
    }
    assert table.rows[1][1]["capital"] == "5,200.5"
    assert table.rows[1][1]["contact_phone"] is None


def test_a_plain_one_row_header_is_read_too() -> None:
    book = Workbook()
    book.active.append(["名称", "统一社会信用代码"])
    book.active.append(["天路集团", "91370200163562681G"])

    table = table_of(book, required=["name", "code"])

    assert table.header_row == 1
    assert table.rows == [(2, {"name": "天路集团", "code": "91370200163562681G"})]


def test_a_missing_required_column_is_named() -> None:
    book = Workbook()
    book.active.append(["名称", "地址"])
    book.active.append(["天路集团", "李沧区"])

    with pytest.raises(WorkbookError) as raised:
        table_of(book, required=["name", "code"])

    assert raised.value.code == "no_header"
    assert raised.value.params == {"missing": ["code"]}


def test_a_sheet_without_any_header_is_refused() -> None:
    book = Workbook()
    book.active.append(["随便", "写点"])

    with pytest.raises(WorkbookError) as raised:
        table_of(book)

    assert raised.value.code == "no_header"


def test_too_many_rows_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    book = Workbook()
    book.active.append(["名称"])
    for i in range(4):
        book.active.append([f"企业{i}"])

    with pytest.raises(WorkbookError) as raised:
        table_of(book)

    assert raised.value.code == "too_many_rows"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("注册资本（万元）", "注册资本(万元)"),
        (" 企业名称 * ", "企业名称"),
        ("统一社会信用\n代码", "统一社会信用代码"),
        ("※ 名称\u3000", "名称"),
        (None, ""),
        (2026, "2026"),
    ],
)
def test_header_labels_are_normalised(text, label: str) -> None:
    assert normalise_label(text) == label


def test_write_form_is_read_back_by_read_table() -> None:
    content = write_form(
        title="企业名录",
        groups=[("基本情况", ["企业名称*", "统一社会信用代码*"]), ("注册", ["注册资本（万元）"])],
        rows=[["天路集团", "91370200163562681G", 12000], ["=1+1", "914403001922038216", None]],
        notes=["注：测试"],
    )

    ws = open_workbook(content).active
    table = read_table(ws, ALIASES, required=["name", "code"])

    assert "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
    assert table.header_row == 3
    assert [row for _n, row in table.rows] == [
        {"name": "天路集团", "code": "91370200163562681G", "capital": 12000},
        {"name": "'=1+1", "code": "914403001922038216", "capital": None},
    ]


# --- Opening an upload safely -------------------------------------------------------------------


def test_a_real_workbook_opens() -> None:
    content = write_table(title="t", headers=["名称"], rows=[["天路集团"]])

    assert open_workbook(content).active["A3"].value == "天路集团"


def test_a_file_over_the_limit_is_too_big() -> None:
    with pytest.raises(WorkbookError) as raised:
        open_workbook(b"\0" * 2048, max_bytes=1024)

    assert raised.value.code == "too_big"
    assert raised.value.params == {"limit_mb": 0}
    assert xlsx.MAX_UPLOAD_BYTES == 10 * 1024 * 1024


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096),
        "企业名称,统一社会信用代码\n天路集团,91370200163562681G\n".encode(),
        b"",
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        _zip({"xl/workbook.xml": b"<workbook/>"}),
    ],
    ids=["random-bytes", "csv-text", "empty", "docx-like-zip", "no-content-types"],
)
def test_what_is_not_an_xlsx_is_refused(content: bytes) -> None:
    with pytest.raises(WorkbookError) as raised:
        open_workbook(content)

    assert raised.value.code == "not_xlsx"


def test_a_zip_with_the_right_names_but_broken_contents_is_broken() -> None:
    content = _zip({"[Content_Types].xml": b"not xml", "xl/workbook.xml": b"<<<"})

    with pytest.raises(WorkbookError) as raised:
        open_workbook(content)

    assert raised.value.code == "broken"


def _with_big_member(size: int) -> bytes:
    """A genuine workbook plus one member of `size` bytes of zeros (a few hundred KB packed)."""
    genuine = write_table(title="t", headers=["名称"], rows=[])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(genuine)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        info = zipfile.ZipInfo("xl/worksheets/sheet2.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * (1024 * 1024)
        with target.open(info, "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_that_unpacks_beyond_a_hundred_megabytes_is_refused() -> None:
    content = _with_big_member(101 * 1024 * 1024)
    assert len(content) < 1024 * 1024

    with pytest.raises(WorkbookError) as raised:
        open_workbook(content)

    assert raised.value.code == "bomb"


def test_a_member_packed_far_tighter_than_a_sheet_ever_is_refused() -> None:
    content = _with_big_member(8 * 1024 * 1024)

    with pytest.raises(WorkbookError) as raised:
        open_workbook(content)

    assert raised.value.code == "bomb"
