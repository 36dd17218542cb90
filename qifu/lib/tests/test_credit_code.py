"""qifu.lib.credit_code: four codes of real licences pass, and every one-character slip fails."""

from __future__ import annotations

import pytest

from qifu.lib.credit_code import normalise, problem, with_check_digit

REAL_CODES = [
    "91370200163562681G",
    "9144030071526726XG",
    "91330100716105852F",
    "914403001922038216",
]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_codes_of_real_licences_are_valid(code: str) -> None:
    assert problem(code) is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_one_character_changed_anywhere_is_refused(code: str) -> None:
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            assert problem(typo) is not None, typo


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_changed_digit_is_a_wrong_check_digit_with_the_expected_one_named(code: str) -> None:
    typo = code[:10] + ("1" if code[10] != "1" else "2") + code[11:]

    found = problem(typo)

    assert found is not None
    what, details = found
    assert what == "checksum"
    assert details["found"] == code[-1]
    assert details["expected"] != code[-1]
    assert with_check_digit(typo[:17]) == typo[:17] + details["expected"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_dropped_or_added_character_is_a_wrong_length(code: str) -> None:
    assert problem(code[:-1]) == ("length", {"length": "17"})
    assert problem(code + "1") == ("length", {"length": "19"})


@pytest.mark.parametrize("code", REAL_CODES)
@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_the_letters_the_code_never_uses_are_named(code: str, letter: str) -> None:
    typo = code[:12] + letter + code[13:]

    assert problem(typo) == ("characters", {"characters": letter})


def test_several_forbidden_letters_are_all_named_in_order() -> None:
    assert problem("91370200163562OSIV") == ("characters", {"characters": "I、O、S、V"})


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_letter_in_the_authority_kind_or_region_is_malformed(code: str) -> None:
    typo = "A" + code[1:]

    assert problem(typo) == ("format", {})


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_an_empty_code_is_reported_as_empty(blank) -> None:
    assert problem(blank) == ("empty", {})


def test_full_width_input_is_made_half_width() -> None:
    assert normalise("９１３７０２００１６３５６２６８１Ｇ") == "91370200163562681G"
    assert problem("９１３７０２００１６３５６２６８１Ｇ") is None


def test_spaces_dashes_ideographic_spaces_and_small_letters_are_normalised() -> None:
    assert normalise(" 9137-0200-1635\u30006268 1g ") == "91370200163562681G"
    assert problem("9144030071526726xg") is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_check_digit_is_computed_from_the_first_seventeen(code: str) -> None:
    assert with_check_digit(code[:17]) == code
