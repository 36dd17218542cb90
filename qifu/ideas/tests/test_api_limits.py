"""The public ideas API's limits: DRF throttles per client address (429), the database's own rate
limits (429), and the query budgets of the lists."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext

from qifu.ideas import abuse, services
from qifu.ideas.api import views as ideas_api
from qifu.ideas.models import Idea, Status
from qifu.ideas.tests.conftest import as_, next_phone

pytestmark = pytest.mark.django_db

URL = "/api/v1/ideas/"


@pytest.fixture
def small_rates(settings) -> None:
    # DRF copies the rates into SimpleRateThrottle.THROTTLE_RATES once, at import; the ideas
    # throttles read them at each request, so changing the setting is enough
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"ideas_read": "3/min", "ideas_write": "2/min"},
    }


def submission(**overrides) -> dict:
    values = {
        "title": "中部片区增加公共停车位",
        "body": "李村商圈停车难，建议利用边角地建设立体停车场。",
        "zone": "central",
        "topic": "urban",
        "contact": next_phone(),
        "consent": True,
    }
    values.update(overrides)
    return values


# --- DRF throttles -------------------------------------------------------------------------------


def test_the_rates_of_the_public_api_are_configured(settings) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert {"ideas_read", "ideas_write"} <= set(rates)


def test_reading_past_the_rate_from_one_address_is_429(api, small_rates, org) -> None:
    for _ in range(3):
        assert api.get(URL).status_code == 200

    response = api.get(URL)

    assert response.status_code == 429
    assert response.json()["detail"].startswith(gettext(str(ideas_api.THROTTLED)))
    assert "秒" in response.json()["detail"]  # DRF's wait, in Chinese
    assert int(response["Retry-After"]) > 0


def test_the_default_rates_do_not_stop_an_ordinary_reader(api, org) -> None:
    for _ in range(10):
        assert api.get(URL).status_code == 200


def test_the_read_limit_is_per_client_address(api, small_rates, org) -> None:
    for _ in range(3):
        api.get(URL, REMOTE_ADDR="10.3.0.1")

    assert api.get(URL, REMOTE_ADDR="10.3.0.1").status_code == 429
    assert api.get(URL, REMOTE_ADDR="10.3.0.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(api, small_rates, org) -> None:
    for n in range(3):
        api.get(URL, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")

    assert api.get(URL, HTTP_X_FORWARDED_FOR="1.2.3.99").status_code == 429


def test_a_logged_in_user_is_throttled_by_address_too(api, small_rates, leader) -> None:
    as_(api, leader)
    for _ in range(3):
        api.get(URL)

    assert api.get(URL).status_code == 429


@pytest.mark.parametrize("path", ["", "{pk}/", "stats/", "similar/?text=停车", "captcha/", "track"])
def test_every_public_read_is_throttled(api, small_rates, make_idea, path) -> None:
    idea = make_idea(Status.PUBLISHED, client_token="limits-1")
    if path == "track":
        path = f"track/{services.tracking_code_for('limits-1')}/"
    url = URL + path.format(pk=idea.pk)
    for _ in range(3):
        assert api.get(url).status_code == 200

    assert api.get(url).status_code == 429


@pytest.mark.parametrize("what", ["create", "support", "report", "withdraw"])
def test_every_public_write_is_throttled(api, small_rates, make_idea, what) -> None:
    idea = make_idea(Status.PUBLISHED, client_token="limits-2")
    code = services.tracking_code_for("limits-2")
    url, data = {
        "create": (URL, submission()),
        "support": (f"{URL}{idea.pk}/support/", {"contact": next_phone()}),
        "report": (f"{URL}{idea.pk}/report/", {"contact": next_phone(), "reason": "广告"}),
        "withdraw": (f"{URL}track/{code}/withdraw/", {}),
    }[what]
    for _ in range(2):
        assert api.post(url, data, format="json").status_code < 429

    response = api.post(url, data, format="json")

    assert response.status_code == 429
    assert response.json()["detail"]


def test_staff_actions_are_not_public_writes(api, small_rates, leader, make_idea) -> None:
    ideas = [make_idea(Status.SUBMITTED) for _ in range(3)]
    as_(api, leader)

    for idea in ideas:
        assert api.post(f"{URL}{idea.pk}/publish/").status_code == 200


# --- the database's own limits -------------------------------------------------------------------


def test_a_sixth_idea_in_an_hour_from_one_address_is_429(api, submit) -> None:
    for n in range(abuse.IDEAS_PER_IP_HOUR):
        submit(ip="10.4.0.1", title=f"建议{n}")

    response = api.post(URL, submission(), format="json", REMOTE_ADDR="10.4.0.1")

    assert response.status_code == 429
    assert response.json()["detail"]
    assert Idea.objects.count() == abuse.IDEAS_PER_IP_HOUR


def test_a_fourth_idea_in_a_day_from_one_contact_is_429(api, submit) -> None:
    phone = next_phone()
    for n in range(abuse.IDEAS_PER_CONTACT_DAY):
        submit(contact=phone, title=f"建议{n}")

    response = api.post(URL, submission(contact=phone), format="json", REMOTE_ADDR="10.4.1.1")

    assert response.status_code == 429
    assert Idea.objects.count() == abuse.IDEAS_PER_CONTACT_DAY


def test_too_many_supports_from_one_address_is_429(api, make_idea, monkeypatch) -> None:
    monkeypatch.setattr(abuse, "SUPPORTS_PER_IP_HOUR", 2)
    ideas = [make_idea(Status.PUBLISHED) for _ in range(3)]

    codes = [
        api.post(f"{URL}{i.pk}/support/", {"contact": next_phone()}, format="json").status_code
        for i in ideas
    ]

    assert codes == [201, 201, 429]


def test_too_many_reports_from_one_address_is_429(api, make_idea, monkeypatch) -> None:
    monkeypatch.setattr(abuse, "REPORTS_PER_IP_HOUR", 1)
    ideas = [make_idea(Status.PUBLISHED) for _ in range(2)]

    codes = [
        api.post(
            f"{URL}{i.pk}/report/", {"contact": next_phone(), "reason": "广告"}, format="json"
        ).status_code
        for i in ideas
    ]

    assert codes == [201, 429]


# --- query budgets -------------------------------------------------------------------------------


@pytest.fixture
def many_ideas(make_idea, leader):
    """`n` ideas in a mix of public states (a department, an answer, a duplicate, no zone)."""

    def make(n: int) -> None:
        states = ["published", "evaluating", "adopted", "declined", "answered", "submitted"]
        for i in range(n):
            make_idea(states[i % len(states)], zone=["east", "", "west"][i % 3])
        make_idea(Status.DUPLICATE)

    return make


@pytest.mark.parametrize("n", [3, 30])
def test_the_public_list_has_the_same_query_budget_for_few_and_many(
    api, many_ideas, django_assert_max_num_queries, n
) -> None:
    many_ideas(n)

    with django_assert_max_num_queries(3):  # the portal's district, the count, the page
        response = api.get(URL, {"page_size": 100})

    assert len(response.json()["results"]) >= n * 2 // 3


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("who", ["leader", "jxj_clerk"])
def test_the_staff_list_has_the_same_query_budget_for_few_and_many(
    api, many_ideas, django_assert_max_num_queries, request, n, who
) -> None:
    many_ideas(n)
    as_(api, request.getfixturevalue(who))

    with django_assert_max_num_queries(2):  # the count, the page
        response = api.get(URL, {"page_size": 100})

    assert response.status_code == 200
    assert response.json()["results"]


@pytest.mark.parametrize("n", [1, 10])
def test_the_staff_detail_has_the_same_query_budget_for_a_short_and_a_long_history(
    api, make_idea, leader, jxj_clerk, django_assert_max_num_queries, n
) -> None:
    idea = make_idea(Status.ADOPTED)
    for i in range(n):
        services.idea_progress(idea=idea, by=jxj_clerk, text=f"进展{i}")
    as_(api, leader)

    with django_assert_max_num_queries(4):  # the idea, its answers, progress and timeline
        response = api.get(f"{URL}{idea.pk}/")

    assert len(response.json()["progress"]) == n


@pytest.mark.parametrize("n", [1, 10])
def test_the_public_detail_and_the_tracking_view_have_a_fixed_budget(
    api, make_idea, jxj_clerk, django_assert_max_num_queries, n
) -> None:
    idea = make_idea(Status.ADOPTED, client_token="budget")
    for i in range(n):
        services.idea_progress(idea=idea, by=jxj_clerk, text=f"进展{i}")

    with django_assert_max_num_queries(3):
        assert len(api.get(f"{URL}{idea.pk}/").json()["progress"]) == n
    with django_assert_max_num_queries(3):
        response = api.get(f"{URL}track/{services.tracking_code_for('budget')}/")
    assert len(response.json()["progress"]) == n
