"""Duplicates (the target is required; both appeals link to each other) and common problems
(共性问题) shared by several enterprises."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import services
from qifu.appeals.models import CommonProblem, Status
from qifu.appeals.tests.factories import AppealFactory
from qifu.core.tests.helpers import is_chinese, zh

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_closed_and_linked_both_ways(flow, jxj_clerk) -> None:
    original, repeat = flow.accepted(), flow.submitted(title="土地证（再次反映）")

    repeat = services.appeal_mark_duplicate(
        by=jxj_clerk, appeal=repeat, target=original, note="与前一件相同"
    )

    assert repeat.duplicate_of == original
    assert list(original.duplicates.all()) == [repeat]
    assert repeat.status == Status.CLOSED
    assert repeat.closed_at is not None
    event = repeat.events.order_by("-id").first()
    assert (event.action, event.note) == ("mark_duplicate", "与前一件相同")
    expected = f"{repeat.number} " + zh("merged with %(n)s") % {"n": original.number}
    assert flow.enterprise_user.notifications.filter(title=expected).exists()


def test_the_target_is_required(flow, jxj_clerk) -> None:
    repeat = flow.submitted()

    with pytest.raises(ValidationError) as refused:
        services.appeal_mark_duplicate(by=jxj_clerk, appeal=repeat, target=None)

    assert "target" in refused.value.message_dict
    assert is_chinese(refused.value.message_dict["target"][0])
    repeat.refresh_from_db()
    assert repeat.status == Status.SUBMITTED


def test_an_appeal_cannot_duplicate_itself_or_its_own_duplicate(flow, jxj_clerk) -> None:
    original, repeat = flow.submitted(), flow.submitted()
    repeat = services.appeal_mark_duplicate(by=jxj_clerk, appeal=repeat, target=original)

    with pytest.raises(ValidationError):
        services.appeal_mark_duplicate(by=jxj_clerk, appeal=original, target=original)
    with pytest.raises(ValidationError):
        services.appeal_mark_duplicate(by=jxj_clerk, appeal=original, target=repeat)


def test_an_appeal_being_handled_can_no_longer_be_marked_a_duplicate(flow, jxj_clerk) -> None:
    with pytest.raises(services.TransitionError):
        services.appeal_mark_duplicate(
            by=jxj_clerk, appeal=flow.assigned(), target=flow.submitted()
        )


def test_both_pages_show_the_link(client, flow) -> None:
    original, repeat = flow.submitted(), flow.submitted()
    services.appeal_mark_duplicate(by=flow.leader, appeal=repeat, target=original)
    client.force_login(flow.enterprise_user)

    on_original = client.get(f"/appeals/{original.pk}/").content.decode()
    on_repeat = client.get(f"/appeals/{repeat.pk}/").content.decode()

    assert f'href="/appeals/{repeat.pk}/"' in on_original
    assert f'href="/appeals/{original.pk}/"' in on_repeat
    assert zh("Duplicate of") in on_repeat


# --- Common problems ------------------------------------------------------------------------


def test_a_common_problem_links_the_appeals_of_several_enterprises(
    flow, ruifeng, jxj_clerk
) -> None:
    ours, theirs = flow.assigned(), AppealFactory(enterprise=ruifeng)

    problem = services.appeal_mark_common(
        by=jxj_clerk, appeals=[ours, theirs], title="老工业区厂房确权难"
    )

    assert isinstance(problem, CommonProblem)
    assert set(problem.appeals.values_list("enterprise__name", flat=True)) == {
        "天路集团",
        "瑞丰气体",
    }
    for appeal in (ours, theirs):
        appeal.refresh_from_db()
        assert appeal.common_problem == problem
        assert appeal.events.order_by("-id").first().action == "mark_common"
    assert ours.status == Status.ASSIGNED  # marking does not change the state


def test_a_common_problem_links_two_appeals_or_more_and_has_a_name(flow, jxj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.appeal_mark_common(by=jxj_clerk, appeals=[flow.submitted()], title="确权难")
    with pytest.raises(ValidationError):
        services.appeal_mark_common(
            by=jxj_clerk, appeals=[flow.submitted(), flow.submitted()], title=" "
        )
    assert not CommonProblem.objects.exists()


def test_only_a_dispatcher_marks_a_common_problem(flow) -> None:
    with pytest.raises(PermissionDenied):
        services.appeal_mark_common(
            by=flow.lead, appeals=[flow.assigned(), flow.assigned()], title="确权难"
        )
    assert not CommonProblem.objects.exists()


def test_a_returned_appeal_is_not_part_of_a_common_problem(flow, jxj_clerk) -> None:
    with pytest.raises(services.TransitionError):
        services.appeal_mark_common(
            by=jxj_clerk, appeals=[flow.submitted(), flow.returned()], title="确权难"
        )
    assert not CommonProblem.objects.exists()


def test_the_page_names_the_common_problem(client, flow, ruifeng, jxj_clerk) -> None:
    ours = flow.submitted()
    services.appeal_mark_common(
        by=jxj_clerk, appeals=[ours, AppealFactory(enterprise=ruifeng)], title="老工业区厂房确权难"
    )
    client.force_login(flow.enterprise_user)

    html = client.get(f"/appeals/{ours.pk}/").content.decode()

    assert "老工业区厂房确权难" in html
