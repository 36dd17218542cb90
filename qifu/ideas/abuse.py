"""Keeping the public portal usable without any outside service.

- contacts (a mainland mobile number or an e-mail address) are normalised, and compared by a
  keyed hash, so that supports and reports never keep the contact itself;
- a honeypot field that people never see and robots fill in;
- rate limits per network address and per contact, counted from the rows themselves (so they hold
  across app servers and restarts);
- an image CAPTCHA (django-simple-captcha, drawn on the server) from the third idea of a day;
- the block list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from qifu.ideas.models import BlockedSender, BlockKind, ContactKind, Idea, Report, Support

# Limits. A limit is "at most N in the window"; the next one is refused with 429.
IDEAS_PER_IP_HOUR = 5
IDEAS_PER_CONTACT_DAY = 3
SUPPORTS_PER_IP_HOUR = 30
REPORTS_PER_IP_HOUR = 20
# From this many ideas in a day (same address or same contact), the next one needs the CAPTCHA.
CAPTCHA_AFTER = 2
# This many reports from the public hide an idea until a moderator has looked at it.
REPORTS_TO_HIDE = 3

HONEYPOT_FIELD = "website"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


class RateLimited(Exception):
    """Too many requests from one address or contact (HTTP 429)."""


class CaptchaRequired(Exception):
    """The request needs the image CAPTCHA answered (HTTP 400 with the challenge)."""


class Blocked(Exception):
    """The sender is on the block list (HTTP 403)."""


@dataclass(frozen=True)
class Contact:
    value: str
    kind: str
    key: str


def _key(kind: str, value: str) -> str:
    return salted_hmac(f"qifu.ideas.{kind}", value, algorithm="sha256").hexdigest()


def contact_parse(raw: str) -> Contact:
    """A mainland mobile number (+86 and separators allowed) or an e-mail address, normalised."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Give a mobile number or an e-mail address for the answer."))
    if "@" in text:
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("This e-mail address is not valid.")) from None
        return Contact(value=email, kind=ContactKind.EMAIL, key=_key("contact", email))
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Give an 11-digit mainland mobile number (such as 13812345678) or an e-mail address.")
        )
    return Contact(value=digits, kind=ContactKind.PHONE, key=_key("contact", digits))


def ip_key(ip: str | None) -> str:
    return _key("ip", ip) if ip else ""


def _since(hours: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def check_blocked(*, district_id: int, contact_key: str, ip: str) -> None:
    keys = [(BlockKind.CONTACT, contact_key)] + ([(BlockKind.IP, ip)] if ip else [])
    today = timezone.localdate()
    for kind, key in keys:
        found = BlockedSender.objects.filter(district_id=district_id, kind=kind, key=key).first()
        if found is not None and (found.until is None or found.until >= today):
            raise Blocked(
                _(
                    "Submissions from this sender are not accepted. If you think this is a "
                    "mistake, call the district office."
                )
            )


def check_idea_rate(*, contact_key: str, ip: str) -> None:
    if ip and Idea.objects.filter(ip_key=ip, submitted_at__gte=_since(1)).count() >= (
        IDEAS_PER_IP_HOUR
    ):
        raise RateLimited(_("Too many ideas from this network in the last hour. Try again later."))
    if Idea.objects.filter(contact_key=contact_key, submitted_at__gte=_since(24)).count() >= (
        IDEAS_PER_CONTACT_DAY
    ):
        raise RateLimited(
            _("At most %(n)s ideas a day from one contact. Try again tomorrow.")
            % {"n": IDEAS_PER_CONTACT_DAY}
        )


def captcha_needed(*, contact_key: str = "", ip: str = "") -> bool:
    """Whether the next idea from this address (or contact) must answer the CAPTCHA."""
    since = _since(24)
    if ip and Idea.objects.filter(ip_key=ip, submitted_at__gte=since).count() >= CAPTCHA_AFTER:
        return True
    return bool(
        contact_key
        and Idea.objects.filter(contact_key=contact_key, submitted_at__gte=since).count()
        >= CAPTCHA_AFTER
    )


def check_support_rate(*, ip: str) -> None:
    if ip and Support.objects.filter(ip_key=ip, created_at__gte=_since(1)).count() >= (
        SUPPORTS_PER_IP_HOUR
    ):
        raise RateLimited(_("Too many supports from this network in the last hour."))


def check_report_rate(*, ip: str) -> None:
    if ip and Report.objects.filter(ip_key=ip, created_at__gte=_since(1)).count() >= (
        REPORTS_PER_IP_HOUR
    ):
        raise RateLimited(_("Too many reports from this network in the last hour."))
