"""Date pickers keep their value in every language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from qifu.appeals.forms import AppealFilterForm
from qifu.core.forms import DateInput


def test_a_date_picker_shows_its_value_as_yyyy_mm_dd_in_chinese() -> None:
    with translation.override("zh-hans"):
        html = DateInput().render("day", dt.date(2026, 11, 28))

    assert 'type="date"' in html
    assert 'value="2026-11-28"' in html


@pytest.mark.django_db
def test_a_filtered_date_is_shown_again_after_the_search() -> None:
    with translation.override("zh-hans"):
        form = AppealFilterForm({"date_from": "2026-11-02"})
        html = str(form["date_from"])

    assert 'value="2026-11-02"' in html
