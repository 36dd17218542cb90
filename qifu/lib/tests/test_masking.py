"""qifu.lib.masking: phone numbers for people who may not see them in full."""

from __future__ import annotations

import pytest

from qifu.lib.masking import mask_contact, mask_email, mask_phone


def test_a_mobile_keeps_its_first_three_and_last_four_digits() -> None:
    assert mask_phone("13812341234") == "138****1234"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("0532-88886666", "053*-****6666"),
        ("0532-8888 6666", "053*-**** 6666"),
        ("(0532)88886666", "(053*)****6666"),
        ("138 1234 1234", "138 **** 1234"),
    ],
)
def test_a_landline_or_spaced_number_keeps_its_separators(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("phone", ["12345", "110", "8888666", "ext-12"])
def test_a_short_number_is_hidden_whole(phone: str) -> None:
    assert mask_phone(phone) == "*" * len(phone)


def test_no_number_stays_empty() -> None:
    assert mask_phone("") == ""


def test_a_masked_number_shows_none_of_the_hidden_digits() -> None:
    masked = mask_phone("13987654321")

    assert masked == "139****4321"
    assert "8765" not in masked


def test_an_email_keeps_its_first_letter_and_its_domain() -> None:
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
    assert mask_email("not-an-address") == "*" * len("not-an-address")
    assert mask_email("") == ""


def test_a_contact_is_masked_as_a_phone_or_as_an_email() -> None:
    assert mask_contact("13912345678") == "139****5678"
    assert mask_contact("li@qd.gov.cn") == "l***@qd.gov.cn"
