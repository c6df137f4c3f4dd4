"""``python -m bot.kb build | show | ask`` against a temporary database (KB_DATABASE_URL)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT
from bot.ingest.rules import load_rules
from bot.kb.__main__ import main
from tests.conftest import HR_ARTICLE, USER_ARTICLE, add_sources, source_text

CITATION = re.compile(
    r"^\s+\[(?P<path>[^\]]+):(?P<start>\d+)-(?P<end>\d+), section “(?P<section>[^”]+)”\]$"
)
SPECS = {spec.label: spec for spec in load_rules().attributes}
NORMALISED = {"scope", "recommended_degree"}  # values are keywords/verdicts, not quotations


@pytest.fixture
def environment(kb_settings, monkeypatch, nlp):
    """The CLI reads its settings from the environment; building reuses the session's nlp."""
    monkeypatch.setenv("KB_DATABASE_URL", kb_settings.database_url)
    monkeypatch.setenv("KB_SOURCES_DIR", str(kb_settings.sources_dir))
    monkeypatch.setattr("bot.nlp.pipeline.build_nlp", lambda: nlp)
    return kb_settings


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_then_build_again(environment, capsys):
    (user,) = add_sources(environment, USER_ARTICLE)
    code, out, _ = run(capsys, "build")
    assert code == 0
    assert out.startswith(f"Knowledge base rebuilt: {environment.database_url}")
    assert f"added     {user.resolve()}" in out
    assert re.search(r"1 sources, \d+ passages, 2 topics, 7 topic_aliases, \d+ facts", out)
    code, out, _ = run(capsys, "build")
    assert code == 0
    assert "Knowledge base up to date" in out and f"unchanged {user.resolve()}" in out


def test_show_prints_topics_facts_and_citations(environment, capsys):
    add_sources(environment, USER_ARTICLE)
    assert run(capsys, "build")[0] == 0
    result = subprocess.run(
        [sys.executable, "-m", "bot.kb", "show"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "KB_DATABASE_URL": environment.database_url},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("# operations management  (aliases: OM") for line in lines)
    assert any(line.startswith("# production management") and "Product management" in line
               for line in lines)
    assert "    - Information Technology" in lines
    assert "    - XAT" in lines
    checked, spec = 0, None
    for i, line in enumerate(lines):
        if line.startswith("  ") and line.endswith(":") and line.strip()[:-1] in SPECS:
            spec = SPECS[line.strip()[:-1]]
        match = CITATION.match(line)
        if match is None:
            continue
        value = lines[i - 1].removeprefix("    - ")
        text = source_text(match["path"])
        sentence = text[int(match["start"]) : int(match["end"])]
        assert match["section"] in " ".join(text.split())
        if spec.name not in NORMALISED:  # the value is quoted from its sentence (or clause)
            assert value in sentence
        checked += 1
    assert checked == sum(1 for line in lines if line.startswith("    - ")) >= 50


def test_show_on_an_empty_knowledge_base_says_so(environment, capsys):
    assert run(capsys, "build")[0] == 0
    code, out, _ = run(capsys, "show")
    assert code == 1
    assert "empty" in out and "python -m bot.kb build" in out


def test_ask_prints_scored_passages_with_citations(environment, capsys):
    add_sources(environment, USER_ARTICLE, HR_ARTICLE)
    assert run(capsys, "build")[0] == 0
    code, out, _ = run(capsys, "ask", "admission", "entrance", "exam", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("1.00  ") and "admission" in lines[0].lower()
    assert lines[2].startswith("1.00  ") and "entrance exam" in lines[2]
    assert re.match(r"^\s+— Difference between .+, section “.+ Management” \[.+:\d+\]$",
                    lines[1])
    code, out, _ = run(capsys, "ask", "astrology horoscopes")
    assert code == 1 and "No passage matches" in out


def test_build_with_a_bad_source_exits_1_naming_the_file(environment, capsys):
    add_sources(environment, USER_ARTICLE)
    assert run(capsys, "build")[0] == 0
    before = run(capsys, "show")[1]
    bad = environment.sources_dir / "broken-article.md"
    bad.write_bytes(b"\xff\xfe\x00D\x00i\x00f\x00f")
    code, out, err = run(capsys, "build")
    assert code == 1
    assert "Knowledge base NOT changed" in err
    assert str(bad) in err and "binary" in err
    assert out == ""
    assert run(capsys, "show")[1] == before


@pytest.mark.parametrize("damage", ["missing", "corrupt", "empty file"])
def test_check_names_the_file_and_the_command_that_rebuilds_it(environment, capsys, damage):
    path = environment.sqlite_path
    if path is None:
        pytest.skip("damage to a database file: SQLite only")
    if damage == "missing":
        path.unlink(missing_ok=True)
    elif damage == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    else:
        path.write_bytes(b"")
    code, out, err = run(capsys, "check")
    assert code == 1
    assert str(path) in out + err and "python -m bot.kb build" in out + err
    assert "Traceback" not in out + err


def test_check_passes_on_a_built_knowledge_base(environment, capsys):
    add_sources(environment, USER_ARTICLE)
    assert run(capsys, "build")[0] == 0
    assert run(capsys, "check")[0] == 0
