"""Scope: investment staff and leaders see their district's leads, channels and resources; the
district's other officials read resources (a street clerk: their street's); enterprise users,
the administrators, the auditor, users without a role and officials of another district see
nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from qifu.investment import selectors
from qifu.investment.tests.conftest import LICUN, make_channel, make_lead, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(investment_clerk):
    return {
        "lead": make_lead(investment_clerk),
        "channel": make_channel(investment_clerk),
        "licun": make_resource(investment_clerk, name="李村商业楼", street_code=LICUN),
        "jiushui": make_resource(investment_clerk),
    }


MANAGERS = ["investment_clerk", "leader"]
NOBODY = ["outsider", "enterprise_user", "auditor", "sysadmin", "secadmin", "no_role_user"]


@pytest.mark.parametrize("who", MANAGERS)
def test_investment_staff_and_leaders_see_everything_of_their_district(request, rows, who) -> None:
    user = request.getfixturevalue(who)

    assert list(selectors.leads_for_user(user=user)) == [rows["lead"]]
    assert list(selectors.channels_for_user(user=user)) == [rows["channel"]]
    assert selectors.resources_for_user(user=user).count() == 2
    assert selectors.lead_get_for_user(user=user, pk=rows["lead"].pk) == rows["lead"]


@pytest.mark.parametrize("who", ["jxj_clerk", "licun_clerk"])
def test_other_officials_read_resources_only(request, rows, who) -> None:
    user = request.getfixturevalue(who)

    assert not selectors.leads_for_user(user=user).exists()
    assert not selectors.channels_for_user(user=user).exists()
    with pytest.raises(Http404):
        selectors.lead_get_for_user(user=user, pk=rows["lead"].pk)
    assert selectors.resource_get_for_user(user=user, pk=rows["licun"].pk) == rows["licun"]


def test_a_street_clerk_reads_the_resources_of_their_street_only(rows, licun_clerk) -> None:
    assert list(selectors.resources_for_user(user=licun_clerk)) == [rows["licun"]]
    with pytest.raises(Http404):
        selectors.resource_get_for_user(user=licun_clerk, pk=rows["jiushui"].pk)


@pytest.mark.parametrize("who", NOBODY)
def test_everyone_else_sees_nothing(request, rows, who) -> None:
    user = request.getfixturevalue(who)

    assert not selectors.leads_for_user(user=user).exists()
    assert not selectors.channels_for_user(user=user).exists()
    assert not selectors.resources_for_user(user=user).exists()
    assert not selectors.streets_for_user(user=user).filter(code=LICUN).exists()
    for get, row in (
        (selectors.lead_get_for_user, rows["lead"]),
        (selectors.channel_get_for_user, rows["channel"]),
        (selectors.resource_get_for_user, rows["licun"]),
    ):
        with pytest.raises(Http404):
            get(user=user, pk=row.pk)


def test_the_outsiders_own_district_is_theirs_alone(rows, outsider, investment_clerk) -> None:
    theirs = make_lead(outsider, investor="崂山投资方")

    assert list(selectors.leads_for_user(user=outsider)) == [theirs]
    assert theirs not in selectors.leads_for_user(user=investment_clerk)


def test_a_bad_id_is_not_found() -> None:
    with pytest.raises(Http404):
        selectors.lead_get_for_user(user=None, pk="abc")
