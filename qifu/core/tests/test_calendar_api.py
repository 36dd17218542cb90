"""/api/v1/calendar/days/: the special days of a year, and counting working days."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from qifu.audit.models import AuditEvent
from qifu.core import workdays
from qifu.core.models import Holiday
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

DAYS = "/api/v1/calendar/days/"
ADD = "/api/v1/calendar/days/add-working-days/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_anonymous_is_refused(api, org) -> None:
    assert api.get(DAYS, {"year": 2026}).status_code in (401, 403)
    assert api.get(ADD, {"date": "2026-02-13", "days": 1}).status_code in (401, 403)


def test_counting_working_days_is_a_get(api, leader, sysadmin) -> None:
    api.force_authenticate(leader)
    refused = api.post(ADD, {"date": "2026-02-13", "days": 1}, format="json")
    api.force_authenticate(sysadmin)
    not_allowed = api.post(ADD, {"date": "2026-02-13", "days": 1}, format="json")

    assert refused.status_code == 403  # a write: only the system admin gets past the permission
    assert not_allowed.status_code == 405


def test_the_special_days_of_2026_are_listed_in_order(api, leader) -> None:
    api.force_authenticate(leader)

    response = api.get(DAYS, {"year": 2026, "page_size": 200})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == Holiday.objects.filter(date__year=2026).count()
    dates = [d["date"] for d in body["results"]]
    assert dates == sorted(dates)
    assert {"date": "2026-02-14", "kind": "workday", "name": "春节"} in [
        {k: d[k] for k in ("date", "kind", "name")} for d in body["results"]
    ]


def test_an_unpublished_year_has_no_special_days(api, leader) -> None:
    api.force_authenticate(leader)

    assert api.get(DAYS, {"year": 2027}).json()["count"] == 0


def test_adding_one_working_day_before_spring_festival(api, leader) -> None:
    api.force_authenticate(leader)

    response = api.get(ADD, {"date": "2026-02-13", "days": 1})

    assert response.status_code == 200
    assert response.json() == {
        "date": "2026-02-13",
        "days": 1,
        "result": "2026-02-14",
        "provisional": False,
    }


def test_a_count_into_2027_is_provisional(api, licun_clerk) -> None:
    api.force_authenticate(licun_clerk)

    body = api.get(ADD, {"date": "2026-12-25", "days": 10}).json()

    assert body["result"].startswith("2027-")
    assert body["provisional"] is True


@pytest.mark.parametrize(
    "query",
    [
        {"date": "2026-02-30", "days": 1},
        {"date": "tomorrow", "days": 1},
        {"date": "2026-02-13", "days": "one"},
        {"date": "2026-02-13", "days": 99999},
        {"date": "2026-02-13"},
        {},
    ],
)
def test_bad_input_is_a_400_with_a_chinese_detail(api, leader, query) -> None:
    api.force_authenticate(leader)

    response = api.get(ADD, query)

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])


@pytest.mark.parametrize("who", ["enterprise_user", "auditor", "no_role_user", "secadmin"])
def test_roles_without_the_calendar_are_refused(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    assert api.get(DAYS).status_code == 403
    assert api.get(ADD, {"date": "2026-02-13", "days": 1}).status_code == 403


def test_the_outsider_official_may_count_working_days(api, outsider) -> None:
    # the calendar is national: an official of another district reads it too
    api.force_authenticate(outsider)

    assert api.get(ADD, {"date": "2026-02-13", "days": 1}).json()["result"] == "2026-02-14"


def test_the_system_admin_adds_a_day_and_it_counts_at_once(
    api, sysadmin, django_capture_on_commit_callbacks
) -> None:
    api.force_authenticate(sysadmin)
    assert workdays.add_working_days(dt.date(2026, 3, 10), 1) == dt.date(2026, 3, 11)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            DAYS, {"date": "2026-03-11", "kind": "holiday", "name": "临时放假"}, format="json"
        )

    assert response.status_code == 201, response.content
    assert api.get(ADD, {"date": "2026-03-10", "days": 1}).json()["result"] == "2026-03-12"
    assert AuditEvent.objects.filter(action="holiday.create", actor=sysadmin).count() == 1


def test_a_weekday_as_adjusted_workday_is_refused(api, sysadmin) -> None:
    api.force_authenticate(sysadmin)

    response = api.post(DAYS, {"date": "2027-03-10", "kind": "workday"}, format="json")

    assert response.status_code == 400
    assert is_chinese(response.json()["detail"])
    assert "kind" in response.json()["errors"]


def test_the_system_admin_removes_a_day_and_it_is_audited(api, sysadmin) -> None:
    day = Holiday.objects.get(date=dt.date(2026, 2, 28))
    api.force_authenticate(sysadmin)

    response = api.delete(f"{DAYS}{day.pk}/")

    assert response.status_code == 204
    assert not Holiday.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.filter(action="holiday.delete").count() == 1


@pytest.mark.parametrize("who", ["leader", "outsider", "secadmin"])
def test_only_the_system_admin_edits_the_calendar(api, request, who) -> None:
    day = Holiday.objects.get(date=dt.date(2026, 2, 28))
    api.force_authenticate(request.getfixturevalue(who))

    assert (
        api.post(DAYS, {"date": "2027-01-01", "kind": "holiday"}, format="json").status_code == 403
    )
    assert api.patch(f"{DAYS}{day.pk}/", {"name": "x"}, format="json").status_code == 403
    assert api.delete(f"{DAYS}{day.pk}/").status_code == 403
    assert Holiday.objects.filter(pk=day.pk, name="春节").exists()


def test_the_day_list_issues_a_fixed_number_of_queries(
    client, leader, django_assert_num_queries
) -> None:
    client.force_login(leader)

    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(DAYS, {"year": 2026, "page_size": 200})

    assert response.json()["count"] > 30
