"""REST /api/v1/investment/: the same services and scope as the pages. Outsiders get 404 on the
district's rows, roles without the module 403, bad input 400 with a message, a transition the
state does not allow 409."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.investment.models import Lead, LeadStatus, Resource, ResourceStatus
from qifu.investment.tests.conftest import LICUN, make_channel, make_lead, make_resource

pytestmark = pytest.mark.django_db

LEADS, RESOURCES, CHANNELS = (
    "/api/v1/investment/leads/",
    "/api/v1/investment/resources/",
    "/api/v1/investment/channels/",
)
TODAY = timezone.localdate


@pytest.fixture
def rows(investment_clerk):
    channel = make_channel(investment_clerk)
    return {
        "channel": channel,
        "lead": make_lead(investment_clerk, channel=channel),
        "resource": make_resource(investment_clerk, street_code=LICUN),
    }


def test_anonymous_gets_401_or_403(api, rows) -> None:
    for url in (LEADS, RESOURCES, CHANNELS, f"{LEADS}{rows['lead'].pk}/"):
        assert api.get(url).status_code in (401, 403)


@pytest.mark.parametrize("who", ["enterprise_user", "auditor", "sysadmin", "no_role_user"])
def test_roles_without_the_module_get_403(api, rows, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    for url in (LEADS, RESOURCES, CHANNELS):
        assert api.get(url).status_code == 403
    assert api.post(LEADS, {"investor": "x", "title": "y"}, format="json").status_code == 403


def test_the_outsider_sees_none_of_the_district_and_gets_404_on_its_rows(
    api, rows, outsider
) -> None:
    api.force_authenticate(outsider)
    lead, resource = rows["lead"].pk, rows["resource"].pk

    assert api.get(LEADS).json()["count"] == 0
    assert api.get(RESOURCES).json()["count"] == 0
    assert api.get(CHANNELS).json()["count"] == 0
    assert api.get(f"{LEADS}{lead}/").status_code == 404
    assert api.patch(f"{LEADS}{lead}/", {"title": "x"}, format="json").status_code == 404
    assert api.post(f"{LEADS}{lead}/drop/", {"reason": "x"}, format="json").status_code == 404
    assert api.post(f"{RESOURCES}{resource}/reserve/", {"project_ref": 1}).status_code == 404
    assert api.get(f"{CHANNELS}{rows['channel'].pk}/").status_code == 404
    response = api.post(
        RESOURCES,
        {"kind": "land", "name": "x", "street": LICUN, "land_use": "industrial", "area_mu": 5},
        format="json",
    )
    assert response.status_code == 400
    assert "street" in response.json()["errors"]


def test_leads_are_listed_filtered_and_created(api, rows, investment_clerk) -> None:
    api.force_authenticate(investment_clerk)

    created = api.post(
        LEADS,
        {
            "investor": "蒙牛乳业",
            "title": "物流中心",
            "amount": "8000.00",
            "land_area_mu": "60",
            "land_use": "logistics",
            "preferred_street": LICUN,
            "channel": rows["channel"].pk,
        },
        format="json",
    )
    listing = api.get(LEADS, {"search": "蒙牛"}).json()

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "new" and body["owner"] == investment_clerk.username
    assert body["preferred_street"] == LICUN and body["follow_ups"] == []
    assert [x["investor"] for x in listing["results"]] == ["蒙牛乳业"]
    assert AuditEvent.objects.filter(action="investment.lead.create").count() == 2


def test_bad_input_is_400_with_a_message(api, rows, investment_clerk) -> None:
    api.force_authenticate(investment_clerk)

    missing = api.post(LEADS, {"amount": "lots"}, format="json")
    negative = api.post(LEADS, {"investor": "x", "title": "y", "amount": "-1"}, format="json")
    bad_filter = api.get(LEADS, {"status": "bogus"})
    bad_area = api.get(RESOURCES, {"min_area": "big"})

    for response in (missing, negative, bad_filter, bad_area):
        assert response.status_code == 400
        assert response.json()["detail"]
    assert {"investor", "title", "amount"} <= set(missing.json()["errors"])
    assert not Lead.objects.filter(investor="x").exists()


def test_the_lead_workflow_through_the_api_and_409_on_a_wrong_state(
    api, rows, investment_clerk, project
) -> None:
    api.force_authenticate(investment_clerk)
    url = f"{LEADS}{rows['lead'].pk}/"

    followed = api.post(
        url + "follow-ups/",
        {"date": TODAY().isoformat(), "method": "phone", "note": "电话沟通"},
        format="json",
    )
    edited = api.patch(url, {"amount": "35000"}, format="json")
    dropped = api.post(url + "drop/", {"reason": "投资方改投他地"}, format="json")
    conflict = api.post(url + "convert/", {"project": project.pk}, format="json")
    reopened = api.post(url + "reopen/", {}, format="json")
    converted = api.post(url + "convert/", {"project": project.pk}, format="json")
    no_edit = api.patch(url, {"amount": "1"}, format="json")

    assert followed.status_code == 200 and followed.json()["status"] == "following"
    assert followed.json()["follow_ups"][0]["note"] == "电话沟通"
    assert edited.json()["amount"] == "35000.00"
    assert dropped.json()["status"] == "dropped"
    assert conflict.status_code == 409 and conflict.json()["detail"]
    assert reopened.json()["status"] == "following"
    assert converted.json()["converted_project"] == project.pk
    assert no_edit.status_code == 409
    assert Lead.objects.get(pk=rows["lead"].pk).status == LeadStatus.CONVERTED


def test_resources_are_read_by_officials_and_changed_by_investment_staff(
    api, rows, jxj_clerk, licun_clerk, investment_clerk, project, other_project
) -> None:
    resource = rows["resource"]
    api.force_authenticate(jxj_clerk)
    assert api.get(RESOURCES).json()["count"] == 1
    assert api.get(f"{RESOURCES}{resource.pk}/").status_code == 200
    assert api.post(f"{RESOURCES}{resource.pk}/reserve/", {"project_ref": 1}).status_code == 403
    assert api.post(RESOURCES, {"name": "x"}, format="json").status_code == 403
    api.force_authenticate(licun_clerk)
    assert api.get(RESOURCES).json()["count"] == 1
    assert api.get(LEADS).status_code == 403

    api.force_authenticate(investment_clerk)
    created = api.post(
        RESOURCES,
        {
            "kind": "building",
            "name": "万达写字楼12层",
            "street": LICUN,
            "land_use": "office",
            "area_m2": "1500",
            "building": "万达广场写字楼",
            "floor": "12F",
            "rent": "45",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"{RESOURCES}{resource.pk}/"
    reserved = api.post(
        url + "reserve/", {"lead": rows["lead"].pk, "project_ref": project.pk}, format="json"
    )
    twice = api.post(url + "reserve/", {"project_ref": other_project.pk}, format="json")
    released = api.post(url + "release/", {}, format="json")
    taken = api.post(url + "take/", {"project_ref": other_project.pk}, format="json")
    assert reserved.status_code == 200 and reserved.json()["status"] == "reserved"
    assert reserved.json()["reserved_lead"] == rows["lead"].pk
    assert twice.status_code == 409
    assert released.json()["status"] == "available"
    assert taken.json()["project"] == other_project.pk
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.TAKEN


def test_a_reservation_for_an_unknown_lead_is_400(api, rows, investment_clerk, outsider) -> None:
    theirs = make_lead(outsider, investor="崂山投资方")
    api.force_authenticate(investment_clerk)

    response = api.post(
        f"{RESOURCES}{rows['resource'].pk}/reserve/", {"lead": theirs.pk}, format="json"
    )
    nothing = api.post(f"{RESOURCES}{rows['resource'].pk}/reserve/", {}, format="json")

    assert response.status_code == 400 and "lead" in response.json()["errors"]
    assert nothing.status_code == 400


def test_channels_are_listed_and_take_contacts_and_contact_logs(
    api, rows, investment_clerk
) -> None:
    api.force_authenticate(investment_clerk)
    url = f"{CHANNELS}{rows['channel'].pk}/"

    listing = api.get(CHANNELS, {"kind": "chamber"}).json()
    contact = api.post(url + "contacts/", {"name": "陈会长", "title": "会长"}, format="json")
    person = contact.json()["contacts"][0]["id"]
    logged = api.post(
        url + "contact-logs/",
        {"date": TODAY().isoformat(), "summary": "年会推介", "contact": person},
        format="json",
    )
    stranger = api.post(
        url + "contact-logs/",
        {"date": TODAY().isoformat(), "summary": "x", "contact": 999999},
        format="json",
    )
    future = api.post(url + "contact-logs/", {"date": "2999-01-01", "summary": "x"}, format="json")

    assert [c["name"] for c in listing["results"]] == ["青岛温州商会"]
    assert listing["results"][0]["lead_count"] == 1
    assert logged.status_code == 200
    assert logged.json()["logs"][0]["contact"] == "陈会长"
    assert stranger.status_code == 400
    assert future.status_code == 400


def test_the_matches_of_a_lead(api, rows, investment_clerk) -> None:
    lead = make_lead(investment_clerk, investor="B", land_area_mu="45")
    api.force_authenticate(investment_clerk)

    body = api.get(f"{LEADS}{lead.pk}/matches/").json()

    assert [r["name"] for r in body] == ["九水东路工业地块"]
    assert body[0]["score"] > 0


def test_a_channel_and_its_contacts_are_changed(api, rows, investment_clerk, outsider) -> None:
    channel = rows["channel"]
    other = make_channel(investment_clerk, name="青岛浙江商会")
    url = f"{CHANNELS}{channel.pk}/"
    api.force_authenticate(investment_clerk)
    person = api.post(url + "contacts/", {"name": "陈会长"}, format="json").json()["contacts"][0]
    contact_url = f"{url}contacts/{person['id']}/"

    renamed = api.patch(url, {"address": "市南区香港中路1号"}, format="json")
    changed = api.patch(contact_url, {"title": "名誉会长", "phone": "13800000000"}, format="json")
    bad_email = api.patch(contact_url, {"email": "not-an-email"}, format="json")
    elsewhere = api.patch(f"{CHANNELS}{other.pk}/contacts/{person['id']}/", {}, format="json")

    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["address"] == "市南区香港中路1号"
    assert changed.status_code == 200, changed.json()
    assert changed.json()["contacts"][0]["title"] == "名誉会长"
    assert bad_email.status_code == 400 and "email" in bad_email.json()["errors"]
    assert elsewhere.status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"investment.channel.update", "investment.channel_contact.update"} <= actions

    api.force_authenticate(outsider)
    assert api.patch(url, {"name": "x"}, format="json").status_code == 404
    assert api.patch(contact_url, {"title": "x"}, format="json").status_code == 404


def test_roles_without_the_module_may_not_change_channels(api, rows, enterprise_user) -> None:
    api.force_authenticate(enterprise_user)
    url = f"{CHANNELS}{rows['channel'].pk}/"
    assert api.patch(url, {"name": "x"}, format="json").status_code == 403
