"""The Word export: it opens with python-docx and holds the title, the meta line, the headings,
quotes, lists and real Word tables with the same numbers as the body's tables, in Chinese fonts
(w:eastAsia)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from qifu.reports import services, word
from qifu.reports.tests.conftest import captioned_tables

pytestmark = pytest.mark.django_db


def document_of(report) -> Document:
    return Document(io.BytesIO(word.report_document(report)))


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_drafted_tables_become_word_tables_with_the_same_numbers(world, leader, district):
    report, _ = services.report_draft(
        by=leader, period="2026Q4", org_unit=district, kind="problems"
    )
    expected = list(captioned_tables(report.body).values())

    document = document_of(report)

    assert [cells(t) for t in document.tables] == expected
    by_category = next(t for t in document.tables if cells(t)[0][0] == "问题类别")
    assert cells(by_category)[1] == ["土地房产", "3", "50.0%", "1"]


def test_the_title_meta_line_headings_quotes_and_lists(make_report, leader, licun_clerk):
    report = make_report(
        authors=[leader, licun_clerk],
        summary="本季度企业反映问题6个",
        body="# 一、基本情况\n\n正文段落，**加粗**。\n\n## （一）土地问题\n\n> 企业原话\n\n"
        "- 第一条\n- 第二条\n\n1. 编号一\n",
    )

    document = document_of(report)
    texts = [p.text for p in document.paragraphs]

    assert texts[0] == report.title
    assert "2026年第四季度" in texts[1] and "李沧区" in texts[1] and "草稿" in texts[1]
    assert leader.display_name in texts[1] and licun_clerk.display_name in texts[1]
    assert "摘要：本季度企业反映问题6个" in texts
    assert "一、基本情况" in texts and "（一）土地问题" in texts
    assert "企业原话" in texts
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == ["第一条", "第二条"]
    assert [p.text for p in document.paragraphs if p.style.name == "List Number"] == ["编号一"]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "加粗" in bold


def test_every_run_names_an_east_asian_font(make_report):
    document = document_of(
        make_report(body="# 一、标题\n\n正文。\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
    )

    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs}
    assert fonts <= {"宋体", "黑体", "楷体", "仿宋"}
    assert None not in fonts
    assert document.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_html_in_the_body_is_text_in_word(make_report):
    document = document_of(make_report(body="<script>alert(1)</script>\n"))
    assert "<script>alert(1)</script>" in [p.text for p in document.paragraphs]


def test_the_file_name_keeps_the_chinese_title_without_path_characters(make_report):
    report = make_report(title="关于/企业\\问题:的报告")
    assert word.filename(report) == "关于_企业_问题_的报告-2026Q4.docx"
