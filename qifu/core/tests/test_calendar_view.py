"""The working-day calendar page (/calendar/) and its htmx partial."""

from __future__ import annotations

import pytest

from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

URL = "/calendar/"
PARTIAL = {"HX-Request": "true", "HX-Target": "workday-result"}


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    "who", ["leader", "jxj_clerk", "licun_clerk", "loushan_clerk", "outsider", "sysadmin"]
)
def test_officials_and_the_system_admin_open_the_calendar(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get(URL, {"year": 2026})

    html = response.content.decode()
    assert response.status_code == 200
    assert zh("Working days") in html
    assert "2026-02-14" in html
    assert 'data-testid="calendar-provisional"' not in html


@pytest.mark.parametrize("who", ["enterprise_user", "auditor", "secadmin", "no_role_user"])
def test_other_roles_are_refused_with_a_chinese_page(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get(URL)

    assert response.status_code == 403
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_only_the_system_admin_gets_the_edit_link(client, request, who, sysadmin) -> None:
    client.force_login(request.getfixturevalue(who))
    official_html = client.get(URL).content.decode()
    client.force_login(sysadmin)
    admin_html = client.get(URL).content.decode()

    assert "/admin/core/holiday/" not in official_html
    assert "/admin/core/holiday/" in admin_html


def test_an_unpublished_year_shows_the_provisional_warning(client, leader) -> None:
    client.force_login(leader)

    html = client.get(URL, {"year": 2027}).content.decode()

    assert 'data-testid="calendar-provisional"' in html
    assert zh("Working days") in html


def test_a_year_that_is_not_a_number_shows_this_year(client, leader) -> None:
    client.force_login(leader)

    response = client.get(URL, {"year": "abc"})

    assert response.status_code == 200


def test_the_form_counts_working_days_on_the_full_page(client, leader) -> None:
    client.force_login(leader)

    response = client.get(URL, {"start": "2026-02-13", "days": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "2026-02-14" in html
    assert response.context["result"].provisional is False


def test_the_htmx_partial_returns_only_the_result(client, leader) -> None:
    client.force_login(leader)

    response = client.get(URL, {"start": "2026-02-13", "days": "1"}, headers=PARTIAL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="workday-result"')
    assert "<html" not in html
    assert "<nav" not in html
    assert 'data-testid="workday-result"' in html
    assert "2026-02-14" in html
    assert "alert-success" in html


def test_the_partial_marks_a_result_in_2027_as_provisional(client, leader) -> None:
    client.force_login(leader)

    html = client.get(URL, {"start": "2026-12-25", "days": "10"}, headers=PARTIAL).content.decode()

    assert "alert-warning" in html
    assert "2027-" in html


def test_the_partial_shows_bad_input_as_a_message_not_a_500(client, leader) -> None:
    client.force_login(leader)

    response = client.get(URL, {"start": "2026-02-30", "days": "x"}, headers=PARTIAL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "alert-danger" in html
    assert 'data-testid="workday-result"' not in html


def test_the_partial_is_refused_to_roles_without_the_calendar(client, enterprise_user) -> None:
    client.force_login(enterprise_user)

    response = client.get(URL, {"start": "2026-02-13", "days": "1"}, headers=PARTIAL)

    assert response.status_code == 403


def test_the_calendar_page_issues_a_fixed_number_of_queries(
    client, leader, django_assert_num_queries
) -> None:
    client.force_login(leader)
    client.get(URL, {"year": 2026})  # the calendar year is cached after the first page

    # session, user, unread notifications (the bell), the year's days, covered years
    with django_assert_num_queries(5):
        client.get(URL, {"year": 2026})
