"""The command centre's ideas section (征集金点子): received, answered (an official answer
published) and adopted in the period, linked to the staff list `/ideas/manage/` with the same zone
and days.

Only the staff who open the ideas' staff side see it. Ideas belong to zones: a street filter counts
the ideas of the street's zone, and the figures say so.

The data of 2025Q3: 李沧区 received four ideas (two of the central zone, one of the west, one about
the whole district); one of them was adopted and one declined in the quarter, and an idea received
in June was adopted in July; one more came in on 1 October. 崂山区 received one in August.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from qifu.core.models import Department, OrgUnit, Zone
from qifu.dashboard.sections import ideas as section_module
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    queries_of,
    section_of,
    values,
)
from qifu.ideas.models import Idea, Status

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = "2025Q3"
KEYS = ["ideas.received", "ideas.answered", "ideas.adopted"]
_numbers = itertools.count(1)


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def idea(
    district: OrgUnit,
    zone: Zone | None,
    submitted: dt.datetime,
    status: str = Status.PUBLISHED,
    *,
    answered: dt.datetime | None = None,
    department: Department | None = None,
) -> Idea:
    n = next(_numbers)
    made = Idea.objects.create(
        district=district,
        zone=zone,
        topic="industry",
        title=f"建议{n}",
        body="建议增设公交线路。",
        contact=f"1380000{n:04d}",
        contact_kind="phone",
        contact_key=f"key-{n}",
        consent_at=timezone.now(),
        tracking_hash=f"hash-{n}",
        status=status,
        department=department,
    )
    Idea.objects.filter(pk=made.pk).update(
        submitted_at=submitted,
        answered_at=answered,
        answer_text="答复" if answered else "",
        decided_at=answered if status in (Status.ADOPTED, Status.DECLINED) else None,
    )
    return made


@pytest.fixture
def zones(district) -> dict[str, Zone]:
    return {z.code: z for z in Zone.objects.filter(district=district)}


@pytest.fixture
def scene(district, laoshan, zones) -> dict[str, Idea]:
    jxj = Department.objects.get(district=district, code="jxj")
    zrj = Department.objects.get(district=district, code="zrj")
    central, west, east = zones["central"], zones["west"], zones["east"]
    return {
        "first": idea(district, central, at("2025-07-01", "00:10")),
        "adopted": idea(
            district,
            central,
            at("2025-08-10"),
            Status.ADOPTED,
            answered=at("2025-09-01"),
            department=jxj,
        ),
        "last": idea(district, west, at("2025-09-30", "23:30"), Status.SUBMITTED),
        "declined": idea(
            district,
            None,
            at("2025-08-01"),
            Status.DECLINED,
            answered=at("2025-08-20"),
            department=zrj,
        ),
        "june": idea(
            district,
            central,
            at("2025-06-30", "23:30"),
            Status.ADOPTED,
            answered=at("2025-07-05"),
            department=jxj,
        ),
        "october": idea(district, east, at("2025-10-01", "00:10")),
        "far": idea(laoshan, None, at("2025-08-01")),
    }


def test_the_figures_of_the_period(scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert values(section) == {"ideas.received": 4, "ideas.answered": 3, "ideas.adopted": 2}
    assert all(not f.note for f in section.figures)


def test_each_count_equals_the_count_of_its_list(client, scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert assert_figures_match_their_lists(client, leader, section) == KEYS


def test_a_street_filter_counts_the_ideas_of_the_streets_zone_and_says_so(
    client, scene, leader, licun
) -> None:
    section = section_of(section_module, leader, period=PERIOD, street=licun.code)

    assert values(section) == {"ideas.received": 2, "ideas.answered": 2, "ideas.adopted": 2}
    note = section.figure("ideas.received").note
    assert licun.zone.name in note and licun.name in note
    assert "zone=central" in section.figure("ideas.received").url
    assert assert_figures_match_their_lists(client, leader, section) == KEYS


def test_a_zone_filter_counts_the_zones_ideas(client, scene, leader, zones) -> None:
    section = section_of(section_module, leader, period=PERIOD, zone="west")

    assert values(section) == {"ideas.received": 1, "ideas.answered": 0, "ideas.adopted": 0}
    assert assert_figures_match_their_lists(client, leader, section) == KEYS


def test_a_department_counts_the_ideas_given_to_it(client, scene, jxj_clerk) -> None:
    section = section_of(section_module, jxj_clerk, period=PERIOD)

    assert values(section) == {"ideas.received": 1, "ideas.answered": 2, "ideas.adopted": 2}
    assert assert_figures_match_their_lists(client, jxj_clerk, section) == KEYS


def test_the_outsider_sees_none_of_the_districts_numbers(client, scene, outsider) -> None:
    section = section_of(section_module, outsider, period=PERIOD)

    assert values(section) == {"ideas.received": 1, "ideas.answered": 0, "ideas.adopted": 0}
    assert assert_figures_match_their_lists(client, outsider, section) == KEYS


def test_roles_that_do_not_open_the_staff_side_have_no_section(
    scene, licun_clerk, enterprise_user
) -> None:
    assert section_of(section_module, licun_clerk, period=PERIOD) is None
    assert section_of(section_module, enterprise_user, period=PERIOD) is None


def test_the_section_reads_as_many_queries_for_many_ideas_as_for_few(
    scene, leader, district, zones, licun, django_assert_max_num_queries
) -> None:
    def call() -> Any:
        return section_of(section_module, leader, period=PERIOD, street=licun.code)

    few = queries_of(call)
    for i in range(15):
        idea(district, zones["central"], at("2025-08-01"), answered=at(f"2025-08-{i + 2:02d}"))
    many = queries_of(call)

    assert few == many
    with django_assert_max_num_queries(3):
        call()
    assert values(call())["ideas.received"] == 17
