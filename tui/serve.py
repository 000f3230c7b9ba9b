"""``chainstep serve``: the stepper in a browser, for a classroom, through textual-serve.

textual-serve starts one app process per browser tab (``python -m tui.served PROGRAM``,
with a web driver instead of a terminal). chainstep adds three things to it:
- its own page, which declares the fonts textual-serve bundles (``@font-face``) instead of
  linking a web font service, so nothing is loaded from outside the machine;
- a session limit: past ``--max-sessions`` tabs, a new one gets a page saying the class is
  full (status 503), not a hang;
- localhost by default, and a warning when asked to serve on another address.
In the browser the program is the one the teacher named; the editor takes only the safe
language, exports are downloads, and nothing runs a script or opens a server file.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

MAX_SESSIONS = 40
"""A class of 30 with room to spare; each session is a Python process of about 40 MiB
(``benchmarks/serve_bench.py``)."""
TEMPLATES = Path(__file__).with_name("serve_templates")
LOCAL = ("127.0.0.1", "localhost", "::1")

FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>chainstep: the class is full</title>
<style>body{{font-family:monospace;background:#121212;color:#e0e0e0;display:flex;
align-items:center;justify-content:center;height:100vh;margin:0;flex-direction:column}}
</style></head><body><p>The class is full: {limit} sessions are open.</p>
<p>Close a tab somewhere, or ask your teacher, then reload this page.</p></body></html>
"""


class ChainstepServer(Server):
    def __init__(self, program: str, host: str, port: int, max_sessions: int) -> None:
        import textual_serve

        command = f"{shlex.quote(sys.executable)} -m tui.served {shlex.quote(program)}"
        super().__init__(
            command,
            host=host,
            port=port,
            title=program,
            statics_path=Path(textual_serve.__file__).parent / "static",
            templates_path=TEMPLATES,
        )
        self.max_sessions = max_sessions
        self.sessions = 0

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    async def handle_index(self, request: web.Request) -> Any:
        if self.full:
            return _full(self.max_sessions)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.full:  # two tabs raced for the last place
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.close(code=1013, message=b"the class is full")
            return websocket
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1


def _full(limit: int) -> web.Response:
    return web.Response(text=FULL_PAGE.format(limit=limit), status=503, content_type="text/html")


def serve(program: str, host: str, port: int, max_sessions: int = MAX_SESSIONS) -> None:
    if host not in LOCAL:
        sys.stderr.write(
            f"warning: serving on {host}: anyone who can reach this machine on port {port}"
            " can open a session\n"
        )
    ChainstepServer(program, host, port, max_sessions).serve()
