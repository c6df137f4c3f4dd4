"""The chat page in headless Chromium (Debian's, driven by Playwright): ask, reload, follow up.

Requests to any host but 127.0.0.1 are blocked and recorded; the page must not need any.
Skipped only when SKIP_BROWSER_TESTS=1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.e2e.reference import DIFFERENCES, ENTRANCE_EXAMS, EXAMS, JUST_THREE, fact_present

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("SKIP_BROWSER_TESTS") == "1", reason="SKIP_BROWSER_TESTS=1"
    ),
]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "channels.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
BOT_MESSAGES = ".rw-response .rw-markdown"
INIT_PAYLOAD = "hi"  # bot/web/chat.js


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: `WITH_BROWSER=1 scripts/setup.sh` installs it "
                    "(or set SKIP_BROWSER_TESTS=1)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ChatPage:
    """One browser tab on the chat page, with every non-loopback request blocked."""

    def __init__(self, browser, server) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.outside_requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._only_loopback)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _only_loopback(self, route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def open(self, url: str | None = None):
        """Load the page and wait until the widget's opening turn (its initPayload) is shown."""
        response = self.page.goto(url or f"{self.server.base_url}/")
        self.wait_for_session(timeout=30_000)
        greeting = self.server.wait_turn(self.session_id, INIT_PAYLOAD)
        self.wait_for_bot_messages(len(greeting))
        return response

    def wait_for_session(self, timeout: float) -> None:
        self.page.wait_for_function(
            "() => (JSON.parse(localStorage.getItem('chat_session') || '{}')).session_id",
            timeout=timeout,
        )

    @property
    def session_id(self) -> str:
        return self.page.evaluate(
            "() => JSON.parse(window.localStorage.getItem('chat_session')).session_id"
        )

    def bot_message_count(self) -> int:
        return self.page.locator(BOT_MESSAGES).count()

    def ask(self, text: str):
        """Type a question; return the locators of the bot messages that answer it."""
        before = self.bot_message_count()
        self.page.fill(".rw-new-message", text)
        self.page.keyboard.press("Enter")
        count = len(self.server.wait_turn(self.session_id, text))
        self.wait_for_bot_messages(before + count)
        return [self.page.locator(BOT_MESSAGES).nth(i) for i in range(before, before + count)]

    def wait_for_bot_messages(self, count: int) -> None:
        self.page.wait_for_function(
            f"() => document.querySelectorAll({BOT_MESSAGES!r}).length >= {count}",
            timeout=30_000,
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def chat(browser, rasa_server) -> Iterator[ChatPage]:
    page = ChatPage(browser, rasa_server)
    yield page
    page.close()


def list_items(messages) -> int:
    return sum(message.locator("li").count() for message in messages)


def test_ask_reload_follow_up(chat, artifacts_dir):
    response = chat.open()
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "Operations Management" in chat.page.locator("h1").inner_text()

    answer = chat.ask(DIFFERENCES.text)
    assert list_items(answer) == 5, [m.inner_text() for m in answer]

    shown = chat.bot_message_count()
    chat.page.reload()
    chat.wait_for_bot_messages(shown)
    assert DIFFERENCES.text in chat.page.locator(".rw-client").all_inner_texts()
    assert chat.page.locator(f"{BOT_MESSAGES} li").count() >= 5

    follow_up = chat.ask(JUST_THREE.text)
    assert list_items(follow_up) == 3, [m.inner_text() for m in follow_up]

    chat.page.screenshot(path=str(artifacts_dir / "web-widget.png"), full_page=True)
    assert chat.outside_requests == []
    assert chat.errors == []


def test_user_text_is_shown_as_text_not_html(chat):
    chat.open()
    attack = '<img src="/web/x.png" onerror="window.pwned = 1"> **not bold**'
    chat.ask(attack)
    assert attack in chat.page.locator(".rw-client").all_inner_texts()
    assert chat.page.locator(".rw-conversation-container img[src='/web/x.png']").count() == 0
    assert chat.page.evaluate("() => window.pwned") is None
    assert chat.outside_requests == []


def embedding_page(bot_url: str) -> str:
    """A host page with the snippet from docs/channels.md, pointed at the test server."""
    docs = DOCS.read_text()
    snippet = re.search(r"<!-- embed-snippet.*?```html\n(.*?)```", docs, re.S)
    assert snippet, "docs/channels.md lost its embedding snippet"
    body = snippet.group(1).replace("https://bot.example.org", bot_url)
    return f"<!doctype html><title>A careers site</title><body>{body}</body>"


def test_snippet_embeds_the_widget_on_an_allowed_site(chat, rasa_server, embed_sites):
    site = embed_sites["allowed"]
    site.pages["/"] = embedding_page(rasa_server.base_url)
    chat.open(f"{site.origin}/")
    answer = chat.ask(EXAMS.text)
    text = "\n".join(message.inner_text() for message in answer)
    assert all(fact_present(fact, text) for fact in ENTRANCE_EXAMS), text
    assert chat.outside_requests == []


def test_site_not_in_the_allow_list_cannot_connect(chat, rasa_server, embed_sites):
    site = embed_sites["foreign"]
    site.pages["/"] = embedding_page(rasa_server.base_url)
    chat.page.goto(f"{site.origin}/")
    with pytest.raises(Exception, match="Timeout"):
        chat.wait_for_session(timeout=5_000)
