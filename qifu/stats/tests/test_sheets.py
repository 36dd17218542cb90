"""The monthly form as an Excel sheet: download, fill offline, import all or nothing; the analysis
export of a rollup."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.stats import services, sheets
from qifu.stats.models import (
    Approval,
    DataSet,
    Listing,
    Submission,
    SubmissionStatus,
    Value,
)
from qifu.stats.periods import Period

pytestmark = pytest.mark.django_db

PERIOD = Period(2026, 10)
INSIDE_WINDOW = dt.date(2026, 11, 2)  # after entry opens (20 Oct), before the deadline

# indicator name → (this month, 1–this month) in the form's units: a form that passes every rule
GOOD: dict[str, tuple[Any, Any]] = {
    "工业总产值": (1000, 10000),
    "工业销售产值": (950, 9500),
    "出口交货值": (100, 1000),
    "营业收入": (1100, 11000),
    "营业成本": (900, 9000),
    "利润总额": (50, 500.5),
    "应交增值税": (30, 300),
    "从业人员平均人数": (120, 120),
    "用电量": (10, 100),
}


@pytest.fixture
def dataset(db) -> DataSet:
    return DataSet.objects.get(code="industry-monthly")


@pytest.fixture(autouse=True)
def _inside_entry_window(monkeypatch) -> None:
    monkeypatch.setattr(services, "_today", lambda: INSIDE_WINDOW)


def listed(dataset: DataSet, *enterprises: Enterprise) -> None:
    for enterprise in enterprises:
        Listing.objects.create(dataset=dataset, enterprise=enterprise, since="202601")


@pytest.fixture
def huacheng(licun) -> Enterprise:
    return EnterpriseFactory(name="华成机械", street=licun, is_above_scale=True)


def fill(
    content: bytes,
    figures: dict[tuple[str, str], dict[str, Any]] | None = None,
    *,
    only: set[str] | None = None,
) -> bytes:
    """The downloaded form with GOOD figures for each enterprise (or those in `only`, by name);
    `figures` overrides cells by (enterprise name, indicator name) → {column letter: value}."""
    book = load_workbook(io.BytesIO(content))
    ws = book[sheets.FORM_SHEET]
    for r in range(sheets.FIRST_DATA_ROW, ws.max_row + 1):
        name, indicator = ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value
        if indicator not in GOOD or (only is not None and name not in only):
            continue
        month, ytd = GOOD[indicator]
        ws.cell(row=r, column=5, value=month)
        ws.cell(row=r, column=6, value=ytd)
        for column, value in (figures or {}).get((name, indicator), {}).items():
            ws[f"{column}{r}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(content: bytes, name: str, indicator: str) -> int:
    ws = load_workbook(io.BytesIO(content))[sheets.FORM_SHEET]
    for r in range(sheets.FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=2).value == name and ws.cell(row=r, column=3).value == indicator:
            return r
    raise AssertionError(f"no row for {name} {indicator}")


def download(dataset: DataSet, *enterprises: Enterprise, period: Period = PERIOD) -> bytes:
    return sheets.form_workbook(dataset=dataset, period=period, enterprises=list(enterprises))


def do_import(by, dataset: DataSet, data: bytes, period: Period = PERIOD) -> sheets.ImportResult:
    return sheets.import_workbook(by=by, dataset=dataset, period=period, data=data)


def accepted(
    dataset: DataSet,
    enterprise: Enterprise,
    period: str,
    figures: dict[str, tuple[Any, Any]],
    *,
    status: str = SubmissionStatus.ACCEPTED,
) -> Submission:
    submission = Submission.objects.create(
        dataset=dataset, enterprise=enterprise, period=period, status=status
    )
    for indicator in dataset.indicators.all():
        month, ytd = figures.get(indicator.name, (None, None))
        Value.objects.create(
            submission=submission,
            indicator=indicator,
            month=None if month is None else Decimal(str(month)),
            ytd=None if ytd is None else Decimal(str(ytd)),
        )
    return submission


# --- the downloaded form ------------------------------------------------------------------------


def test_the_form_has_the_statistical_layout_with_a_two_row_header(dataset, tianlu) -> None:
    listed(dataset, tianlu)
    ws = load_workbook(io.BytesIO(download(dataset, tianlu)))[sheets.FORM_SHEET]

    assert "2026年10月" in ws["A1"].value and "千元" in ws["A1"].value
    assert [ws.cell(row=2, column=c).value for c in range(1, 5)] == [
        "统一社会信用代码",
        "企业名称",
        "指标名称",
        "计量单位",
    ]
    assert (ws["E2"].value, ws["G2"].value) == ("本年", "上年同期")
    assert [ws.cell(row=3, column=c).value for c in range(5, 9)] == [
        "本月",
        "1–本月",
        "本月",
        "1–本月",
    ]
    assert (ws["I2"].value, ws["J2"].value) == ("上年同期修订原因", "情况说明")
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"E2:F2", "G2:H2", "A2:A3", "I2:I3"} <= merged
    rows = [
        [ws.cell(row=r, column=c).value for c in range(1, 5)]
        for r in range(4, 4 + dataset.indicators.count())
    ]
    assert rows[0] == ["91370200163562681G", "天路集团", "工业总产值", "千元"]
    assert [r[2] for r in rows][-2:] == ["从业人员平均人数", "用电量"]


def test_the_form_records_the_period_and_the_form_code_for_the_import(dataset, tianlu) -> None:
    book = load_workbook(io.BytesIO(download(dataset, tianlu)))
    info = {row[0]: row[1] for row in book[sheets.INFO_SHEET].iter_rows(values_only=True)}

    assert info["报告期"] == "202610"
    assert info["报表代码"] == "industry-monthly"
    assert info["金额单位"] == "千元"


def test_the_form_is_prefilled_with_last_years_approved_figures(
    dataset, tianlu, licun, licun_clerk
) -> None:
    accepted(dataset, tianlu, "202510", {"工业总产值": (800, 8000), "用电量": (9, 90)})
    Approval.objects.create(
        dataset=dataset, period="202510", org_unit=licun, approved_by=licun_clerk
    )

    ws = load_workbook(io.BytesIO(download(dataset, tianlu)))[sheets.FORM_SHEET]

    output = [ws.cell(row=4, column=c).value for c in range(5, 9)]
    assert output == [None, None, 800, 8000]
    assert ws.cell(row=4, column=11).value == "未填报"


def test_the_form_is_prefilled_with_the_periods_own_figures_and_explanations(
    dataset, tianlu
) -> None:
    submission = accepted(dataset, tianlu, "202610", GOOD, status=SubmissionStatus.SUBMITTED)
    submission.violations = [
        {
            "rule": "sales-ratio-low",
            "indicator": "",
            "importance": "soft",
            "name": "",
            "instruction": "",
        }
    ]
    submission.explanations = {"sales-ratio-low": "库存积压"}
    submission.save()

    content = download(dataset, tianlu)
    ws = load_workbook(io.BytesIO(content))[sheets.FORM_SHEET]

    assert [ws.cell(row=4, column=c).value for c in (5, 6)] == [1000, 10000]
    sales = row_of(content, "天路集团", "工业销售产值")
    assert ws.cell(row=sales, column=10).value == "库存积压"
    assert ws.cell(row=4, column=11).value == "已报送"


def test_formula_like_text_is_neutralised_in_the_download(dataset, licun) -> None:
    sly = EnterpriseFactory(name='=HYPERLINK("http://x","点我")', street=licun)

    ws = load_workbook(io.BytesIO(download(dataset, sly)))[sheets.FORM_SHEET]

    assert ws["B4"].value.startswith("'=")
    assert ws["B4"].data_type == "s"


# --- import -------------------------------------------------------------------------------------


def test_round_trip_download_fill_import_submits_the_forms(
    dataset, tianlu, huacheng, licun_clerk
) -> None:
    listed(dataset, tianlu, huacheng)
    content = fill(download(dataset, tianlu, huacheng))

    result = do_import(licun_clerk, dataset, content)

    assert result.errors == []
    assert (result.created, result.updated, result.submitted, result.skipped) == (2, 0, 2, 0)
    for enterprise in (tianlu, huacheng):
        submission = Submission.objects.get(dataset=dataset, enterprise=enterprise, period="202610")
        assert submission.status == SubmissionStatus.SUBMITTED
        assert submission.submitted_by == licun_clerk
        stored = {v.indicator.name: (v.month, v.ytd) for v in submission.values.all()}
        assert stored["工业总产值"] == (Decimal("1000.00"), Decimal("10000.00"))
        assert stored["利润总额"] == (Decimal("50.00"), Decimal("500.50"))

    again = do_import(licun_clerk, dataset, fill(download(dataset, tianlu, huacheng)))

    assert again.errors == []
    assert (again.created, again.updated, again.submitted, again.skipped) == (0, 0, 0, 2)


def test_a_draft_is_updated_and_submitted(dataset, tianlu, licun_clerk) -> None:
    listed(dataset, tianlu)
    services.submission_save(
        by=licun_clerk,
        dataset=dataset,
        enterprise=tianlu,
        period=PERIOD,
        values=[{"indicator": "output", "month": 1, "ytd": 2}],
    )

    result = do_import(licun_clerk, dataset, fill(download(dataset, tianlu)))

    assert (result.created, result.updated, result.submitted) == (0, 1, 1)
    assert Submission.objects.get(enterprise=tianlu).status == SubmissionStatus.SUBMITTED


def test_enterprises_left_blank_are_left_alone(dataset, tianlu, huacheng, licun_clerk) -> None:
    listed(dataset, tianlu, huacheng)
    content = fill(download(dataset, tianlu, huacheng), only={"天路集团"})

    result = do_import(licun_clerk, dataset, content)

    assert result.errors == []
    assert (result.submitted, result.blank) == (1, 1)
    assert not Submission.objects.filter(enterprise=huacheng).exists()


def test_one_bad_row_imports_nothing_and_names_its_row(
    dataset, tianlu, huacheng, licun_clerk
) -> None:
    listed(dataset, tianlu, huacheng)
    blank = download(dataset, tianlu, huacheng)
    content = fill(blank, {("华成机械", "营业收入"): {"F": "一万一"}})

    result = do_import(licun_clerk, dataset, content)

    row = row_of(blank, "华成机械", "营业收入")
    assert len(result.errors) == 1
    assert result.errors[0][0] == row
    assert "华成机械" in result.errors[0][1] and "不是数字" in result.errors[0][1]
    assert (result.created, result.submitted) == (0, 0)
    assert not Submission.objects.exists()


def test_a_rule_violation_of_one_enterprise_rolls_back_the_others(
    dataset, tianlu, huacheng, licun_clerk
) -> None:
    listed(dataset, tianlu, huacheng)
    blank = download(dataset, tianlu, huacheng)
    # tianlu is fine and is saved first; huacheng breaks a hard rule after it
    content = fill(blank, {("华成机械", "出口交货值"): {"F": 99999}})

    result = do_import(licun_clerk, dataset, content)

    assert result.errors
    assert not Submission.objects.exists()
    assert not Value.objects.exists()


def test_a_hard_rule_violation_is_a_row_error_naming_enterprise_indicator_and_rule(
    dataset, tianlu, licun_clerk
) -> None:
    listed(dataset, tianlu)
    blank = download(dataset, tianlu)
    content = fill(blank, {("天路集团", "营业成本"): {"E": 9500}})  # month above 1–month

    result = do_import(licun_clerk, dataset, content)

    row = row_of(blank, "天路集团", "营业成本")
    assert result.errors == [(row, "天路集团　营业成本：1–本月数不能小于本月数。")]
    assert not Submission.objects.exists()


def test_a_hard_rule_over_two_indicators_points_at_the_first_of_them(
    dataset, tianlu, licun_clerk
) -> None:
    listed(dataset, tianlu)
    blank = download(dataset, tianlu)
    content = fill(blank, {("天路集团", "出口交货值"): {"E": 960, "F": 9600}})

    result = do_import(licun_clerk, dataset, content)

    row = row_of(blank, "天路集团", "出口交货值")
    assert [r for r, _m in result.errors] == [row]
    assert "出口交货值是工业销售产值的一部分" in result.errors[0][1]


def test_a_soft_rule_violation_needs_its_explanation(dataset, tianlu, licun_clerk) -> None:
    listed(dataset, tianlu)
    blank = download(dataset, tianlu)
    low_sales = {("天路集团", "工业销售产值"): {"E": 500, "F": 5000}}

    result = do_import(licun_clerk, dataset, fill(blank, low_sales))

    row = row_of(blank, "天路集团", "工业销售产值")
    assert len(result.errors) == 1
    assert result.errors[0][0] == row
    assert "工业销售产值与工业总产值之比低于80%" in result.errors[0][1]
    assert "情况说明" in result.errors[0][1]
    assert not Submission.objects.exists()

    explained = {("天路集团", "工业销售产值"): {"E": 500, "F": 5000, "J": "订单延期，库存增加"}}
    result = do_import(licun_clerk, dataset, fill(blank, explained))

    assert result.errors == []
    submission = Submission.objects.get(enterprise=tianlu)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.explanations == {"sales-ratio-low": "订单延期，库存增加"}


def test_a_revised_last_year_figure_needs_its_reason(dataset, tianlu, licun, licun_clerk) -> None:
    listed(dataset, tianlu)
    accepted(dataset, tianlu, "202510", {"工业总产值": (800, 8000), "用电量": (9, 90)})
    Approval.objects.create(
        dataset=dataset, period="202510", org_unit=licun, approved_by=licun_clerk
    )
    blank = download(dataset, tianlu)
    row = row_of(blank, "天路集团", "工业总产值")

    result = do_import(licun_clerk, dataset, fill(blank, {("天路集团", "工业总产值"): {"H": 8500}}))

    assert [r for r, _m in result.errors] == [row]
    assert result.errors[0][1].startswith("天路集团：")
    assert not Submission.objects.filter(period="202610").exists()

    revised = {("天路集团", "工业总产值"): {"H": 8500, "I": "企业分立，并入原分厂数据"}}
    result = do_import(licun_clerk, dataset, fill(blank, revised))

    assert result.errors == []
    value = Value.objects.get(submission__period="202610", indicator__code="output")
    assert (value.base_month, value.base_ytd) == (Decimal("800.00"), Decimal("8500.00"))
    assert value.base_reason == "企业分立，并入原分厂数据"


def test_an_enterprise_of_another_street_is_a_row_error(
    dataset, tianlu, ruifeng, licun_clerk
) -> None:
    listed(dataset, tianlu, ruifeng)
    blank = download(dataset, tianlu, ruifeng)

    result = do_import(licun_clerk, dataset, fill(blank))

    assert result.errors == [
        (row_of(blank, "瑞丰气体", "工业总产值"), "瑞丰气体：不属于您可以填报的企业（楼山街道）。")
    ]
    assert not Submission.objects.exists()


def test_an_enterprise_off_the_reporting_list_is_a_row_error(
    dataset, tianlu, huacheng, licun_clerk
) -> None:
    listed(dataset, tianlu)

    result = do_import(licun_clerk, dataset, fill(download(dataset, tianlu, huacheng)))

    assert len(result.errors) == 1
    assert "华成机械" in result.errors[0][1] and "名录" in result.errors[0][1]


def test_an_unknown_credit_code_and_indicator_and_unit_are_row_errors(
    dataset, tianlu, licun_clerk
) -> None:
    listed(dataset, tianlu)
    blank = download(dataset, tianlu)
    content = fill(
        blank,
        {("天路集团", "营业收入"): {"C": "主营业务收入"}, ("天路集团", "用电量"): {"D": "度"}},
    )
    book = load_workbook(io.BytesIO(content))
    ws = book[sheets.FORM_SHEET]
    ws["A4"] = "91370213000000001X"
    out = io.BytesIO()
    book.save(out)

    result = do_import(licun_clerk, dataset, out.getvalue())

    messages = dict(result.errors)
    assert "不是本报表的指标" in messages[row_of(blank, "天路集团", "营业收入")]
    assert "计量单位应为万千瓦时" in messages[row_of(blank, "天路集团", "用电量")]
    assert "不在企业库中" in messages[4]


def test_a_submitted_form_with_other_figures_must_be_returned_first(
    dataset, tianlu, licun_clerk
) -> None:
    listed(dataset, tianlu)
    accepted(dataset, tianlu, "202610", GOOD, status=SubmissionStatus.ACCEPTED)
    blank = download(dataset, tianlu)

    result = do_import(licun_clerk, dataset, fill(blank, {("天路集团", "工业总产值"): {"E": 1001}}))

    assert result.errors == [
        (
            row_of(blank, "天路集团", "工业总产值"),
            "天路集团　工业总产值：该企业本月报表已审核，数据与已报数不同，"
            "需先由街道退回后再导入。",
        )
    ]


def test_a_closed_entry_window_is_a_row_error_not_an_exception(
    dataset, tianlu, licun_clerk, monkeypatch
) -> None:
    listed(dataset, tianlu)
    content = fill(download(dataset, tianlu))
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 10, 5))

    result = do_import(licun_clerk, dataset, content)

    assert [r for r, _m in result.errors] == [4]
    assert result.errors[0][1].startswith("天路集团：")
    assert not Submission.objects.exists()


def test_the_enterprise_itself_may_import_its_own_form(dataset, tianlu, enterprise_user) -> None:
    listed(dataset, tianlu)

    result = do_import(enterprise_user, dataset, fill(download(dataset, tianlu)))

    assert result.submitted == 1


# --- files that cannot be imported --------------------------------------------------------------


def test_a_form_of_another_period_is_refused(dataset, tianlu, licun_clerk) -> None:
    listed(dataset, tianlu)
    content = fill(download(dataset, tianlu, period=Period(2026, 9)))

    with pytest.raises(sheets.SheetError, match=r"文件的报告期是2026年9月.*2026年10月"):
        do_import(licun_clerk, dataset, content)
    assert not Submission.objects.exists()


def test_a_sheet_without_a_period_is_refused(dataset, licun_clerk) -> None:
    book = Workbook()
    book.active.append(["统一社会信用代码", "指标名称", "本月", "1–本月"])
    book.active.append(["91370200163562681G", "工业总产值", 1, 1])
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(sheets.SheetError, match="找不到报告期"):
        do_import(licun_clerk, dataset, out.getvalue())


def test_a_title_with_the_period_is_enough_and_a_one_row_header_is_read(
    dataset, tianlu, licun_clerk
) -> None:
    listed(dataset, tianlu)
    book = Workbook()
    ws = book.active
    ws.append(["规模以上工业企业主要经济指标月报 2026年10月"])
    ws.append(["统一社会信用代码", "指标名称", "本月", "1-本月"])
    for name, (month, ytd) in GOOD.items():
        ws.append([tianlu.credit_code, name, month, ytd])
    out = io.BytesIO()
    book.save(out)

    result = do_import(licun_clerk, dataset, out.getvalue())

    assert result.errors == []
    assert result.submitted == 1


def test_broken_bytes_get_a_clear_message(dataset, licun_clerk) -> None:
    with pytest.raises(sheets.SheetError, match="不是 Excel 工作簿"):
        do_import(licun_clerk, dataset, b"PK\x03\x04 not really a zip")


def test_a_huge_file_gets_a_clear_message(dataset, licun_clerk) -> None:
    with pytest.raises(sheets.SheetError, match="超过 10 MB"):
        do_import(licun_clerk, dataset, b"\0" * (10 * 1024 * 1024 + 1))


def test_an_empty_sheet_and_a_sheet_without_the_header_are_refused(dataset, licun_clerk) -> None:
    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(sheets.SheetError, match="空的"):
        do_import(licun_clerk, dataset, out.getvalue())

    book = Workbook()
    book.active.append(["规模以上工业企业主要经济指标月报 2026年10月"])
    book.active.append(["企业名称", "数值"])
    book.active.append(["天路集团", 1])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(sheets.SheetError, match=r"未找到表头.*统一社会信用代码"):
        do_import(licun_clerk, dataset, out.getvalue())


def test_a_form_without_data_rows_is_refused(dataset, licun_clerk) -> None:
    with pytest.raises(sheets.SheetError, match="没有数据行"):
        do_import(licun_clerk, dataset, download(dataset))


# --- the analysis export ------------------------------------------------------------------------


def test_the_rollup_export_shows_wan_yuan_rates_contributions_and_the_basis_note(
    dataset,
) -> None:
    output = dataset.indicators.get(code="output")
    result = {
        "month": Decimal("101000"),
        "ytd": Decimal("1010000"),
        "ytd_base": Decimal("1100000"),
        "last_year_ytd": Decimal("1200000"),
        "ytd_yoy": Decimal("-8.181818181818181818"),
        "yoy_note": "",
        "naive_ytd_yoy": Decimal("-15.833333333333333333"),
        "naive_note": "",
        "month_yoy": None,
        "mom": Decimal("2.5"),
        "enterprises": 2,
        "children": [
            {
                "name": "李村街道",
                "month": Decimal("11000"),
                "ytd": Decimal("110000"),
                "ytd_base": Decimal("100000"),
                "ytd_yoy": Decimal("10"),
                "yoy_note": "",
                "contribution": Decimal("0.909090909090909091"),
                "mom": None,
                "enterprises": 1,
            },
            {
                "name": "=楼山街道",
                "month": Decimal("90000"),
                "ytd": Decimal("900000"),
                "ytd_base": Decimal("1000000"),
                "ytd_yoy": Decimal("-10"),
                "yoy_note": "",
                "contribution": Decimal("-9.090909090909090909"),
                "mom": None,
                "enterprises": 1,
            },
        ],
        "by_enterprise": [
            {
                "name": "天路集团",
                "street": "李村街道",
                "ytd": Decimal("110000"),
                "ytd_base": Decimal("100000"),
                "change": Decimal("10000"),
                "ytd_yoy": Decimal("10"),
                "yoy_note": "",
                "contribution": Decimal("0.909090909090909091"),
            }
        ],
    }

    content = sheets.rollup_workbook(title="李沧区", result=result, indicator=output, period=PERIOD)

    book = load_workbook(io.BytesIO(content))
    ws = book["汇总"]
    assert "工业总产值" in ws["A1"].value and "1–10月" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert headers[:8] == [
        "单位",
        "本月（万元）",
        "1–10月（万元）",
        "上年同期1–10月（万元）",
        "同比(%)",
        "说明",
        "贡献率(百分点)",
        "环比(%)",
    ]
    total = [c.value for c in ws[3]]
    assert total[:8] == ["合计", 10100, 101000, 110000, -8.18, None, -8.18, 2.5]
    assert [c.value for c in ws[4]][:8] == ["李村街道", 1100, 11000, 10000, 10, None, 0.91, None]
    assert ws["A5"].value == "'=楼山街道"
    assert ws["G5"].value == -9.09
    notes = " ".join(str(c.value) for c in ws["A"] if c.value)
    assert "可比口径" in notes and "-8.18%" in notes and "-15.83%" in notes
    enterprises = book["企业"]
    assert [c.value for c in enterprises[3]][:3] == ["天路集团", "李村街道", 11000]


def test_the_rollup_export_keeps_other_units_as_they_are(dataset) -> None:
    electricity = dataset.indicators.get(code="electricity")
    result = {"month": Decimal("12.345"), "ytd": Decimal("100"), "children": []}

    ws = load_workbook(
        io.BytesIO(
            sheets.rollup_workbook(
                title="李村街道", result=result, indicator=electricity, period=Period(2026, 1)
            )
        )
    )["汇总"]

    assert ws["B2"].value == "本月（万千瓦时）"
    assert ws["C2"].value == "1月（万千瓦时）"
    assert [ws["B3"].value, ws["C3"].value] == [12.35, 100]
