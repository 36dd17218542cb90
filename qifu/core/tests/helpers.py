"""Small helpers shared by the tests of every app."""

from __future__ import annotations

import re

from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def zh(text: str) -> str:
    """The Chinese of a source string, as pages show it (the source string if untranslated)."""
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text))
