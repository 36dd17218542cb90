"""REST /api/v1/visits/: record, read, correct and discard visits, and raise appeals from them,
through the same services and scope as the pages. Outside the caller's scope a visit is 404, a
role that may not act 403, bad input 400 with a Chinese message, a change the visit's state does
not allow 409."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.appeals.models import Appeal
from qifu.core.tests.helpers import is_chinese
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.visits.models import RedFlag, Visit
from qifu.visits.tests.conftest import CALM_ANSWERS, D, as_, category

pytestmark = pytest.mark.django_db

URL = "/api/v1/visits/"


def url(visit: Visit | int, tail: str = "") -> str:
    pk = visit if isinstance(visit, int) else visit.pk
    return f"{URL}{pk}/{tail}"


def body(tianlu: Any, **changes: Any) -> dict[str, Any]:
    """A complete visit of the street clerk to 天路集团."""
    return {
        "date": "2026-10-09",
        "kind": "onsite",
        "enterprises": [tianlu.pk],
        "officials": ["licun_clerk"],
        "purpose": "了解四季度生产经营",
        "notes": "订单饱满，计划扩产，需新增用地约20亩。",
        "location": "天路集团会议室",
        "follow_up": "协调区自然资源局对接用地",
        "answers": {**CALM_ANSWERS, "expansion": "yes", "expansion_land": "yes"},
        "red_flags": [{"enterprise": tianlu.pk, "kind": "layoffs", "note": "一线工人流失"}],
        "complete": True,
        **changes,
    }


def bad_input(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert is_chinese(response.json()["detail"])


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_gets_401_or_403(api, record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    for path in (URL, url(visit), f"{URL}coverage/", f"{URL}red-flags/", f"{URL}plans/"):
        assert api.get(path).status_code in (401, 403)
    assert api.post(URL, {}, format="json").status_code in (401, 403)


@pytest.mark.parametrize("who", ["enterprise_user", "ruifeng_user", "sysadmin", "no_role_user"])
def test_who_is_not_an_official_is_refused(api, request, record, licun_clerk, tianlu, who) -> None:
    visit = record(licun_clerk, [tianlu])
    as_(api, request.getfixturevalue(who))
    assert api.get(URL).status_code == 403
    assert api.get(url(visit)).status_code == 403
    assert api.post(URL, body(tianlu), format="json").status_code == 403
    assert not Visit.objects.exclude(pk=visit.pk).exists()


def test_an_outsider_sees_no_visit_and_gets_404(api, record, outsider, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    as_(api, outsider)
    assert api.get(URL).json()["results"] == []
    assert api.get(url(visit)).status_code == 404
    assert api.patch(url(visit), {"notes": "x"}, format="json").status_code == 404
    assert api.delete(url(visit)).status_code == 404
    appeal = {"enterprise": tianlu.pk, "category": "land", "title": "t", "description": "d"}
    assert api.post(url(visit, "appeals/"), appeal, format="json").status_code == 404


def test_a_street_clerk_gets_404_for_another_streets_visit(
    api, record, leader, licun_clerk, ruifeng
) -> None:
    visit = record(leader, [ruifeng])
    assert as_(api, licun_clerk).get(url(visit)).status_code == 404


def test_wrong_methods_are_405(api, record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    as_(api, licun_clerk)
    assert api.delete(URL).status_code == 405
    assert api.get(url(visit, "appeals/")).status_code == 405
    assert api.post(f"{URL}coverage/").status_code == 405


# --- recording ------------------------------------------------------------------------------------


def test_a_visit_is_recorded_and_read_back(api, licun_clerk, tianlu) -> None:
    response = as_(api, licun_clerk).post(URL, body(tianlu), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "final"
    assert (data["date"], data["kind"]) == ("2026-10-09", "onsite")
    assert data["enterprises"] == [tianlu.pk]
    assert data["officials"] == ["licun_clerk"]
    assert data["created_by"] == "licun_clerk"
    assert data["answers"]["expansion_land"] is True
    assert data["questionnaire"]["number"] == 1
    assert data["location"] == "天路集团会议室"
    assert data["follow_up"] == "协调区自然资源局对接用地"
    flags = sorted((f["kind"], f["source"], f["resolved"]) for f in data["red_flags"])
    # the official's flag, and the land flag the answers raise
    assert flags == [("land", "questionnaire", False), ("layoffs", "official", False)]
    assert {f["enterprise"] for f in data["red_flags"]} == {tianlu.pk}
    assert data["appeals"] == []
    assert api.get(url(data["id"])).json() == data


def test_a_half_written_draft_is_saved(api, licun_clerk) -> None:
    response = as_(api, licun_clerk).post(
        URL, {"notes": "刚到企业", "answers": {"relocation": "maybe"}}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["answers"] == {}
    assert data["enterprises"] == []


def test_the_same_client_token_twice_is_the_same_visit(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    first = api.post(URL, {"notes": "草稿", "client_token": "tok-1"}, format="json")
    again = api.post(
        URL, {"notes": "草稿，续写", "enterprises": [tianlu.pk], "client_token": "tok-1"}, "json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["notes"] == "草稿，续写"
    assert Visit.objects.count() == 1


def test_the_idempotency_key_header_works_as_a_client_token(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    headers = {"HTTP_IDEMPOTENCY_KEY": "tok-2"}
    assert api.post(URL, body(tianlu), format="json", **headers).status_code == 201
    assert api.post(URL, body(tianlu), format="json", **headers).status_code == 200
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "letter"}, "kind"),
        ({"date": "2026-13-01"}, "date"),
        ({"date": "2026-10-21"}, "date"),
        ({"notes": ""}, "notes"),
        ({"officials": ["outsider"]}, "officials"),
        ({"officials": []}, "officials"),
        ({"answers": ["是"]}, "answers"),
        ({"answers": {"relocation": "maybe", "output_outlook": "基本持平"}}, "answers"),
        ({"answers": {"no_such_question": 1}}, "answers"),
        ({"red_flags": [{"enterprise": 0, "kind": "layoffs"}]}, "red_flags"),
        ({"red_flags": [{"kind": "weather"}]}, "red_flags"),
    ],
)
def test_bad_input_is_400_with_a_chinese_message(
    api, licun_clerk, outsider, tianlu, changes, field
) -> None:
    response = as_(api, licun_clerk).post(URL, body(tianlu, **changes), format="json")
    bad_input(response, field)
    assert not Visit.objects.exists()


def test_an_enterprise_of_another_street_is_400(api, licun_clerk, tianlu, ruifeng) -> None:
    response = as_(api, licun_clerk).post(
        URL, body(tianlu, enterprises=[tianlu.pk, ruifeng.pk]), format="json"
    )
    bad_input(response, "enterprises")


def test_a_red_flag_on_an_enterprise_not_met_is_400(api, leader, tianlu, ruifeng) -> None:
    flags = [{"enterprise": ruifeng.pk, "kind": "land", "note": "缺地"}]
    response = as_(api, leader).post(
        URL, body(tianlu, officials=["leader"], red_flags=flags), format="json"
    )
    bad_input(response, "red_flags")


# --- changing -------------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    draft = api.post(URL, body(tianlu, complete=False), format="json").json()
    response = api.patch(url(draft["id"]), {"notes": "补记：企业提出用地需求"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["notes"] == "补记：企业提出用地需求"
    assert data["enterprises"] == [tianlu.pk]
    assert data["purpose"] == "了解四季度生产经营"
    assert data["answers"] == draft["answers"]
    assert [f["kind"] for f in data["red_flags"]] == ["layoffs"]  # the official's own flag stays


def test_patch_with_complete_makes_a_draft_final(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    draft = api.post(URL, body(tianlu, complete=False), format="json").json()
    response = api.patch(url(draft["id"]), {"complete": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "final"
    assert {f["kind"] for f in response.json()["red_flags"]} == {"layoffs", "land"}


def test_completing_a_draft_that_misses_something_is_400(api, licun_clerk) -> None:
    as_(api, licun_clerk)
    draft = api.post(URL, {"notes": "草稿"}, format="json").json()
    response = api.patch(url(draft["id"]), {"complete": True}, format="json")
    bad_input(response, "enterprises")
    assert api.get(url(draft["id"])).json()["status"] == "draft"


def test_a_final_visit_cannot_go_back_to_draft(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    visit = api.post(URL, body(tianlu), format="json").json()
    response = api.patch(url(visit["id"]), {"complete": False}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert api.get(url(visit["id"])).json()["status"] == "final"


def test_a_final_visit_is_corrected_and_stays_final(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    visit = api.post(URL, body(tianlu), format="json").json()
    response = api.patch(url(visit["id"]), {"location": "企业车间"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["location"]) == ("final", "企业车间")


def test_put_replaces_the_visit(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    visit = api.post(URL, body(tianlu, complete=False), format="json").json()
    response = api.put(url(visit["id"]), {"notes": "重写"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["notes"], data["enterprises"], data["purpose"]) == ("重写", [], "")
    assert data["red_flags"] == []


def test_an_official_who_did_not_go_cannot_change_a_visit(
    api, record, leader, licun_clerk, tianlu
) -> None:
    visit = record(licun_clerk, [tianlu])
    response = as_(api, leader).patch(url(visit), {"notes": "领导批注"}, format="json")
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.notes != "领导批注"


# --- discarding -----------------------------------------------------------------------------------


def test_a_draft_is_discarded(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    draft = api.post(URL, body(tianlu, complete=False), format="json").json()
    assert api.delete(url(draft["id"])).status_code == 204
    assert not Visit.objects.exists()
    assert api.get(url(draft["id"])).status_code == 404


def test_a_final_visit_cannot_be_discarded(api, licun_clerk, tianlu) -> None:
    as_(api, licun_clerk)
    visit = api.post(URL, body(tianlu), format="json").json()
    response = api.delete(url(visit["id"]))
    assert response.status_code == 409
    assert Visit.objects.filter(pk=visit["id"]).exists()


# --- appeals from the visit -----------------------------------------------------------------------


def appeal_body(enterprise: Any, **changes: Any) -> dict[str, Any]:
    return {
        "enterprise": enterprise.pk,
        "category": "land",
        "title": "扩产用地",
        "description": "企业计划扩产，需新增工业用地约20亩。",
        **changes,
    }


def test_an_appeal_is_raised_from_the_visit_and_linked_both_ways(
    api, record, licun_clerk, tianlu
) -> None:
    visit = record(licun_clerk, [tianlu])
    response = as_(api, licun_clerk).post(url(visit, "appeals/"), appeal_body(tianlu), "json")
    assert response.status_code == 201, response.content
    data = response.json()
    appeal = Appeal.objects.get(pk=data["id"])
    assert data["number"] == appeal.number
    assert data["status"] == "submitted"
    assert data["url"].endswith(f"/appeals/{appeal.pk}/")
    assert (appeal.channel, appeal.category.code, appeal.enterprise) == ("visit", "land", tianlu)
    assert list(appeal.visits.all()) == [visit]
    shown = api.get(url(visit)).json()["appeals"]
    assert shown == [{"id": appeal.pk, "number": appeal.number, "status": "submitted"}]


def test_the_category_is_given_by_code_or_by_id(api, record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu], kind="phone")
    as_(api, licun_clerk)
    response = api.post(
        url(visit, "appeals/"), appeal_body(tianlu, category=category("finance").pk), "json"
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert (appeal.category.code, appeal.channel) == ("finance", "phone")


def test_the_same_client_token_raises_one_appeal(api, record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    as_(api, licun_clerk)
    first = api.post(url(visit, "appeals/"), appeal_body(tianlu, client_token="a-1"), "json")
    again = api.post(url(visit, "appeals/"), appeal_body(tianlu, client_token="a-1"), "json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "weather"}, "category"),
        ({"category": "99999"}, "category"),
        ({"title": ""}, "title"),
        ({"kind": "praise"}, "kind"),
    ],
)
def test_a_bad_appeal_is_400(api, record, licun_clerk, tianlu, changes, field) -> None:
    visit = record(licun_clerk, [tianlu])
    response = as_(api, licun_clerk).post(
        url(visit, "appeals/"), appeal_body(tianlu, **changes), "json"
    )
    bad_input(response, field)
    assert not Appeal.objects.exists()


def test_an_enterprise_not_on_the_visit_is_refused(
    api, record, licun_clerk, tianlu, licun_key
) -> None:
    visit = record(licun_clerk, [tianlu])
    response = as_(api, licun_clerk).post(url(visit, "appeals/"), appeal_body(licun_key), "json")
    bad_input(response, "enterprise")
    assert not Appeal.objects.exists()


def test_an_official_who_did_not_go_cannot_raise_an_appeal_from_the_visit(
    api, record, leader, licun_clerk, tianlu
) -> None:
    visit = record(licun_clerk, [tianlu])
    response = as_(api, leader).post(url(visit, "appeals/"), appeal_body(tianlu), "json")
    assert response.status_code == 403
    assert not Appeal.objects.exists()


# --- the list -------------------------------------------------------------------------------------


def test_the_list_is_filtered(
    api, record, leader, licun_clerk, licun, loushan, tianlu, ruifeng
) -> None:
    phone = record(licun_clerk, [tianlu], kind="phone", date=D(2026, 8, 3), purpose="电话回访")
    onsite = record(leader, [ruifeng], date=D(2026, 10, 12))
    draft = record(leader, [tianlu], complete=False)
    as_(api, leader)

    def ids(**params: Any) -> list[int]:
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [onsite.pk, draft.pk, phone.pk]
    assert ids(kind="phone") == [phone.pk]
    assert ids(status="draft") == [draft.pk]
    assert ids(street=loushan.pk) == [onsite.pk]
    assert ids(enterprise=tianlu.pk) == [draft.pk, phone.pk]
    assert ids(date_from="2026-10-10", date_to="2026-10-31") == [onsite.pk]
    assert ids(q="回访") == [phone.pk]
    assert ids(mine="true") == [onsite.pk, draft.pk]
    assert ids(official="licun_clerk") == [phone.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "letter"}, "kind"),
        ({"status": "done"}, "status"),
        ({"date_from": "10/01/2026"}, "date_from"),
        ({"street": "abc"}, "street"),
        ({"enterprise": "999999"}, "enterprise"),
        ({"official": "nobody"}, "official"),
    ],
)
def test_bad_query_parameters_are_400(api, licun_clerk, params, field) -> None:
    bad_input(as_(api, licun_clerk).get(URL, params), field)


def test_a_street_clerk_cannot_filter_on_another_street(api, licun_clerk, loushan) -> None:
    bad_input(as_(api, licun_clerk).get(URL, {"street": loushan.pk}), "street")


def _visits(n: int, *, record: Any, official: Any, street: Any) -> None:
    from qifu.visits import services
    from qifu.visits.tests.conftest import category as cat

    for i in range(n):
        enterprise = EnterpriseFactory(street=street, is_key=True, name=f"走访企业{n}-{i}")
        visit = record(
            official,
            [enterprise],
            date=D(2026, 10, 1 + i % 15),
            red_flags=[(enterprise, "layoffs", "放假")],
        )
        services.visit_raise_appeal(
            by=official,
            visit=visit,
            enterprise=enterprise,
            category=cat("land"),
            title="用地",
            description="需要用地",
        )


def test_the_list_takes_the_same_number_of_queries_for_few_and_many(
    api, django_assert_max_num_queries, record, leader, licun
) -> None:
    as_(api, leader)
    _visits(2, record=record, official=leader, street=licun)
    with django_assert_max_num_queries(7):
        response = api.get(URL)
    assert len(response.json()["results"]) == 2
    _visits(12, record=record, official=leader, street=licun)
    with django_assert_max_num_queries(7):
        response = api.get(URL)
    rows = response.json()["results"]
    assert len(rows) == 14
    assert all(row["appeals"] and row["red_flags"] and row["questionnaire"] for row in rows)
    assert RedFlag.objects.count() == 14
