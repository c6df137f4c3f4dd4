"""Enumerations ("A, B, C and D") split into their items, with the separators in the rules."""

from __future__ import annotations

import pytest

from bot.ingest.enumeration import split_enumeration
from bot.ingest.rules import load_rules

CONFIG = load_rules().article["enumeration"]


def split(nlp, text: str) -> list[str]:
    return split_enumeration(list(nlp(text)), CONFIG)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "Information Technology, Transportation, Financial Institutions, Consulting Firms "
            "and Logistics.",
            ["Information Technology", "Transportation", "Financial Institutions",
             "Consulting Firms", "Logistics"],
        ),
        (
            "Construction, Manufacturing, Insurance, Retail and Hospitality.",
            ["Construction", "Manufacturing", "Insurance", "Retail", "Hospitality"],
        ),
        # "in addition to" separates; "and other" glues; a trailing head noun is shared
        (
            "automobiles, heavy machinery, and engineering goods in addition to iron steel and "
            "other metal industries.",
            ["automobiles", "heavy machinery", "engineering goods",
             "iron steel and other metal industries"],
        ),
        ("the energy, IT and the Telecom sectors.", ["energy", "IT", "Telecom"]),
        ("XAT, MAT or CAT.", ["XAT", "MAT", "CAT"]),
        ("B.Tech or B.E degrees alongside MBA.", ["B.Tech", "B.E"]),
        ("supervision, planning and redesigning business operations in the manufacture",
         ["supervision", "planning", "redesigning business operations"]),
        ("goods as well as services", ["goods", "services"]),
        ("Research & Development, E-commerce and Media", ["Research", "Development",
                                                          "E-commerce", "Media"]),
        ("arts, commerce or psychology streams are all eligible",
         ["arts", "commerce", "psychology"]),
    ],
)
def test_items_are_split_and_tidied(blank_nlp, text, items):
    assert split(blank_nlp, text) == items


def test_items_keep_their_spelling_from_the_text(blank_nlp):
    # the tokenizer splits "E-commerce" and "LL.B" differently; items are cut from the text
    assert split(blank_nlp, "LL.B, B.Com or E-commerce") == ["LL.B", "B.Com", "E-commerce"]


def test_a_terminator_ends_the_enumeration(blank_nlp):
    assert split(blank_nlp, "forecasting, planning or marketing of products, goods") == [
        "forecasting", "planning", "marketing"]


def test_leading_articles_are_dropped(blank_nlp):
    assert split(blank_nlp, "the banks, an insurer and all retailers") == [
        "banks", "insurer", "retailers"]


@pytest.mark.parametrize("text", ["", ".", "of the products", ", and"])
def test_nothing_to_split_gives_no_items(blank_nlp, text):
    assert split(blank_nlp, text) == []
