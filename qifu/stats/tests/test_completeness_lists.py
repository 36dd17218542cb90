"""The completeness page's lists (`?list=`): the enterprises not yet submitted (the default, as
before), expected, submitted (handed in) and accepted, each with as many rows as the figure it
stands for, its count in `result-count`; the command centre links its figures there."""

from __future__ import annotations

import re
from typing import Any

import pytest

from qifu.stats import selectors
from qifu.stats.models import SubmissionStatus
from qifu.stats.tests.conftest import PERIOD, enterprise, form, list_on

pytestmark = pytest.mark.django_db

LISTS = ("missing", "expected", "submitted", "accepted")


def shown_count(response: Any) -> int:
    found = re.findall(r'data-testid="result-count"[^>]*>(\d+)<', response.content.decode())
    assert len(found) == 1
    return int(found[0])


@pytest.fixture
def scene(dataset, tianlu, ruifeng, licun) -> dict[str, Any]:
    """天路集团 accepted, 瑞丰气体 submitted, 李村机械 a draft, 李村五金 nothing (all listed)."""
    second = enterprise(licun, name="李村机械")
    third = enterprise(licun, name="李村五金")
    list_on(dataset, tianlu, ruifeng, second, third)
    form(dataset, tianlu)
    form(dataset, ruifeng, status=SubmissionStatus.SUBMITTED)
    form(dataset, second, status=SubmissionStatus.DRAFT)
    return {"second": second, "third": third}


def test_each_list_has_as_many_rows_as_its_figure(client, leader, scene, district) -> None:
    client.force_login(leader)
    base = f"/stats/completeness/?period={PERIOD}&org_unit={district.pk}"

    pages = {which: client.get(f"{base}&list={which}") for which in LISTS}

    figures = pages["missing"].context["figures"]
    assert (
        {which: shown_count(page) for which, page in pages.items()}
        == {
            "missing": figures.missing,
            "expected": figures.expected,
            "submitted": figures.submitted,
            "accepted": figures.accepted,
        }
        == {"missing": 2, "expected": 4, "submitted": 2, "accepted": 1}
    )
    assert [e.name for e in pages["accepted"].context["shown"]] == ["天路集团"]
    assert sorted(e.name for e in pages["submitted"].context["shown"]) == ["天路集团", "瑞丰气体"]


def test_without_a_list_the_page_shows_who_is_missing_as_before(
    client, leader, scene, district
) -> None:
    client.force_login(leader)

    response = client.get(f"/stats/completeness/?period={PERIOD}&org_unit={district.pk}")

    assert response.context["which"] == "missing"
    assert sorted(e.name for e in response.context["missing"]) == ["李村五金", "李村机械"]
    assert shown_count(response) == 2
    assert 'data-testid="missing-table"' in response.content.decode()


def test_the_lists_of_a_street_and_of_a_zone(client, leader, scene, licun) -> None:
    client.force_login(leader)

    street = client.get(f"/stats/completeness/?period={PERIOD}&org_unit={licun.pk}&list=expected")
    zone = client.get(f"/stats/completeness/?period={PERIOD}&zone={licun.zone_id}&list=accepted")

    assert shown_count(street) == 3  # 天路集团, 李村机械, 李村五金
    assert "瑞丰气体" not in street.content.decode()
    assert shown_count(zone) == 1


def test_a_street_clerk_lists_only_the_street(client, licun_clerk, scene) -> None:
    client.force_login(licun_clerk)

    response = client.get(f"/stats/completeness/?period={PERIOD}&list=submitted")

    assert shown_count(response) == 1
    assert [e.name for e in response.context["shown"]] == ["天路集团"]


def test_a_list_that_does_not_exist_is_a_bad_request(client, leader, scene) -> None:
    client.force_login(leader)

    response = client.get(f"/stats/completeness/?period={PERIOD}&list=everything")

    assert response.status_code == 400


def test_the_selector_refuses_a_list_it_does_not_know(dataset, district) -> None:
    with pytest.raises(ValueError, match="everything"):
        selectors.completeness_enterprises(
            dataset=dataset, period=PERIOD, unit=district, which="everything"
        )


@pytest.mark.parametrize("which", LISTS)
def test_each_list_takes_the_same_queries_for_few_and_many_enterprises(
    client, leader, scene, dataset, licun, district, which, django_assert_max_num_queries
) -> None:
    client.force_login(leader)
    url = f"/stats/completeness/?period={PERIOD}&org_unit={district.pk}&list={which}"
    client.get(url)  # warm up the calendar
    # as the page without a list (11), and the org unit asked for
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(15):
        one = enterprise(licun, name=f"新增企业{i}")
        list_on(dataset, one)
        form(dataset, one, status=SubmissionStatus.ACCEPTED if i % 2 else SubmissionStatus.DRAFT)
    with django_assert_max_num_queries(12):
        client.get(url)
