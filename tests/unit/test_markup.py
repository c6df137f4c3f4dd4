"""Markdown -> Slack mrkdwn, link neutralising and list counting."""

from __future__ import annotations

import pytest

from bot.channels.markup import count_list_items, markdown_to_mrkdwn, neutralize_links


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("**Operations Management** and __PM__", "*Operations Management* and *PM*"),
        ("an *italic* word", "an _italic_ word"),
        ("**bold** then *italic*", "*bold* then _italic_"),
        ("~~old~~", "~old~"),
        ("## Career sectors", "*Career sectors*"),
        ("- IT\n- Logistics", "• IT\n• Logistics"),
        ("* IT\n+ Logistics", "• IT\n• Logistics"),
        ("1. XAT\n2) MAT\n3. **CAT**", "1. XAT\n2. MAT\n3. *CAT*"),
        ("  - nested", "  • nested"),
        ("[the article](https://example.org/a?b=1&c=2)",
         "<https://example.org/a?b=1&amp;c=2|the article>"),
        ("[click](javascript:alert(1))", "click"),
        ("OM & PM <b>x</b>", "OM &amp; PM &lt;b&gt;x&lt;/b&gt;"),
        ("use `**raw**` here", "use `**raw**` here"),
        ("5 * 3 = 15", "5 * 3 = 15"),
        ("", ""),
    ],
)
def test_markdown_to_mrkdwn(markdown, mrkdwn):
    assert markdown_to_mrkdwn(markdown) == mrkdwn


def test_numbered_list_with_intro_keeps_numbers_and_blank_line():
    text = "Here are 3 differences:\n\n1. **Scope**: services\n2. Degree\n3. Exams"
    assert markdown_to_mrkdwn(text) == (
        "Here are 3 differences:\n\n1. *Scope*: services\n2. Degree\n3. Exams"
    )


def test_code_block_is_kept_verbatim_but_escaped():
    text = "```\n**x** < y\n```\n**after**"
    assert markdown_to_mrkdwn(text) == "```\n**x** &lt; y\n```\n*after*"


def test_comparison_table_becomes_one_block_per_row():
    table = (
        "| Aspect | Operations Management | Production Management |\n"
        "|---|:--|--:|\n"
        "| Qualification | graduate degree | **MBA** |\n"
        "| Exams | - | XAT, MAT, CAT |"
    )
    assert markdown_to_mrkdwn("Compared:\n" + table + "\nDone.") == "\n".join(
        [
            "Compared:",
            "*Qualification*",
            "• Operations Management: graduate degree",
            "• Production Management: *MBA*",
            "*Exams*",
            "• Operations Management: -",
            "• Production Management: XAT, MAT, CAT",
            "Done.",
        ]
    )


def test_two_column_table_becomes_bullets():
    table = "| Exam | Who |\n| --- | --- |\n| CAT | IIMs |\n| XAT | XLRI |"
    assert markdown_to_mrkdwn(table) == "• *CAT*: IIMs\n• *XAT*: XLRI"


def test_table_without_leading_pipes_and_short_rows():
    table = "a | b | c\n---|---|---\nx | y"
    assert markdown_to_mrkdwn(table) == "*x*\n• b: y\n• c: "


def test_pipe_without_separator_row_is_text():
    assert markdown_to_mrkdwn("XAT | MAT | CAT") == "XAT | MAT | CAT"


@pytest.mark.parametrize(
    ("markdown", "safe"),
    [
        ("[a](https://x.org)", "[a](https://x.org)"),
        ("[mail](mailto:a@b.org)", "[mail](mailto:a@b.org)"),
        ("[rel](/web/)", "[rel](/web/)"),
        ("[a](javascript:alert(1))", "a"),
        ("[a](JavaScript:alert(1))", "a"),
        ("![img](data:text/html;base64,xx)", "img"),
        ("<javascript:alert(1)>", "javascript:alert(1)"),
        ("<https://x.org>", "<https://x.org>"),
        ("[a](jav&#97;script:alert(1))", "a"),
        ("[a](<java\tscript:alert(1)>)", "a"),
        ("[a](<https://x.org/a b>)", "[a](<https://x.org/a b>)"),
        ("[a](https://x.org/(b))", "[a](https://x.org/(b))"),
        ("[a][1]\n\n[1]: javascript:alert(1)", "[a][1]\n\n"),
        ("[a][1]\n\n[1]: https://x.org", "[a][1]\n\n[1]: https://x.org"),
        ("plain **text**", "plain **text**"),
    ],
)
def test_neutralize_links(markdown, safe):
    assert neutralize_links(markdown) == safe


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Here:\n\n1. a\n2. b\n3. c", 3),
        ("• a\n• b", 2),
        ("- a\n  - nested\n- b", 2),
        ("1) a\n2) b", 2),
        ("no list at all. 1. not an item", 0),
    ],
)
def test_count_list_items(text, items):
    assert count_list_items(text) == items
