"""qifu.lib.industry: GB/T 4754-2017 classes, with the section and division derived."""

from __future__ import annotations

import pytest

from qifu.lib import industry


def test_a_class_gives_its_section_and_division_with_their_names() -> None:
    found = industry.lookup("2614")

    assert found is not None
    assert found.code == "2614"
    assert found.name == "有机化学原料制造"
    assert found.section == "C"
    assert found.section_name == "制造业"
    assert found.division == "26"
    assert found.division_name == "化学原料和化学制品制造业"
    assert found.label == "2614 有机化学原料制造"
    assert found.is_industrial


def test_a_bank_is_in_the_financial_section_and_not_industrial() -> None:
    found = industry.lookup("6621")

    assert found is not None
    assert (found.section, found.section_name) == ("J", "金融业")
    assert (found.division, found.division_name) == ("66", "货币金融服务")
    assert found.name == "商业银行服务"
    assert not found.is_industrial


def test_surrounding_spaces_are_ignored() -> None:
    found = industry.lookup(" 3434 ")

    assert found is not None
    assert found.name == "连续搬运设备制造"


@pytest.mark.parametrize("code", ["9999", "0000", "261", "26", "C", "C2614", "26140", "", None])
def test_an_unknown_code_or_a_section_division_or_group_is_none(code) -> None:
    assert industry.lookup(code) is None


def test_there_are_twenty_sections_from_a_to_t() -> None:
    sections = industry.sections()

    assert [letter for letter, _name in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert dict(sections)["C"] == "制造业"
    assert industry.section_name("A") == "农、林、牧、渔业"
    assert industry.section_name("Z") == ""


def test_every_class_is_a_four_digit_code_with_a_known_section_and_division() -> None:
    classes = industry.classes()

    assert len(classes) > 1300
    assert all(len(c.code) == 4 and c.code.isdigit() for c in classes)
    assert all(c.section_name and c.division_name for c in classes)
    assert [c.code for c in classes] == sorted(c.code for c in classes)
