import datetime as dt

import pytest

from qifu.lib.quarters import Span, SpanError


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (" 2026Q4 ", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ],
)
def test_a_quarter_or_a_year_knows_its_first_and_last_day(text, first, last):
    span = Span.parse(text)
    assert (span.first_day, span.last_day) == (first, last)


@pytest.mark.parametrize("text", ["", "2026Q5", "2026Q0", "26Q1", "Q4", "1999", "2026-10", None])
def test_anything_else_is_refused(text):
    with pytest.raises(SpanError):
        Span.parse(text)


def test_the_span_before_crosses_years():
    assert Span.parse("2026Q1").previous() == Span(2025, 4)
    assert Span.parse("2026Q3").previous() == Span(2026, 2)
    assert Span.parse("2026").previous() == Span(2025)


def test_quarter_of_a_day_and_its_chinese_label():
    span = Span.quarter_of(dt.date(2026, 11, 28))
    assert str(span) == "2026Q4"
    assert span.label == "2026年第四季度"
    assert Span(2026).label == "2026年"
    assert span.contains(dt.date(2026, 10, 1)) and not span.contains(dt.date(2026, 9, 30))
