"""The portal's defences without any outside service: contacts normalised and compared by key, rate
limits per network address and per contact, the image CAPTCHA from the third idea of a day, and
the limits on supports and reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.ideas import abuse, services
from qifu.ideas.models import ContactKind, Idea, Report, Status, Support
from qifu.ideas.tests.conftest import idea_input, next_phone

pytestmark = pytest.mark.django_db


def send(district, *, ip: str, contact: str = "", n: int = 0, captcha: bool = True) -> Idea:
    data = idea_input(contact=contact or next_phone(), title=f"建议第{n}条", body=f"内容{n}")
    return services.idea_submit(data=data, ip=ip, district=district, captcha_passed=captcha).idea


def age(ideas, **delta) -> None:
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        submitted_at=timezone.now() - dt.timedelta(**delta)
    )


# --- contacts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13912345678",
        " 13912345678 ",
        "+86 139 1234 5678",
        "+8613912345678",
        "0086-139-1234-5678",
        "139-1234-5678",
        "(139) 1234-5678",
        "139（1234）5678",
    ],
)
def test_a_mobile_number_is_normalised(raw) -> None:
    contact = abuse.contact_parse(raw)
    assert (contact.value, contact.kind) == ("13912345678", ContactKind.PHONE)


@pytest.mark.parametrize(
    "raw",
    [
        "0532-88881234",  # a landline
        "88881234",
        "1391234567",  # 10 digits
        "139123456789",  # 12 digits
        "12912345678",  # no such mobile network
        "+1 415 555 0100",
        "一三九一二三四五六七八",
        "abc",
    ],
)
def test_anything_but_a_mainland_mobile_number_is_refused(raw) -> None:
    with pytest.raises(ValidationError) as refused:
        abuse.contact_parse(raw)
    assert refused.value.messages[0]


def test_an_e_mail_address_is_lower_cased() -> None:
    contact = abuse.contact_parse("  Wang.Li@Example.COM ")
    assert (contact.value, contact.kind) == ("wang.li@example.com", ContactKind.EMAIL)


@pytest.mark.parametrize(
    "raw", ["wang@", "@example.com", "wang@@example.com", "wang li@example.com"]
)
def test_a_broken_e_mail_address_is_refused(raw) -> None:
    with pytest.raises(ValidationError):
        abuse.contact_parse(raw)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_contact_is_refused(raw) -> None:
    with pytest.raises(ValidationError):
        abuse.contact_parse(raw)


def test_the_same_contact_however_written_has_the_same_key() -> None:
    keys = {
        abuse.contact_parse(raw).key
        for raw in ("13912345678", "+86 139-1234-5678", "0086 139 1234 5678")
    }
    assert len(keys) == 1
    assert (
        abuse.contact_parse("Wang@Example.com").key == abuse.contact_parse("wang@example.com").key
    )


def test_different_contacts_have_different_keys_that_do_not_show_the_contact() -> None:
    one = abuse.contact_parse("13912345678")
    other = abuse.contact_parse("13912345679")
    mail = abuse.contact_parse("wang@example.com")

    assert len({one.key, other.key, mail.key}) == 3
    assert "13912345678" not in one.key
    assert len(one.key) == 64


def test_network_addresses_have_keys_of_their_own() -> None:
    assert abuse.ip_key("10.0.0.1") == abuse.ip_key("10.0.0.1")
    assert abuse.ip_key("10.0.0.1") != abuse.ip_key("10.0.0.2")
    assert abuse.ip_key("") == abuse.ip_key(None) == ""
    # the same text as a contact and as an address does not give the same key
    assert abuse.ip_key("13912345678") != abuse.contact_parse("13912345678").key


# --- rate limits on ideas -----------------------------------------------------------------------


def test_the_sixth_idea_from_one_address_in_an_hour_is_refused(district) -> None:
    for n in range(abuse.IDEAS_PER_IP_HOUR):
        send(district, ip="10.20.0.1", n=n)

    with pytest.raises(abuse.RateLimited) as refused:
        send(district, ip="10.20.0.1", n=99)

    assert str(refused.value)
    assert Idea.objects.count() == abuse.IDEAS_PER_IP_HOUR == 5
    # another address is not held back
    send(district, ip="10.20.0.2", n=100)


def test_ideas_from_an_address_more_than_an_hour_ago_do_not_count(district) -> None:
    ideas = [send(district, ip="10.20.1.1", n=n) for n in range(abuse.IDEAS_PER_IP_HOUR)]
    age(ideas, minutes=61)

    assert send(district, ip="10.20.1.1", n=99).pk


def test_the_fourth_idea_from_one_contact_in_a_day_is_refused(district) -> None:
    phone = next_phone()
    for n in range(abuse.IDEAS_PER_CONTACT_DAY):
        send(district, ip=f"10.21.0.{n}", contact=phone, n=n)

    with pytest.raises(abuse.RateLimited):
        send(district, ip="10.21.0.99", contact=f"+86 {phone}", n=99)

    assert Idea.objects.filter(contact=phone).count() == abuse.IDEAS_PER_CONTACT_DAY == 3


def test_ideas_from_a_contact_more_than_a_day_ago_do_not_count(district) -> None:
    phone = next_phone()
    ideas = [
        send(district, ip=f"10.21.1.{n}", contact=phone, n=n)
        for n in range(abuse.IDEAS_PER_CONTACT_DAY)
    ]
    age(ideas, hours=25)

    assert send(district, ip="10.21.1.99", contact=phone, n=99).pk


# --- the CAPTCHA --------------------------------------------------------------------------------


def test_the_captcha_is_needed_from_the_third_idea_of_an_address(district) -> None:
    ip = "10.22.0.1"
    key = abuse.ip_key(ip)

    assert not abuse.captcha_needed(ip=key)
    send(district, ip=ip, n=1, captcha=False)
    assert not abuse.captcha_needed(ip=key)
    send(district, ip=ip, n=2, captcha=False)
    assert abuse.captcha_needed(ip=key)

    with pytest.raises(abuse.CaptchaRequired) as refused:
        send(district, ip=ip, n=3, captcha=False)

    assert str(refused.value)
    assert Idea.objects.count() == 2
    # answered, it goes through
    assert send(district, ip=ip, n=3, captcha=True).pk
    assert Idea.objects.count() == 3


def test_the_captcha_is_needed_from_the_third_idea_of_a_contact(district) -> None:
    phone = next_phone()
    key = abuse.contact_parse(phone).key
    send(district, ip="10.22.1.1", contact=phone, n=1, captcha=False)
    assert not abuse.captcha_needed(contact_key=key)
    send(district, ip="10.22.1.2", contact=phone, n=2, captcha=False)

    assert abuse.captcha_needed(contact_key=key)
    with pytest.raises(abuse.CaptchaRequired):
        send(district, ip="10.22.1.3", contact=phone, n=3, captcha=False)


def test_yesterdays_ideas_do_not_call_for_the_captcha(district) -> None:
    ip = "10.22.2.1"
    ideas = [send(district, ip=ip, n=n, captcha=False) for n in range(2)]
    age(ideas, hours=25)

    assert not abuse.captcha_needed(ip=abuse.ip_key(ip))
    assert send(district, ip=ip, n=9, captcha=False).pk


def test_without_an_address_or_a_contact_there_is_nothing_to_count() -> None:
    assert not abuse.captcha_needed()


# --- supports and reports -----------------------------------------------------------------------


@pytest.fixture
def published(make_idea) -> Idea:
    return make_idea(Status.PUBLISHED)


def test_the_31st_support_from_one_address_in_an_hour_is_refused(published) -> None:
    ip = "10.23.0.1"
    Support.objects.bulk_create(
        Support(idea=published, contact_key=f"key-{n}", ip_key=abuse.ip_key(ip))
        for n in range(abuse.SUPPORTS_PER_IP_HOUR)
    )

    with pytest.raises(abuse.RateLimited):
        services.idea_support(idea=published, contact=next_phone(), ip=ip)

    assert Support.objects.count() == abuse.SUPPORTS_PER_IP_HOUR == 30
    services.idea_support(idea=published, contact=next_phone(), ip="10.23.0.2")
    # an hour later the address may support again
    Support.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    services.idea_support(idea=published, contact=next_phone(), ip=ip)


def test_the_21st_report_from_one_address_in_an_hour_is_refused(published) -> None:
    ip = "10.24.0.1"
    Report.objects.bulk_create(
        Report(idea=published, reason="广告", contact_key=f"key-{n}", ip_key=abuse.ip_key(ip))
        for n in range(abuse.REPORTS_PER_IP_HOUR)
    )

    with pytest.raises(abuse.RateLimited):
        services.idea_report(idea=published, contact=next_phone(), reason="广告", ip=ip)

    assert Report.objects.count() == abuse.REPORTS_PER_IP_HOUR == 20
    services.idea_report(idea=published, contact=next_phone(), reason="广告", ip="10.24.0.2")
    assert Idea.objects.get(pk=published.pk).open_reports == 1
