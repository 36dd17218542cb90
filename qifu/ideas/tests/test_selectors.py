"""The reads: the public portal's ideas (never one the public may not see) and its filters, the
statistics (figures on known data, three queries whatever the size), the staff's scope and queues,
similar ideas, and the author's view of the timeline."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from qifu.core.tests.helpers import zh
from qifu.ideas import selectors, services
from qifu.ideas.models import Idea, Outcome, Status
from qifu.ideas.tests.conftest import idea_input, next_phone

pytestmark = pytest.mark.django_db

_hashes = itertools.count(1)


def pks(qs: Any) -> set[int]:
    return {i.pk for i in qs}


def clone(idea: Idea, n: int) -> None:
    """`n` copies of `idea` (same state, zone and topic), made in one statement."""
    values = {
        f.attname: getattr(idea, f.attname)
        for f in Idea._meta.concrete_fields
        if f.attname not in ("id", "tracking_hash", "client_token")
    }
    Idea.objects.bulk_create(
        Idea(**values, tracking_hash=f"clone-{next(_hashes)}") for _ in range(n)
    )


def answered_after(idea: Idea, days: float) -> None:
    start = timezone.now() - dt.timedelta(days=60)
    Idea.objects.filter(pk=idea.pk).update(
        submitted_at=start, answered_at=start + dt.timedelta(days=days)
    )


@pytest.fixture
def every_state(make_idea, leader) -> dict[str, Idea]:
    """One idea in each state, and a published one hidden by a moderator."""
    ideas = {s: make_idea(s, client_token=f"state-{s}") for s in Status.values}
    hidden = make_idea(Status.PUBLISHED)
    ideas["hidden"] = services.idea_hide(idea=hidden, by=leader, reason="待核实")
    return ideas


# --- the public's ideas -------------------------------------------------------------------------


def test_the_public_sees_published_ideas_only(district, every_state) -> None:
    shown = pks(selectors.public_ideas(district=district))

    for status in (Status.PUBLISHED, Status.EVALUATING, Status.ADOPTED, Status.DECLINED):
        assert every_state[status].pk in shown
    assert every_state[Status.DUPLICATE].pk in shown  # shown, pointing to its target
    for hidden in (Status.SUBMITTED, Status.NOT_PUBLISHED, Status.WITHDRAWN, "hidden"):
        assert every_state[hidden].pk not in shown
    assert all(i.is_public for i in selectors.public_ideas(district=district))


def test_the_public_opens_only_what_it_may_see(district, every_state) -> None:
    idea = selectors.public_idea_get(district=district, pk=every_state[Status.ADOPTED].pk)
    assert idea.pk == every_state[Status.ADOPTED].pk
    for hidden in (Status.SUBMITTED, Status.NOT_PUBLISHED, Status.WITHDRAWN, "hidden"):
        with pytest.raises(Http404):
            selectors.public_idea_get(district=district, pk=every_state[hidden].pk)
    with pytest.raises(Http404):
        selectors.public_idea_get(district=district, pk="not-a-number")


def test_another_districts_ideas_are_not_on_this_portal(district, laoshan, outsider) -> None:
    theirs = services.idea_submit(
        data=idea_input(), ip="10.30.0.1", district=laoshan, captcha_passed=True
    ).idea
    services.idea_publish(idea=theirs, by=outsider)

    assert theirs.pk not in pks(selectors.public_ideas(district=district))
    assert theirs.pk in pks(selectors.public_ideas(district=laoshan))


@pytest.fixture
def spread(make_idea) -> dict[str, Idea]:
    """Published ideas in each zone and for the whole district, on different topics."""
    return {
        "east": make_idea(Status.PUBLISHED, zone="east", topic="ecology", title="东部山区登山步道"),
        "central": make_idea(
            Status.ADOPTED,
            zone="central",
            topic="urban",
            title="李村商圈立体停车楼",
            body="利用边角地建设停车楼。",
        ),
        "west": make_idea(Status.EVALUATING, zone="west", topic="industry", title="盘活沧口老厂房"),
        "all": make_idea(Status.PUBLISHED, zone="", topic="business", title="一窗通办"),
    }


@pytest.mark.parametrize("zone", ["east", "central", "west", "all"])
def test_the_zone_filter_and_all_for_the_whole_district(district, spread, zone) -> None:
    found = selectors.public_ideas(district=district, filters={"zone": zone})
    assert pks(found) == {spread[zone].pk}


def test_the_topic_status_and_search_filters(district, spread) -> None:
    def found(**filters: str) -> set[int]:
        return pks(selectors.public_ideas(district=district, filters=filters))

    assert found(topic="industry") == {spread["west"].pk}
    assert found(status=Status.ADOPTED) == {spread["central"].pk}
    assert found(status=Status.PUBLISHED) == {spread["east"].pk, spread["all"].pk}
    assert found(q=" 停车楼 ") == {spread["central"].pk}
    assert found(q="边角地") == {spread["central"].pk}  # the text too, not only the title
    assert found(zone="east", topic="urban") == set()
    assert found(q="") == pks(spread.values())


def test_the_latest_published_comes_first(district, spread) -> None:
    order = [i.pk for i in selectors.public_ideas(district=district)]
    assert order == [spread[k].pk for k in ("all", "west", "central", "east")]


def test_adopted_ideas_come_with_their_progress(district, spread, leader) -> None:
    services.idea_progress(idea=spread["central"], by=leader, text="完成选址")

    adopted = list(selectors.adopted_ideas(district=district))

    assert [i.pk for i in adopted] == [spread["central"].pk]
    assert [p.text for p in adopted[0].progress.all()] == ["完成选址"]


# --- statistics ---------------------------------------------------------------------------------


@pytest.fixture
def figures(make_idea, jxj_clerk, leader) -> dict[str, Idea]:
    """Known data: two adopted (east, central), one declined (east), a reply published while the
    evaluation goes on (whole district), one evaluating and one published (west, whole district);
    answered after 10, 30, 20 and 6 days. And what the public never sees."""
    ideas = {
        "adopted_east": make_idea(Status.ADOPTED, zone="east", topic="industry"),
        "adopted_central": make_idea(Status.ADOPTED, zone="central", topic="industry"),
        "declined_east": make_idea(Status.DECLINED, zone="east", topic="urban"),
        "reply_all": make_idea("answered", outcome=Outcome.REPLY, zone="", topic="business"),
        "evaluating_west": make_idea(Status.EVALUATING, zone="west", topic="services"),
        "published_all": make_idea(Status.PUBLISHED, zone="", topic="ecology"),
        "submitted": make_idea(Status.SUBMITTED, zone="east", topic="industry"),
        "rejected": make_idea(Status.NOT_PUBLISHED, zone="east", topic="other"),
    }
    services.idea_approve_answer(idea=ideas["reply_all"], by=leader)
    for key, days in [
        ("adopted_east", 10),
        ("adopted_central", 30),
        ("declined_east", 20),
        ("reply_all", 6),
    ]:
        answered_after(ideas[key], days)
    return ideas


def stats(district) -> dict[str, Any]:
    return selectors.idea_stats(ideas=selectors.public_ideas(district=district), district=district)


def test_the_statistics_count_by_zone_topic_and_status(district, zones, figures) -> None:
    result = stats(district)

    assert result["total"] == 6
    # the zones in their order, then the whole district
    assert [row["key"] for row in result["by_zone"]] == [
        zones["west"].pk,
        zones["central"].pk,
        zones["east"].pk,
        None,
    ]
    by_zone = {row["key"]: row for row in result["by_zone"]}
    assert (by_zone[zones["east"].pk]["total"], by_zone[zones["east"].pk]["adopted"]) == (2, 1)
    assert by_zone[zones["east"].pk]["adoption_rate"] == 50.0
    assert by_zone[zones["central"].pk]["adoption_rate"] == 100.0
    assert by_zone[zones["west"].pk]["adoption_rate"] is None  # nothing decided yet
    assert (by_zone[None]["total"], by_zone[None]["name"]) == (2, zh("Whole district"))
    by_topic = {row["key"]: row["total"] for row in result["by_topic"]}
    assert by_topic == {
        "industry": 2,
        "urban": 1,
        "business": 1,
        "services": 1,
        "ecology": 1,
        "other": 0,
    }
    by_status = {row["key"]: row["total"] for row in result["by_status"]}
    assert by_status == {
        Status.PUBLISHED: 1,
        Status.EVALUATING: 2,
        Status.ADOPTED: 2,
        Status.DECLINED: 1,
        Status.DUPLICATE: 0,
    }


def test_the_adoption_rate_is_adopted_over_decided_and_the_days_to_answer_an_average(
    district, figures
) -> None:
    result = stats(district)

    assert (result["adopted"], result["declined"], result["decided"]) == (2, 1, 3)
    assert result["adoption_rate"] == 66.7
    assert result["answered"] == 4
    assert result["average_days_to_answer"] == 16.5  # (10 + 30 + 20 + 6) / 4


def test_the_statistics_of_nothing_have_no_rates(district) -> None:
    result = stats(district)
    assert (result["total"], result["adoption_rate"], result["average_days_to_answer"]) == (
        0,
        None,
        None,
    )


def test_the_statistics_may_start_from_a_date(district, figures) -> None:
    Idea.objects.filter(pk=figures["published_all"].pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=400)
    )
    since = timezone.localdate() - dt.timedelta(days=100)

    result = selectors.idea_stats(
        ideas=selectors.public_ideas(district=district), district=district, since=since
    )

    assert result["total"] == 5


def test_the_statistics_take_three_queries_for_few_ideas_and_for_many(
    district, figures, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):
        few = stats(district)

    for idea in figures.values():
        clone(Idea.objects.get(pk=idea.pk), 15)
    with django_assert_num_queries(3):
        many = stats(district)

    assert many["total"] == few["total"] * 16


# --- the staff's scope --------------------------------------------------------------------------


@pytest.fixture
def scoped(make_idea, leader, zrj) -> dict[str, Idea]:
    zrj_idea = services.idea_assign(idea=make_idea(Status.PUBLISHED), by=leader, department=zrj)
    return {
        "submitted": make_idea(Status.SUBMITTED),
        "published": make_idea(Status.PUBLISHED),
        "jxj_evaluating": make_idea(Status.EVALUATING),
        "jxj_adopted": make_idea(Status.ADOPTED),
        "zrj_evaluating": zrj_idea,
    }


def test_the_leader_sees_every_idea_of_the_district(leader, scoped, laoshan) -> None:
    theirs = services.idea_submit(
        data=idea_input(), ip="10.30.1.1", district=laoshan, captcha_passed=True
    ).idea

    seen = pks(selectors.ideas_for_user(user=leader))

    assert {i.pk for i in scoped.values()} <= seen
    assert theirs.pk not in seen


def test_a_department_sees_only_the_ideas_it_was_given(jxj_clerk, zrj_clerk, scoped) -> None:
    assert pks(selectors.ideas_for_user(user=jxj_clerk)) == {
        scoped["jxj_evaluating"].pk,
        scoped["jxj_adopted"].pk,
    }
    assert pks(selectors.ideas_for_user(user=zrj_clerk)) == {scoped["zrj_evaluating"].pk}
    with pytest.raises(Http404):
        selectors.idea_get_for_user(user=zrj_clerk, pk=scoped["jxj_evaluating"].pk)
    assert selectors.idea_get_for_user(user=jxj_clerk, pk=scoped["jxj_evaluating"].pk)


@pytest.mark.parametrize(
    "who", ["licun_clerk", "enterprise_user", "outsider", "no_role_user", "anonymous"]
)
def test_nobody_else_sees_any_idea(request, scoped, who) -> None:
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    assert not selectors.ideas_for_user(user=user).exists()
    assert not selectors.idea_list_for_user(user=user).exists()
    with pytest.raises(Http404):
        selectors.idea_get_for_user(user=user, pk=scoped["published"].pk)
    assert selectors.queue_counts(user=user) == {
        "review": 0,
        "reports": 0,
        "approval": 0,
        "evaluating": 0,
    }


def test_the_queues_count_what_waits_for_each_one(
    make_idea, leader, jxj_clerk, django_assert_num_queries
) -> None:
    make_idea(Status.SUBMITTED)
    make_idea(Status.SUBMITTED)
    reported = make_idea(Status.PUBLISHED)
    services.idea_report(idea=reported, contact=next_phone(), reason="广告", ip="10.30.2.1")
    services.idea_hide(idea=make_idea(Status.EVALUATING), by=leader, reason="待核实")
    make_idea("answered")
    make_idea(Status.EVALUATING)
    make_idea(Status.ADOPTED)

    with django_assert_num_queries(1):
        counts = selectors.queue_counts(user=leader)

    # an idea whose answer waits for approval is in the approval queue, not among those to answer
    assert counts == {"review": 2, "reports": 2, "approval": 1, "evaluating": 2}
    for queue, n in counts.items():
        assert selectors.idea_list_for_user(user=leader, filters={"queue": queue}).count() == n
    # 经信局 has the ideas under evaluation (the hidden one among them), not the others
    assert selectors.queue_counts(user=jxj_clerk) == {
        "review": 0,
        "reports": 1,
        "approval": 1,
        "evaluating": 2,
    }


# --- similar ideas ------------------------------------------------------------------------------


def test_similar_public_finds_a_close_idea_and_not_an_unrelated_one(district, make_idea) -> None:
    parking = make_idea(
        Status.PUBLISHED,
        title="李村商圈停车难，建议建设立体停车楼",
        body="周末商圈周边道路停满了车，建议建设立体停车楼，设置车位引导屏。",
    )
    trail = make_idea(
        Status.PUBLISHED,
        title="东部山区串联登山步道",
        body="九水一带山路没有指示牌，建议设置指示牌和补水点。",
    )
    unseen = make_idea(Status.SUBMITTED, title="商圈停车楼", body="建议建设立体停车楼。")

    found = selectors.similar_public(district=district, text="商圈停车太难，希望多建停车楼")

    assert [i.pk for i in found][:1] == [parking.pk]
    assert trail.pk not in [i.pk for i in found]
    assert unseen.pk not in [i.pk for i in found]  # waiting for review: not shown to the public


def test_a_few_characters_are_not_enough_to_look_for_similar_ideas(district, make_idea) -> None:
    make_idea(Status.PUBLISHED, title="停车楼")
    assert selectors.similar_public(district=district, text="停车") == []


# --- the author's timeline ----------------------------------------------------------------------


def test_the_authors_timeline_leaves_out_what_happens_inside(
    make_idea, leader, jxj, jxj_clerk
) -> None:
    idea = make_idea(Status.SUBMITTED)
    services.idea_edit(idea=idea, by=leader, title="修改后的标题", body="修改后", note="删除电话")
    services.idea_publish(idea=idea, by=leader)
    for n in range(3):
        services.idea_report(idea=idea, contact=next_phone(), reason="广告", ip=f"10.30.3.{n}")
    services.idea_restore(idea=idea, by=leader, note="举报不成立")
    services.idea_assign(idea=idea, by=leader, department=jxj)
    services.idea_answer(idea=idea, by=jxj_clerk, text="初稿", outcome=Outcome.REPLY)
    services.idea_return_answer(idea=idea, by=leader, note="请补充")
    due = timezone.localdate() + dt.timedelta(days=30)
    services.idea_answer(
        idea=idea, by=jxj_clerk, text="采纳", outcome=Outcome.ADOPT, plan="年内完成", due_on=due
    )
    services.idea_approve_answer(idea=idea, by=leader)
    services.idea_progress(idea=idea, by=jxj_clerk, text="完成选址")
    services.sender_block(by=leader, idea=idea, reason="测试")

    seen = [e.action for e in selectors.author_timeline(Idea.objects.get(pk=idea.pk))]
    everything = {e.action for e in selectors.staff_timeline(idea)}

    assert seen == ["submit", "publish", "assign", "approve_answer", "progress"]
    internal = {"answer", "return_answer", "edit", "report", "hidden_by_reports", "block"}
    assert internal <= everything
    assert not internal & set(seen)
