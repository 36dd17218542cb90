"""The monthly brief as a Word document, drafted in the bureau's wording from accepted figures."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document

from qifu.core.models import Zone
from qifu.lib import rollup as arithmetic
from qifu.stats import brief
from qifu.stats.periods import Period
from qifu.stats.tests.conftest import enterprise, form

pytestmark = pytest.mark.django_db

PERIOD = Period(2026, 10)
YI = 100_000  # 千元 in one 亿元


def read(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs' text and each table's rows of cell texts."""
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return paragraphs, tables


@pytest.fixture
def two_streets(dataset, tianlu, ruifeng) -> None:
    """李村 110 亿 over 100 亿 and 楼山 900 亿 over 1000 亿 of output: −8.18% together."""
    form(
        dataset,
        tianlu,
        PERIOD,
        {
            "output": (11 * YI, 110 * YI, 10 * YI, 100 * YI),
            "revenue": (YI, 12 * YI),
            "profit": (YI, 30 * YI, -YI, -20 * YI),
        },
    )
    form(
        dataset,
        ruifeng,
        PERIOD,
        {
            "output": (90 * YI, 900 * YI, 100 * YI, 1000 * YI),
            "profit": (YI, 20 * YI, -YI, -10 * YI),
        },
    )


# --- words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "note", "words"),
    [
        (Decimal("-8.181818181818181818"), "", "同比下降8.18%"),
        (Decimal("12.345"), "", "同比增长12.35%"),
        (Decimal("0.001"), "", "与上年同期持平"),
        (None, "", ""),
        (None, arithmetic.TURNED_PROFITABLE, "由亏转盈"),
        (None, arithmetic.TURNED_LOSS, "由盈转亏"),
        (None, arithmetic.ZERO_BASE, "上年同期为零"),
        (Decimal("25"), arithmetic.LOSS_INCREASED, "亏损同比增加25.00%"),
        (Decimal("-40"), arithmetic.LOSS_REDUCED, "同比减亏40.00%"),
    ],
)
def test_growth_is_worded_by_sign_and_the_bureaus_notes(rate, note, words) -> None:
    assert brief.growth_words(rate, note) == words


def test_amounts_are_in_yi_yuan_from_the_unrounded_sum() -> None:
    assert brief.yi(Decimal("101000000")) == "1010.00"
    assert brief.yi(Decimal("1234567")) == "12.35"
    assert brief.yi(Decimal("499")) == "0.00"


# --- the document -------------------------------------------------------------------------------


def test_the_lead_sentence_gives_amounts_and_comparable_growth(dataset, district, two_streets):
    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    assert paragraphs[0] == "李沧区规模以上工业经济运行简报（2026年1–10月）"
    assert paragraphs[1] == (
        "1–10月，全区规模以上工业企业完成工业总产值1010.00亿元，同比下降8.18%；"
        "实现营业收入12.00亿元；实现利润总额50.00亿元，由亏转盈。"
    )


def test_the_month_paragraph_gives_the_months_output_and_growth(dataset, district, two_streets):
    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    assert "10月当月完成工业总产值101.00亿元，同比下降8.18%。" in paragraphs


def test_the_month_paragraph_gives_month_on_month_growth(dataset, district, tianlu) -> None:
    form(dataset, tianlu, PERIOD.previous, {"output": (10 * YI, 99 * YI)})
    form(dataset, tianlu, PERIOD, {"output": (11 * YI, 110 * YI)})

    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    assert "10月当月完成工业总产值11.00亿元，环比增长10.00%。" in paragraphs
    assert paragraphs[1] == "1–10月，全区规模以上工业企业完成工业总产值110.00亿元。"


def test_the_street_table_has_output_growth_contribution_and_enterprises(
    dataset, district, two_streets
) -> None:
    _paragraphs, tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    rows = tables[0]
    assert rows[0] == ["街道", "工业总产值(亿元)", "同比(%)", "贡献率(百分点)", "企业数"]
    assert ["李村街道", "110.00", "10.00", "0.91", "1"] in rows
    assert ["楼山街道", "900.00", "-10.00", "-9.09", "1"] in rows
    assert ["九水街道", "—", "—", "—", "0"] in rows
    assert rows[-1] == ["全区合计", "1010.00", "-8.18", "-8.18", "2"]
    assert len(rows) == 1 + 11 + 1


def test_the_biggest_contributors_and_drags_are_named(dataset, district, two_streets) -> None:
    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    assert (
        "从企业看，拉动全区工业总产值增长较多的企业有天路集团（拉动0.91个百分点）；"
        "下拉较多的企业有瑞丰气体（下拉9.09个百分点）。"
    ) in paragraphs


def test_at_most_five_contributors_are_named_biggest_first(dataset, district, licun) -> None:
    for n in range(7):
        one = enterprise(licun, name=f"增长{n}号")
        form(dataset, one, PERIOD, {"output": (YI, (100 + n) * YI, YI, 100 * YI)})

    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    line = next(p for p in paragraphs if p.startswith("从企业看"))
    assert line.count("拉动") == 1 + 5
    assert line.index("增长6号") < line.index("增长5号") < line.index("增长2号")
    assert "增长1号" not in line and "下拉" not in line


def test_the_note_explains_the_comparable_basis_and_gives_the_naive_figure(
    dataset, district, licun, tianlu, ruifeng, two_streets
) -> None:
    left = enterprise(licun, name="已退出名录企业")
    form(dataset, tianlu, PERIOD.last_year, {"output": (10 * YI, 100 * YI)})
    form(dataset, ruifeng, PERIOD.last_year, {"output": (100 * YI, 1000 * YI)})
    form(dataset, left, PERIOD.last_year, {"output": (10 * YI, 100 * YI)})

    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    notes = "".join(p for p in paragraphs if p.startswith(("注", "2.", "3.")))
    assert "增速按可比口径计算" in notes
    assert "按上年同期公布的总量直接计算，1–10月工业总产值同比下降15.83%" in notes
    assert "同比下降8.18%" in paragraphs[1]  # the lead keeps the comparable figure


def test_january_is_written_as_one_month(dataset, district, tianlu) -> None:
    january = Period(2026, 1)
    form(dataset, tianlu, january, {"output": (5 * YI, 5 * YI, 4 * YI, 4 * YI)})

    paragraphs, _tables = read(brief.brief_document(dataset=dataset, period=january, unit=district))

    assert paragraphs[0] == "李沧区规模以上工业经济运行简报（2026年1月）"
    assert paragraphs[1] == "1月，全区规模以上工业企业完成工业总产值5.00亿元，同比增长25.00%。"
    assert not any("1–1月" in p or "1月当月" in p for p in paragraphs)


def test_a_period_without_accepted_figures_says_so(dataset, district) -> None:
    paragraphs, tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=district))

    assert paragraphs[1] == "1–10月，全区暂无已审核的规模以上工业企业月报数据。"
    assert not any(p.startswith("从企业看") for p in paragraphs)
    assert tables[0][-1] == ["全区合计", "—", "—", "—", "0"]


def test_a_street_brief_has_no_street_table(dataset, licun, two_streets) -> None:
    paragraphs, tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=licun))

    assert paragraphs[0] == "李村街道规模以上工业经济运行简报（2026年1–10月）"
    assert paragraphs[1].startswith(
        "1–10月，全街道规模以上工业企业完成工业总产值110.00亿元，同比增长10.00%"
    )
    assert tables == []
    assert "一、重点企业拉动情况" in paragraphs


def test_a_zone_brief_names_the_zone_and_its_streets(dataset, licun, two_streets) -> None:
    zone: Any = Zone.objects.get(pk=licun.zone_id)

    paragraphs, tables = read(brief.brief_document(dataset=dataset, period=PERIOD, unit=zone))

    assert paragraphs[0].startswith(f"李沧区{zone.name}片区规模以上工业经济运行简报")
    assert paragraphs[1].startswith("1–10月，全片区规模以上工业企业完成工业总产值110.00亿元")
    assert [row[0] for row in tables[0][1:-1]] == [
        "李村街道",
        "虎山路街道",
        "浮山路街道",
        "湘潭路街道",
    ]
