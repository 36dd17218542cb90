"""The staff list's date filters (the command centre links here): the days an idea was submitted,
answered (its official answer published) and decided, each a range of local days with either end
open; the list shows its count in `result-count` and the export holds the same ideas."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from qifu.ideas import selectors
from qifu.ideas.models import Idea, Status

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/ideas/manage/"
_numbers = itertools.count(1)


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def idea(
    district: Any,
    title: str,
    submitted: dt.datetime,
    status: str = Status.PUBLISHED,
    *,
    zone: Any = None,
    answered: dt.datetime | None = None,
) -> Idea:
    n = next(_numbers)
    made = Idea.objects.create(
        district=district,
        zone=zone,
        topic="industry",
        title=title,
        body="建议增设公交线路。",
        contact=f"1390000{n:04d}",
        contact_kind="phone",
        contact_key=f"filter-key-{n}",
        consent_at=timezone.now(),
        tracking_hash=f"filter-hash-{n}",
        status=status,
    )
    Idea.objects.filter(pk=made.pk).update(
        submitted_at=submitted,
        answered_at=answered,
        decided_at=answered if status in (Status.ADOPTED, Status.DECLINED) else None,
    )
    return made


@pytest.fixture
def ideas(district, zones) -> dict[str, Idea]:
    return {
        "july": idea(district, "七月一日零点", at("2025-07-01", "00:10"), zone=zones["central"]),
        "june": idea(
            district,
            "六月底",
            at("2025-06-30", "23:30"),
            Status.ADOPTED,
            zone=zones["central"],
            answered=at("2025-07-05"),
        ),
        "august": idea(
            district, "八月", at("2025-08-01"), Status.DECLINED, answered=at("2025-08-20")
        ),
        "september": idea(district, "九月底", at("2025-09-30", "23:30"), zone=zones["west"]),
    }


def titles(client: Any, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {i.title for i in response.context["page"].object_list}


def shown_count(client: Any, url: str) -> int:
    response = client.get(url)
    found = re.findall(r'data-testid="result-count"[^>]*>(\d+)<', response.content.decode())
    assert len(found) == 1
    return int(found[0])


def test_submitted_from_and_to_are_local_days(client, leader, ideas) -> None:
    client.force_login(leader)

    found = titles(client, f"{URL}?submitted_from=2025-07-01&submitted_to=2025-09-30")

    assert found == {"七月一日零点", "八月", "九月底"}
    assert titles(client, f"{URL}?submitted_to=2025-06-30") == {"六月底"}
    assert titles(client, f"{URL}?submitted_from=2025-09-30") == {"九月底"}
    assert shown_count(client, f"{URL}?submitted_from=2025-07-01&submitted_to=2025-09-30") == 3


def test_answered_and_decided_days_with_a_status(client, leader, ideas) -> None:
    client.force_login(leader)
    q3 = "from=2025-07-01&{0}_to=2025-09-30"

    answered = titles(client, f"{URL}?answered_" + q3.format("answered"))
    adopted = titles(client, f"{URL}?status=adopted&decided_" + q3.format("decided"))

    assert answered == {"六月底", "八月"}
    assert adopted == {"六月底"}
    assert titles(client, f"{URL}?decided_from=2025-08-01&zone=central") == set()


def test_the_answered_and_decided_fields_are_shown_only_when_given(client, leader, ideas) -> None:
    client.force_login(leader)

    plain = client.get(URL).content.decode()
    given = client.get(f"{URL}?answered_from=2025-07-01").content.decode()

    assert 'name="submitted_from"' in plain and 'name="answered_from"' not in plain
    assert 'name="answered_from"' in given and 'value="2025-07-01"' in given


def test_a_range_that_ends_before_it_starts_or_a_bad_date_is_a_bad_request(
    client, leader, ideas
) -> None:
    client.force_login(leader)

    assert client.get(f"{URL}?submitted_from=2025-09-01&submitted_to=2025-08-01").status_code == 400
    assert client.get(f"{URL}?decided_to=2025-13-01").status_code == 400


def test_the_export_holds_the_ideas_of_the_filtered_list(client, leader, ideas) -> None:
    client.force_login(leader)

    response = client.get(f"{URL}export/?answered_from=2025-07-01&answered_to=2025-09-30")

    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "六月底" in text and "八月" in text and "九月底" not in text


def test_a_department_filters_only_the_ideas_given_to_it(client, jxj_clerk, ideas, jxj) -> None:
    Idea.objects.filter(pk=ideas["june"].pk).update(department=jxj)
    client.force_login(jxj_clerk)

    assert titles(client, f"{URL}?answered_from=2025-07-01") == {"六月底"}


def test_the_selector_bounds_are_local_days(leader, ideas) -> None:
    first = dt.date(2025, 7, 1)
    found = selectors.idea_list_for_user(
        user=leader, filters={"submitted_from": first, "submitted_to": first}
    )

    assert [i.title for i in found] == ["七月一日零点"]


def test_the_filtered_list_takes_the_same_queries_for_few_and_many_ideas(
    client, leader, ideas, district, django_assert_max_num_queries
) -> None:
    client.force_login(leader)
    url = f"{URL}?submitted_from=2025-07-01&submitted_to=2025-09-30"
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)
    for i in range(15):
        idea(district, f"新建议{i}", at("2025-08-15"))
    with django_assert_max_num_queries(8):
        assert shown_count(client, url) == 18
