"""/enterprises/export/: the filtered list as an office's Excel form, ready to import again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.enterprises.models import Contact, Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory, valid_code
from qifu.enterprises.tests.sheets import sheet_rows
from qifu.lib.xlsx import XLSX_MIME

pytestmark = pytest.mark.django_db

URL = "/enterprises/export/"
DISTRICT = {"天路集团", "瑞丰气体", "青岛天路物流有限公司", "青岛银行李沧支行", "李村百货商店"}
LICUN = {"天路集团", "青岛银行李沧支行", "李村百货商店"}


def exported(client, **query: str) -> list[tuple]:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX_MIME
    assert response["Content-Disposition"].startswith('attachment; filename="enterprises-')
    return sheet_rows(response.content)


def data(rows: list[tuple]) -> list[tuple]:
    return rows[3:]


def names(rows: list[tuple]) -> set[str]:
    return {r[0] for r in data(rows)}


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/enterprises/export/")


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post(URL).status_code == 405


def test_the_export_has_a_title_a_two_row_header_and_the_rows(client, leader, registry) -> None:
    client.force_login(leader)

    rows = exported(client, search="天路集团")

    assert str(timezone.localdate()) in rows[0][0]
    assert rows[1][0] and rows[1][0] == rows[1][0].strip()  # the first group, merged over five
    assert rows[2][:5] == ("企业名称*", "统一社会信用代码*", "法定代表人", "所属街道*", "地址")
    assert "注册资本（万元）" in rows[2]
    [tianlu] = data(rows)
    header = list(rows[2])
    assert tianlu[0] == "天路集团"
    assert tianlu[1] == "91370200163562681G"
    assert tianlu[3] == "李村街道"
    assert tianlu[header.index("行业代码*")] == "3434"
    assert tianlu[header.index("注册资本（万元）")] == 12000
    assert tianlu[header.index("是否规上")] == "是"
    assert tianlu[header.index("是否重点企业")] == "是"
    assert tianlu[header.index("标签")] == "高新技术企业"
    assert tianlu[header.index("状态")] == "在营"
    assert tianlu[header.index("联系人")] == "张伟"
    assert tianlu[header.index("联系电话")] == "13812341234"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, DISTRICT),
        ({"search": "天路"}, {"天路集团", "青岛天路物流有限公司"}),
        ({"street": "370213007"}, LICUN),
        ({"zone": "west"}, {"瑞丰气体"}),
        ({"section": "C"}, {"天路集团", "瑞丰气体"}),
        ({"is_above_scale": "false"}, DISTRICT - {"天路集团", "瑞丰气体"}),
        ({"is_key": "true"}, {"天路集团", "青岛银行李沧支行"}),
        ({"kind": "financial"}, {"青岛银行李沧支行"}),
        ({"status": "closed"}, {"李村百货商店"}),
    ],
)
def test_the_export_follows_the_lists_filters(client, leader, registry, query, found) -> None:
    client.force_login(leader)

    assert names(exported(client, **query)) == found


def test_the_export_follows_the_lists_order(client, leader, registry) -> None:
    client.force_login(leader)

    rows = data(exported(client, sort="-capital", section="C"))

    assert [r[0] for r in rows] == ["天路集团", "瑞丰气体"]


def test_a_street_clerk_exports_only_their_street_with_phones_masked(
    client, licun_clerk, registry
) -> None:
    client.force_login(licun_clerk)

    rows = exported(client, street="370213006")

    assert names(rows) == LICUN
    phones = {r[0]: r[-1] for r in data(rows)}
    assert phones["天路集团"] == "138****1234"
    assert "13812341234" not in str(rows)


def test_an_enterprise_user_exports_only_their_enterprise_in_full(
    client, enterprise_user, registry
) -> None:
    client.force_login(enterprise_user)

    rows = exported(client)

    assert names(rows) == {"天路集团"}
    assert data(rows)[0][-1] == "13812341234"


def test_a_privileged_clerk_exports_phones_in_full(client, privileged_clerk, registry) -> None:
    client.force_login(privileged_clerk)

    assert {r[0]: r[-1] for r in data(exported(client))}["天路集团"] == "13812341234"


def test_the_outsider_exports_nothing_of_the_district(
    client, outsider, registry, laoshan_enterprise
) -> None:
    client.force_login(outsider)

    assert names(exported(client)) == {"崂山科技有限公司"}


def test_the_export_imports_again_unchanged(client, leader, registry) -> None:
    client.force_login(leader)
    content = client.get(URL).content
    counts = (Enterprise.objects.count(), Contact.objects.count())
    before = AuditEvent.objects.exclude(action__startswith="auth.").count()
    snapshot = list(Enterprise.objects.order_by("id").values())

    response = client.post(
        "/enterprises/import/",
        {"file": SimpleUploadedFile("export.xlsx", content, content_type=XLSX_MIME)},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/enterprises/"
    assert (Enterprise.objects.count(), Contact.objects.count()) == counts
    assert list(Enterprise.objects.order_by("id").values()) == snapshot
    new_events = AuditEvent.objects.exclude(action__startswith="auth.").order_by("id")[before:]
    assert [e.action for e in new_events] == ["enterprise.import"]
    assert new_events[0].changes["unchanged"] == [None, 5]


def test_a_clerks_export_with_masked_phones_imports_again_unchanged(
    client, licun_clerk, registry
) -> None:
    client.force_login(licun_clerk)
    content = client.get(URL).content

    response = client.post(
        "/enterprises/import/",
        {"file": SimpleUploadedFile("export.xlsx", content, content_type=XLSX_MIME)},
    )

    assert response.status_code == 302
    assert registry["天路集团"].contacts.get().phone == "13812341234"
    assert not AuditEvent.objects.filter(action__startswith="enterprise.contact_update").exists()


def test_the_export_issues_a_fixed_number_of_queries(client, leader, org) -> None:
    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            EnterpriseFactory(
                credit_code=valid_code(8000 + i),
                tags=["高新技术企业", f"标签{i}"],
                contacts=[{"name": f"联系人{i}", "phone": "13800000000"}, {"name": "第二联系人"}],
            )

    client.force_login(leader)
    make(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(data(exported(client))) == 5

    make(35, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(data(exported(client))) == 40

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # session, user, streets and zones of the filter form, rows, tags, contacts
    assert len(few) == 7
