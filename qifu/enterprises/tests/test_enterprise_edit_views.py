"""/enterprises/new/ and /enterprises/<id>/edit/: officials add and change enterprises in scope."""

from __future__ import annotations

import pytest

from qifu.audit.models import AuditEvent
from qifu.core.tests.helpers import is_chinese, zh
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import REAL_CODES
from qifu.enterprises.tests.helpers import TYPO_IDS, TYPOS, credit_code_message, full_width

pytestmark = pytest.mark.django_db

NEW = "/enterprises/new/"


def edit_url(enterprise) -> str:
    return f"/enterprises/{enterprise.pk}/edit/"


def new_data(street, **values) -> dict[str, str]:
    return {
        "name": "青岛玖琦化工有限公司",
        "credit_code": REAL_CODES[2],
        "street": str(street.pk),
        "industry_code": "2614",
        "kind": "enterprise",
        "status": "operating",
        "registered_capital": "4500",
        "tags": "专精特新、高新技术企业",
        **values,
    }


def form_data(enterprise, **values) -> dict[str, str]:
    """What the edit form posts back when nothing is touched."""
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "legal_representative": enterprise.legal_representative,
        "street": str(enterprise.street_id),
        "address": enterprise.address,
        "industry_code": enterprise.industry_code,
        "registered_capital": str(enterprise.registered_capital or ""),
        "established_on": str(enterprise.established_on or ""),
        "kind": enterprise.kind,
        "status": enterprise.status,
        "park": str(enterprise.park_id or ""),
        "responsible_leader": str(enterprise.responsible_leader_id or ""),
        "tags": "、".join(t.name for t in enterprise.tags.all()),
    }
    if enterprise.is_above_scale:
        data["is_above_scale"] = "on"
    if enterprise.is_key:
        data["is_key"] = "on"
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


# --- Creating ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(NEW)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_put_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.put(NEW).status_code == 405


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin", "secadmin", "auditor"])
def test_only_officials_may_add_enterprises(client, request, who, licun) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_data(licun)).status_code == 403
    assert not Enterprise.objects.filter(credit_code=REAL_CODES[2]).exists()


def test_the_form_is_shown_in_chinese(client, licun_clerk) -> None:
    client.force_login(licun_clerk)

    response = client.get(NEW)

    assert response.status_code == 200
    assert zh("New enterprise") in response.content.decode()
    assert [s.name for s in response.context["form"].fields["street"].queryset] == ["李村街道"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_street_clerk_adds_an_enterprise_and_it_is_audited(
    client, licun_clerk, licun, code
) -> None:
    client.force_login(licun_clerk)

    response = client.post(NEW, new_data(licun, credit_code=code))

    enterprise = Enterprise.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{enterprise.pk}/"
    assert enterprise.industry_section == "C"
    assert [t.name for t in enterprise.tags.all()] == ["专精特新", "高新技术企业"]
    event = AuditEvent.objects.get(action="enterprise.create", object_id=str(enterprise.pk))
    assert event.actor == licun_clerk


def test_a_full_width_code_and_a_section_prefixed_industry_are_accepted(
    client, licun_clerk, licun
) -> None:
    client.force_login(licun_clerk)

    response = client.post(
        NEW, new_data(licun, credit_code=full_width(REAL_CODES[0]), industry_code="C2614 有机化学")
    )

    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=REAL_CODES[0])
    assert enterprise.industry_code == "2614"


@pytest.mark.parametrize(("typo", "what", "named"), TYPOS, ids=TYPO_IDS)
def test_a_one_character_slip_is_refused_with_a_chinese_message(
    client, licun_clerk, licun, typo, what, named
) -> None:
    client.force_login(licun_clerk)

    response = client.post(NEW, new_data(licun, credit_code=typo))

    assert response.status_code == 400
    [message] = response.context["form"].errors["credit_code"]
    assert message == credit_code_message(typo)
    assert is_chinese(message)
    assert named in message
    assert message in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_credit_code_already_registered_is_refused(client, licun_clerk, licun, ruifeng) -> None:
    client.force_login(licun_clerk)

    response = client.post(NEW, new_data(licun, credit_code=ruifeng.credit_code.lower()))

    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [
        zh("An enterprise with this credit code already exists.")
    ]
    assert Enterprise.objects.count() == 1


def test_an_unknown_industry_code_is_refused(client, licun_clerk, licun) -> None:
    client.force_login(licun_clerk)

    response = client.post(NEW, new_data(licun, industry_code="9999"))

    assert response.status_code == 400
    [message] = response.context["form"].errors["industry_code"]
    assert "9999" in message
    assert is_chinese(message)


def test_a_street_outside_the_scope_cannot_be_chosen(client, licun_clerk, loushan) -> None:
    client.force_login(licun_clerk)

    response = client.post(NEW, new_data(loushan))

    assert response.status_code == 400
    assert "street" in response.context["form"].errors
    assert not Enterprise.objects.exists()


def test_a_key_enterprise_needs_a_responsible_leader(client, licun_clerk, leader, licun) -> None:
    client.force_login(licun_clerk)

    refused = client.post(NEW, new_data(licun, is_key="on"))
    accepted = client.post(NEW, new_data(licun, is_key="on", responsible_leader=str(leader.pk)))

    assert refused.status_code == 400
    assert "responsible_leader" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert Enterprise.objects.get().responsible_leader == leader


# --- Editing ----------------------------------------------------------------------------------


def test_a_clerk_changes_an_enterprise_of_their_street(client, licun_clerk, leader, tianlu) -> None:
    client.force_login(licun_clerk)

    response = client.post(
        edit_url(tianlu),
        form_data(tianlu, address="九水东路1号", responsible_leader=str(leader.pk)),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{tianlu.pk}/"
    event = AuditEvent.objects.get(action="enterprise.update", object_id=str(tianlu.pk))
    assert event.actor == licun_clerk
    assert set(event.changes) == {"address", "responsible_leader"}


def test_the_edit_form_is_filled_in(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)

    response = client.get(edit_url(tianlu))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="91370200163562681G"' in html
    assert 'value="高新技术企业"' in html


def test_saving_the_form_untouched_writes_no_event(client, licun_clerk, leader, tianlu) -> None:
    from qifu.enterprises import services

    services.enterprise_update(by=leader, enterprise=tianlu, responsible_leader=leader)
    tianlu = Enterprise.objects.get(pk=tianlu.pk)
    client.force_login(licun_clerk)
    before = AuditEvent.objects.count()

    response = client.post(edit_url(tianlu), form_data(tianlu))

    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider", "enterprise_user"])
def test_an_enterprise_outside_the_scope_or_the_enterprise_itself_cannot_edit(
    client, request, who, tianlu
) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(edit_url(tianlu)).status_code == 404
    assert client.post(edit_url(tianlu), form_data(tianlu, name="改名")).status_code == 404
    assert Enterprise.objects.get(pk=tianlu.pk).name == "天路集团"


def test_a_slip_in_the_credit_code_is_refused_on_edit(client, leader, tianlu) -> None:
    client.force_login(leader)
    typo = "91370200163562682G"

    response = client.post(
        edit_url(tianlu), form_data(tianlu, credit_code=typo, responsible_leader=str(leader.pk))
    )

    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [credit_code_message(typo)]
    assert Enterprise.objects.get(pk=tianlu.pk).credit_code == REAL_CODES[0]


def test_an_empty_post_to_the_new_enterprise_page_is_a_400_with_errors(client, leader) -> None:
    client.force_login(leader)

    response = client.post("/enterprises/new/", {})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
