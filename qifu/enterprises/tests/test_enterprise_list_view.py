"""/enterprises/: the registry in the user's scope, searchable, filterable, sortable, paged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.core.models import OrgUnit
from qifu.core.tests.helpers import zh
from qifu.enterprises.selectors import SORTABLE
from qifu.enterprises.tests.factories import EnterpriseFactory, valid_code

pytestmark = pytest.mark.django_db

URL = "/enterprises/"
DISTRICT = {"天路集团", "瑞丰气体", "青岛天路物流有限公司", "青岛银行李沧支行", "李村百货商店"}
LICUN = {"天路集团", "青岛银行李沧支行", "李村百货商店"}


def shown(client, **query: str) -> list[str]:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return [e.name for e in response.context["page"].object_list]


# --- Who may open it --------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/enterprises/")


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_are_refused(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert client.get(URL + "export/").status_code == 403


def test_the_leader_sees_the_list_in_chinese(client, leader, registry) -> None:
    client.force_login(leader)

    response = client.get(URL)

    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert zh("Enterprises") in html
    assert zh("Enterprises") != "Enterprises"
    assert 'data-testid="enterprise-table"' in html
    assert "91370200163562681G" in html
    assert "连续搬运设备制造" in html  # the class name of 3434
    assert "1.20亿元" in html  # 12,000 万元


# --- Scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "jxj_clerk"])
def test_district_roles_see_the_whole_district(client, request, who, registry) -> None:
    client.force_login(request.getfixturevalue(who))

    assert set(shown(client)) == DISTRICT


def test_a_street_clerk_sees_only_their_street(client, licun_clerk, registry) -> None:
    client.force_login(licun_clerk)

    assert set(shown(client)) == LICUN


def test_a_street_clerk_cannot_widen_the_scope_with_a_filter(client, licun_clerk, registry) -> None:
    client.force_login(licun_clerk)

    assert set(shown(client, street="370213006")) == LICUN
    assert set(shown(client, zone="west")) == LICUN
    assert "瑞丰气体" not in client.get(URL, {"search": "瑞丰"}).content.decode()


def test_a_street_clerk_is_offered_no_street_or_zone_filter(client, licun_clerk, leader) -> None:
    client.force_login(licun_clerk)
    clerk_form = client.get(URL).context["form"]
    client.force_login(leader)
    leader_form = client.get(URL).context["form"]

    assert "street" not in clerk_form.fields
    assert "zone" not in clerk_form.fields
    assert len(leader_form.fields["street"].choices) == 12  # 全部 and 11 streets


def test_an_enterprise_user_sees_only_their_enterprise(client, enterprise_user, registry) -> None:
    client.force_login(enterprise_user)

    assert shown(client) == ["天路集团"]
    assert shown(client, search="瑞丰") == []


def test_the_outsider_sees_none_of_the_districts_enterprises(
    client, outsider, registry, laoshan_enterprise
) -> None:
    client.force_login(outsider)

    assert shown(client) == ["崂山科技有限公司"]
    assert "天路集团" not in client.get(URL).content.decode()


# --- Search and filters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("天路", {"天路集团", "青岛天路物流有限公司"}),
        ("  天路集团 ", {"天路集团"}),
        ("李沧", {"青岛银行李沧支行"}),
        ("71526726", {"瑞丰气体"}),
        ("726xg", {"瑞丰气体"}),
        ("9137020016356268", {"天路集团"}),
        ("没有这家", set()),
    ],
)
def test_search_finds_a_name_or_credit_code_substring(
    client, leader, registry, search, found
) -> None:
    client.force_login(leader)

    assert set(shown(client, search=search)) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"street": "370213007"}, LICUN),
        ({"street": "370213011"}, {"青岛天路物流有限公司"}),
        ({"zone": "west"}, {"瑞丰气体"}),
        ({"zone": "central"}, LICUN),
        ({"zone": "east"}, {"青岛天路物流有限公司"}),
        ({"section": "C"}, {"天路集团", "瑞丰气体"}),
        ({"section": "J"}, {"青岛银行李沧支行"}),
        ({"section": "A"}, set()),
        ({"is_above_scale": "true"}, {"天路集团", "瑞丰气体"}),
        ({"is_above_scale": "false"}, {"青岛天路物流有限公司", "青岛银行李沧支行", "李村百货商店"}),
        ({"is_key": "true"}, {"天路集团", "青岛银行李沧支行"}),
        ({"is_key": "false"}, {"瑞丰气体", "青岛天路物流有限公司", "李村百货商店"}),
        ({"kind": "financial"}, {"青岛银行李沧支行"}),
        ({"kind": "enterprise"}, DISTRICT - {"青岛银行李沧支行"}),
        ({"status": "closed"}, {"李村百货商店"}),
        ({"status": "operating"}, DISTRICT - {"李村百货商店"}),
        ({"zone": "central", "is_key": "true", "search": "银行"}, {"青岛银行李沧支行"}),
        ({"is_above_scale": "", "is_key": "", "street": ""}, DISTRICT),
    ],
)
def test_every_filter_narrows_the_list(client, leader, registry, query, found) -> None:
    client.force_login(leader)

    assert set(shown(client, **query)) == found


@pytest.mark.parametrize(
    "query",
    [{"street": "999"}, {"section": "Z"}, {"is_key": "maybe"}, {"page": "x"}, {"sort": "evil"}],
)
def test_a_bad_filter_value_is_not_a_500(client, leader, registry, query) -> None:
    client.force_login(leader)

    assert client.get(URL, query).status_code == 200


# --- Sorting and paging -----------------------------------------------------------------------


@pytest.fixture
def sortable(org) -> list:
    """Four enterprises whose order differs by every sortable column; names sort the same
    under any collation."""
    streets = {s.code: s for s in OrgUnit.objects.filter(level="street")}
    rows = [
        ("排序A", 7, "370213011", "6621", "300.00", dt.date(2001, 1, 1)),
        ("排序B", 3, "370213001", "2614", "5000.00", dt.date(1999, 6, 1)),
        ("排序C", 9, "370213007", "5211", "20.50", dt.date(2015, 3, 8)),
        ("排序D", 1, "370213006", "3434", "800.00", dt.date(1988, 12, 31)),
    ]
    made = [
        EnterpriseFactory(
            name=name,
            credit_code=valid_code(n),
            street=streets[street],
            industry_code=code,
            registered_capital=Decimal(capital),
            established_on=established,
        )
        for name, n, street, code, capital, established in rows
    ]
    # the last change is to 排序B, so by "updated" it comes last
    from qifu.enterprises import services

    services.enterprise_update(by=None, enterprise=made[1], address="最后修改")
    return made


ORDER_FIELDS = {
    "name": lambda e: e.name,
    "credit_code": lambda e: e.credit_code,
    "street": lambda e: e.street.path,
    "industry": lambda e: e.industry_code,
    "capital": lambda e: e.registered_capital,
    "established": lambda e: e.established_on,
    "updated": lambda e: e.updated_at,
}


def test_every_sortable_column_has_an_expected_order() -> None:
    assert set(ORDER_FIELDS) == set(SORTABLE)


@pytest.mark.parametrize("key", sorted(SORTABLE))
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_every_sortable_column_sorts_both_ways(client, leader, sortable, key, descending) -> None:
    from qifu.enterprises.models import Enterprise

    fresh = list(Enterprise.objects.filter(pk__in=[e.pk for e in sortable]).order_by("id"))
    expected = [e.name for e in sorted(fresh, key=ORDER_FIELDS[key], reverse=descending)]
    client.force_login(leader)

    found = shown(client, search="排序", sort=f"-{key}" if descending else key)

    assert found == expected
    assert len({expected[i] for i in (0, -1)}) == 2


def test_the_orders_really_differ_by_column(client, leader, sortable) -> None:
    client.force_login(leader)

    orders = {tuple(shown(client, search="排序", sort=key)) for key in SORTABLE}

    assert len(orders) >= 5


def test_a_column_header_links_to_the_other_direction_keeping_the_filters(
    client, leader, sortable
) -> None:
    client.force_login(leader)

    html = client.get(URL, {"search": "排序", "sort": "capital"}).content.decode()

    assert "?search=%E6%8E%92%E5%BA%8F&amp;sort=-capital" in html
    assert "?search=%E6%8E%92%E5%BA%8F&amp;sort=name" in html


def test_the_list_is_paged_by_thirty(client, leader, org) -> None:
    EnterpriseFactory.create_batch(35)
    client.force_login(leader)

    first = client.get(URL)
    second = client.get(URL, {"page": "2"})
    beyond = client.get(URL, {"page": "99"})

    assert first.context["page"].paginator.count == 35
    assert len(first.context["page"].object_list) == 30
    assert len(second.context["page"].object_list) == 5
    assert beyond.context["page"].number == 2
    assert set(shown(client)).isdisjoint(e.name for e in second.context["page"].object_list)
    assert "page=2" in first.content.decode()


def test_an_htmx_request_gets_only_the_results(client, leader, registry) -> None:
    client.force_login(leader)

    response = client.get(URL, {"search": "天路"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="enterprise-results">')
    assert "<html" not in html
    assert "天路集团" in html
    assert "瑞丰气体" not in html


# --- Phone numbers ----------------------------------------------------------------------------


def test_a_street_clerk_sees_phone_numbers_masked(client, licun_clerk, registry) -> None:
    client.force_login(licun_clerk)

    html = client.get(URL).content.decode()

    assert "138****1234" in html
    assert "13812341234" not in html


@pytest.mark.parametrize("who", ["leader", "enterprise_user", "privileged_clerk"])
def test_the_leader_the_enterprise_itself_and_a_privileged_clerk_see_it_in_full(
    client, request, who, registry
) -> None:
    client.force_login(request.getfixturevalue(who))

    html = client.get(URL).content.decode()

    assert "13812341234" in html
    assert "138****1234" not in html


# --- Query budget -----------------------------------------------------------------------------


def _enterprises(n: int, start: int) -> None:
    for i in range(start, start + n):
        EnterpriseFactory(
            credit_code=valid_code(9000 + i),
            tags=["高新技术企业", f"标签{i}"],
            contacts=[{"name": f"联系人{i}", "phone": "13800000000"}, {"name": "第二联系人"}],
        )


def test_the_list_page_issues_a_fixed_number_of_queries(client, leader, org) -> None:
    client.force_login(leader)
    _enterprises(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).context["page"].object_list) == 5

    _enterprises(35, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).context["page"].object_list) == 30

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # session, user, streets and zones of the form, count, page, tags, contacts
    assert len(few) == 9  # with the bell's unread count


def test_one_invalid_filter_is_dropped_and_the_others_still_apply(client, leader, registry) -> None:
    client.force_login(leader)

    response = client.get(URL, {"street": "999", "status": "closed"})

    assert [e.name for e in response.context["page"].object_list] == ["李村百货商店"]
