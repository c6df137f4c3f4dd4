"""Secrets come from the environment, never from the repository: no tracked file holds a token,
key or password that looks real."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = {
    "Slack token": re.compile(r"xox[abposr]-[0-9A-Za-z]{8,}-[0-9A-Za-z-]{8,}"),
    "Slack signing secret": re.compile(r"signing_secret\s*[:=]\s*['\"]?[0-9a-f]{32}"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "password in a URL": re.compile(r"://[^/\s:@]+:[^@\s/${}]{4,}@"),
    "password setting": re.compile(r"(?i)\bpassword\s*[:=]\s*['\"]?(?!\$\{)[^\s'\"${}]{6,}"),
}
# Files that describe or test the patterns themselves.
SKIP = {"tests/unit/test_no_secrets.py"}


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.splitlines()
            if name not in SKIP and not name.startswith("bot/web/node_modules/")]


def test_no_tracked_file_holds_a_secret():
    found = []
    for path in tracked_files():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for name, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(f"{path.relative_to(ROOT)}: {name}: {match.group(0)[:24]}...")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("text", ["SLACK_BOT_TOKEN=xoxb-123456789012-abcdefghijkl",
                                  "password: hunter2secret",
                                  "postgresql://bob:s3cretpw@db/x"])
def test_the_scan_would_catch_one(text):
    assert any(p.search(text) for p in PATTERNS.values())
