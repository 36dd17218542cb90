"""/enterprises/import/: an office's Excel sheet, checked whole before anything is saved."""

from __future__ import annotations

import io
import os
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese, zh
from qifu.enterprises import imports
from qifu.enterprises.models import Contact, Enterprise, Kind, Status
from qifu.enterprises.tests.factories import REAL_CODES
from qifu.enterprises.tests.helpers import TYPO_IDS, TYPOS, credit_code_message, full_width
from qifu.enterprises.tests.sheets import FIRST_DATA_ROW, GROUPS, office_sheet, row
from qifu.lib.xlsx import XLSX_MIME, WorkbookError, write_form

pytestmark = pytest.mark.django_db

URL = "/enterprises/import/"
TEMPLATE = "/enterprises/import/template/"


def upload(client, content: bytes, name: str = "企业名录.xlsx", **kwargs):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX_MIME)}, **kwargs
    )


def finished(created: int, updated: int, unchanged: int) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(
            "Import finished: %(created)s added, %(updated)s updated, %(unchanged)s unchanged."
        ) % {"created": created, "updated": updated, "unchanged": unchanged}


def workbook_message(code: str, **params) -> str:
    with translation.override("zh-hans"):
        return imports.workbook_error_message(WorkbookError(code, **params))


def errors(response) -> list[tuple[int, str, str]]:
    assert response.status_code == 400, response.content
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


def events(action: str, enterprise=None) -> int:
    """How many audit events of `action` (a prefix) there are, on `enterprise` if given."""
    found = AuditEvent.objects.filter(action__startswith=action)
    if enterprise is not None:
        found = found.filter(object_id=str(enterprise.pk))
    return found.count()


def enterprise_updates() -> int:
    return events("enterprise.update")


# --- Who may import ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/enterprises/import/")
    assert client.get(TEMPLATE).status_code == 302


def test_put_is_not_allowed(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    assert client.put(URL).status_code == 405
    assert client.post(TEMPLATE).status_code == 405


@pytest.mark.parametrize(
    "who", ["enterprise_user", "sysadmin", "secadmin", "auditor", "no_role_user"]
)
def test_only_officials_may_import(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert upload(client, office_sheet([row(1)])).status_code == 403
    assert not Enterprise.objects.filter(name__startswith="青岛导入测试").exists()


def test_the_page_explains_the_import_in_chinese(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    html = client.get(URL).content.decode()

    assert zh("Import enterprises from Excel") in html
    assert zh("Import enterprises from Excel") != "Import enterprises from Excel"
    assert TEMPLATE in html


# --- The template -----------------------------------------------------------------------------


def test_the_template_downloads_and_opens_with_the_expected_header(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [ws.cell(row=3, column=c).value for c in range(1, ws.max_column + 1)]
    assert header[:5] == ["企业名称*", "统一社会信用代码*", "法定代表人", "所属街道*", "地址"]
    assert "注册资本（万元）" in header
    assert ws.cell(row=1, column=1).value
    assert any(
        str(ws.cell(row=r, column=1).value or "").startswith("注") for r in range(4, ws.max_row + 1)
    )


def test_the_template_filled_in_imports(client, licun_clerk) -> None:
    client.force_login(licun_clerk)
    book = load_workbook(io.BytesIO(client.get(TEMPLATE).content))
    ws = book.active
    ws.insert_rows(4)
    for c, value in enumerate(
        [
            "天路集团",
            REAL_CODES[0],
            "王磊",
            "李村",
            "九水路1号",
            "C3434",
            12000,
            "2001-05-08",
            "企业",
            "是",
            "否",
            "",
            "高新技术企业",
            "在营",
            "张伟",
            "办公室主任",
            "13812341234",
        ],
        start=1,
    ):
        ws.cell(row=4, column=c, value=value)
    out = io.BytesIO()
    book.save(out)

    response = upload(client, out.getvalue(), follow=True)

    assert response.status_code == 200
    assert finished(1, 0, 0) in response.content.decode()
    enterprise = Enterprise.objects.get(credit_code=REAL_CODES[0])
    assert enterprise.street.name == "李村街道"
    assert enterprise.industry_code == "3434"
    assert enterprise.registered_capital == Decimal("12000.00")
    assert str(enterprise.established_on) == "2001-05-08"
    assert enterprise.is_above_scale and not enterprise.is_key
    assert enterprise.contacts.get().phone == "13812341234"


def test_the_empty_template_has_no_data_rows(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    found = errors(upload(client, client.get(TEMPLATE).content))

    assert [message for _row, _column, message in found] == [zh("The sheet has no data rows.")]


# --- A valid office sheet -----------------------------------------------------------------------


def test_an_office_sheet_with_title_merged_header_blank_rows_and_notes_imports(
    client, licun_clerk, licun
) -> None:
    rows = [row(n) for n in range(1, 8)]
    client.force_login(licun_clerk)

    response = upload(client, office_sheet(rows, blank_after=[1, 4]), follow=True)

    assert response.status_code == 200
    assert finished(7, 0, 0) in response.content.decode()
    imported = Enterprise.objects.filter(name__startswith="青岛导入测试").order_by("name")
    assert imported.count() == 7
    first = imported.first()
    assert first.street == licun
    assert first.registered_capital == Decimal("1200.50")
    assert first.industry_section == "C"
    assert first.is_above_scale is True
    assert [c.phone for c in first.contacts.all()] == ["13600001234"]
    third = imported.get(name="青岛导入测试003有限公司")
    assert sorted(t.name for t in third.tags.all()) == ["专精特新", "高新技术企业"]
    event = AuditEvent.objects.get(action="enterprise.import")
    assert event.actor == licun_clerk
    assert event.object_repr == "企业名录.xlsx"
    assert event.changes["created"] == [None, 7]


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_codes_of_real_licences_import(client, licun_clerk, code) -> None:
    client.force_login(licun_clerk)

    response = upload(client, office_sheet([row(1, **{"统一社会信用代码*": code})]))

    assert response.status_code == 302
    assert Enterprise.objects.filter(credit_code=code).exists()


def test_a_full_width_or_spaced_code_imports_half_width(client, licun_clerk) -> None:
    client.force_login(licun_clerk)
    rows = [
        row(1, **{"统一社会信用代码*": full_width(REAL_CODES[0])}),
        row(2, **{"统一社会信用代码*": "9144 0300 7152 6726 xg"}),
    ]

    assert upload(client, office_sheet(rows)).status_code == 302

    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == set(REAL_CODES[:2])


@pytest.mark.parametrize("street", ["李村街道", "李村", "370213007", 370213007])
def test_the_street_may_be_given_by_name_short_name_or_code(
    client, licun_clerk, licun, street
) -> None:
    client.force_login(licun_clerk)

    assert upload(client, office_sheet([row(1, **{"所属街道*": street})])).status_code == 302

    assert Enterprise.objects.get(name="青岛导入测试001有限公司").street == licun


def test_a_capital_in_yuan_is_converted_to_wan(client, licun_clerk) -> None:
    groups = [
        (g, [("注册资本（元）" if h == "注册资本（万元）" else h) for h in hs]) for g, hs in GROUPS
    ]
    rows = [
        row(1, **{"注册资本（元）": 12_000_000}),
        row(2, **{"注册资本（元）": "3,456,789"}),
    ]
    client.force_login(licun_clerk)

    assert upload(client, office_sheet(rows, groups=groups)).status_code == 302

    capitals = dict(Enterprise.objects.values_list("name", "registered_capital"))
    assert capitals["青岛导入测试001有限公司"] == Decimal("1200.00")
    assert capitals["青岛导入测试002有限公司"] == Decimal("345.68")


def test_the_office_form_written_by_write_form_imports(client, leader) -> None:
    content = write_form(
        title="企业名录",
        groups=[
            ("基本情况", ["单位名称", "社会信用代码", "街道"]),
            ("其他", ["国民经济行业代码", "注册资金(万元)", "经营状态", "主体类型"]),
        ],
        rows=[
            ["青岛银行李沧支行", REAL_CODES[3], "浮山路街道", "6621", None, "存续", "金融机构"],
            ["李村百货商店", REAL_CODES[1], "李村街道", "F5211", "50", "已注销", "企业"],
        ],
        notes=["说明：数据来自市场监管局"],
    )
    client.force_login(leader)

    assert upload(client, content).status_code == 302

    bank = Enterprise.objects.get(credit_code=REAL_CODES[3])
    assert (bank.kind, bank.status, bank.street.name) == (
        Kind.FINANCIAL,
        Status.OPERATING,
        "浮山路街道",
    )
    assert bank.registered_capital is None
    store = Enterprise.objects.get(credit_code=REAL_CODES[1])
    assert (store.status, store.industry_code, store.registered_capital) == (
        Status.CLOSED,
        "5211",
        Decimal("50.00"),
    )


# --- Updating and re-importing ------------------------------------------------------------------


def test_an_enterprise_already_registered_is_updated_by_its_credit_code(
    client, licun_clerk, tianlu
) -> None:
    client.force_login(licun_clerk)
    rows = [
        row(
            1,
            **{
                "企业名称*": "天路集团",
                "统一社会信用代码*": tianlu.credit_code,
                "注册资本（万元）": 15000,
                "联系人": "张伟",
                "联系电话": "13900005678",
            },
        ),
        row(2),
    ]

    response = upload(client, office_sheet(rows), follow=True)

    assert finished(1, 1, 0) in response.content.decode()
    tianlu.refresh_from_db()
    assert tianlu.registered_capital == Decimal("15000.00")
    assert [(c.name, c.phone) for c in tianlu.contacts.all()] == [("张伟", "13900005678")]
    assert events("enterprise.update", tianlu) == 1
    assert events("enterprise.contact_update", tianlu) == 1


def test_importing_the_same_file_again_changes_nothing(client, licun_clerk) -> None:
    content = office_sheet([row(n) for n in range(1, 21)], blank_after=[5])
    client.force_login(licun_clerk)
    first = upload(client, content, follow=True)
    counts = (Enterprise.objects.count(), Contact.objects.count(), enterprise_updates())
    contact_events = events("enterprise.contact")

    second = upload(client, content, follow=True)

    assert finished(20, 0, 0) in first.content.decode()
    assert finished(0, 0, 20) in second.content.decode()
    assert (Enterprise.objects.count(), Contact.objects.count(), enterprise_updates()) == counts
    assert events("enterprise.contact") == contact_events
    assert events("enterprise.import") == 2


# --- Refused rows -----------------------------------------------------------------------------


def test_one_bad_row_among_a_hundred_saves_nothing_and_is_named(client, licun_clerk) -> None:
    rows = [row(n) for n in range(1, 101)]
    typo = rows[56]["统一社会信用代码*"][:-1] + (
        "1" if rows[56]["统一社会信用代码*"][-1] != "1" else "2"
    )
    rows[56]["统一社会信用代码*"] = typo
    client.force_login(licun_clerk)
    before = AuditEvent.objects.count()

    response = upload(client, office_sheet(rows))

    assert errors(response) == [
        (FIRST_DATA_ROW + 56, "B（统一社会信用代码*）", credit_code_message(typo))
    ]
    html = response.content.decode()
    assert f"<td>{FIRST_DATA_ROW + 56}</td>" in html
    assert "B（统一社会信用代码*）" in html
    assert credit_code_message(typo) in html
    assert not Enterprise.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("typo", "what", "named"), TYPOS, ids=TYPO_IDS)
def test_a_one_character_slip_is_reported_in_chinese(
    client, licun_clerk, typo, what, named
) -> None:
    client.force_login(licun_clerk)

    [(number, column, message)] = errors(
        upload(client, office_sheet([row(1, **{"统一社会信用代码*": typo})]))
    )

    assert (number, column) == (FIRST_DATA_ROW, "B（统一社会信用代码*）")
    assert message == credit_code_message(typo)
    assert is_chinese(message)
    assert named in message


def test_every_error_of_every_row_is_listed_with_its_column(client, licun_clerk) -> None:
    rows = [
        row(1, **{"企业名称*": ""}),
        row(2, **{"行业代码*": "9999"}),
        row(3, **{"注册资本（万元）": "一千万"}),
        row(4, **{"成立日期": "去年"}),
        row(5, **{"是否规上": "可能"}),
        row(6, **{"所属街道*": ""}),
        row(7),
    ]
    client.force_login(licun_clerk)

    found = errors(upload(client, office_sheet(rows)))

    assert [(n, column) for n, column, _message in found] == [
        (4, "A（企业名称*）"),
        (5, "E（行业代码*）"),
        (6, "F（注册资本（万元））"),
        (7, "G（成立日期）"),
        (8, "H（是否规上）"),
        (9, "C（所属街道*）"),
    ]
    assert all(is_chinese(message) for _n, _column, message in found)
    assert "9999" in found[1][2]
    assert "一千万" in found[2][2]
    assert not Enterprise.objects.exists()


def test_values_too_long_or_too_large_for_the_register_are_errors_not_a_crash(
    client, licun_clerk
) -> None:
    rows = [
        row(1, **{"法定代表人": "王" * 51}),
        row(2, **{"注册资本（万元）": 10**13}),
        row(3, **{"注册资本（万元）": "1e40"}),
    ]
    client.force_login(licun_clerk)

    found = errors(upload(client, office_sheet(rows)))

    assert [(n, column) for n, column, _message in found] == [
        (4, "D（法定代表人）"),
        (5, "F（注册资本（万元））"),
        (6, "F（注册资本（万元））"),
    ]
    assert all(is_chinese(message) for _n, _column, message in found)
    assert "50" in found[0][2]
    assert not Enterprise.objects.exists()


def test_a_credit_code_twice_in_the_file_is_reported_on_the_second(client, licun_clerk) -> None:
    rows = [row(1), row(2), row(3, **{"统一社会信用代码*": row(1)["统一社会信用代码*"].lower()})]
    client.force_login(licun_clerk)

    found = errors(upload(client, office_sheet(rows)))

    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The same credit code is already in row %(row)s of this file."
        ) % {"row": FIRST_DATA_ROW}
    assert found == [(FIRST_DATA_ROW + 2, "B（统一社会信用代码*）", expected)]
    assert not Enterprise.objects.exists()


def test_a_street_outside_the_clerks_scope_is_an_error(client, licun_clerk, loushan) -> None:
    client.force_login(licun_clerk)

    found = errors(upload(client, office_sheet([row(1), row(2, **{"所属街道*": "楼山街道"})])))

    with translation.override("zh-hans"):
        expected = translation.gettext("“%(street)s” is not a street in your scope.") % {
            "street": "楼山街道"
        }
    assert found == [(FIRST_DATA_ROW + 1, "C（所属街道*）", expected)]
    assert not Enterprise.objects.exists()


def test_an_existing_enterprise_outside_the_scope_is_an_error(client, licun_clerk, ruifeng) -> None:
    client.force_login(licun_clerk)
    rows = [row(1, **{"企业名称*": "瑞丰气体", "统一社会信用代码*": ruifeng.credit_code})]

    found = errors(upload(client, office_sheet(rows)))

    assert found == [
        (
            FIRST_DATA_ROW,
            "B（统一社会信用代码*）",
            zh("This enterprise exists but lies outside your scope."),
        )
    ]
    ruifeng.refresh_from_db()
    assert ruifeng.street.name == "楼山街道"
    assert not AuditEvent.objects.filter(action="enterprise.update").exists()


def test_a_header_missing_a_required_column_is_refused_naming_it(client, licun_clerk) -> None:
    groups = [(g, [h for h in hs if h != "行业代码*"]) for g, hs in GROUPS]
    client.force_login(licun_clerk)

    response = upload(client, office_sheet([row(1)], groups=groups))

    assert response.status_code == 400
    [message] = response.context["form"].errors["file"]
    assert message == workbook_message("no_header", missing=["industry_code"])
    assert "行业代码" in message
    assert is_chinese(message)
    assert message in response.content.decode()


# --- Files that are not a sheet -----------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (os.urandom(20_000), "企业名录.xlsx"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
            "企业名录.docx",
        ),
        ("企业名称,统一社会信用代码\n天路集团,91370200163562681G\n".encode(), "企业名录.xlsx"),
        (b"", "empty.xlsx"),
    ],
    ids=["random-bytes", "docx-like-zip", "text-renamed", "empty"],
)
def test_a_file_that_is_not_an_xlsx_is_refused_in_chinese(
    client, licun_clerk, content, name
) -> None:
    client.force_login(licun_clerk)

    response = upload(client, content, name=name)

    assert response.status_code == 400
    [message] = response.context["form"].errors["file"]
    if content:
        assert message == workbook_message("not_xlsx")
    assert is_chinese(message)
    assert not Enterprise.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = upload(client, office_sheet([row(1)]) + b"\0" * (10 * 1024 * 1024))

    assert response.status_code == 400
    [message] = response.context["form"].errors["file"]
    assert "10" in message
    assert is_chinese(message)
    assert not Enterprise.objects.exists()


def test_a_zip_bomb_is_refused(client, licun_clerk) -> None:
    genuine = office_sheet([row(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(genuine)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        info = zipfile.ZipInfo("xl/worksheets/sheet2.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as member:
            chunk = b"<row/>" * (1024 * 1024 // 6)
            for _ in range(105):
                member.write(chunk)
    client.force_login(licun_clerk)

    response = upload(client, out.getvalue())

    assert len(out.getvalue()) < 2 * 1024 * 1024
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [workbook_message("bomb")]
    assert not Enterprise.objects.exists()


def test_a_broken_workbook_is_refused(client, licun_clerk) -> None:
    content = _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook"})
    client.force_login(licun_clerk)

    response = upload(client, content)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [workbook_message("broken")]


def test_a_post_without_a_file_is_refused(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = client.post(URL, {"note": "x"})

    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_an_empty_post_is_a_400_asking_for_the_file(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = client.post(URL, {})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Enterprise.objects.filter(name__startswith="青岛导入测试").exists()


def test_an_industry_code_whose_leading_zero_excel_dropped_is_padded(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = upload(client, office_sheet([row(1, **{"行业代码*": 111})]))

    assert response.status_code == 302
    assert Enterprise.objects.get(name="青岛导入测试001有限公司").industry_code == "0111"


def test_a_tag_with_a_space_stays_one_tag(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    upload(client, office_sheet([row(1, 标签="国家级 专精特新、瞪羚企业")]))

    names = sorted(
        t.name for t in Enterprise.objects.get(name="青岛导入测试001有限公司").tags.all()
    )
    assert names == ["国家级 专精特新", "瞪羚企业"]
