"""/appeals/new/: an enterprise writes from its portal; an official records on its behalf."""

from __future__ import annotations

import re

import pytest

from qifu.appeals.models import Appeal, Attachment, Channel
from qifu.appeals.tests.factories import EXE, PDF, upload
from qifu.core.tests.helpers import is_chinese, zh

pytestmark = pytest.mark.django_db

URL = "/appeals/new/"


def form(**values) -> dict:
    return {
        "kind": "problem",
        "category": "land",
        "title": "厂房土地证办不下来",
        "description": "2015年建成的厂房至今没有土地证。",
        "client_token": "",
        **values,
    }


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/appeals/new/")


def test_put_is_not_allowed(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    assert client.put(URL).status_code == 405


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_are_refused(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403


def test_an_outsider_cannot_record_an_appeal_for_an_enterprise_of_another_district(
    client, outsider, tianlu
) -> None:
    client.force_login(outsider)

    response = client.post(URL, form(enterprise=tianlu.pk, channel="visit"))

    assert response.status_code == 400
    assert "enterprise" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_a_street_clerk_cannot_record_for_an_enterprise_of_another_street(
    client, loushan_clerk, tianlu
) -> None:
    client.force_login(loushan_clerk)

    response = client.post(URL, form(enterprise=tianlu.pk, channel="visit"))

    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_the_enterprise_form_has_no_enterprise_or_channel_and_a_hidden_token(
    client, enterprise_user
) -> None:
    client.force_login(enterprise_user)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="enterprise"' not in html
    assert 'name="channel"' not in html
    assert re.search(r'<input type="hidden" name="client_token" value="[0-9a-f]{32}"', html)
    assert zh("New appeal") in html
    assert "土地房产" in html  # the twelve categories are offered
    assert 'hx-get="/appeals/similar/"' in html  # similar appeals are looked up while writing


def test_each_form_gets_a_fresh_token(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    first = client.get(URL).context["form"].initial["client_token"]
    second = client.get(URL).context["form"].initial["client_token"]

    assert first != second


def test_an_enterprise_submits_from_its_portal_and_sees_the_appeal(
    client, enterprise_user, tianlu
) -> None:
    client.force_login(enterprise_user)

    response = client.post(URL, form(client_token="a" * 32), follow=True)

    appeal = Appeal.objects.get()
    assert response.redirect_chain[-1][0] == f"/appeals/{appeal.pk}/"
    assert appeal.enterprise == tianlu
    assert appeal.channel == Channel.PORTAL
    assert appeal.green_channel is True  # 天路集团: above scale, manufacturing
    html = response.content.decode()
    assert appeal.number in html
    assert zh("Appeal %(number)s has been submitted.") % {"number": appeal.number} in html


def test_a_double_click_with_the_same_token_creates_one_appeal(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    first = client.post(URL, form(client_token="b" * 32))
    second = client.post(URL, form(client_token="b" * 32))

    appeal = Appeal.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/appeals/{appeal.pk}/"


def test_an_official_records_an_appeal_with_its_channel(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)

    response = client.get(URL, {"enterprise": tianlu.pk})
    assert 'name="channel"' in response.content.decode()
    assert response.context["form"].initial["enterprise"] == str(tianlu.pk)

    client.post(URL, form(enterprise=tianlu.pk, channel="symposium"))

    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.submitted_by) == (Channel.SYMPOSIUM, licun_clerk)


def test_an_official_must_name_the_channel(client, leader, tianlu) -> None:
    client.force_login(leader)

    response = client.post(URL, form(enterprise=tianlu.pk))

    assert response.status_code == 400
    assert "channel" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_the_portal_is_not_a_channel_an_official_may_name(client, leader, tianlu) -> None:
    client.force_login(leader)

    response = client.post(URL, form(enterprise=tianlu.pk, channel="portal"))

    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_a_pdf_is_attached(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    client.post(URL, {**form(), "attachments": [upload("证明.pdf", PDF)]})

    assert Attachment.objects.get().name == "证明.pdf"


def test_an_exe_renamed_pdf_is_refused_with_a_chinese_message(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    response = client.post(URL, {**form(), "attachments": [upload("证明.pdf", EXE)]})

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    message = " ".join(m for e in errors.values() for x in e for m in x.messages)
    assert "证明.pdf" in message
    assert is_chinese(message)
    assert "证明.pdf" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_attachment_is_downloaded_by_who_may_see_the_appeal_only(
    client, enterprise_user, ruifeng_user
) -> None:
    client.force_login(enterprise_user)
    client.post(URL, {**form(), "attachments": [upload("证明.pdf", PDF)]})
    appeal, attachment = Appeal.objects.get(), Attachment.objects.get()
    url = f"/appeals/{appeal.pk}/files/{attachment.pk}/"

    mine = client.get(url)
    client.force_login(ruifeng_user)
    theirs = client.get(url)

    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    assert theirs.status_code == 404


def test_a_missing_title_keeps_the_form_and_creates_nothing(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    response = client.post(URL, form(title=""))

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Appeal.objects.exists()
