"""Degree vocabulary used to match a student's background to the sources' wording."""

from __future__ import annotations

import pytest

from bot.kb.advice import background_terms


@pytest.mark.parametrize(("degree", "expected"), [
    ("B.E.", "engineering"), ("be", "engineering"), ("B.Tech", "technology"),
    ("b.com", "commerce"), ("ECE", "electronics")])
def test_degrees_map_to_background_words(degree, expected) -> None:
    assert expected in background_terms(degree)


def test_unknown_degree_is_kept_as_written() -> None:
    assert background_terms("MA in history") == ("MA in history",)
    assert background_terms(None) == ()
