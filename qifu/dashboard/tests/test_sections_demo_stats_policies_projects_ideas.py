"""On the demo (built once, in one test): every figure of the monthly data, policies, projects and
ideas sections equals the count of the list it links to, for the demo's `leader` (this quarter,
the whole district, a street and a zone) and for the 李村街道 clerk `licun`; the figures that count
no list still open their page. The seed's numbers show: ten key projects, nine started, five past
30% of their investment, four ahead of plan; the latest approved month has output."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.dashboard.sections import ideas, policies, projects, stats
from qifu.dashboard.tests.listcounts import assert_figures_match_their_lists, section_of, values

pytestmark = pytest.mark.django_db

MODULES = (stats, policies, projects, ideas)


def test_on_the_demo_every_figure_of_the_four_sections_equals_its_list(client) -> None:
    from qifu.accounts.models import User
    from qifu.core import demo
    from qifu.core.models import OrgUnit

    demo.build()
    leader, licun = User.objects.get(username="leader"), User.objects.get(username="licun")
    street = OrgUnit.objects.get(code="370213007")  # 李村街道
    checked: dict[str, Any] = {}
    for params in ({}, {"street": street.code}, {"zone": "west"}):
        for module in MODULES:
            section = section_of(module, leader, **params)
            assert section is not None, module
            checked[f"{section.key} {params}"] = assert_figures_match_their_lists(
                client, leader, section
            )
    for module in (stats, policies, projects):
        section = section_of(module, licun)
        assert section is not None, module
        checked[f"licun {section.key}"] = assert_figures_match_their_lists(client, licun, section)
    assert section_of(ideas, licun) is None

    assert all(checked.values()), checked  # each section has figures that count a list
    board = values(section_of(projects, leader))
    assert board["projects.key_started"] == 9
    assert board["projects.key_past_30"] == 5
    assert board["projects.key_ahead"] == 4
    monthly = values(section_of(stats, leader))
    assert monthly["stats.output"] and monthly["stats.expected"] > 100
    assert values(section_of(ideas, leader, period=str(_year())))["ideas.received"] > 0


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
