"""The Excel export of the audit log: the filtered rows, a real xlsx, a fixed query budget."""

from __future__ import annotations

import io

import pytest
from django.http import HttpResponse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from qifu.audit.tests.factories import AuditEventFactory
from qifu.core.tests.helpers import zh
from qifu.lib.xlsx import XLSX_MIME

pytestmark = pytest.mark.django_db

URL = "/audit/export/"


def _sheet(response: HttpResponse) -> Worksheet:
    return load_workbook(io.BytesIO(response.content)).active


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_is_not_allowed(client, auditor) -> None:
    client.force_login(auditor)

    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("who", ["leader", "outsider", "sysadmin", "secadmin"])
def test_everyone_but_the_auditor_is_refused(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403


def test_the_export_is_an_xlsx_with_title_headers_and_the_filtered_rows(
    client, auditor, leader
) -> None:
    AuditEventFactory(actor=leader, action="test.export", object_repr="天路集团")
    AuditEventFactory(actor=leader, action="test.export", object_repr="瑞丰气体", success=False)
    AuditEventFactory(actor=None, action="test.other", object_repr="不应导出")
    client.force_login(auditor)

    response = client.get(URL, {"action": "test.export"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == zh("Audit log")
    assert rows[1][:4] == (zh("Time"), zh("User"), zh("Role"), zh("Action"))
    data = rows[2:]
    assert {row[6] for row in data} == {"天路集团", "瑞丰气体"}
    assert {row[1] for row in data} == {"leader"}
    assert {row[9] for row in data} == {zh("Succeeded"), zh("Failed")}


def test_text_that_looks_like_a_formula_is_exported_as_text(client, auditor) -> None:
    AuditEventFactory(action="test.formula", object_repr='=HYPERLINK("http://x")')
    client.force_login(auditor)

    sheet = _sheet(client.get(URL, {"action": "test.formula"}))

    assert sheet.cell(row=3, column=7).value == '\'=HYPERLINK("http://x")'
    assert sheet.cell(row=3, column=7).data_type == "s"


@pytest.mark.parametrize("events", [5, 60])
def test_the_export_issues_a_fixed_number_of_queries(
    client, auditor, leader, events, django_assert_num_queries
) -> None:
    for _ in range(events):
        AuditEventFactory(actor=leader, action="test.budget")
    client.force_login(auditor)

    # session, user, events
    with django_assert_num_queries(3):
        response = client.get(URL, {"action": "test.budget"})

    assert _sheet(response).max_row == 2 + events
