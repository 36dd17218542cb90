"""What the public does through the services: submit an idea (the acknowledgement with the
tracking code, bad input refused with nothing saved, a double submission is one idea), follow and
withdraw it with the tracking code, support and report published ideas (once per contact; three
reports hide an idea and ring the moderators)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.ideas import abuse, selectors, services
from qifu.ideas.models import (
    AnswerStatus,
    ContactKind,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Report,
    Status,
    Support,
)
from qifu.ideas.tests.conftest import idea_input, next_phone
from qifu.notices.models import Channel, Notification, OutboxMessage

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$")  # no 0/O, no 1/I


def fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def counts() -> tuple[int, int, int, int]:
    return (
        Idea.objects.count(),
        IdeaEvent.objects.count(),
        OutboxMessage.objects.count(),
        AuditEvent.objects.count(),
    )


def send(district, ip: str = "10.8.0.1", **overrides) -> services.Submitted:
    return services.idea_submit(
        data=idea_input(**overrides), ip=ip, district=district, captcha_passed=True
    )


# --- submit -------------------------------------------------------------------------------------


def test_a_submitted_idea_waits_for_review_and_the_author_gets_the_tracking_code(
    district, zones
) -> None:
    result = send(
        district,
        title="  在东部片区   建设孵化器 ",
        zone="east",
        contact="+86 139-1234-5678",
        client_token="form-1",
    )

    idea = fresh(result.idea)
    assert result.created
    assert CODE.match(result.code)
    assert idea.status == Status.SUBMITTED
    assert idea.title == "在东部片区 建设孵化器"
    assert idea.zone == zones["east"]
    assert (idea.contact, idea.contact_kind) == ("13912345678", ContactKind.PHONE)
    assert idea.contact_key == abuse.contact_parse("13912345678").key
    assert idea.ip_key == abuse.ip_key("10.8.0.1")
    assert idea.consent_at is not None
    assert idea.tracking_hash == services.tracking_hash(result.code)
    assert result.code not in idea.tracking_hash  # the code itself is not kept
    event = IdeaEvent.objects.get(idea=idea)
    assert (event.action, event.actor, event.to_status) == ("submit", None, Status.SUBMITTED)
    assert AuditEvent.objects.filter(action="idea.submit", object_id=str(idea.pk)).exists()
    message = OutboxMessage.objects.get(recipient="13912345678")
    assert message.channel == Channel.SMS
    assert result.code in message.body
    assert idea.title in message.body


def test_an_idea_without_a_zone_is_about_the_whole_district(district) -> None:
    idea = send(district, zone="").idea
    assert idea.zone is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": ""}, "body"),
        ({"body": "长" * 2001}, "body"),
        ({"topic": "weather"}, "topic"),
        ({"zone": "north"}, "zone"),
        ({"consent": False}, "consent"),
        ({"contact": ""}, "contact"),
        ({"contact": "0532-88881234"}, "contact"),
        ({"contact": "wang@"}, "contact"),
        ({"author_name": "名" * 31}, "author_name"),
        ({"client_token": "x" * 65}, "client_token"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(district, overrides, field) -> None:
    before = counts()

    with pytest.raises(ValidationError) as refused:
        send(district, **overrides)

    assert field in refused.value.message_dict
    assert all(refused.value.message_dict[field])
    assert counts() == before


def test_every_bad_field_is_reported_at_once(district) -> None:
    with pytest.raises(ValidationError) as refused:
        send(district, title="", body="", topic="", contact="", consent=False)

    assert {"title", "body", "topic", "contact", "consent"} <= set(refused.value.message_dict)


def test_the_limits_are_the_issues_60_and_2000_characters(district) -> None:
    idea = send(district, title="题" * 60, body="文" * 2000).idea
    assert (len(idea.title), len(idea.body)) == (60, 2000)


def test_the_same_form_sent_twice_is_one_idea_with_one_code(district) -> None:
    first = send(district, client_token="form-twice")
    before = counts()

    second = send(district, client_token="form-twice", ip="10.8.0.2")

    assert (second.idea.pk, second.code, second.created) == (first.idea.pk, first.code, False)
    assert counts() == before  # no second acknowledgement either


def test_the_same_text_from_the_same_contact_within_half_an_hour_is_one_idea(district) -> None:
    phone = next_phone()
    first = send(district, contact=phone)

    again = send(district, contact=phone)

    assert (again.idea.pk, again.created, again.code) == (first.idea.pk, False, "")
    # half an hour later it is a new idea
    Idea.objects.filter(pk=first.idea.pk).update(
        submitted_at=timezone.now() - services.REPEAT_WINDOW - dt.timedelta(minutes=1)
    )
    later = send(district, contact=phone)
    assert later.created and later.idea.pk != first.idea.pk


def test_different_forms_get_different_codes(district) -> None:
    codes = {send(district, client_token=f"form-{n}", title=f"建议{n}").code for n in range(5)}
    assert len(codes) == 5
    assert all(CODE.match(code) for code in codes)


def test_the_code_of_a_form_token_is_always_the_same_and_without_one_it_is_random() -> None:
    assert services.tracking_code_for("form-x") == services.tracking_code_for("form-x")
    assert services.tracking_code_for("") != services.tracking_code_for("")


# --- the tracking code --------------------------------------------------------------------------


def test_the_tracking_code_finds_the_idea_whatever_the_case_and_dashes(district) -> None:
    result = send(district, client_token="form-track")
    code = result.code

    for written in (code, code.lower(), code.replace("-", ""), f" {code[:5]} {code[6:]} "):
        assert selectors.idea_by_tracking_code(code=written).pk == result.idea.pk


@pytest.mark.parametrize("code", ["", "   ", "AAAAA-AAAAA"])
def test_a_wrong_or_empty_tracking_code_finds_nothing(district, code) -> None:
    send(district, client_token="form-other")
    with pytest.raises(Http404):
        selectors.idea_by_tracking_code(code=code)


def test_the_author_withdraws_with_the_tracking_code(make_idea, leader) -> None:
    idea = make_idea("answered", client_token="form-withdraw")
    code = services.tracking_code_for("form-withdraw")

    services.idea_withdraw(idea=idea, code=code.lower().replace("-", ""))

    assert fresh(idea).status == Status.WITHDRAWN
    # the department's draft goes nowhere now
    assert IdeaAnswer.objects.get(idea=idea).status == AnswerStatus.RETURNED
    assert IdeaEvent.objects.filter(idea=idea, action="withdraw", actor=None).exists()


@pytest.mark.parametrize("code", ["", "AAAAA-AAAAA", "another"])
def test_withdrawing_needs_the_right_tracking_code(make_idea, code) -> None:
    idea = make_idea(Status.PUBLISHED, client_token="form-mine")
    other = services.tracking_code_for("form-someone-else")

    for wrong in (code, other):
        with pytest.raises(PermissionDenied):
            services.idea_withdraw(idea=idea, code=wrong)

    assert fresh(idea).status == Status.PUBLISHED
    assert not IdeaEvent.objects.filter(idea=idea, action="withdraw").exists()


# --- supports -----------------------------------------------------------------------------------


def test_a_support_counts_once_per_contact(make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    phone = next_phone()

    support = services.idea_support(idea=idea, contact=phone, ip="10.7.0.1")
    with pytest.raises(services.AlreadyDone):
        services.idea_support(idea=idea, contact=f"+86 {phone}", ip="10.7.0.2")
    services.idea_support(idea=idea, contact=next_phone(), ip="10.7.0.1")

    assert fresh(idea).support_count == 2
    assert idea.supports.count() == 2
    # the contact itself is not kept, only its key
    assert support.contact_key == abuse.contact_parse(phone).key
    assert phone not in str(Support.objects.values().get(pk=support.pk))


def test_an_evaluated_idea_may_still_be_supported(make_idea) -> None:
    idea = make_idea(Status.EVALUATING)
    services.idea_support(idea=idea, contact=next_phone(), ip="10.7.0.3")
    assert fresh(idea).support_count == 1


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.ADOPTED, Status.DECLINED, Status.NOT_PUBLISHED]
)
def test_an_idea_that_is_not_open_cannot_be_supported(make_idea, status) -> None:
    idea = make_idea(status)

    with pytest.raises(services.TransitionError):
        services.idea_support(idea=idea, contact=next_phone(), ip="10.7.0.4")

    assert fresh(idea).support_count == 0


def test_a_hidden_idea_cannot_be_supported(make_idea, leader) -> None:
    idea = services.idea_hide(idea=make_idea(Status.PUBLISHED), by=leader, reason="待核实")

    with pytest.raises(services.TransitionError):
        services.idea_support(idea=idea, contact=next_phone(), ip="10.7.0.5")

    assert fresh(idea).support_count == 0


def test_a_support_needs_a_valid_contact(make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.idea_support(idea=idea, contact="12345", ip="10.7.0.6")
    assert fresh(idea).support_count == 0


# --- reports ------------------------------------------------------------------------------------


def test_a_report_is_counted_once_per_contact_and_needs_a_reason(make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    phone = next_phone()

    services.idea_report(idea=idea, contact=phone, reason="广告", ip="10.6.0.1")
    with pytest.raises(services.AlreadyDone):
        services.idea_report(idea=idea, contact=phone, reason="又是广告", ip="10.6.0.2")
    with pytest.raises(ValidationError):
        services.idea_report(idea=idea, contact=next_phone(), reason=" ", ip="10.6.0.3")

    idea = fresh(idea)
    assert (idea.open_reports, idea.hidden) == (1, False)
    assert Report.objects.filter(idea=idea).count() == 1


def test_three_reports_hide_the_idea_and_ring_the_moderators(make_idea, leader, outsider) -> None:
    idea = make_idea(Status.PUBLISHED)

    for n, reason in enumerate(["广告", "人身攻击", "虚假信息"]):
        services.idea_report(idea=idea, contact=next_phone(), reason=reason, ip=f"10.6.1.{n}")
        if n < 2:
            assert not fresh(idea).hidden

    idea = fresh(idea)
    assert idea.hidden
    assert idea.hidden_reason
    assert idea.open_reports == abuse.REPORTS_TO_HIDE == 3
    actions = list(IdeaEvent.objects.filter(idea=idea).values_list("action", flat=True))
    assert actions[-4:] == ["report", "report", "report", "hidden_by_reports"]
    bell = Notification.objects.filter(user=leader, title__contains=idea.title)
    assert bell.count() == 1
    assert not Notification.objects.filter(user=outsider).exists()
    assert not selectors.public_ideas(district=idea.district).filter(pk=idea.pk).exists()
    # a hidden idea takes no more reports
    with pytest.raises(services.TransitionError):
        services.idea_report(idea=idea, contact=next_phone(), reason="再举报", ip="10.6.1.9")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.NOT_PUBLISHED, Status.WITHDRAWN])
def test_an_idea_the_public_cannot_see_cannot_be_reported(make_idea, status) -> None:
    idea = make_idea(status, client_token=f"form-report-{status}")

    with pytest.raises(services.TransitionError):
        services.idea_report(idea=idea, contact=next_phone(), reason="广告", ip="10.6.2.1")

    assert fresh(idea).open_reports == 0
