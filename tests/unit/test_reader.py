"""Reading sources safely, and splitting an article into title, sections and reader comments."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from bot.ingest.reader import SourceError, read_source, split_article
from bot.ingest.rules import load_rules
from tests.conftest import ALL_ARTICLES, USER_ARTICLE

RULES = load_rules().article


# --- read_source -------------------------------------------------------------------------------


def test_reads_utf8_with_checksum_of_the_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Café – “quoted”\n".encode())
    source = read_source(path)
    assert source.text == "Café – “quoted”\n"
    assert source.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.path == path


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle\n")
    assert read_source(path).text == "Title\n"


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _blank(path: Path) -> None:
    path.write_text(" \n\t\n")


def _binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def _latin1(path: Path) -> None:
    path.write_bytes("Difference between caf\xe9 management and tea management".encode("latin-1"))


def _directory(path: Path) -> None:
    path.mkdir()


def _dangling_symlink(path: Path) -> None:
    path.symlink_to(path.with_name("gone.txt"))


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # reading it would block forever


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_empty, "is empty"),
        (_blank, "is empty"),
        (_binary, "looks binary"),
        (_latin1, "is not valid UTF-8 (byte 22)"),
        (_directory, "cannot be read (not a regular file)"),
        (_dangling_symlink, "cannot be read (No such file or directory)"),
        (_fifo, "cannot be read (not a regular file)"),
    ],
    ids=["empty", "whitespace", "binary", "latin-1", "directory", "dangling-symlink", "fifo"],
)
def test_bad_sources_raise_an_error_naming_the_file(tmp_path, make, reason):
    path = tmp_path / "bad-source.txt"
    make(path)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert reason in caught.value.reason


# --- split_article -----------------------------------------------------------------------------


def test_user_article_title_sections_and_comments():
    article = split_article(read_source(USER_ARTICLE).text, RULES)
    title = "Difference between Operations Management and Production Management"
    assert article.title == title
    assert [s.heading for s in article.sections] == [
        title,
        "Operations Management",
        "Production Management",
        "Key differentiators between Operations Management and Production Management",
    ]
    assert article.reader_comments[0] == "Do you have any question? Please ask:"
    comments = " ".join(article.reader_comments)
    assert "give any ten difference between production and operation management" in comments
    assert "Which college should i chose?" in comments


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda p: p.stem)
def test_block_offsets_point_into_the_source(path):
    text = read_source(path).text
    article = split_article(text, RULES)
    blocks = [block for section in article.sections for block in section.blocks]
    assert len(blocks) >= 4
    for block in blocks:
        assert text[block.start : block.start + len(block.text)] == block.text
        assert not block.is_heading


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda p: p.stem)
def test_reader_comments_are_not_in_any_section(path):
    text = read_source(path).text
    article = split_article(text, RULES)
    tail = text.index("Do you have any question?")
    assert article.reader_comments
    for section in article.sections:
        assert section.heading in " ".join(text[:tail].split())  # headings: spaces normalised
        for block in section.blocks:
            assert block.start + len(block.text) <= tail


def test_a_numbered_responses_line_also_starts_the_comments():
    text = ("Difference between A Management and B Management\n\nA is a thing.\n\n"
            "2 Responses to “Difference between A and B”\n\nwhat is a?\n")
    article = split_article(text, RULES)
    assert [b.text for s in article.sections for b in s.blocks] == ["A is a thing."]
    assert article.reader_comments == ("2 Responses to “Difference between A and B”",
                                       "what is a?")


def test_short_unpunctuated_lines_are_headings_sentences_are_not():
    text = ("Title line\n\nSection One\n\nA sentence ends with a period.\n\n"
            "Is this a question?\n\nA line of thirteen words without a full stop at its end "
            "is not heading\n\nSection Two\n\nMore text.\n")
    article = split_article(text, RULES)
    assert [s.heading for s in article.sections] == ["Section One", "Section Two"]
    assert [b.text for b in article.sections[0].blocks] == [
        "A sentence ends with a period.",
        "Is this a question?",
        "A line of thirteen words without a full stop at its end is not heading",
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["unix", "windows"])
def test_markdown_headings_and_paragraphs_directly_below_them(newline):
    text = ("# Difference between A Management and B Management\n\nIntro.\n"
            "## A Management\nA is good. More.\nSecond line.\n\n"
            "## B Management, briefly ##\n\nB text.\n").replace("\n", newline)
    article = split_article(text, RULES)
    assert article.title == "Difference between A Management and B Management"
    assert [s.heading for s in article.sections] == [
        article.title, "A Management", "B Management, briefly"]
    first = article.sections[1].blocks[0]
    assert first.text == f"A is good. More.{newline}Second line."
    assert text[first.start : first.start + len(first.text)] == first.text


def test_windows_line_endings_split_the_same_way():
    unix = USER_ARTICLE.read_text(encoding="utf-8")
    windows = split_article(unix.replace("\n", "\r\n"), RULES)
    expected = split_article(unix, RULES)
    assert [s.heading for s in windows.sections] == [s.heading for s in expected.sections]
    assert [len(s.blocks) for s in windows.sections] == [len(s.blocks) for s in expected.sections]


def test_an_empty_text_has_no_title():
    article = split_article("", RULES)
    assert (article.title, article.sections, article.reader_comments) == ("", (), ())


QA_PAGE = """# Geology vs Oceanography: Your Questions Answered

Students ask us these questions every year.

**What is the eligibility for these courses?**
For both courses you need Class 12 with Physics, Chemistry and Mathematics.

**1. Duration**
Geology is a three-year degree, while oceanography takes four years.

Which exam do I write?
Most universities admit through CUET-UG.
"""


def test_a_question_or_bold_heading_line_over_its_answer_is_a_block_of_its_own() -> None:
    article = split_article(QA_PAGE, RULES)
    blocks = [(b.kind, b.text) for s in article.sections for b in s.blocks]
    headings = [s.heading for s in article.sections]
    assert ("question", "What is the eligibility for these courses?") in blocks
    assert any(text.startswith("For both courses you need") for _, text in blocks)
    assert "1. Duration" in headings
    assert ("question", "Which exam do I write?") in blocks
    for section in article.sections:
        for block in section.blocks:
            assert QA_PAGE[block.start:block.start + len(block.text)] == block.text
