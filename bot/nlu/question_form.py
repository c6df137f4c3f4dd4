"""Whether a message asks a yes/no question ("is an MBA compulsory?", "can arts students apply?").

A student checking a claim wants the source's own sentence, not only the facts it lists: the
answer to "do I need a masters?" is the sentence that says "A student will require a Masters
degree ...". Rules, not a model: a sentence is closed when it opens with an auxiliary verb
(after chatter such as "so", "ok", "sir"), or, in Hinglish, asks with "kya" at either end.
"""

from __future__ import annotations

import re

from bot.nlu.focus import split_sentences

_CLOSED = re.compile(
    r"^\W*(?:(?:so|but|and|ok|okay|also|then|sir|mam|maam|madam|hi|hello|hey|pls|plz|please)"
    r"\W+)*"
    r"(?:is|are|am|was|were|can|could|do|does|did|will|would|should|shall|may|might|must|has"
    r"|have|had|need|isn't|aren't|don't|doesn't|can't|won't)\b",
    re.IGNORECASE,
)
_HINGLISH_CLOSED = re.compile(r"^\W*kya\b|\bkya\W*$", re.IGNORECASE)


def closed_question(text: str) -> bool:
    """True when a sentence of ``text`` asks a yes/no question."""
    return any(_CLOSED.search(sentence) or _HINGLISH_CLOSED.search(sentence)
               for sentence in split_sentences(text))
