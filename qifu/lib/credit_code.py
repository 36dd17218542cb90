"""Unified social credit codes (统一社会信用代码, GB 32100-2015), checked with python-stdnum."""

from __future__ import annotations

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

# The code's alphabet: digits and capitals without I, O, Z, S, V.
_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def normalise(code: str) -> str:
    """Strip spaces and dashes, upper-case; full-width characters become half-width."""
    text = (code or "").translate({0x3000: 0x20, **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}})
    return uscc.compact(text).upper()


def problem(code: str) -> tuple[str, dict[str, str]] | None:
    """None for a valid code, else (what is wrong, details): empty, length, characters, checksum,
    format. Callers turn these into messages in the user's language."""
    number = normalise(code)
    if not number:
        return "empty", {}
    if len(number) != 18:
        return "length", {"length": str(len(number))}
    bad = sorted({c for c in number if c not in _ALPHABET})
    if bad:
        return "characters", {"characters": "、".join(bad)}
    try:
        uscc.validate(number)
    except InvalidChecksum:
        return "checksum", {"expected": uscc.calc_check_digit(number[:-1]), "found": number[-1]}
    except (InvalidLength, InvalidFormat, ValidationError):
        return "format", {}
    return None


def with_check_digit(first17: str) -> str:
    """The full code for 17 characters (used to build valid demo codes)."""
    return first17 + uscc.calc_check_digit(first17)
