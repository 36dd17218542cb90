"""/notifications/: the bell with its unread count, the list, opening one (marks it read and
follows its link), and marking all read."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.notices import selectors, services
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db

URL = "/notifications/"


def bell(html: str) -> str:
    """The unread count on the bell, or "" when there is none."""
    found = re.search(r'data-testid="bell">.*?(?:bell-count">(\d+)<|</a>)', html, re.S)
    assert found is not None
    return found.group(1) or ""


def notify(user, n: int = 1, url: str = "/appeals/") -> list[Notification]:
    return [services.notify(users=[user], title=f"通知{i}", url=url)[0] for i in range(n)]


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert selectors.unread_count(user=None) == 0


def test_opening_and_marking_all_are_post_only(client, leader) -> None:
    (note,) = notify(leader)
    client.force_login(leader)

    assert client.get(f"{URL}{note.pk}/open/").status_code == 405
    assert client.get(f"{URL}read-all/").status_code == 405
    assert client.post(URL).status_code == 405


def test_the_bell_shows_the_unread_count_on_every_page(client, leader) -> None:
    notify(leader, 3)
    client.force_login(leader)

    assert bell(client.get("/").content.decode()) == "3"
    assert bell(client.get("/appeals/").content.decode()) == "3"


def test_the_bell_has_no_count_when_everything_is_read(client, leader) -> None:
    client.force_login(leader)

    html = client.get(URL).content.decode()

    assert bell(html) == ""
    assert "0 条未读通知" in html


def test_the_list_shows_ones_own_notifications_newest_first(client, leader, jxj_clerk) -> None:
    notify(leader, 2)
    services.notify(users=[jxj_clerk], title="别人的通知")
    client.force_login(leader)

    response = client.get(URL)

    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["通知1", "通知0"]
    assert "别人的通知" not in response.content.decode()


def test_the_unread_filter(client, leader) -> None:
    first, second = notify(leader, 2)
    services.notification_read(user=leader, notification=first)
    client.force_login(leader)

    response = client.get(URL, {"unread": "1"})

    assert [n.title for n in response.context["page"].object_list] == [second.title]


def test_opening_marks_it_read_and_follows_its_link(client, leader) -> None:
    (note,) = notify(leader, url="/appeals/42/")
    client.force_login(leader)

    response = client.post(f"{URL}{note.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/appeals/42/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert selectors.unread_count(user=leader) == 0


def test_opening_twice_keeps_the_first_reading_time(client, leader) -> None:
    (note,) = notify(leader)
    client.force_login(leader)
    client.post(f"{URL}{note.pk}/open/")
    note.refresh_from_db()
    first = note.read_at

    client.post(f"{URL}{note.pk}/open/")

    note.refresh_from_db()
    assert note.read_at == first


def test_a_link_outside_the_site_is_not_followed(client, leader) -> None:
    (note,) = notify(leader, url="https://evil.example.com/phish")
    client.force_login(leader)

    response = client.post(f"{URL}{note.pk}/open/")

    assert response["Location"] == URL


def test_someone_elses_notification_cannot_be_opened(client, leader, jxj_clerk) -> None:
    (note,) = notify(jxj_clerk)
    client.force_login(leader)

    response = client.post(f"{URL}{note.pk}/open/")

    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_all_read_empties_the_bell_of_that_user_only(client, leader, jxj_clerk) -> None:
    notify(leader, 3)
    notify(jxj_clerk, 2)
    client.force_login(leader)

    response = client.post(f"{URL}read-all/", follow=True)

    assert bell(response.content.decode()) == ""
    assert selectors.unread_count(user=leader) == 0
    assert selectors.unread_count(user=jxj_clerk) == 2


def test_the_service_does_not_mark_another_users_notification(leader, jxj_clerk) -> None:
    (note,) = notify(jxj_clerk)

    services.notification_read(user=leader, notification=note)

    note.refresh_from_db()
    assert note.read_at is None


def test_the_list_reads_30_notifications_as_cheaply_as_5(client, leader) -> None:
    client.force_login(leader)
    notify(leader, 5)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    notify(leader, 25)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)

    assert len(response.context["page"].object_list) == 30
    assert len(few) == len(many) <= 5
