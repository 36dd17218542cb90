"""The pages: anonymous users are sent to log in, a wrong method is 405, an outsider gets 404 on
the district's rows, roles without the module 403; bad input is 400 with its message, a
transition the state does not allow 409; the lists export to Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from qifu.investment import services
from qifu.investment.models import FollowUp, Lead, LeadStatus, Resource, ResourceStatus
from qifu.investment.tests.conftest import LICUN, make_channel, make_lead, make_resource, street

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(investment_clerk):
    channel = make_channel(investment_clerk)
    return {
        "channel": channel,
        "lead": make_lead(investment_clerk, channel=channel, land_area_mu=Decimal("40")),
        "resource": make_resource(investment_clerk),
    }


def pages(rows) -> list[str]:
    lead, resource, channel = rows["lead"].pk, rows["resource"].pk, rows["channel"].pk
    return [
        f"/investment/leads/{lead}/",
        f"/investment/leads/{lead}/edit/",
        f"/investment/leads/{lead}/matches/",
        f"/investment/resources/{resource}/",
        f"/investment/resources/{resource}/edit/",
        f"/investment/channels/{channel}/",
        f"/investment/channels/{channel}/edit/",
    ]


LISTS = [
    "/investment/",
    "/investment/leads/",
    "/investment/leads/export/",
    "/investment/leads/new/",
    "/investment/resources/",
    "/investment/resources/export/",
    "/investment/channels/",
    "/investment/channels/export/",
]


def test_anonymous_is_sent_to_the_login_page(client, rows) -> None:
    for url in LISTS + pages(rows):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_a_wrong_method_is_refused(client, rows, investment_clerk) -> None:
    client.force_login(investment_clerk)
    lead = rows["lead"].pk

    assert client.post("/investment/leads/").status_code == 405
    assert client.post(f"/investment/leads/{lead}/").status_code == 405
    assert client.get(f"/investment/leads/{lead}/drop/").status_code == 405
    assert client.get(f"/investment/resources/{rows['resource'].pk}/reserve/").status_code == 405


def test_the_outsider_gets_404_on_every_page_and_action_of_the_district(
    client, rows, outsider
) -> None:
    client.force_login(outsider)

    for url in pages(rows):
        assert client.get(url).status_code == 404, url
    lead, resource = rows["lead"].pk, rows["resource"].pk
    assert client.post(f"/investment/leads/{lead}/drop/", {"reason": "x"}).status_code == 404
    assert (
        client.post(f"/investment/resources/{resource}/reserve/", {"project_ref": 1}).status_code
        == 404
    )
    listing = client.get("/investment/leads/")
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []
    assert rows["lead"].status == LeadStatus.NEW


@pytest.mark.parametrize("who", ["enterprise_user", "auditor", "sysadmin", "no_role_user"])
def test_roles_without_the_module_are_forbidden(client, rows, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    for url in LISTS:
        assert client.get(url).status_code == 403, url
    for url in pages(rows):
        assert client.get(url).status_code == 403, url


def test_a_street_clerk_reads_resources_but_not_leads_and_changes_nothing(
    client, rows, licun_clerk, investment_clerk
) -> None:
    ours = make_resource(investment_clerk, name="李村地块", street_code=LICUN)
    client.force_login(licun_clerk)

    assert client.get("/investment/").url == "/investment/resources/"
    listing = client.get("/investment/resources/")
    assert [r.name for r in listing.context["page"].object_list] == ["李村地块"]
    assert client.get(f"/investment/resources/{ours.pk}/").status_code == 200
    assert client.get(f"/investment/resources/{rows['resource'].pk}/").status_code == 404
    assert client.get("/investment/leads/").status_code == 403
    assert client.get("/investment/resources/new/").status_code == 403
    assert (
        client.post(f"/investment/resources/{ours.pk}/reserve/", {"project_ref": 1}).status_code
        == 403
    )


def test_the_lead_list_filters_and_pages(client, rows, investment_clerk) -> None:
    make_lead(investment_clerk, investor="泉州安踏", title="物流中心")
    client.force_login(investment_clerk)

    everything = client.get("/investment/leads/")
    found = client.get("/investment/leads/", {"search": "安踏"})
    by_channel = client.get("/investment/leads/", {"channel": rows["channel"].pk})
    partial = client.get("/investment/leads/", {"status": "new"}, HTTP_HX_REQUEST="true")

    assert everything.context["page"].paginator.count == 2
    assert [x.investor for x in found.context["page"].object_list] == ["泉州安踏"]
    assert [x.investor for x in by_channel.context["page"].object_list] == ["温州正泰集团"]
    assert b"<html" not in partial.content and b"lead-table" in partial.content


@pytest.mark.parametrize(
    "url",
    [
        "/investment/leads/?status=bogus",
        "/investment/leads/?channel=abc",
        "/investment/resources/?min_area=lots",
        "/investment/resources/?street=999999",
        "/investment/resources/export/?kind=castle",
        "/investment/channels/?kind=x",
    ],
)
def test_a_bad_filter_is_answered_400_with_its_message(client, rows, investment_clerk, url) -> None:
    client.force_login(investment_clerk)

    response = client.get(url)

    assert response.status_code == 400
    assert response.context["message"]


def test_a_lead_is_recorded_from_the_page(client, investment_clerk, rows) -> None:
    client.force_login(investment_clerk)

    response = client.post(
        "/investment/leads/new/",
        {
            "title": "冷链物流基地",
            "investor": "蒙牛乳业",
            "amount": "8000",
            "land_area_mu": "60",
            "land_use": "logistics",
            "preferred_street": street(LICUN).pk,
            "channel": rows["channel"].pk,
            "owner": investment_clerk.pk,
        },
    )

    lead = Lead.objects.get(investor="蒙牛乳业")
    assert response.status_code == 302
    assert response["Location"] == f"/investment/leads/{lead.pk}/"
    assert lead.amount == Decimal("8000") and lead.preferred_street.code == LICUN


def test_a_bad_lead_form_is_answered_400_and_saves_nothing(client, investment_clerk) -> None:
    client.force_login(investment_clerk)

    blank = client.post("/investment/leads/new/", {"title": "", "amount": "abc"})
    negative = client.post(
        "/investment/leads/new/", {"title": "x", "investor": "y", "amount": "-5"}
    )

    assert blank.status_code == negative.status_code == 400
    assert blank.context["form"].errors.keys() >= {"title", "investor", "amount"}
    assert "amount" in negative.context["form"].errors
    assert not Lead.objects.exists()


def test_the_lead_page_logs_follow_ups_and_drops_with_a_reason(
    client, rows, investment_clerk
) -> None:
    client.force_login(investment_clerk)
    lead = rows["lead"]
    url = f"/investment/leads/{lead.pk}/"

    followed = client.post(
        url + "follow-up/",
        {"date": timezone.localdate().isoformat(), "method": "visit", "note": "实地考察九水地块"},
    )
    no_reason = client.post(url + "drop/", {"reason": ""})
    dropped = client.post(url + "drop/", {"reason": "选址外地"})
    too_late = client.post(
        url + "follow-up/",
        {"date": timezone.localdate().isoformat(), "method": "visit", "note": "再访"},
    )
    page = client.get(url)

    assert followed.status_code == 302
    assert no_reason.status_code == 400
    assert dropped.status_code == 302
    assert too_late.status_code == 409
    assert "investment-error" in too_late.content.decode()
    assert FollowUp.objects.filter(lead=lead).count() == 1
    assert "实地考察九水地块" in page.content.decode()
    assert "选址外地" in page.content.decode()
    assert client.post(url + "unknown/").status_code == 404


def test_a_converted_lead_cannot_be_edited(client, rows, investment_clerk, project) -> None:
    services.lead_convert(by=investment_clerk, lead=rows["lead"], project=project)
    client.force_login(investment_clerk)

    response = client.post(f"/investment/leads/{rows['lead'].pk}/edit/", {"title": "x"})

    assert response.status_code == 409


def test_the_lead_is_converted_from_its_page(client, rows, investment_clerk, project) -> None:
    client.force_login(investment_clerk)
    url = f"/investment/leads/{rows['lead'].pk}/convert/"

    assert client.post(url, {"project": "abc"}).status_code == 400
    assert client.post(url, {"project": "999999"}).status_code == 400
    assert client.post(url, {"project": project.pk}).status_code == 302
    rows["lead"].refresh_from_db()
    assert rows["lead"].converted_project == project
    assert project.name in client.get(f"/investment/leads/{rows['lead'].pk}/").content.decode()


def test_the_match_page_lists_fitting_resources_with_a_reserve_link(
    client, rows, investment_clerk
) -> None:
    client.force_login(investment_clerk)

    response = client.get(f"/investment/leads/{rows['lead'].pk}/matches/")

    assert response.status_code == 200
    assert [m.resource for m in response.context["matches"]] == [rows["resource"]]
    assert f"?lead={rows['lead'].pk}" in response.content.decode()


def test_a_resource_is_reserved_and_released_from_its_page(
    client, rows, investment_clerk, project
) -> None:
    client.force_login(investment_clerk)
    resource, lead = rows["resource"], rows["lead"]
    url = f"/investment/resources/{resource.pk}/"
    until = (timezone.localdate() + dt.timedelta(days=20)).isoformat()

    assert client.get(url + f"?lead={lead.pk}").status_code == 200
    assert client.post(url + "reserve/", {}).status_code == 400
    assert client.post(url + "reserve/", {"lead": lead.pk, "until": until}).status_code == 302
    assert client.post(url + "reserve/", {"project_ref": project.pk}).status_code == 409
    resource.refresh_from_db()
    assert (resource.status, resource.reserved_lead) == (ResourceStatus.RESERVED, lead)
    assert client.post(url + "release/").status_code == 302
    assert client.post(url + "take/", {"project_ref": project.pk}).status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.project) == (ResourceStatus.TAKEN, project)
    assert "investment-history" in client.get(url).content.decode()


def test_a_resource_is_added_and_edited_from_the_page(client, investment_clerk) -> None:
    client.force_login(investment_clerk)

    created = client.post(
        "/investment/resources/new/",
        {
            "kind": "plant",
            "name": "楼山闲置厂房",
            "street": street("370213006").pk,
            "land_use": "industrial",
            "area_m2": "6000",
            "rent": "15",
        },
    )
    missing_area = client.post(
        "/investment/resources/new/",
        {"kind": "land", "name": "无面积", "street": street(LICUN).pk, "land_use": "industrial"},
    )
    resource = Resource.objects.get(name="楼山闲置厂房")
    edited = client.post(
        f"/investment/resources/{resource.pk}/edit/",
        {
            "kind": "plant",
            "name": "楼山闲置厂房",
            "street": resource.street_id,
            "land_use": "industrial",
            "area_m2": "6500",
        },
    )

    assert created.status_code == 302
    assert missing_area.status_code == 400
    assert "area_mu" in missing_area.context["form"].errors
    assert edited.status_code == 302
    resource.refresh_from_db()
    assert resource.area_m2 == Decimal("6500")


def test_a_channel_gets_contacts_and_contact_logs_from_its_page(
    client, rows, investment_clerk
) -> None:
    client.force_login(investment_clerk)
    url = f"/investment/channels/{rows['channel'].pk}/"

    assert client.post(url + "contact/", {"name": "陈会长", "title": "会长"}).status_code == 302
    assert client.post(url + "log/", {"date": "", "summary": ""}).status_code == 400
    logged = client.post(
        url + "log/", {"date": timezone.localdate().isoformat(), "summary": "商会年会推介李沧"}
    )
    page = client.get(url).content.decode()

    assert logged.status_code == 302
    assert "陈会长" in page and "商会年会推介李沧" in page


def test_a_channel_is_added_from_the_page(client, investment_clerk) -> None:
    client.force_login(investment_clerk)

    response = client.post(
        "/investment/channels/new/", {"name": "市经合办", "kind": "upper", "is_active": "on"}
    )
    duplicate = client.post("/investment/channels/new/", {"name": "市经合办", "kind": "upper"})

    assert response.status_code == 302
    assert duplicate.status_code == 400


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_leads_and_resources_export_to_excel_as_filtered(client, rows, investment_clerk) -> None:
    make_lead(investment_clerk, investor="泉州安踏")
    client.force_login(investment_clerk)

    leads = _sheet(client.get("/investment/leads/export/", {"search": "正泰"}))
    resources = _sheet(client.get("/investment/resources/export/"))
    channels = _sheet(client.get("/investment/channels/export/"))

    assert leads[1][0] == "投资方" or leads[1][0] == "Investor"
    assert [r[0] for r in leads[2:]] == ["温州正泰集团"]
    assert leads[2][4] == 30000
    assert [r[1] for r in resources[2:]] == ["九水东路工业地块"]
    assert [r[0] for r in channels[2:]] == ["青岛温州商会"]


def test_the_navigation_shows_the_module_to_those_who_may_open_it(
    client, investment_clerk, enterprise_user
) -> None:
    client.force_login(investment_clerk)
    assert 'href="/investment/"' in client.get("/").content.decode()
    client.force_login(enterprise_user)
    assert 'href="/investment/"' not in client.get("/").content.decode()
