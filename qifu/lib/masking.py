"""Masking personal data for people who may not see it in full."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile; other numbers keep their first 3 and last 4 digits.

    Separators stay where they are (0532-88886666 → 053*-****6666); short numbers are hidden whole.
    """
    if not phone:
        return ""
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    if len(digits) < 8:
        return "*" * len(phone)
    hidden = set(digits[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(phone))


def mask_email(email: str) -> str:
    """z***@example.cn: the first character of the local part and the domain stay."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return "*" * len(email or "")
    return f"{local[:1]}***@{domain}"


def mask_contact(contact: str) -> str:
    """A phone number or an e-mail address, masked as fits it."""
    return mask_email(contact) if "@" in (contact or "") else mask_phone(contact)
