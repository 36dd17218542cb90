"""The home page (/): every role gets it in Chinese, with what lies inside its scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.core.tests.factories import OrgUnitFactory
from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

CAST = [
    "leader",
    "jxj_clerk",
    "licun_clerk",
    "loushan_clerk",
    "enterprise_user",
    "outsider",
    "no_role_user",
    "sysadmin",
    "secadmin",
    "auditor",
]


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post("/").status_code == 405


@pytest.mark.parametrize("who", CAST)
def test_every_role_gets_the_home_page_in_chinese(client, request, who) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert zh("Home") != "Home"
    assert zh("Home") in html
    assert zh("Log out") in html
    assert user.full_name in html


def test_the_leader_sees_the_district_and_the_way_into_the_command_centre(client, leader) -> None:
    client.force_login(leader)

    html = client.get("/").content.decode()

    assert "李沧区" in html
    assert 'data-testid="home-command-centre"' in html
    assert 'href="/dashboard/"' in html


def test_the_system_admin_still_sees_the_org_units_and_departments_it_keeps(
    client, sysadmin
) -> None:
    client.force_login(sysadmin)

    html = client.get("/").content.decode()

    assert "李村街道" in html
    assert "楼山街道" in html
    assert "区经济和信息化局" in html


def test_a_street_clerk_does_not_see_another_street(client, loushan_clerk) -> None:
    client.force_login(loushan_clerk)

    html = client.get("/").content.decode()

    assert "楼山街道" in html
    assert "李村街道" not in html


def test_the_outsider_sees_nothing_of_licang(client, outsider) -> None:
    client.force_login(outsider)

    html = client.get("/").content.decode()

    assert "崂山区" in html
    assert "李沧区" not in html
    assert "李村街道" not in html
    assert "区发展和改革局" not in html


def test_the_auditor_sees_no_business_data_but_a_link_to_the_log(client, auditor) -> None:
    client.force_login(auditor)

    html = client.get("/").content.decode()

    assert "李村街道" not in html
    assert 'href="/audit/"' in html
    assert 'href="/admin/"' not in html


@pytest.mark.parametrize("who", ["auditor", "enterprise_user", "secadmin"])
def test_no_link_to_the_calendar_is_shown_to_roles_that_may_not_open_it(
    client, request, who
) -> None:
    client.force_login(request.getfixturevalue(who))

    assert 'href="/calendar/"' not in client.get("/").content.decode()


def test_the_navigation_shows_each_role_only_its_modules(client, sysadmin, secadmin) -> None:
    client.force_login(sysadmin)
    sysadmin_html = client.get("/").content.decode()
    client.force_login(secadmin)
    secadmin_html = client.get("/").content.decode()

    assert 'href="/admin/"' in sysadmin_html
    assert 'href="/calendar/"' in sysadmin_html
    assert 'href="/audit/"' not in sysadmin_html
    assert 'href="/admin/"' in secadmin_html
    assert 'href="/audit/"' not in secadmin_html


def test_the_home_page_issues_a_fixed_number_of_queries(client, leader, district) -> None:
    client.force_login(leader)
    client.get("/")  # the calendar year is cached after the first page
    with CaptureQueriesContext(connection) as few:
        client.get("/")

    for i in range(15):
        OrgUnitFactory(code=f"3702136{i:02d}", parent=district)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")

    assert response.status_code == 200
    assert len(many) == len(few)
