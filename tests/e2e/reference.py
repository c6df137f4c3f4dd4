"""Reference conversations and the source facts every channel must deliver.

The facts are the article's (data/sources/operations-vs-production-management.txt), never the
bot's wording: a channel passes when the facts and the number of list items come through.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.channels.markup import count_list_items

# Each fact: a label and the spellings that count as stating it.
ENTRANCE_EXAMS = (("XAT",), ("MAT",), ("CAT",))
OM_SECTORS = (("Information Technology",), ("Transportation",), ("Logistics",))
PM_QUALIFICATION = (
    ("MBA", "Business Administration"),
    ("graduate",),
)
PM_INDUSTRIES = (("automobile",), ("heavy machinery",), ("engineering goods",))


@dataclass(frozen=True)
class Turn:
    text: str
    facts: tuple[tuple[str, ...], ...] = ()
    list_items: int | None = None


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple[Turn, ...]


DIFFERENCES = Turn("give 5 differences between OM and PM", list_items=5)
JUST_THREE = Turn("just 3 please", list_items=3)
EXAMS = Turn("which entrance exams for production management", facts=ENTRANCE_EXAMS)
SECTORS = Turn("career sectors of operations management", facts=OM_SECTORS)

CONVERSATIONS = (
    Conversation("differences", (DIFFERENCES,)),
    Conversation("follow-up count", (DIFFERENCES, JUST_THREE)),
    Conversation("entrance exams", (EXAMS,)),
    Conversation("career sectors", (SECTORS,)),
    Conversation(
        "qualification and industries",
        (
            Turn("what qualification do I need for production management", PM_QUALIFICATION),
            Turn("which industries recruit production management professionals", PM_INDUSTRIES),
        ),
    ),
)


def plain(text: str) -> str:
    """Markdown / Slack mrkdwn / terminal text -> words, for fact matching."""
    text = html.unescape(text)
    text = re.sub(r"<(?:https?|mailto):[^|>]*\|([^>]*)>", r"\1", text)
    return re.sub(r"[*_~`|]+", " ", text)


def fact_present(spellings: tuple[str, ...], text: str) -> bool:
    words = plain(text)
    for spelling in spellings:
        if spelling.isupper():  # acronyms: whole word, exact case (CAT, not "category")
            if re.search(rf"\b{re.escape(spelling)}\b", words):
                return True
        elif spelling.lower() in words.lower():
            return True
    return False


def summarize(turn: Turn, texts: list[str]) -> dict[str, object]:
    """What a channel delivered for one turn: the facts found and the list items counted."""
    joined = "\n".join(texts)
    return {
        "facts": [spellings[0] for spellings in turn.facts if fact_present(spellings, joined)],
        "list_items": count_list_items(joined) if turn.list_items is not None else None,
    }


def expected(turn: Turn) -> dict[str, object]:
    return {"facts": [spellings[0] for spellings in turn.facts], "list_items": turn.list_items}
