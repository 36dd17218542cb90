"""/enterprises/<id>/contacts/…: officials in scope and the enterprise itself keep its contacts."""

from __future__ import annotations

import pytest

from qifu.audit.models import AuditEvent
from qifu.enterprises.models import Contact

pytestmark = pytest.mark.django_db


def add_url(enterprise) -> str:
    return f"/enterprises/{enterprise.pk}/contacts/"


def edit_url(contact) -> str:
    return f"/enterprises/{contact.enterprise_id}/contacts/{contact.pk}/"


def remove_url(contact) -> str:
    return edit_url(contact) + "remove/"


def contact_events(enterprise) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="enterprises.enterprise",
            object_id=str(enterprise.pk),
            action__startswith="enterprise.contact",
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_anonymous_is_sent_to_the_login_page(client, tianlu) -> None:
    response = client.post(add_url(tianlu), {"name": "刘洋"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert tianlu.contacts.count() == 1


def test_adding_is_post_only(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)

    assert client.get(add_url(tianlu)).status_code == 405
    assert client.get(remove_url(tianlu.contacts.get())).status_code == 405


@pytest.mark.parametrize("who", ["licun_clerk", "leader", "enterprise_user"])
def test_a_contact_is_added_and_audited_on_the_enterprise(client, request, who, tianlu) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.post(
        add_url(tianlu), {"name": "刘洋", "title": "财务负责人", "phone": "0532-88886666"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{tianlu.pk}/"
    assert [c.name for c in tianlu.contacts.all()] == ["张伟", "刘洋"]
    event = AuditEvent.objects.filter(action="enterprise.contact_add").latest("id")
    assert event.actor == user
    assert event.object_id == str(tianlu.pk)


def test_a_bad_phone_number_is_refused_with_a_chinese_message(client, licun_clerk, tianlu) -> None:
    from qifu.core.tests.helpers import is_chinese

    client.force_login(licun_clerk)

    response = client.post(add_url(tianlu), {"name": "刘洋", "phone": "call me"})

    assert response.status_code == 400
    assert is_chinese(response.context["form"].errors["phone"][0])
    assert tianlu.contacts.count() == 1


def test_a_contact_is_changed_and_removed(client, licun_clerk, tianlu) -> None:
    contact = tianlu.contacts.get()
    client.force_login(licun_clerk)

    shown = client.get(edit_url(contact))
    changed = client.post(
        edit_url(contact), {"name": "张伟", "title": "总经理", "phone": "13812341234"}
    )
    removed = client.post(remove_url(contact))

    assert shown.status_code == 200
    assert 'value="张伟"' in shown.content.decode()
    assert changed.status_code == 302
    assert removed.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert contact_events(tianlu) == [
        "enterprise.contact_add",
        "enterprise.contact_update",
        "enterprise.contact_remove",
    ]


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider", "sysadmin"])
def test_contacts_outside_the_scope_are_not_found(client, request, who, tianlu) -> None:
    contact = tianlu.contacts.get()
    client.force_login(request.getfixturevalue(who))

    assert client.post(add_url(tianlu), {"name": "刘洋"}).status_code == 404
    assert client.post(edit_url(contact), {"name": "改名"}).status_code == 404
    assert client.post(remove_url(contact)).status_code == 404
    assert contact_events(tianlu) == ["enterprise.contact_add"]


def test_an_enterprise_user_cannot_touch_another_enterprises_contacts(
    client, enterprise_user, ruifeng
) -> None:
    contact = ruifeng.contacts.get()
    client.force_login(enterprise_user)

    assert client.post(add_url(ruifeng), {"name": "刘洋"}).status_code == 404
    assert client.post(remove_url(contact)).status_code == 404
    assert ruifeng.contacts.count() == 1


def test_a_contact_of_another_enterprise_is_not_found_under_this_one(
    client, leader, tianlu, ruifeng
) -> None:
    other = ruifeng.contacts.get()
    client.force_login(leader)

    response = client.post(f"/enterprises/{tianlu.pk}/contacts/{other.pk}/remove/")

    assert response.status_code == 404
    assert Contact.objects.filter(pk=other.pk).exists()
