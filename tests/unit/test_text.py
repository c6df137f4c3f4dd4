"""Word helpers shared by search, follow-up detection and the question log."""

from __future__ import annotations

import pytest

from bot.text.words import content_words, only_function_words, same_word, words


def test_words_are_lowercase_letters_and_digits_in_any_script() -> None:
    assert words("Diffrence b/w OM & PM?? 10") == ["diffrence", "b", "w", "om", "pm", "10"]
    assert words("Café, naïve_choice!") == ["café", "naïve", "choice"]


def test_content_words_drop_stop_words_single_letters_repeats_and_exclusions() -> None:
    assert content_words("what is the scope of the scope b", exclude=frozenset({"b"})) == [
        "scope"]
    assert content_words("who recruits in energy", exclude=frozenset({"energy"})) == [
        "recruits"]


@pytest.mark.parametrize(("text", "expected"), [
    ("and the?", True), ("what about", True), ("", True), ("what about banking", False)])
def test_only_function_words(text, expected) -> None:
    assert only_function_words(text) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("engineer", "engineering", True), ("recruit", "recruiters", True), ("it", "item", False),
    ("telecom", "telecom", True), ("bank", "banking", False), ("finance", "financial", False)])
def test_same_word_allows_endings_on_long_enough_words(a, b, expected) -> None:
    assert same_word(a, b) is expected
