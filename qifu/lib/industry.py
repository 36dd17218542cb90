"""GB/T 4754-2017, the national industry classification (国民经济行业分类).

The table (`data/gbt4754_2017.csv`) has every section (门类, A–T), division (大类, 2 digits), group
(中类, 3 digits) and class (小类, 4 digits). Enterprises record a class code; the section and
division are derived from it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"


@dataclass(frozen=True)
class IndustryClass:
    code: str
    name: str
    section: str
    section_name: str
    division: str
    division_name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_industrial(self) -> bool:
        """Mining, manufacturing and utilities: the sections of 规上工业 (B, C, D)."""
        return self.section in {"B", "C", "D"}


@cache
def _table() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    sections: dict[str, str] = {}
    divisions: dict[str, str] = {}
    classes: dict[str, tuple[str, str]] = {}
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            level, code, name = row["level"], row["code"], row["name"]
            if level == "section":
                sections[code] = name
            elif level == "division":
                divisions[code] = name
            elif level == "class":
                classes[code] = (name, row["section"])
    return sections, divisions, classes


def lookup(code: str | None) -> IndustryClass | None:
    """The class for a four-digit code, or None when there is no such class."""
    code = (code or "").strip()
    sections, divisions, classes = _table()
    found = classes.get(code)
    if found is None:
        return None
    name, section = found
    return IndustryClass(
        code=code,
        name=name,
        section=section,
        section_name=sections[section],
        division=code[:2],
        division_name=divisions[code[:2]],
    )


def sections() -> list[tuple[str, str]]:
    """(letter, name) of the 20 sections, in order."""
    return sorted(_table()[0].items())


def section_name(letter: str) -> str:
    return _table()[0].get(letter, "")


def classes() -> list[IndustryClass]:
    found = (lookup(code) for code in sorted(_table()[2]))
    return [c for c in found if c is not None]
