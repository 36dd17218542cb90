"""Excel files: writing lists and forms, reading office sheets safely. No Django import here."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value fit for a cell: text that a spreadsheet would run as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def write_table(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Sheet1"
) -> bytes:
    """One sheet: a title row, a bold header row, then the rows; columns sized to fit."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True, size=14)
    if len(headers) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=col, value=safe_cell(header))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=safe_cell(value))
            widths[c - 1] = min(60, max(widths[c - 1], len(str(value or "")) + 2))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading the sheets a Chinese office actually has ---------------------------------------
# A title row, a two-row header with merged group cells, unit hints such as （万元）, blank rows
# and notes below the table. Nothing here knows about any model: callers map columns to fields.

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 20_000
_HEADER_SCAN_ROWS = 15
_NOTE_START = ("注", "说明", "备注", "填表", "填报说明", "*注")


class WorkbookError(Exception):
    """The upload is not a workbook we can read. `code` says why; `params` give details."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def open_workbook(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Any:
    """Open an .xlsx safely: size, real zip container, unpacked size and ratio are checked first."""
    import zipfile

    from openpyxl import load_workbook

    if len(data) > max_bytes:
        raise WorkbookError("too_big", limit_mb=max_bytes // (1024 * 1024))
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise WorkbookError("not_xlsx")
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise WorkbookError("not_xlsx")
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise WorkbookError("not_xlsx") from exc
    if unpacked > MAX_UNPACKED_BYTES or unpacked > 200 * max(len(data), 1):
        raise WorkbookError("bomb")
    buffer.seek(0)
    try:
        return load_workbook(buffer, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise WorkbookError("broken") from exc


_HALF_WIDTH: dict[int, str | None] = {ord("（"): "(", ord("）"): ")", ord("："): ":", 0x3000: None}


def normalise_label(text: Any) -> str:
    """Header text without spaces, line breaks, required-field stars; full-width brackets halved."""
    value = "" if text is None else str(text)
    value = value.translate(_HALF_WIDTH)
    return "".join(value.split()).replace("*", "").replace("※", "").lower()


@dataclass
class Table:
    """The data rows of a sheet, keyed by field, with where each came from."""

    header_row: int
    columns: dict[str, int]  # field → column number (1-based)
    labels: dict[str, str]  # field → the header text as written
    rows: list[tuple[int, dict[str, Any]]]  # (sheet row number, field → raw value)

    def column_letter(self, name: str) -> str:
        return get_column_letter(self.columns[name]) if name in self.columns else ""


def _grid(ws: Any, last_row: int) -> list[list[Any]]:
    """The first rows of a sheet with every merged range filled with its top-left value."""
    width = ws.max_column or 1
    grid = [
        [ws.cell(row=r, column=c).value for c in range(1, width + 1)]
        for r in range(1, last_row + 1)
    ]
    for merged in ws.merged_cells.ranges:
        top = ws.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if c <= width:
                    grid[r - 1][c - 1] = top
    return grid


def _match(label: str, aliases: dict[str, list[str]]) -> str | None:
    for name, options in aliases.items():
        if label in options:
            return name
    return None


def read_table(ws: Any, aliases: dict[str, list[str]], *, required: Iterable[str] = ()) -> Table:
    """Find the header (one row, or two with merged group cells above) and read the rows below.

    `aliases` maps a field to the normalised header texts that mean it. The header row is the
    row among the first rows that names the most fields. Blank rows are skipped; a row that only
    holds a note (注：…, 说明…) or a total (合计) is skipped too.
    """
    options = {k: [normalise_label(a) for a in v] for k, v in aliases.items()}
    scan = min(ws.max_row or 0, _HEADER_SCAN_ROWS)
    grid = _grid(ws, scan)
    best: tuple[int, int, dict[str, int], dict[str, str]] = (0, 0, {}, {})
    for r in range(scan):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for c, value in enumerate(grid[r]):
            candidates = [normalise_label(value)]
            if r > 0 and grid[r - 1][c] not in (None, value):
                candidates.append(normalise_label(grid[r - 1][c]) + candidates[0])
            for text in candidates:
                name = _match(text, options)
                if name and name not in columns:
                    columns[name] = c + 1
                    labels[name] = str(value or "").strip()
                    break
        if len(columns) > best[1]:
            best = (r + 1, len(columns), columns, labels)
    header_row, _count, columns, labels = best
    missing = [name for name in required if name not in columns]
    if not header_row or missing:
        raise WorkbookError("no_header", missing=missing)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        cells = [v for v in values if v not in (None, "") and str(v).strip()]
        if not cells:
            continue
        first = str(cells[0]).strip()
        if (len(cells) <= 2 and first.startswith(_NOTE_START)) or first.startswith("合计"):
            continue
        if len(rows) >= MAX_ROWS:
            raise WorkbookError("too_many_rows", limit=MAX_ROWS)
        record = {
            name: values[col - 1] if col - 1 < len(values) else None
            for name, col in columns.items()
        }
        rows.append((number, record))
    return Table(header_row=header_row, columns=columns, labels=labels, rows=rows)


def write_form(
    *,
    title: str,
    groups: Sequence[tuple[str, Sequence[str]]],
    rows: Iterable[Sequence[Any]] = (),
    notes: Sequence[str] = (),
    sheet: str = "Sheet1",
) -> bytes:
    """A sheet in the shape offices use: title row, a two-row header whose upper row groups the
    columns (merged cells), the rows, then notes. `read_table` reads it back."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    width = sum(len(cols) for _group, cols in groups)
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    fill = PatternFill("solid", fgColor="DDEBF7")
    col = 1
    for group, cols in groups:
        ws.cell(row=2, column=col, value=group)
        if len(cols) > 1:
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(cols) - 1)
        for offset, header in enumerate(cols):
            ws.cell(row=3, column=col + offset, value=header)
            ws.column_dimensions[get_column_letter(col + offset)].width = max(
                10, len(header) * 2 + 2
            )
        col += len(cols)
    for r in (2, 3):
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = 4
    for row in rows:
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=safe_cell(value))
        r += 1
    for note in notes:
        ws.cell(row=r + 1, column=1, value=safe_cell(note))
        r += 1
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
