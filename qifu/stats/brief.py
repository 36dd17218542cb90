"""The monthly brief (规模以上工业经济运行简报) as a Word document, drafted from the figures.

The text is the statistics office's own Chinese, in the bureau's wording: amounts in 亿元 with two
decimals computed from the unrounded sums (千元 ÷ 100,000), growth rates on the comparable basis
rounded only for display, 增长 / 下降 by sign and the bureau's words for losses.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from qifu.core.models import Level, OrgUnit, Zone
from qifu.lib import rollup as arithmetic
from qifu.lib.rollup import display
from qifu.stats import selectors
from qifu.stats.models import DataSet, Indicator
from qifu.stats.periods import Period

YI = Decimal(100_000)  # 千元 in one 亿元
TOP = 5

# indicator code → the verb the bureau puts before it in the lead paragraph
LEAD: list[tuple[str, str]] = [
    ("output", "完成"),
    ("sales", "完成"),
    ("revenue", "实现"),
    ("profit", "实现"),
    ("export", "完成"),
    ("electricity", ""),
]
BODY_FONT = "仿宋"
TITLE_FONT = "黑体"


# --- words --------------------------------------------------------------------------------------


def ytd_words(period: Period) -> str:
    """ "1–10月"; January's year to date is "1月"."""
    return "1月" if period.month == 1 else f"1–{period.month}月"


def yi(amount: Decimal) -> str:
    """千元 → 亿元 with two decimals, from the unrounded amount: 1234567 → "12.35"."""
    return f"{(amount / YI).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def plain(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def percent(rate: Decimal) -> str:
    """The size of a rate for a sentence: −8.1818… → "8.18%"."""
    return display(abs(rate))


def growth_words(rate: Decimal | None, note: str = "", *, lead: str = "同比") -> str:
    """ "同比增长5.00%", "同比下降8.18%", "与上年同期持平", the bureau's words for losses
    (由亏转盈, 由盈转亏, 亏损增加 / 减亏 with their rate), or "" when there is no rate to give."""
    if note in (arithmetic.TURNED_PROFITABLE, arithmetic.TURNED_LOSS):
        return note
    if note == arithmetic.ZERO_BASE:
        return "上年同期为零"
    if rate is None:
        return ""
    if note == arithmetic.LOSS_INCREASED:
        return f"亏损{lead}增加{percent(rate)}"
    if note == arithmetic.LOSS_REDUCED:
        return f"{lead}减亏{percent(rate)}"
    if display(rate) == display(Decimal(0)):
        return "与上年同期持平" if lead == "同比" else f"{lead}持平"
    return f"{lead}{'增长' if rate > 0 else '下降'}{percent(rate)}"


def _scope_words(unit: OrgUnit | Zone) -> tuple[str, str]:
    """(the unit's name for the title, the word for "the whole unit" in sentences)."""
    if isinstance(unit, Zone):
        return f"{unit.district.name}{unit.name}片区", "全片区"
    word = {Level.CITY: "全市", Level.DISTRICT: "全区", Level.STREET: "全街道"}.get(
        unit.level, "全区"
    )
    return unit.name, word


def _amount_clause(indicator: Indicator, verb: str, figures: dict[str, Any], key: str) -> str:
    amount: Decimal | None = figures.get(key)
    if amount is None:
        return ""
    if indicator.is_money:
        if amount < 0:
            return f"{indicator.name}亏损{yi(-amount)}亿元"
        return f"{verb}{indicator.name}{yi(amount)}亿元"
    return f"{verb}{indicator.name}{plain(amount)}{indicator.unit}"


def lead_sentence(
    period: Period, scope: str, rollups: dict[str, dict[str, Any]], indicators: dict[str, Indicator]
) -> str:
    """ "1–10月，全区规模以上工业企业完成工业总产值X亿元，同比增长Y%；实现营业收入…"."""
    clauses = []
    for code, verb in LEAD:
        figures = rollups.get(code)
        if figures is None or code not in indicators:
            continue
        clause = _amount_clause(indicators[code], verb, figures, "ytd")
        if not clause:
            continue
        growth = growth_words(figures.get("ytd_yoy"), figures.get("yoy_note", ""))
        clauses.append(f"{clause}，{growth}" if growth else clause)
    if not clauses:
        return f"{ytd_words(period)}，{scope}暂无已审核的规模以上工业企业月报数据。"
    return f"{ytd_words(period)}，{scope}规模以上工业企业{'；'.join(clauses)}。"


def month_sentence(
    period: Period, rollups: dict[str, dict[str, Any]], indicators: dict[str, Indicator]
) -> str:
    """ "10月当月完成工业总产值X亿元，同比增长Y%，环比下降Z%。" (January: 环比 only)."""
    figures = rollups.get("output")
    indicator = indicators.get("output")
    if figures is None or indicator is None or figures.get("month") is None:
        return ""
    mom = growth_words(figures.get("mom"), figures.get("mom_note", ""), lead="环比")
    if figures.get("mom_note") == arithmetic.ZERO_BASE:
        mom = ""
    if period.month == 1:
        return f"1月工业总产值{mom}（与上年12月相比）。" if mom else ""
    parts = [_amount_clause(indicator, "完成", figures, "month")]
    yoy = growth_words(figures.get("month_yoy"), figures.get("month_yoy_note", ""))
    parts += [p for p in (yoy, mom) if p]
    return f"{period.month}月当月{'，'.join(parts)}。"


def contributors_sentence(scope: str, listing: list[dict[str, Any]]) -> str:
    """The enterprises that pulled the output's growth up most, and those that pulled it down."""
    up = sorted(
        (e for e in listing if e.get("contribution") is not None and e["contribution"] > 0),
        key=lambda e: -e["contribution"],
    )[:TOP]
    down = sorted(
        (e for e in listing if e.get("contribution") is not None and e["contribution"] < 0),
        key=lambda e: e["contribution"],
    )[:TOP]
    parts = []
    if up:
        names = "、".join(
            f"{e['name']}（拉动{display(e['contribution']).removesuffix('%')}个百分点）" for e in up
        )
        parts.append(f"拉动{scope}工业总产值增长较多的企业有{names}")
    if down:
        names = "、".join(
            f"{e['name']}（下拉{display(-e['contribution']).removesuffix('%')}个百分点）"
            for e in down
        )
        parts.append(f"下拉较多的企业有{names}")
    if not parts:
        return ""
    return f"从企业看，{'；'.join(parts)}。"


# --- the document -------------------------------------------------------------------------------


def _font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(document: Any, text: str, *, size: float = 14, bold: bool = False) -> Any:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = 1.5
    _font(paragraph.add_run(text), BODY_FONT, size, bold=bold)
    return paragraph


def _heading(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    _font(paragraph.add_run(text), TITLE_FONT, 14)


def _table(document: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        _font(run, TITLE_FONT, 11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 11)
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            )


def _rate_cell(rate: Decimal | None, note: str = "") -> str:
    if note in (arithmetic.TURNED_PROFITABLE, arithmetic.TURNED_LOSS, arithmetic.ZERO_BASE):
        return note
    return display(rate).removesuffix("%") if rate is not None else "—"


def _yi_cell(amount: Decimal | None) -> str:
    return yi(amount) if amount is not None else "—"


def brief_document(*, dataset: DataSet, period: Period, unit: OrgUnit | Zone) -> bytes:
    """The brief of `unit` for `period` from the accepted figures (see `selectors.rollup`)."""
    period = period if isinstance(period, Period) else Period.parse(period)
    name, scope = _scope_words(unit)
    indicators = {i.code: i for i in dataset.indicators.all()}
    rollups = {
        code: selectors.rollup(
            dataset=dataset, period=period, unit=unit, indicator=indicators[code]
        )
        for code, _verb in LEAD
        if code in indicators
    }
    listing = (
        selectors.enterprise_contributions(
            dataset=dataset, period=period, unit=unit, indicator=indicators["output"]
        )
        if "output" in indicators
        else []
    )
    output = rollups.get("output", {})

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        title.add_run(f"{name}规模以上工业经济运行简报（{period.year}年{ytd_words(period)}）"),
        TITLE_FONT,
        20,
        bold=True,
    )

    _paragraph(document, lead_sentence(period, scope, rollups, indicators))
    month = month_sentence(period, rollups, indicators)
    if month:
        _paragraph(document, month)

    children = output.get("children") or []
    if children:
        word = "区（市）" if isinstance(unit, OrgUnit) and unit.level == Level.CITY else "街道"
        _heading(document, f"一、分{word}情况")
        rows = [
            [
                child.get("name", ""),
                _yi_cell(child.get("ytd")),
                _rate_cell(child.get("ytd_yoy"), child.get("yoy_note", "")),
                _rate_cell(child.get("contribution")),
                str(child.get("enterprises") or 0),
            ]
            for child in children
        ]
        rows.append(
            [
                f"{scope}合计",
                _yi_cell(output.get("ytd")),
                _rate_cell(output.get("ytd_yoy"), output.get("yoy_note", "")),
                _rate_cell(output.get("ytd_yoy"), output.get("yoy_note", "")),
                str(output.get("enterprises") or 0),
            ]
        )
        _table(
            document,
            [word, "工业总产值(亿元)", "同比(%)", "贡献率(百分点)", "企业数"],
            rows,
        )

    contributors = contributors_sentence(scope, listing)
    if contributors:
        _heading(document, f"{'二' if children else '一'}、重点企业拉动情况")
        _paragraph(document, contributors)

    notes = [
        "注：1. 增速按可比口径计算，即本期与上年同期均有数据的企业，本期合计与其上年同期"
        "（含按规定修订的数据）合计之比，与国家统计局的做法一致。",
    ]
    naive = growth_words(output.get("naive_ytd_yoy"), output.get("naive_note", ""))
    if naive:
        notes.append(
            f"2. 若按上年同期公布的总量直接计算，{ytd_words(period)}工业总产值{naive}；"
            "两者之差来自企业进出调查名录和上年数据的修订。"
        )
    notes.append(
        f"{len(notes) + 1}. 贡献率为各单位（企业）对{scope}增速的拉动，单位为百分点，合计等于"
        f"{scope}增速；数据为街道审核通过的企业月报，金额以亿元计，保留两位小数。"
    )
    for note in notes:
        _paragraph(document, note, size=12)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
