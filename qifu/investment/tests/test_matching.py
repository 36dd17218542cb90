"""Matching a lead's needs to resources: by kind and area (at least 80% of the need), by use
(mixed use suits any), the preferred street first; only available resources of the district."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qifu.investment import selectors, services
from qifu.investment.tests.conftest import LICUN, LOUSHAN, make_lead, make_resource, street

pytestmark = pytest.mark.django_db


def names(user, lead) -> list[str]:
    return [m.resource.name for m in selectors.lead_matches(user=user, lead=lead)]


def test_a_need_for_land_matches_parcels_big_enough_of_the_same_use(investment_clerk) -> None:
    make_resource(investment_clerk, name="45亩工业地", area_mu=Decimal("45"))
    make_resource(investment_clerk, name="30亩工业地", area_mu=Decimal("30"))
    make_resource(investment_clerk, name="60亩商业地", area_mu=Decimal("60"), land_use="commercial")
    make_resource(investment_clerk, name="80亩综合地", area_mu=Decimal("80"), land_use="mixed")
    make_resource(investment_clerk, name="厂房", kind="plant", area_m2=Decimal("90000"))
    lead = make_lead(investment_clerk, land_area_mu=Decimal("50"), land_use="industrial")

    found = names(investment_clerk, lead)

    assert set(found) == {"45亩工业地", "80亩综合地"}


def test_a_need_for_floor_space_matches_plants_and_building_floors(investment_clerk) -> None:
    make_resource(investment_clerk, name="厂房A", kind="plant", area_m2=Decimal("5000"))
    make_resource(
        investment_clerk,
        name="写字楼12F",
        kind="building",
        area_m2=Decimal("2000"),
        land_use="office",
    )
    make_resource(investment_clerk, name="地块", area_mu=Decimal("100"))
    lead = make_lead(investment_clerk, floor_area_m2=Decimal("1800"))

    assert set(names(investment_clerk, lead)) == {"厂房A", "写字楼12F"}


def test_the_preferred_street_comes_first_and_reserved_resources_are_left_out(
    investment_clerk, project
) -> None:
    make_resource(investment_clerk, name="九水地块", area_mu=Decimal("50"))
    make_resource(investment_clerk, name="楼山地块", area_mu=Decimal("50"), street_code=LOUSHAN)
    held = make_resource(
        investment_clerk, name="李村地块", area_mu=Decimal("50"), street_code=LICUN
    )
    services.resource_reserve(by=investment_clerk, resource=held, project_ref=project)
    lead = make_lead(investment_clerk, land_area_mu=Decimal("50"), preferred_street=street(LOUSHAN))

    matches = selectors.lead_matches(user=investment_clerk, lead=lead)

    assert [m.resource.name for m in matches] == ["楼山地块", "九水地块"]
    assert matches[0].score > matches[1].score
    assert matches[0].reasons


def test_the_outsider_finds_nothing_of_the_district(investment_clerk, outsider) -> None:
    make_resource(investment_clerk)
    lead = make_lead(outsider, land_area_mu=Decimal("50"))

    assert names(outsider, lead) == []
