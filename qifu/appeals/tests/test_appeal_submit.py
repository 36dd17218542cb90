"""services.appeal_submit: who may submit, the public number, the green channel, attachments and
double submission."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import services
from qifu.appeals.models import Appeal, Attachment, Channel, Kind, NumberCounter, Status
from qifu.appeals.tests.conftest import frozen
from qifu.appeals.tests.factories import EXE, JPG, PDF, PNG, AppealFactory, category, upload
from qifu.audit.models import AuditEvent
from qifu.core import uploads, workdays
from qifu.core.tests.helpers import is_chinese
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db


def told(appeal) -> set[int]:
    notes = Notification.objects.filter(title__startswith=appeal.number)
    return set(notes.values_list("user", flat=True))


def submit(by, enterprise, **values):
    values = {
        "kind": Kind.PROBLEM,
        "category": category("land"),
        "title": "厂房没有土地证",
        "description": "老厂房一直没有办下土地证。",
        **values,
    }
    return services.appeal_submit(by=by, enterprise=enterprise, **values)


# --- Who submits ----------------------------------------------------------------------------


def test_an_enterprise_user_submits_for_its_own_enterprise_through_the_portal(
    enterprise_user, tianlu, leader, jxj_clerk
) -> None:
    appeal, created = submit(enterprise_user, tianlu, channel=Channel.PHONE)

    assert created is True
    assert appeal.status == Status.SUBMITTED
    assert appeal.channel == Channel.PORTAL  # an enterprise always writes through the portal
    assert appeal.submitted_by == enterprise_user
    assert appeal.accept_deadline == workdays.add_working_days(appeal.submitted_at.date(), 1)
    assert appeal.events.get().action == "submit"
    assert AuditEvent.objects.filter(action="appeal.submit", object_id=str(appeal.pk)).exists()
    # the service centre's desk is told there is a new appeal to accept
    assert told(appeal) == {jxj_clerk.pk}


def test_without_service_centre_staff_the_leaders_hear_of_a_new_appeal(
    enterprise_user, tianlu, leader
) -> None:
    appeal, _ = submit(enterprise_user, tianlu)

    assert told(appeal) == {leader.pk}


def test_an_enterprise_user_cannot_submit_for_another_enterprise(enterprise_user, ruifeng) -> None:
    with pytest.raises(PermissionDenied):
        submit(enterprise_user, ruifeng)

    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["leader", "jxj_clerk", "zrj_clerk", "licun_clerk"])
def test_an_official_records_an_appeal_on_the_enterprises_behalf_naming_the_channel(
    request, who, tianlu
) -> None:
    official = request.getfixturevalue(who)

    appeal, created = submit(official, tianlu, channel=Channel.HOTLINE)

    assert created
    assert appeal.channel == Channel.HOTLINE
    assert appeal.submitted_by == official
    assert appeal.enterprise == tianlu


def test_an_official_must_say_how_the_appeal_reached_them(leader, tianlu) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(leader, tianlu)  # the channel defaults to the portal, which is the enterprise's

    assert "channel" in refused.value.message_dict
    assert is_chinese(refused.value.message_dict["channel"][0])
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "no_role_user"])
def test_the_administrators_and_a_user_without_a_role_cannot_submit(request, who, tianlu) -> None:
    with pytest.raises(PermissionDenied):
        submit(request.getfixturevalue(who), tianlu, channel=Channel.VISIT)


def test_a_demand_is_submitted_like_a_problem(enterprise_user, tianlu) -> None:
    appeal, _ = submit(enterprise_user, tianlu, kind=Kind.DEMAND, category=category("finance"))

    assert appeal.kind == Kind.DEMAND
    assert appeal.category.name == "融资信贷"


# --- The public number ----------------------------------------------------------------------


def test_the_number_is_SQ_then_the_year_and_month_then_four_digits(leader, tianlu) -> None:
    with frozen("2026-03-05 10:00"):
        appeal = AppealFactory(enterprise=tianlu)

    assert re.fullmatch(r"SQ-\d{6}-\d{4}", appeal.number)
    assert appeal.number == "SQ-202603-0001"


def test_the_sequence_counts_up_within_a_month_and_starts_again_the_next(tianlu) -> None:
    with frozen("2026-03-05 10:00"):
        march = [AppealFactory(enterprise=tianlu).number for _ in range(3)]
    with frozen("2026-04-01 09:00"):
        april = AppealFactory(enterprise=tianlu).number
    with frozen("2026-03-31 18:00"):
        late_march = AppealFactory(enterprise=tianlu).number

    assert march == ["SQ-202603-0001", "SQ-202603-0002", "SQ-202603-0003"]
    assert april == "SQ-202604-0001"
    assert late_march == "SQ-202603-0004"
    assert dict(NumberCounter.objects.values_list("month", "last")) == {"202603": 4, "202604": 1}


def test_the_month_of_the_number_is_the_month_in_beijing(tianlu) -> None:
    # 2026-03-31 16:30 UTC is already 1 April, 00:30 in Beijing
    with frozen("2026-03-31T16:30:00+00:00"):
        appeal = AppealFactory(enterprise=tianlu)

    assert appeal.number == "SQ-202604-0001"


def test_an_appeal_refused_at_intake_does_not_use_up_a_number(enterprise_user, tianlu) -> None:
    with pytest.raises(ValidationError):
        submit(enterprise_user, tianlu, attachments=[upload("证明.pdf", EXE)])

    appeal, _ = submit(enterprise_user, tianlu)

    assert appeal.number.endswith("-0001")


# --- The green channel ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("above_scale", "industry_code", "green"),
    [
        (True, "3434", True),  # C manufacturing
        (True, "0610", True),  # B mining
        (True, "4411", True),  # D power
        (False, "3434", False),  # manufacturing, below scale
        (True, "5212", False),  # F retail: above scale, but not industry
        (True, "6513", False),  # I software
    ],
)
def test_the_green_channel_is_for_above_scale_industrial_enterprises_only(
    above_scale, industry_code, green
) -> None:
    enterprise = EnterpriseFactory(is_above_scale=above_scale, industry_code=industry_code)

    appeal = AppealFactory(enterprise=enterprise)

    assert appeal.green_channel is green


def test_the_green_channel_resolves_in_10_working_days_others_in_15(leader) -> None:
    green = AppealFactory(enterprise=EnterpriseFactory(is_above_scale=True, industry_code="3434"))
    plain = AppealFactory(enterprise=EnterpriseFactory(is_above_scale=False, industry_code="3434"))

    with frozen("2026-03-02 09:00"):  # a Monday
        green = services.appeal_accept(by=leader, appeal=green)
        plain = services.appeal_accept(by=leader, appeal=plain)

    assert green.deadline == dt.date(2026, 3, 16)
    assert plain.deadline == dt.date(2026, 3, 23)
    assert green.reply_deadline == plain.reply_deadline == dt.date(2026, 3, 5)


# --- Attachments ----------------------------------------------------------------------------


def test_pdf_and_image_attachments_are_kept_with_their_type_and_size(
    enterprise_user, tianlu
) -> None:
    files = [upload("土地证明.pdf", PDF), upload("现场.PNG", PNG), upload("厂房.jpeg", JPG)]

    appeal, _ = submit(enterprise_user, tianlu, attachments=files)

    kept = [(a.name, a.content_type, a.size) for a in appeal.attachments.order_by("id")]
    assert kept == [
        ("土地证明.pdf", "application/pdf", len(PDF)),
        ("现场.PNG", "image/png", len(PNG)),
        ("厂房.jpeg", "image/jpeg", len(JPG)),
    ]
    assert appeal.attachments.first().file.read() == PDF


def test_an_exe_renamed_pdf_is_refused_by_its_first_bytes(enterprise_user, tianlu) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(enterprise_user, tianlu, attachments=[upload("证明.pdf", EXE, "application/pdf")])

    assert "证明.pdf" in refused.value.messages[0]
    assert is_chinese(refused.value.messages[0])
    assert not Appeal.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name", ["setup.exe", "资料.zip", "说明.txt", "noextension", "x.pdf.exe"])
def test_a_file_type_outside_the_list_is_refused(enterprise_user, tianlu, name) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(enterprise_user, tianlu, attachments=[upload(name, PDF)])

    assert is_chinese(refused.value.messages[0])
    assert not Appeal.objects.exists()


def test_a_file_over_10_mb_is_refused(enterprise_user, tianlu) -> None:
    big = upload("图纸.pdf", PDF + b"0" * (uploads.MAX_ATTACHMENT_BYTES + 1 - len(PDF)))

    with pytest.raises(ValidationError) as refused:
        submit(enterprise_user, tianlu, attachments=[big])

    assert "图纸.pdf" in refused.value.messages[0]
    assert not Appeal.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(enterprise_user, tianlu) -> None:
    exact = upload("图纸.pdf", PDF + b"0" * (uploads.MAX_ATTACHMENT_BYTES - len(PDF)))

    appeal, _ = submit(enterprise_user, tianlu, attachments=[exact])

    assert appeal.attachments.get().size == uploads.MAX_ATTACHMENT_BYTES


# --- Double submission ----------------------------------------------------------------------


def test_a_second_submission_with_the_same_client_token_creates_nothing_new(
    enterprise_user, tianlu
) -> None:
    first, created = submit(enterprise_user, tianlu, client_token="f3a9c2")
    counts = (Notification.objects.count(), AuditEvent.objects.count())

    again, created_again = submit(enterprise_user, tianlu, client_token="f3a9c2", title="改了标题")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.title == "厂房没有土地证"
    assert Appeal.objects.count() == 1
    assert NumberCounter.objects.get().last == 1
    assert (Notification.objects.count(), AuditEvent.objects.count()) == counts


def test_the_same_token_from_another_user_is_another_appeal(
    enterprise_user, leader, tianlu
) -> None:
    mine, _ = submit(enterprise_user, tianlu, client_token="same-token")
    theirs, created = submit(leader, tianlu, client_token="same-token", channel=Channel.VISIT)

    assert created
    assert theirs.pk != mine.pk


def test_without_a_token_each_submission_is_a_new_appeal(enterprise_user, tianlu) -> None:
    submit(enterprise_user, tianlu)
    submit(enterprise_user, tianlu)

    assert Appeal.objects.count() == 2


def test_an_official_cannot_record_an_appeal_for_an_enterprise_outside_their_scope(
    loushan_clerk, tianlu
) -> None:
    from django.core.exceptions import PermissionDenied

    from qifu.appeals import services
    from qifu.appeals.models import Appeal, Category

    with pytest.raises(PermissionDenied):
        services.appeal_submit(
            by=loushan_clerk,
            enterprise=tianlu,
            kind="problem",
            category=Category.objects.get(code="land"),
            title="土地证",
            description="说明",
            channel="visit",
        )

    assert not Appeal.objects.filter(enterprise=tianlu).exists()
