"""A research report as a Word document (python-docx), in the layout of a government report.

The title in 小标宋-like bold 宋体, a meta line (period, scope, authors, status), then the body's
blocks: level-1 headings in 黑体 (一、), level-2 in 楷体 (（一）), paragraphs in 仿宋 with a
two-character first-line indent, quotes in 楷体 indented, bullet and numbered lists, and the pipe
tables as real Word tables. Every run names its East Asian font (w:eastAsia), which Word uses for
Chinese text.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from qifu.lib.quarters import Span, SpanError
from qifu.reports.markdown import Block, Run, blocks
from qifu.reports.models import Report, ReportStatus

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
BODY_FONT = "仿宋"
BODY_SIZE = 16  # 三号
TABLE_SIZE = 11


def _font(run: Any, name: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    properties = run._element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _runs(paragraph: Any, runs: list[Run], font: str, size: float, *, bold: bool = False) -> None:
    for part in runs:
        _font(paragraph.add_run(part.text), font, size, bold=bold or part.bold, italic=part.italic)


def _paragraph(document: Any, block: Block) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _runs(paragraph, block.runs, BODY_FONT, BODY_SIZE)


def _heading(document: Any, block: Block) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.line_spacing = Pt(28)
    paragraph.paragraph_format.keep_with_next = True
    font = HEADING_FONT if block.level <= 1 else SUBHEADING_FONT
    _runs(paragraph, block.runs, font, BODY_SIZE, bold=block.level > 2)


def _quote(document: Any, block: Block) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(1.5 * block.level)
    paragraph.paragraph_format.right_indent = Cm(1)
    paragraph.paragraph_format.line_spacing = Pt(26)
    _runs(paragraph, block.runs, SUBHEADING_FONT, BODY_SIZE - 1)


def _list_item(document: Any, block: Block) -> None:
    style = "List Bullet" if block.kind == "bullet" else "List Number"
    if block.level > 1:
        style += f" {min(block.level, 3)}"
    paragraph = document.add_paragraph(style=style)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _runs(paragraph, block.runs, BODY_FONT, BODY_SIZE)


def _table(document: Any, block: Block) -> None:
    columns = max(len(block.header), *(len(r) for r in block.rows)) if block.rows else 0
    columns = max(columns, len(block.header))
    if not columns:
        return
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = [*block.align, *[""] * columns]
    for index, row in enumerate([block.header, *block.rows]):
        cells = table.add_row().cells
        for col in range(columns):
            cell = cells[col]
            paragraph = cell.paragraphs[0]
            runs = row[col] if col < len(row) else []
            _runs(paragraph, runs, HEADING_FONT if index == 0 else BODY_FONT, TABLE_SIZE)
            if index == 0 or aligns[col] == "center":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif aligns[col] == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _meta(report: Report, status: dict[str, str]) -> str:
    try:
        period = Span.parse(report.period).label
    except SpanError:
        period = report.period
    authors = "、".join(a.display_name for a in report.authors.all())
    return "　".join(
        [
            f"时间：{period}",
            f"范围：{report.org_unit.name}",
            f"执笔：{authors or '—'}",
            f"状态：{status.get(report.status, report.status)}",
        ]
    )


def report_document(report: Report) -> bytes:
    """The report as a .docx file (bytes)."""
    document = Document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), TITLE_FONT, 22, bold=True)
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    status = {ReportStatus.DRAFT.value: "草稿", ReportStatus.FINAL.value: "定稿"}
    _font(meta.add_run(_meta(report, status)), SUBHEADING_FONT, 14)
    if report.summary:
        summary = document.add_paragraph()
        summary.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
        _font(summary.add_run(f"摘要：{report.summary}"), SUBHEADING_FONT, BODY_SIZE)

    for block in blocks(report.body):
        if block.kind == "heading":
            _heading(document, block)
        elif block.kind == "paragraph":
            _paragraph(document, block)
        elif block.kind == "quote":
            _quote(document, block)
        elif block.kind in ("bullet", "number"):
            _list_item(document, block)
        elif block.kind == "table":
            _table(document, block)
        elif block.kind == "rule":
            document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filename(report: Report) -> str:
    """The download's name, in Chinese: 《title》-period.docx without path characters."""
    safe = "".join("_" if c in '\\/:*?"<>|\r\n\t' else c for c in report.title).strip() or "report"
    return f"{safe[:80]}-{report.period}.docx"
