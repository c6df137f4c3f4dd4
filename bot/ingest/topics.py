"""Topic identity across articles: the same field is one topic, whatever an article calls it.

A title's subject is matched against the topics and aliases already known (from other
articles and the curated aliases) before a new topic is made: "operation management",
"Operations Management" and "OM" are one field. Aliases are checked: at least two letters, and
never a common English word ("AM"), so an alias cannot fire on ordinary text, except an
abbreviation the article defines ("Information Technology (IT)"), matched only in capitals. An alias
may name two fields ("PM": production and personnel management); it is kept for both and
resolved when a question is asked, never at ingestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.ingest.titles import normalise_name
from bot.text.english import is_common_word

MIN_ALIAS_LETTERS = 2
DEFINED = "abbreviation defined by the article"
# "Supply chain management (SCM)": an abbreviation the article defines for a name.
_PARENTHETICAL = re.compile(
    r"(?P<name>(?:[A-Za-z][\w'’-]*\s+){0,5}[A-Za-z][\w'’-]*)\s*\(\s*(?P<abbr>[A-Z][A-Za-z&.]{1,9})\s*\)")


def initialism(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()


def stem_key(name: str) -> str:
    """Words without plural endings: "operation management" ~ "operations management"."""
    out = []
    for word in normalise_name(name).split():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


def acceptable_alias(alias: str, defined: bool = False) -> bool:
    """At least two letters, and no common English word, unless the article itself defines
    it in capitals ("Information Technology (IT)"): such an alias is matched only as written
    (``matched_as_written``), so "it" in a sentence never names the field."""
    letters = [c for c in alias if c.isalpha()]
    if len(letters) < MIN_ALIAS_LETTERS:
        return False
    if " " not in alias.strip() and is_common_word(alias.strip()):
        return defined and alias.strip().isupper()
    return True


def matched_as_written(alias: str) -> bool:
    """An alias that is also an English word ("IT"): it names the field only in capitals."""
    return " " not in alias.strip() and is_common_word(alias.strip())


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations an article defines: "Human Resource Management (HRM)" -> HRM: that name.
    Only where the abbreviation is the initials of the words right before it."""
    found: dict[str, str] = {}
    for match in _PARENTHETICAL.finditer(text):
        abbr = match.group("abbr").replace(".", "")
        words = match.group("name").split()
        letters = [c for c in abbr.upper() if c.isalpha() and c != "&"]
        for size in range(len(words), 0, -1):
            candidate = words[-size:]
            if initialism(" ".join(candidate)) == "".join(letters):
                found.setdefault(abbr.upper(), normalise_name(" ".join(candidate)))
                break
    return found


@dataclass
class TopicRegistry:
    """The topics known so far (canonical name -> its aliases, lowercase), indexed by alias
    and by stem key so that naming a field costs the same with 20 topics or 20,000."""

    known: dict[str, set[str]] = field(default_factory=dict)
    _by_alias: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)
    _by_stem: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)
    _by_initials: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for topic, aliases in list(self.known.items()):
            self._index(topic, aliases)

    @classmethod
    def of(cls, topics: Mapping[str, Iterable[str]]) -> TopicRegistry:
        return cls({name: {a.lower() for a in aliases} for name, aliases in topics.items()})

    def _index(self, topic: str, aliases: Iterable[str]) -> None:
        self._by_stem.setdefault(stem_key(topic), set()).add(topic)
        self._by_initials.setdefault(initialism(topic), set()).add(topic)
        for alias in aliases:
            self._by_alias.setdefault(alias, set()).add(topic)

    def identify(self, name: str, abbreviations: Mapping[str, str] | None = None,
                 body: str = "") -> str:
        """The canonical topic for an article's name of a field (a new name if none fits).

        An abbreviation ("HRM", "PM") is read as the article defines it, else as the name in
        the article's text that it abbreviates, else as the one known field it names."""
        wanted = normalise_name(name)
        if re.fullmatch(r"[a-z&]{2,6}", wanted) and name.strip().isupper():
            wanted = self._expand(wanted.upper(), abbreviations or {}, body)
        if wanted in self.known:
            return wanted
        owners = self._by_alias.get(wanted, set())
        if len(owners) == 1:
            return next(iter(owners))
        same = self._by_stem.get(stem_key(wanted), set())
        if len(same) == 1:
            return next(iter(same))
        return wanted

    def _expand(self, abbreviation: str, abbreviations: Mapping[str, str], body: str) -> str:
        if abbreviation in abbreviations:
            return abbreviations[abbreviation]
        size = len(abbreviation)
        words = re.findall(r"[a-z][a-z'-]*", body.lower())
        spelled = {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)
                   if initialism(" ".join(words[i:i + size])) == abbreviation}
        spelled = {s for s in spelled if s.split()[-1] in ("management", "administration")}
        if len(spelled) == 1:
            return spelled.pop()
        owners = self._by_alias.get(abbreviation.lower(), set())
        if len(owners) == 1:
            return next(iter(owners))
        owners = self._by_initials.get(abbreviation, set())
        return next(iter(owners)) if len(owners) == 1 else abbreviation.lower()

    def add(self, topic: str, aliases: Iterable[str] = ()) -> None:
        lowered = {a.lower() for a in aliases}
        self.known.setdefault(topic, set()).update(lowered)
        self._index(topic, lowered)


def short_names(topics: Iterable[str], heads: Iterable[str]) -> dict[str, str]:
    """How a field is named without the words it shares: "logistics" for logistics
    management (a generic head), "civil" beside structural engineering (a shared head),
    "analytics" beside data science (a shared first word). Only names of one field."""
    topics, heads = list(topics), set(heads)
    found: dict[str, list[str]] = {}
    for topic in topics:
        words = topic.split()
        if len(words) < 2:
            continue
        others = [t.split() for t in topics if t != topic]
        if words[-1] in heads or any(o[-1] == words[-1] for o in others if len(o) > 1):
            found.setdefault(" ".join(words[:-1]), []).append(topic)
        elif any(o[0] == words[0] for o in others if len(o) > 1):
            found.setdefault(" ".join(words[1:]), []).append(topic)
    return {name: owners[0] for name, owners in found.items()
            if len(set(owners)) == 1 and name not in topics}


def agent_nouns(name: str) -> tuple[str, ...]:
    """Who practises a field, by the usual English endings: "production manager(s)",
    "accountant(s)", "merchandiser(s)", "marketer(s)"."""
    words = name.split()
    last = words[-1]
    forms: list[str] = []
    if last.endswith("ment") and len(last) > 6:  # management -> manager
        base = last[: -len("ment")]
        forms += [base + "r", base + "rs"] if base.endswith("e") else [base + "er", base + "ers"]
    elif last.endswith("ing") and len(last) > 6:  # accounting, merchandising, engineering
        base = last[:-3]
        if base.endswith("er"):  # engineering -> engineer
            forms += [base, base + "s"]
        else:
            forms += [base + "er", base + "ers", base + "ant", base + "ants"]
    elif last.endswith("ance") and len(last) > 5:  # finance -> finance professional
        forms += [last + " professional", last + " professionals"]
    elif last.endswith("ism") and len(last) > 6:  # journalism -> journalist
        forms += [last[:-1] + "t", last[:-1] + "ts"]
    elif last.endswith("ytics"):  # analytics -> analyst
        forms += [last[:-4] + "st", last[:-4] + "sts"]
    elif last.endswith("ience"):  # science -> scientist
        forms += [last[:-2] + "tist", last[:-2] + "tists"]
    elif last.endswith(("logy", "iatry", "macy")) and len(last) > 6:  # psychologist, pharmacist
        base = last[:-1]
        forms += [base + "ist", base + "ists"]
    elif last == "design":  # interior design -> interior designer
        forms += ["designer", "designers"]
    elif last.endswith("itecture"):  # architecture -> architect
        forms += [last[:-3], last[:-3] + "s"]
    return tuple(" ".join(words[:-1] + [f]) for f in forms)
