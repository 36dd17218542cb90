"""enterprises.forms: the shape of what a page accepts, before the services check the rules."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.core.tests.helpers import is_chinese
from qifu.enterprises.forms import ContactForm, EnterpriseFilterForm, EnterpriseForm, ImportForm
from qifu.enterprises.tests.factories import REAL_CODES
from qifu.enterprises.tests.helpers import TYPO_IDS, TYPOS, credit_code_message, full_width

pytestmark = pytest.mark.django_db


def enterprise_form(user, street, **values) -> EnterpriseForm:
    data = {
        "name": "青岛玖琦化工有限公司",
        "credit_code": REAL_CODES[0],
        "street": str(street.pk),
        "industry_code": "2614",
        "kind": "enterprise",
        "status": "operating",
        **values,
    }
    return EnterpriseForm(data, user=user)


@pytest.mark.parametrize("code", [*REAL_CODES, full_width(REAL_CODES[1]), REAL_CODES[2].lower()])
def test_the_codes_of_real_licences_are_accepted_and_normalised(licun_clerk, licun, code) -> None:
    form = enterprise_form(licun_clerk, licun, credit_code=code)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_code"] in REAL_CODES


@pytest.mark.parametrize(("typo", "what", "named"), TYPOS, ids=TYPO_IDS)
def test_a_one_character_slip_is_refused_in_chinese(licun_clerk, licun, typo, what, named) -> None:
    form = enterprise_form(licun_clerk, licun, credit_code=typo)

    assert not form.is_valid()
    assert form.errors["credit_code"] == [credit_code_message(typo)]
    assert is_chinese(form.errors["credit_code"][0])


@pytest.mark.parametrize(
    ("written", "code"), [("2614", "2614"), ("C2614", "2614"), ("c2614 有机化学原料制造", "2614")]
)
def test_the_industry_may_be_written_with_its_section_and_name(
    licun_clerk, licun, written, code
) -> None:
    form = enterprise_form(licun_clerk, licun, industry_code=written)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["industry_code"] == code


def test_tags_are_split_on_chinese_and_latin_separators(licun_clerk, licun) -> None:
    form = enterprise_form(licun_clerk, licun, tags="专精特新、高新技术企业,瞪羚企业；  上市公司")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags"] == ["专精特新", "高新技术企业", "瞪羚企业", "上市公司"]


def test_the_initial_values_show_the_tags_as_one_text(tianlu) -> None:
    initial = EnterpriseForm.initial_for(tianlu)

    assert initial["tags"] == "高新技术企业"
    assert initial["credit_code"] == REAL_CODES[0]


@pytest.mark.parametrize("phone", ["13812341234", "0532-88886666", "+86 138 1234 1234", ""])
def test_a_contact_phone_may_be_a_mobile_or_a_landline(phone: str) -> None:
    assert ContactForm({"name": "张伟", "phone": phone}).is_valid()


@pytest.mark.parametrize("phone", ["138****1234", "call me", "1234"])
def test_a_contact_phone_that_is_not_a_number_is_refused(phone: str) -> None:
    form = ContactForm({"name": "张伟", "phone": phone})

    assert not form.is_valid()
    assert is_chinese(form.errors["phone"][0])


def test_the_filter_form_reads_yes_no_and_all(leader) -> None:
    form = EnterpriseFilterForm(
        {"is_above_scale": "true", "is_key": "false", "kind": ""}, user=leader
    )

    filters = form.filters()

    assert filters["is_above_scale"] is True
    assert filters["is_key"] is False
    assert filters["kind"] == ""


def test_the_filter_form_offers_twenty_sections(leader) -> None:
    choices = EnterpriseFilterForm({}, user=leader).fields["section"].choices

    assert len(choices) == 21
    assert ("C", "C 制造业") in choices


def test_an_upload_over_ten_megabytes_is_refused_by_the_form() -> None:
    big = SimpleUploadedFile("big.xlsx", b"\0" * (10 * 1024 * 1024 + 1))

    form = ImportForm({}, {"file": big})

    assert not form.is_valid()
    assert "10" in form.errors["file"][0]
    assert is_chinese(form.errors["file"][0])
