"""The body of a report: a small Markdown subset, shown as HTML and read as blocks for Word.

The subset is headings (#, ##, ###), paragraphs, quotes (>), lists (- or 1.), pipe tables,
**bold** and *italic*. Raw HTML is never passed through (every character is escaped), and links,
images, code blocks and link references are switched off: a report is read on an intranet and
printed, so nothing in it may load or point elsewhere. Indented lines stay paragraphs (authors
indent Chinese paragraphs).

`escape` makes a value from the data (an enterprise's words, a category's name) literal text
inside the Markdown that the drafting tool writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")  # ASCII only: 全角空格 stays

TABLE_CLASS = "table table-sm table-bordered table-striped align-middle"


def escape(value: Any) -> str:
    """Literal text for one line of Markdown: whitespace collapsed, markup characters escaped."""
    text = _SPACES.sub(" ", str(value if value is not None else "")).strip()
    return _SPECIAL.sub(r"\\\1", text)


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(["code", "fence", "html_block", "reference", "html_inline", "link", "image"])
    md.disable("autolink")
    rules = md.renderer.rules

    def table_open(*_args: Any) -> str:
        return f'<div class="table-responsive"><table class="{TABLE_CLASS}">\n'

    def table_close(*_args: Any) -> str:
        return "</table></div>\n"

    def blockquote_open(*_args: Any) -> str:
        return '<blockquote class="report-quote border-start border-4 ps-3 text-body-secondary">\n'

    rules["table_open"] = table_open
    rules["table_close"] = table_close
    rules["blockquote_open"] = blockquote_open
    return md


def to_html(body: str) -> SafeString:
    """The body as HTML: every character of the text escaped, tables styled with Bootstrap."""
    return mark_safe(parser().render(body or ""))  # noqa: S308 - markdown-it escapes all text


# --- blocks, for the Word export ----------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """One block of the body: heading (level 1–6), paragraph, quote, bullet, number, table, rule."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    # a table: the header row and the body rows, each cell as its runs; the columns' alignment
    header: list[list[Run]] = field(default_factory=list)
    rows: list[list[list[Run]]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _runs(token: Any) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline", "html_inline"):
            if child.content:
                runs.append(Run(child.content, bold > 0, italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run("\n" if kind == "hardbreak" else "", bold > 0, italic > 0))
    return [r for r in runs if r.text]


def _cell_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def blocks(body: str) -> list[Block]:
    """The body's blocks in order, for a renderer that is not HTML (the Word export)."""
    tokens = parser().parse(body or "")
    result: list[Block] = []
    lists: list[str] = []  # "bullet" / "number", innermost last
    quotes = 0
    heading = 0
    table: Block | None = None
    row: list[list[Run]] | None = None
    in_head = False
    align = ""
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "hr":
            result.append(Block("rule"))
        elif kind == "table_open":
            table = Block("table")
        elif kind == "table_close" and table is not None:
            result.append(table)
            table = None
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None and row is not None:
            if in_head:
                table.header = row
            else:
                table.rows.append(row)
            row = None
        elif kind in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            align = style.removeprefix("text-align:") if style else ""
            if in_head and table is not None:
                table.align.append(align)
        elif kind == "inline":
            runs = _runs(token)
            if row is not None:
                row.append(runs)
            elif heading:
                result.append(Block("heading", runs, level=heading))
            elif lists:
                result.append(Block(lists[-1], runs, level=len(lists)))
            elif quotes:
                result.append(Block("quote", runs, level=quotes))
            else:
                result.append(Block("paragraph", runs))
    return result


def tables(body: str) -> list[tuple[list[str], list[list[str]]]]:
    """The body's tables as plain text: (header, rows)."""
    return [
        ([_cell_text(c) for c in b.header], [[_cell_text(c) for c in r] for r in b.rows])
        for b in blocks(body)
        if b.kind == "table"
    ]
