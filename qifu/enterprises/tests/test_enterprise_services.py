"""enterprises.services: every change to the registry is validated and audited on the enterprise."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese, zh
from qifu.enterprises import selectors, services
from qifu.enterprises.models import Contact, Enterprise, Tag
from qifu.enterprises.tests.factories import REAL_CODES, EnterpriseFactory
from qifu.enterprises.tests.helpers import TYPO_IDS, TYPOS, credit_code_message, full_width

pytestmark = pytest.mark.django_db


def events(enterprise: Enterprise, action: str = "") -> list[AuditEvent]:
    found = AuditEvent.objects.filter(
        object_type="enterprises.enterprise", object_id=str(enterprise.pk)
    )
    if action:
        found = found.filter(action=action)
    return list(found.order_by("id"))


def create(by, **values) -> Enterprise:
    return services.enterprise_create(
        by=by,
        **{
            "name": "青岛玖琦化工有限公司",
            "credit_code": REAL_CODES[0],
            "street": values.pop("street"),
            "industry_code": "2614",
            **values,
        },
    )


# --- Creating ---------------------------------------------------------------------------------


def test_creating_writes_one_audit_event_with_the_values_and_tags(leader, licun) -> None:
    enterprise = create(
        leader,
        street=licun,
        registered_capital=Decimal("4500"),
        is_above_scale=True,
        tags=["专精特新", "高新技术企业", "专精特新", " "],
    )

    [event] = events(enterprise)
    assert event.action == "enterprise.create"
    assert event.actor == leader
    assert event.object_repr == "青岛玖琦化工有限公司"
    assert event.changes["name"] == [None, "青岛玖琦化工有限公司"]
    assert event.changes["credit_code"] == [None, REAL_CODES[0]]
    assert event.changes["street"] == [None, licun.pk]
    assert event.changes["registered_capital"] == [None, "4500.00"]
    assert event.changes["is_key"] == [None, False]
    assert event.changes["is_above_scale"] == [None, True]
    assert event.changes["tags"] == [None, ["专精特新", "高新技术企业"]]
    assert "industry_section" not in event.changes
    assert sorted(t.name for t in enterprise.tags.all()) == ["专精特新", "高新技术企业"]


def test_the_industry_section_is_derived_from_the_class(leader, licun) -> None:
    enterprise = create(leader, street=licun, industry_code="2614")

    enterprise.refresh_from_db()
    assert enterprise.industry_section == "C"

    services.enterprise_update(by=leader, enterprise=enterprise, industry_code="6621")

    enterprise.refresh_from_db()
    assert enterprise.industry_section == "J"
    assert events(enterprise, "enterprise.update")[0].changes == {"industry_code": ["2614", "6621"]}


@pytest.mark.parametrize("code", ["9999", "261", "C", "", "26140"])
def test_an_unknown_industry_code_is_refused(leader, licun, code) -> None:
    with pytest.raises(ValidationError) as raised:
        create(leader, street=licun, industry_code=code)

    assert "industry_code" in raised.value.message_dict
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="enterprise.").exists()


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_codes_of_real_licences_are_accepted(leader, licun, code) -> None:
    enterprise = create(leader, street=licun, credit_code=code)

    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == code


@pytest.mark.parametrize(("typo", "what", "named"), TYPOS, ids=TYPO_IDS)
def test_a_one_character_slip_is_refused_with_a_chinese_message_naming_it(
    leader, licun, typo, what, named
) -> None:
    with pytest.raises(ValidationError) as raised:
        create(leader, street=licun, credit_code=typo)

    [message] = raised.value.message_dict["credit_code"]
    assert message == credit_code_message(typo)
    assert is_chinese(message)
    assert named in message
    assert not Enterprise.objects.exists()


def test_a_full_width_or_spaced_code_is_stored_half_width(leader, licun) -> None:
    first = create(leader, street=licun, credit_code=full_width(REAL_CODES[0]))
    second = create(leader, street=licun, name="第二家", credit_code="9144 0300 7152 6726 xg")

    assert first.credit_code == REAL_CODES[0]
    assert second.credit_code == REAL_CODES[1]
    assert Enterprise.objects.filter(credit_code=REAL_CODES[0]).exists()


@pytest.mark.parametrize("spelling", [REAL_CODES[0], full_width(REAL_CODES[0])])
def test_a_credit_code_already_registered_is_refused_in_chinese(leader, licun, spelling) -> None:
    create(leader, street=licun)

    with pytest.raises(ValidationError) as raised:
        create(leader, street=licun, name="另一家公司", credit_code=spelling)

    [message] = raised.value.message_dict["credit_code"]
    assert message == zh("An enterprise with this credit code already exists.")
    assert is_chinese(message)
    assert Enterprise.objects.count() == 1
    assert AuditEvent.objects.filter(action="enterprise.create").count() == 1


def test_a_negative_capital_is_refused(leader, licun) -> None:
    with pytest.raises(ValidationError):
        create(leader, street=licun, registered_capital=Decimal("-1"))

    assert not Enterprise.objects.exists()


# --- Updating ---------------------------------------------------------------------------------


def test_an_update_writes_one_event_with_before_and_after(leader, tianlu) -> None:
    services.enterprise_update(
        by=leader,
        enterprise=tianlu,
        name="天路集团有限公司",
        is_key=False,
        registered_capital=Decimal("15000.00"),
        tags=["上市公司", "高新技术企业"],
    )

    [event] = events(tianlu, "enterprise.update")
    assert event.actor == leader
    assert event.changes == {
        "name": ["天路集团", "天路集团有限公司"],
        "is_key": [True, False],
        "registered_capital": ["12000.00", "15000.00"],
        "tags": [["高新技术企业"], ["上市公司", "高新技术企业"]],
    }
    tianlu.refresh_from_db()
    assert tianlu.name == "天路集团有限公司"
    assert [t.name for t in tianlu.tags.all()] == ["上市公司", "高新技术企业"]


def test_tags_alone_are_a_change(leader, tianlu) -> None:
    services.enterprise_update(by=leader, enterprise=tianlu, tags=[])

    [event] = events(tianlu, "enterprise.update")
    assert event.changes == {"tags": [["高新技术企业"], []]}
    assert not tianlu.tags.exists()
    assert Tag.objects.filter(name="高新技术企业").exists()  # the tag stays for others


def test_an_update_that_changes_nothing_writes_no_event(leader, tianlu) -> None:
    before = AuditEvent.objects.count()
    updated_at = Enterprise.objects.get(pk=tianlu.pk).updated_at

    services.enterprise_update(
        by=leader,
        enterprise=tianlu,
        name="天路集团",
        credit_code=full_width(tianlu.credit_code),
        industry_code="3434",
        tags=["高新技术企业", "高新技术企业"],
    )
    services.enterprise_update(by=leader, enterprise=tianlu)

    assert AuditEvent.objects.count() == before
    assert Enterprise.objects.get(pk=tianlu.pk).updated_at == updated_at


def test_an_amount_written_with_fewer_decimals_is_not_a_change(leader, tianlu) -> None:
    before = AuditEvent.objects.count()

    services.enterprise_update(by=leader, enterprise=tianlu, registered_capital=Decimal("12000"))

    assert AuditEvent.objects.count() == before


def test_an_update_to_a_taken_credit_code_is_refused_and_saves_nothing(
    leader, tianlu, ruifeng
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.enterprise_update(
            by=leader, enterprise=tianlu, name="新名字", credit_code=ruifeng.credit_code
        )

    assert raised.value.message_dict["credit_code"] == [
        zh("An enterprise with this credit code already exists.")
    ]
    assert Enterprise.objects.get(pk=tianlu.pk).name == "天路集团"
    assert not events(tianlu, "enterprise.update")


def test_an_update_to_an_unknown_industry_is_refused(leader, tianlu) -> None:
    with pytest.raises(ValidationError) as raised:
        services.enterprise_update(by=leader, enterprise=tianlu, industry_code="0000")

    assert list(raised.value.message_dict) == ["industry_code"]
    assert Enterprise.objects.get(pk=tianlu.pk).industry_code == "3434"


# --- Contacts ---------------------------------------------------------------------------------


def test_adding_a_contact_is_audited_on_the_enterprise(licun_clerk, tianlu) -> None:
    contact = services.contact_add(
        by=licun_clerk, enterprise=tianlu, name="刘洋", title="财务负责人", phone="13600001234"
    )

    event = events(tianlu, "enterprise.contact_add")[-1]
    assert event.object_type == "enterprises.enterprise"
    assert event.object_id == str(tianlu.pk)
    assert event.actor == licun_clerk
    assert event.changes["contact"] == [None, "刘洋"]
    assert event.changes["phone"] == [None, "13600001234"]
    assert event.changes["title"] == [None, "财务负责人"]
    assert Contact.objects.get(pk=contact.pk).enterprise == tianlu


def test_changing_a_contact_records_before_and_after(licun_clerk, tianlu) -> None:
    contact = tianlu.contacts.get()

    services.contact_update(by=licun_clerk, contact=contact, phone="13900001111", title="")

    [event] = events(tianlu, "enterprise.contact_update")
    assert event.changes == {
        "contact": [None, "张伟"],
        "title": ["办公室主任", ""],
        "phone": ["13812341234", "13900001111"],
    }


def test_a_contact_change_that_changes_nothing_writes_no_event(licun_clerk, tianlu) -> None:
    before = AuditEvent.objects.count()

    services.contact_update(by=licun_clerk, contact=tianlu.contacts.get(), name="张伟")

    assert AuditEvent.objects.count() == before


def test_removing_a_contact_is_audited_with_what_was_removed(licun_clerk, tianlu) -> None:
    services.contact_remove(by=licun_clerk, contact=tianlu.contacts.get())

    [event] = events(tianlu, "enterprise.contact_remove")
    assert event.changes["contact"] == [None, "张伟"]
    assert event.changes["phone"] == ["13812341234", None]
    assert not tianlu.contacts.exists()


def test_a_contact_without_a_name_is_refused(licun_clerk, tianlu) -> None:
    with pytest.raises(ValidationError) as raised:
        services.contact_add(by=licun_clerk, enterprise=tianlu, name="", phone="13600001234")

    assert "name" in raised.value.message_dict
    assert tianlu.contacts.count() == 1


def test_contacts_can_be_replaced_as_a_list(licun_clerk, tianlu) -> None:
    services.contacts_replace(
        by=licun_clerk,
        enterprise=tianlu,
        contacts=[
            {"name": "张伟", "title": "总经理", "phone": "13812341234"},
            {"name": "刘洋", "title": "", "phone": ""},
        ],
    )
    services.contacts_replace(
        by=licun_clerk, enterprise=tianlu, contacts=[{"name": "刘洋", "title": "", "phone": ""}]
    )

    assert [(c.name, c.sort_order) for c in tianlu.contacts.all()] == [("刘洋", 0)]
    actions = [e.action for e in events(tianlu) if e.action.startswith("enterprise.contact")]
    assert actions == [
        "enterprise.contact_add",  # by the factory
        "enterprise.contact_update",
        "enterprise.contact_add",
        "enterprise.contact_update",
        "enterprise.contact_remove",
    ]


# --- The timeline -----------------------------------------------------------------------------


def test_the_timeline_holds_every_change_newest_first(leader, licun_clerk, tianlu, ruifeng) -> None:
    services.enterprise_update(by=leader, enterprise=tianlu, address="九水路1号")
    contact = services.contact_add(by=licun_clerk, enterprise=tianlu, name="刘洋")
    services.contact_update(by=licun_clerk, contact=contact, phone="13600001234")
    services.contact_remove(by=licun_clerk, contact=contact)
    services.enterprise_update(by=leader, enterprise=ruifeng, address="楼山路9号")

    timeline = selectors.enterprise_timeline(enterprise=tianlu)

    assert [e.action for e in timeline] == [
        "enterprise.contact_remove",
        "enterprise.contact_update",
        "enterprise.contact_add",
        "enterprise.update",
        "enterprise.contact_add",
        "enterprise.create",
    ]
    assert {e.object_id for e in timeline} == {str(tianlu.pk)}
    assert len(selectors.enterprise_timeline(enterprise=tianlu, limit=2)) == 2


def test_the_factory_builds_a_valid_audited_enterprise(org) -> None:
    enterprise = EnterpriseFactory(tags=["瞪羚企业"], contacts=[{"name": "赵敏"}])

    enterprise.full_clean()
    assert enterprise.industry_section in {"C", "F", "I"}
    assert [e.action for e in events(enterprise)] == ["enterprise.create", "enterprise.contact_add"]
