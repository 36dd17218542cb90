"""Quarters and years as periods of work (visits, coverage, research reports). No Django import.

`Span.parse("2026Q4")` is the fourth quarter of 2026, `Span.parse("2026")` the whole year; both
know their first and last day, the span before and a Chinese label.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[Qq]([1-4]))?\s*$")
_QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class SpanError(ValueError):
    """Text that is not a quarter (2026Q4) or a year (2026)."""


@dataclass(frozen=True, order=True)
class Span:
    year: int
    quarter: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, text: object) -> Span:
        match = _PATTERN.match(str(text or ""))
        if match is None:
            raise SpanError(f"not a quarter or a year: {text!r}")
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise SpanError(f"year out of range: {year}")
        quarter = int(match.group(2)) if match.group(2) else None
        return cls(year, quarter)

    @classmethod
    def quarter_of(cls, day: dt.date) -> Span:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def first_day(self) -> dt.date:
        month = 3 * (self.quarter - 1) + 1 if self.quarter else 1
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return f"{self.year}年"
        return f"{self.year}年第{_QUARTER_NAMES[self.quarter]}季度"

    def previous(self) -> Span:
        if self.quarter is None:
            return Span(self.year - 1)
        if self.quarter == 1:
            return Span(self.year - 1, 4)
        return Span(self.year, self.quarter - 1)

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day
