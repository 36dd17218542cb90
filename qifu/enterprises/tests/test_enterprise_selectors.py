"""enterprises.selectors: every read starts from the user's scope (Scope.enterprise_q)."""

from __future__ import annotations

import pytest
from django.http import Http404

from qifu.accounts import scope
from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.enterprises import selectors
from qifu.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

DISTRICT = {"天路集团", "瑞丰气体", "青岛天路物流有限公司", "青岛银行李沧支行", "李村百货商店"}
LICUN = {"天路集团", "青岛银行李沧支行", "李村百货商店"}


def seen(user) -> set[str]:
    return set(selectors.enterprises_for_user(user=user).values_list("name", flat=True))


@pytest.mark.parametrize("who", ["leader", "jxj_clerk"])
def test_district_roles_see_the_whole_district_and_nothing_beyond(
    request, who, registry, laoshan_enterprise
) -> None:
    assert seen(request.getfixturevalue(who)) == DISTRICT


def test_a_street_clerk_sees_only_the_enterprises_of_their_street(
    licun_clerk, loushan_clerk, registry
) -> None:
    assert seen(licun_clerk) == LICUN
    assert seen(loushan_clerk) == {"瑞丰气体"}


def test_an_enterprise_user_sees_only_their_own_enterprise(enterprise_user, registry) -> None:
    assert seen(enterprise_user) == {"天路集团"}
    assert scope.scope_for(enterprise_user).enterprise_id == registry["天路集团"].pk


def test_the_outsider_sees_only_their_own_district(outsider, registry, laoshan_enterprise) -> None:
    assert seen(outsider) == {"崂山科技有限公司"}


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_see_no_enterprise(
    request, who, registry
) -> None:
    assert seen(request.getfixturevalue(who)) == set()


def test_an_inactive_official_and_anonymous_see_nothing(leader, registry) -> None:
    from django.contrib.auth.models import AnonymousUser

    leader.is_active = False

    assert seen(leader) == set()
    assert seen(AnonymousUser()) == set()


def test_enterprise_q_follows_a_prefix(licun_clerk, enterprise_user, registry) -> None:
    officials = scope.scope_for(licun_clerk).enterprise_q("enterprise__")
    own = scope.scope_for(enterprise_user).enterprise_q("enterprise__")

    assert dict(officials.children) == {
        "enterprise__street__path__startswith": "370200/370213/370213007/"
    }
    assert dict(own.children) == {"enterprise__pk": registry["天路集团"].pk}


def test_the_list_can_be_filtered_and_sorted(leader, registry) -> None:
    found = selectors.enterprise_list_for_user(
        user=leader, filters={"section": "C", "is_above_scale": True}, ordering="-capital"
    )

    assert [e.name for e in found] == ["天路集团", "瑞丰气体"]


def test_an_unknown_ordering_falls_back_to_the_name(leader, registry) -> None:
    by_name = list(selectors.enterprise_list_for_user(user=leader, ordering="name"))

    assert list(selectors.enterprise_list_for_user(user=leader, ordering="-password")) == by_name
    assert list(selectors.enterprise_list_for_user(user=leader, ordering="street__name")) == by_name


# --- Fetching one enterprise --------------------------------------------------------------------


def test_an_enterprise_in_scope_is_fetched_with_its_contacts(licun_clerk, registry) -> None:
    tianlu = registry["天路集团"]

    found = selectors.enterprise_get_for_user(user=licun_clerk, pk=tianlu.pk)

    assert found == tianlu
    assert [c.name for c in found.contacts.all()] == ["张伟"]


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider", "sysadmin", "auditor"])
def test_an_enterprise_outside_the_scope_is_not_found(request, who, registry) -> None:
    user = request.getfixturevalue(who)

    with pytest.raises(Http404):
        selectors.enterprise_get_for_user(user=user, pk=registry["天路集团"].pk)


def test_an_enterprise_user_cannot_fetch_another_enterprise(enterprise_user, registry) -> None:
    with pytest.raises(Http404):
        selectors.enterprise_get_for_user(user=enterprise_user, pk=registry["瑞丰气体"].pk)


def test_an_enterprise_user_may_read_but_not_write_their_own(enterprise_user, tianlu) -> None:
    assert selectors.enterprise_get_for_user(user=enterprise_user, pk=tianlu.pk) == tianlu

    with pytest.raises(Http404):
        selectors.enterprise_get_for_user(user=enterprise_user, pk=tianlu.pk, for_write=True)


@pytest.mark.parametrize("pk", ["x", None, 0, 10**9])
def test_a_nonsense_or_missing_id_is_not_found(leader, registry, pk) -> None:
    with pytest.raises(Http404):
        selectors.enterprise_get_for_user(user=leader, pk=pk)


def test_a_contact_of_another_enterprise_is_not_found(licun_clerk, registry) -> None:
    tianlu = selectors.enterprise_get_for_user(user=licun_clerk, pk=registry["天路集团"].pk)
    other = registry["青岛天路物流有限公司"].contacts.get()

    with pytest.raises(Http404):
        selectors.contact_get_for_user(user=licun_clerk, enterprise=tianlu, pk=other.pk)


# --- Choices --------------------------------------------------------------------------------------


def test_the_streets_and_zones_offered_follow_the_scope(leader, licun_clerk, outsider) -> None:
    assert selectors.streets_for_user(user=leader).count() == 11
    assert [s.name for s in selectors.streets_for_user(user=licun_clerk)] == ["李村街道"]
    assert [s.name for s in selectors.streets_for_user(user=outsider)] == ["中韩街道"]
    assert [z.code for z in selectors.zones_for_user(user=leader)] == ["west", "central", "east"]
    assert [z.code for z in selectors.zones_for_user(user=licun_clerk)] == ["central"]


def test_the_responsible_leaders_offered_are_the_districts_active_leaders(
    leader, licun_clerk, outsider, district
) -> None:
    UserFactory(username="retired", role=Role.DISTRICT_LEADER, org_unit=district, is_active=False)

    assert list(selectors.district_leaders_for_user(user=licun_clerk)) == [leader]
    assert list(selectors.district_leaders_for_user(user=outsider)) == [outsider]
    assert Enterprise.objects.count() == 0
