from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qifu.lib import credit_code, industry

CREDIT_CODE_PROBLEMS = {
    "empty": _("The unified social credit code is required."),
    "length": _("A unified social credit code has 18 characters; this one has %(length)s."),
    "characters": _(
        "The unified social credit code contains characters it never uses: %(characters)s "
        "(no I, O, Z, S or V)."
    ),
    "checksum": _(
        "The check digit of the unified social credit code is wrong: the 18th character should "
        "be %(expected)s, not %(found)s. Please check the code for a typing error."
    ),
    "format": _(
        "The unified social credit code is not well formed (registration authority, kind of "
        "organisation or region code)."
    ),
}


def validate_credit_code(value: str) -> None:
    found = credit_code.problem(value)
    if found is not None:
        what, details = found
        raise ValidationError(CREDIT_CODE_PROBLEMS[what] % details, code=f"credit_code_{what}")


def validate_industry_code(value: str) -> None:
    if industry.lookup(value) is None:
        raise ValidationError(
            _(
                "%(code)s is not a class code of GB/T 4754-2017 (four digits, e.g. 2614 for "
                "organic chemical raw materials)."
            )
            % {"code": value},
            code="industry_code",
        )
