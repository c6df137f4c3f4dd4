"""Serves the chat page (``bot/web``) from the Rasa server itself, on the socket.io channel's host.

Why here: the page talks to the socket.io channel, so serving both from one server keeps them on
one origin (no CORS, no second process, ``make run`` prints one URL). Rasa owns ``GET /`` (it
answers "Hello from Rasa" and tools use it as a liveness probe), so:

* ``GET /`` from a browser (``Accept: text/html``) gets the page through a request middleware;
  every other client still gets Rasa's own answer;
* ``GET /web/`` is the page under a path nobody else owns, ``/web/chat.js`` and ``/web/chat.css``
  are the page's own files and ``/web/rasa-webchat.js`` is the widget bundle that
  ``npm ci`` put in ``bot/web/node_modules``, with its Google-font ``@import`` removed.

Only those files are served (a fixed table, no directory listing, no path from the request). Each
response carries a Content-Security-Policy allowing requests to this origin only, so the page
cannot reach another host even if the widget or a message asks it to (fonts, images, or a
``javascript:`` link in a message: scripts run only from ``/web/``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
WIDGET_BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
_EXTERNAL_IMPORT = re.compile(rb"@import url\(https?://[^)]*\);?")
_SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")


@dataclass
class WebPage:
    """The chat page's files; :meth:`install` adds its routes to a Sanic app once."""

    web_dir: Path = WEB_DIR
    widget_bundle: Path = WIDGET_BUNDLE
    _bundle: bytes | None = field(default=None, init=False, repr=False)

    def install(self, app: Sanic) -> None:
        if getattr(app.ctx, "chat_page_installed", False):
            return
        app.ctx.chat_page_installed = True
        files = {
            "": ("index.html", "text/html; charset=utf-8"),
            "chat.js": ("chat.js", "text/javascript; charset=utf-8"),
            "chat.css": ("chat.css", "text/css; charset=utf-8"),
        }

        async def page_file(request: Request, name: str = "") -> HTTPResponse:
            if name == "rasa-webchat.js":
                return self._widget(request)
            if name not in files:
                return response.text("Not found", status=404)
            filename, content_type = files[name]
            return self._respond(request, (self.web_dir / filename).read_bytes(), content_type)

        async def browser_root(request: Request) -> HTTPResponse | None:
            if request.path == "/" and request.method == "GET" and _wants_html(request):
                return await page_file(request)
            return None

        app.add_route(page_file, "/web/", methods=["GET"], name="chat_page")
        app.add_route(page_file, "/web/<name:str>", methods=["GET"], name="chat_page_file")
        app.register_middleware(browser_root, "request")

    def _widget(self, request: Request) -> HTTPResponse:
        if self._bundle is None:
            if not self.widget_bundle.is_file():
                logger.error(
                    "Chat widget bundle %s missing: run scripts/setup.sh (npm ci in bot/web)",
                    self.widget_bundle,
                )
                return response.text("Chat widget not installed", status=404)
            self._bundle = strip_external_imports(self.widget_bundle.read_bytes())
        return self._respond(request, self._bundle, "text/javascript; charset=utf-8")

    @staticmethod
    def _respond(request: Request, body: bytes, content_type: str) -> HTTPResponse:
        return response.raw(body, content_type=content_type, headers=security_headers(request))


def strip_external_imports(bundle: bytes) -> bytes:
    """Remove CSS ``@import url(https://...)`` (rasa-webchat's Google font) from the bundle."""
    return _EXTERNAL_IMPORT.sub(b"", bundle)


def security_headers(request: Request) -> dict[str, str]:
    host = request.headers.get("host", "")
    sockets = f" ws://{host} wss://{host}" if _SAFE_HOST.match(host) else ""
    policy = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self' data:; connect-src 'self'{sockets}; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")
