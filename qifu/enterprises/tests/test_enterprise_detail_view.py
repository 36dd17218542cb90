"""/enterprises/<id>/: the enterprise's file (一企一档) with its contacts and timeline."""

from __future__ import annotations

import pytest

from qifu.core.tests.helpers import zh
from qifu.enterprises import sections, services

pytestmark = pytest.mark.django_db


def url(enterprise) -> str:
    return f"/enterprises/{enterprise.pk}/"


def test_anonymous_is_sent_to_the_login_page(client, tianlu) -> None:
    response = client.get(url(tianlu))

    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next=/enterprises/{tianlu.pk}/")


def test_post_is_not_allowed(client, leader, tianlu) -> None:
    client.force_login(leader)

    assert client.post(url(tianlu)).status_code == 405


@pytest.mark.parametrize("who", ["leader", "jxj_clerk", "licun_clerk", "enterprise_user"])
def test_the_file_shows_the_basic_data_in_chinese(client, request, who, tianlu) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get(url(tianlu))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="enterprise-name">天路集团<' in html
    assert "91370200163562681G" in html
    assert "李村街道" in html
    assert "3434 连续搬运设备制造" in html
    assert "C 制造业" in html
    assert "1.20亿元" in html
    assert "高新技术企业" in html
    assert zh("Timeline") in html
    assert zh("Timeline") != "Timeline"


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider", "sysadmin", "auditor"])
def test_an_enterprise_outside_the_scope_is_not_found(client, request, who, tianlu) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(tianlu)).status_code == 404


def test_an_enterprise_user_cannot_open_another_enterprise(
    client, enterprise_user, ruifeng
) -> None:
    client.force_login(enterprise_user)

    assert client.get(url(ruifeng)).status_code == 404


def test_a_missing_enterprise_is_not_found(client, leader, org) -> None:
    client.force_login(leader)

    assert client.get("/enterprises/999999/").status_code == 404


def test_the_edit_button_is_for_officials_only(
    client, licun_clerk, enterprise_user, tianlu
) -> None:
    edit = f"/enterprises/{tianlu.pk}/edit/"
    client.force_login(licun_clerk)
    assert edit in client.get(url(tianlu)).content.decode()

    client.force_login(enterprise_user)
    html = client.get(url(tianlu)).content.decode()
    assert edit not in html
    assert f"/enterprises/{tianlu.pk}/contacts/" in html  # but it keeps its own contacts


# --- Phone numbers ----------------------------------------------------------------------------


def test_a_street_clerk_sees_the_contacts_phone_masked(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)

    html = client.get(url(tianlu)).content.decode()

    assert "138****1234" in html
    assert "13812341234" not in html


@pytest.mark.parametrize("who", ["leader", "enterprise_user", "privileged_clerk"])
def test_the_leader_the_enterprise_and_a_privileged_clerk_see_it_in_full(
    client, request, who, tianlu
) -> None:
    client.force_login(request.getfixturevalue(who))

    html = client.get(url(tianlu)).content.decode()

    assert "13812341234" in html
    assert "138****1234" not in html


def test_the_timeline_masks_a_phone_change_for_a_clerk(client, leader, licun_clerk, tianlu) -> None:
    services.contact_update(by=leader, contact=tianlu.contacts.get(), phone="13900005678")

    client.force_login(licun_clerk)
    clerk_html = client.get(url(tianlu)).content.decode()
    client.force_login(leader)
    leader_html = client.get(url(tianlu)).content.decode()

    assert "138****1234 → 139****5678" in clerk_html
    assert "13812341234" not in clerk_html
    assert "13900005678" not in clerk_html
    assert "13812341234 → 13900005678" in leader_html


def test_the_timeline_lists_changes_newest_first_with_their_labels(client, leader, tianlu) -> None:
    services.enterprise_update(by=leader, enterprise=tianlu, address="九水东路1号")
    client.force_login(leader)

    html = client.get(url(tianlu)).content.decode()

    timeline = html[html.index('data-testid="timeline"') :]
    labels = [zh("Enterprise data changed"), zh("Contact added"), zh("Enterprise registered")]
    assert all(label in timeline for label in labels)
    assert [timeline.index(label) for label in labels] == sorted(
        timeline.index(label) for label in labels
    )
    assert "九水东路1号" in timeline


# --- Sections added by other modules ------------------------------------------------------------


def test_a_section_registered_by_another_module_is_shown(
    client, leader, tianlu, monkeypatch
) -> None:
    monkeypatch.setattr(sections, "_SECTIONS", {})
    seen = []

    def context(*, enterprise, user):
        seen.append((enterprise.pk, user.pk))
        return {"amount": 42}

    sections.register(
        sections.Section(
            key="test", title="测试板块", template="components/pagination.html", context=context
        )
    )
    sections.register(
        sections.Section(
            key="hidden", title="隐藏板块", template="x.html", context=lambda **kw: None
        )
    )
    client.force_login(leader)

    html = client.get(url(tianlu)).content.decode()

    assert "测试板块" in html
    assert "隐藏板块" not in html
    assert seen == [(tianlu.pk, leader.pk)]
