"""Synthetic source articles for scale benchmarks: ``python -m bench.synthetic DIR N``.

Each article compares two invented fields of management ("Quarry Logistics Management vs
Harbour Planning Management"), in the shape editors write: a title, definitions, a
qualification and careers paragraph per field, and a paragraph of differences. Names are built
from word lists so that N articles name up to N * 2 distinct fields; the same seed gives the
same articles. The vocabulary is that of real articles (definitions, "graduate degree",
"entrance exam", "recruited by"), so the ingestion rules and the search index do real work.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_FIRST = ("quarry", "harbour", "textile", "dairy", "cement", "railway", "pharma", "seed",
          "timber", "bottling", "foundry", "packaging", "airport", "tannery", "brewery",
          "glass", "paper", "rubber", "sugar", "spice", "solar", "tea", "toy", "yarn")
_SECOND = ("logistics", "planning", "quality", "maintenance", "procurement", "safety",
           "process", "inventory", "scheduling", "tooling", "packaging", "distribution",
           "warehouse", "assembly", "sourcing", "dispatch", "yield", "audit", "fleet", "plant")
_SECTORS = ("Banking", "Automobiles", "Retail", "Telecom", "Energy", "Healthcare", "Mining",
            "Shipping", "Aviation", "Agriculture", "Insurance", "Hospitality", "Textiles",
            "Chemicals", "Construction", "Education", "Media", "Defence", "Railways", "Steel")
_EXAMS = ("CAT", "MAT", "XAT", "CMAT", "GMAT", "SNAP", "ATMA", "NMAT")
_DEGREES = ("B.Com", "B.Sc", "BBA", "B.Tech", "B.E", "BA")


_THIRD = ("systems", "operations", "services", "studies", "analytics", "engineering", "design",
          "control", "strategy", "research")


def field_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct field names: two-word names first, then longer ones, as needed."""
    tiers = (
        [f"{a} {b}" for a in _FIRST for b in _SECOND],
        [f"{a} {b} {c}" for a in _FIRST for b in _SECOND for c in _THIRD],
        [f"{a} {a2} {b}" for a in _FIRST for a2 in _FIRST if a2 != a for b in _SECOND],
        [f"{a} {a2} {b} {c}" for a in _FIRST for a2 in _FIRST if a2 != a for b in _SECOND
         for c in _THIRD],
    )
    names: list[str] = []
    for tier in tiers:
        if len(names) >= count:
            break
        names += rng.sample(tier, min(len(tier), count - len(names)))
    if len(names) < count:
        raise ValueError(f"at most {len(names)} synthetic field names")
    return [f"{n.title()} Management" for n in names]


def article(left: str, right: str, rng: random.Random) -> str:
    sectors = rng.sample(_SECTORS, 6)
    exams = rng.sample(_EXAMS, 3)
    degree = rng.choice(_DEGREES)
    return "\n\n".join([
        f"Difference between {left} and {right}",
        f"{left} is the field of management that deals with the planning and control of "
        f"{left.split()[0].lower()} work in an organisation. {right} is concerned with the "
        f"{right.split()[1].lower()} of resources across a firm and its suppliers.",
        left,
        f"The basic qualification required to pursue a career in {left.lower()} is a graduate "
        f"degree. Students with a {degree} degree have a relative advantage. Admission into "
        f"the MBA program is made through an entrance exam such as {exams[0]} or {exams[1]}. "
        f"Career opportunities are available in {sectors[0]}, {sectors[1]} and {sectors[2]}.",
        right,
        f"A student will require a Masters degree in Business Administration to work in "
        f"{right.lower()}. A few institutes also consider {exams[2]} scores. Professionals of "
        f"{right.lower()} are recruited by the {sectors[3]}, {sectors[4]} and {sectors[5]} "
        f"sectors.",
        f"Key differences between {left} and {right}",
        f"While {left} focuses on day-to-day control, {right} looks at long-term planning. "
        f"{left} is narrower than {right}.",
    ]) + "\n"


def write_articles(directory: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    names = field_names(2 * count, rng)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        left, right = names[2 * number], names[2 * number + 1]
        path = directory / f"synthetic-{number:05d}.txt"
        path.write_text(article(left, right, rng), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target, how_many = Path(sys.argv[1]), int(sys.argv[2])
    print(f"{len(write_articles(target, how_many))} articles in {target}")
