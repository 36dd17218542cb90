"""/api/v1/enterprises/: the registry over REST, with the pages' scope, services and masking."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese, zh
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import REAL_CODES, EnterpriseFactory, valid_code
from qifu.enterprises.tests.helpers import TYPO_IDS, TYPOS, credit_code_message, full_width

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"
DISTRICT = {"天路集团", "瑞丰气体", "青岛天路物流有限公司", "青岛银行李沧支行", "李村百货商店"}
LICUN = {"天路集团", "青岛银行李沧支行", "李村百货商店"}


def detail(enterprise) -> str:
    return f"{URL}{enterprise.pk}/"


def names(api, **query: str) -> set[str]:
    response = api.get(URL, {"page_size": 200, **query})
    assert response.status_code == 200, response.content
    return {e["name"] for e in response.json()["results"]}


def new(**values) -> dict:
    return {
        "name": "青岛玖琦化工有限公司",
        "credit_code": REAL_CODES[2],
        "street": "370213007",
        "industry_code": "2614",
        "registered_capital": "4500",
        **values,
    }


def updates(enterprise) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="enterprise.update", object_id=str(enterprise.pk)))


# --- Reading ----------------------------------------------------------------------------------


def test_anonymous_is_refused_with_401_and_a_chinese_detail(api, tianlu) -> None:
    listed = api.get(URL)
    one = api.get(detail(tianlu))

    assert listed.status_code == 401
    assert one.status_code == 401
    assert is_chinese(listed.json()["detail"])


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_are_refused(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(URL)

    assert response.status_code == 403
    assert is_chinese(response.json()["detail"])


def test_an_enterprise_has_the_documented_fields(api, leader, tianlu) -> None:
    api.force_authenticate(leader)

    body = api.get(detail(tianlu)).json()

    assert {
        k: body[k]
        for k in (
            "id",
            "name",
            "credit_code",
            "street",
            "zone",
            "industry_code",
            "industry_section",
            "industry_name",
            "is_above_scale",
            "is_key",
            "kind",
            "status",
            "registered_capital",
            "tags",
            "contacts",
        )
    } == {
        "id": tianlu.pk,
        "name": "天路集团",
        "credit_code": "91370200163562681G",
        "street": "370213007",
        "zone": "central",
        "industry_code": "3434",
        "industry_section": "C",
        "industry_name": "连续搬运设备制造",
        "is_above_scale": True,
        "is_key": True,
        "kind": "enterprise",
        "status": "operating",
        "registered_capital": "12000.00",
        "tags": ["高新技术企业"],
        "contacts": [{"name": "张伟", "title": "办公室主任", "phone": "13812341234"}],
    }
    assert body["address"] == tianlu.address


def test_no_capital_is_null(api, leader, registry) -> None:
    api.force_authenticate(leader)

    assert api.get(detail(registry["青岛银行李沧支行"])).json()["registered_capital"] is None


@pytest.mark.parametrize("who", ["leader", "jxj_clerk"])
def test_district_roles_get_the_whole_district(
    api, request, who, registry, laoshan_enterprise
) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    assert names(api) == DISTRICT


def test_a_street_clerk_gets_only_their_street(api, licun_clerk, registry) -> None:
    api.force_authenticate(licun_clerk)

    assert names(api) == LICUN
    assert names(api, street="370213006") == set()


def test_an_enterprise_user_gets_only_their_enterprise(api, enterprise_user, registry) -> None:
    api.force_authenticate(enterprise_user)

    assert names(api) == {"天路集团"}


def test_the_outsider_gets_none_of_the_districts_enterprises(
    api, outsider, registry, laoshan_enterprise
) -> None:
    api.force_authenticate(outsider)

    assert names(api) == {"崂山科技有限公司"}


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider"])
def test_an_enterprise_outside_the_scope_is_not_found(api, request, who, tianlu) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(detail(tianlu))

    assert response.status_code == 404
    assert is_chinese(response.json()["detail"])


def test_an_enterprise_user_gets_404_for_another_enterprise(api, enterprise_user, ruifeng) -> None:
    api.force_authenticate(enterprise_user)

    assert api.get(detail(ruifeng)).status_code == 404


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"search": "天路"}, {"天路集团", "青岛天路物流有限公司"}),
        ({"search": "71526726"}, {"瑞丰气体"}),
        ({"street": "370213007"}, LICUN),
        ({"zone": "east"}, {"青岛天路物流有限公司"}),
        ({"zone": "west"}, {"瑞丰气体"}),
        ({"is_above_scale": "true"}, {"天路集团", "瑞丰气体"}),
        ({"is_above_scale": "false"}, DISTRICT - {"天路集团", "瑞丰气体"}),
        ({"is_key": "1"}, {"天路集团", "青岛银行李沧支行"}),
        ({"is_key": "0"}, DISTRICT - {"天路集团", "青岛银行李沧支行"}),
        ({"section": "J"}, {"青岛银行李沧支行"}),
        ({"kind": "financial"}, {"青岛银行李沧支行"}),
        ({"status": "closed"}, {"李村百货商店"}),
        ({"is_key": "maybe"}, DISTRICT),
    ],
)
def test_the_list_can_be_searched_and_filtered(api, leader, registry, query, found) -> None:
    api.force_authenticate(leader)

    assert names(api, **query) == found


def test_the_list_can_be_ordered(api, leader, registry) -> None:
    api.force_authenticate(leader)

    response = api.get(URL, {"ordering": "-capital", "is_above_scale": "true"})

    assert [e["name"] for e in response.json()["results"]] == ["天路集团", "瑞丰气体"]


# --- Phone numbers ----------------------------------------------------------------------------


def test_a_street_clerk_gets_phone_numbers_masked(api, licun_clerk, tianlu) -> None:
    api.force_authenticate(licun_clerk)

    listed = api.get(URL).json()["results"][0]["contacts"]
    one = api.get(detail(tianlu)).json()["contacts"]

    assert listed == one == [{"name": "张伟", "title": "办公室主任", "phone": "138****1234"}]


@pytest.mark.parametrize("who", ["leader", "enterprise_user", "privileged_clerk"])
def test_the_leader_the_enterprise_and_a_privileged_clerk_get_it_in_full(
    api, request, who, tianlu
) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(detail(tianlu)).json()["contacts"][0]["phone"] == "13812341234"


# --- Creating ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_street_clerk_creates_an_enterprise_in_their_street(api, licun_clerk, org, code) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(
        URL,
        new(
            credit_code=code,
            tags=["专精特新"],
            contacts=[{"name": "刘洋", "title": "总经理", "phone": "13600001234"}],
        ),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == code
    assert body["industry_section"] == "C"
    assert body["registered_capital"] == "4500.00"
    assert body["tags"] == ["专精特新"]
    assert body["contacts"] == [{"name": "刘洋", "title": "总经理", "phone": "136****1234"}]
    enterprise = Enterprise.objects.get(pk=body["id"])
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(enterprise.pk), object_type="enterprises.enterprise"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["enterprise.create", "enterprise.contact_add"]


def test_a_full_width_code_is_stored_half_width(api, licun_clerk, org) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(credit_code=full_width(REAL_CODES[3])), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == REAL_CODES[3]


def test_a_code_typed_with_spaces_or_dashes_is_accepted_as_by_the_form(
    api, licun_clerk, org
) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(credit_code="9144 0300-7152 6726 xg"), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == REAL_CODES[1]


@pytest.mark.parametrize(("typo", "what", "named"), TYPOS, ids=TYPO_IDS)
def test_a_one_character_slip_is_a_400_with_the_reason_under_its_field(
    api, licun_clerk, org, typo, what, named
) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(credit_code=typo), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["credit_code"] == [credit_code_message(typo)]
    assert named in body["errors"]["credit_code"][0]
    assert is_chinese(body["detail"])
    assert credit_code_message(typo) in body["detail"]
    assert not Enterprise.objects.exists()


def test_a_duplicate_credit_code_is_a_400_in_chinese(api, licun_clerk, tianlu) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(credit_code=tianlu.credit_code), format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["credit_code"] == [
        zh("An enterprise with this credit code already exists.")
    ]
    assert Enterprise.objects.count() == 1


def test_an_unknown_industry_code_is_a_400(api, licun_clerk, org) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(industry_code="9999"), format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["errors"]["industry_code"][0])


def test_a_street_outside_the_scope_is_a_400(api, licun_clerk, org) -> None:
    api.force_authenticate(licun_clerk)

    response = api.post(URL, new(street="370213006"), format="json")

    assert response.status_code == 400
    assert "street" in response.json()["errors"]
    assert not Enterprise.objects.exists()


def test_an_enterprise_user_cannot_create(api, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)

    response = api.post(URL, new(), format="json")

    assert response.status_code == 403
    assert Enterprise.objects.count() == 1


# --- Changing ---------------------------------------------------------------------------------


def test_a_patch_changes_the_enterprise_and_writes_one_audit_event(
    api, licun_clerk, tianlu
) -> None:
    api.force_authenticate(licun_clerk)

    response = api.patch(
        detail(tianlu),
        {"address": "九水东路1号", "registered_capital": "15000", "tags": ["上市公司"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["registered_capital"] == "15000.00"
    [event] = updates(tianlu)
    assert event.actor == licun_clerk
    assert event.changes["registered_capital"] == ["12000.00", "15000.00"]
    assert event.changes["tags"] == [["高新技术企业"], ["上市公司"]]
    assert "address" in event.changes


def test_a_patch_that_changes_nothing_writes_no_event(api, licun_clerk, tianlu) -> None:
    api.force_authenticate(licun_clerk)
    before = AuditEvent.objects.count()

    response = api.patch(
        detail(tianlu),
        {"name": "天路集团", "registered_capital": "12000", "tags": ["高新技术企业"]},
        format="json",
    )

    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_the_contacts_can_be_replaced_by_a_patch(api, leader, tianlu) -> None:
    api.force_authenticate(leader)

    response = api.patch(
        detail(tianlu),
        {
            "contacts": [
                {"name": "刘洋", "title": "总经理", "phone": "13600001234"},
                {"name": "赵敏", "phone": "0532-88886666"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["contacts"] == [
        {"name": "刘洋", "title": "总经理", "phone": "13600001234"},
        {"name": "赵敏", "title": "", "phone": "0532-88886666"},
    ]
    assert [c.name for c in tianlu.contacts.order_by("sort_order")] == ["刘洋", "赵敏"]
    assert not updates(tianlu)  # the enterprise itself did not change


def test_an_empty_contact_list_removes_every_contact(api, leader, tianlu) -> None:
    api.force_authenticate(leader)

    assert api.patch(detail(tianlu), {"contacts": []}, format="json").status_code == 200

    assert not tianlu.contacts.exists()
    assert AuditEvent.objects.filter(action="enterprise.contact_remove").count() == 1


def test_a_masked_phone_sent_back_is_refused_not_stored(api, licun_clerk, tianlu) -> None:
    api.force_authenticate(licun_clerk)
    contacts = api.get(detail(tianlu)).json()["contacts"]

    response = api.patch(detail(tianlu), {"contacts": contacts}, format="json")

    assert response.status_code == 400
    assert tianlu.contacts.get().phone == "13812341234"


def test_a_wrong_credit_code_in_a_patch_is_a_400(api, leader, tianlu) -> None:
    api.force_authenticate(leader)
    typo = "91370200163562682G"

    response = api.patch(detail(tianlu), {"credit_code": typo}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["credit_code"] == [credit_code_message(typo)]


def test_an_enterprise_user_cannot_patch_even_their_own(api, enterprise_user, tianlu) -> None:
    api.force_authenticate(enterprise_user)

    response = api.patch(detail(tianlu), {"name": "改名"}, format="json")

    assert response.status_code == 403
    assert is_chinese(response.json()["detail"])
    assert Enterprise.objects.get(pk=tianlu.pk).name == "天路集团"


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider"])
def test_a_patch_outside_the_scope_is_not_found(api, request, who, tianlu) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.patch(detail(tianlu), {"name": "改名"}, format="json")

    assert response.status_code == 404
    assert not updates(tianlu)


def test_enterprises_are_never_deleted_or_replaced_whole(api, leader, tianlu) -> None:
    api.force_authenticate(leader)

    assert api.delete(detail(tianlu)).status_code == 405
    assert api.put(detail(tianlu), new(), format="json").status_code == 405
    assert Enterprise.objects.filter(pk=tianlu.pk).exists()


# --- Query budget -----------------------------------------------------------------------------


def _enterprises(n: int, start: int) -> None:
    for i in range(start, start + n):
        EnterpriseFactory(
            credit_code=valid_code(7000 + i),
            tags=["高新技术企业", f"标签{i}"],
            contacts=[{"name": f"联系人{i}", "phone": "13800000000"}, {"name": "第二联系人"}],
        )


def test_the_list_issues_a_fixed_number_of_queries(api, leader, org) -> None:
    api.force_authenticate(leader)
    _enterprises(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL, {"page_size": 200}).json()["count"] == 5

    _enterprises(35, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(URL, {"page_size": 200}).json()["results"]) == 40

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) == 4  # count, page, tags, contacts
