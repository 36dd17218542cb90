"""Credit codes with one-character slips, and the Chinese message the registry gives for each."""

from __future__ import annotations

from django.utils import translation

from qifu.enterprises.tests.factories import REAL_CODES
from qifu.enterprises.validators import CREDIT_CODE_PROBLEMS
from qifu.lib import credit_code


def _digit_changed(code: str, position: int) -> str:
    return code[:position] + ("7" if code[position] != "7" else "3") + code[position + 1 :]


# (the typo, what is wrong, a text the message must name)
TYPOS: list[tuple[str, str, str]] = []
for _n, _code in enumerate(REAL_CODES):
    _slip = _digit_changed(_code, 9 + _n)
    TYPOS.append((_slip, "checksum", credit_code.problem(_slip)[1]["expected"]))
    TYPOS.append((_code[:-1], "length", "17"))
    _letter = "IOZSV"[_n]
    TYPOS.append((_code[:11] + _letter + _code[12:], "characters", _letter))
TYPOS.append((REAL_CODES[0][:11] + "V" + REAL_CODES[0][12:], "characters", "V"))
TYPO_IDS = [f"{what}-{typo}" for typo, what, _named in TYPOS]


def credit_code_message(code: str) -> str:
    """What the registry says, in Chinese, about a wrong credit code."""
    found = credit_code.problem(code)
    assert found is not None, code
    what, details = found
    with translation.override("zh-hans"):
        return str(CREDIT_CODE_PROBLEMS[what] % details)


def full_width(text: str) -> str:
    """The text as a Chinese input method types it: full-width digits and letters."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
