"""The body's Markdown subset: HTML is always escaped, links and images are off, values from the
data are made literal, and the blocks read for Word follow the text."""

from __future__ import annotations

from qifu.reports import markdown


def test_raw_html_is_escaped() -> None:
    html = markdown.to_html("<script>alert(1)</script>\n\n段落<img src=x onerror=alert(1)>\n")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_and_images_are_not_rendered() -> None:
    html = markdown.to_html(
        "[点我](http://example.com) ![图](http://example.com/a.png) <http://x.y>"
    )
    assert "<a " not in html and "<img" not in html


def test_indented_text_stays_a_paragraph() -> None:
    assert "<pre>" not in markdown.to_html("    缩进的段落\n")


def test_tables_are_styled_with_bootstrap() -> None:
    html = markdown.to_html("| a | b |\n| --- | ---: |\n| 1 | 2 |\n")
    assert f'<table class="{markdown.TABLE_CLASS}">' in html
    assert '<td style="text-align:right">2</td>' in html


def test_escape_makes_a_value_literal() -> None:
    value = "A|B *强调* <b>\n# 不是标题"
    text = markdown.escape(value)
    assert "\n" not in text
    blocks = markdown.blocks(f"| x |\n| --- |\n| {text} |\n")
    assert markdown.tables(f"| x |\n| --- |\n| {text} |\n") == [
        (["x"], [["A|B *强调* <b> # 不是标题"]])
    ]
    assert blocks[0].kind == "table"


def test_blocks_follow_the_text() -> None:
    blocks = markdown.blocks("# 一、标题\n\n段落\n\n## （一）小标题\n\n> 引文\n\n- 甲\n- 乙\n")
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("heading", 1, "一、标题"),
        ("paragraph", 0, "段落"),
        ("heading", 2, "（一）小标题"),
        ("quote", 1, "引文"),
        ("bullet", 1, "甲"),
        ("bullet", 1, "乙"),
    ]
