"""`chainstep serve` as a browser meets it: the page, the websocket a terminal runs over,
exports as downloads, ten tabs at once, a full class, and a real headless Chromium."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

CHAINSTEP = Path(sys.executable).parent / "chainstep"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(CHAINSTEP), "serve", "two-paths", "--port", str(port), *options],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    server, url = start(tmp_path, "--max-sessions", "12")
    try:
        yield url, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=10)


class Terminal:
    """The browser's side of the websocket, as textual.js drives it: resize, keys, and
    the screen's text with the escape codes taken out."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.text = ""
        self.messages: list[str] = []

    async def until(self, needle: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in ANSI.sub("", self.text):
            message = await self.websocket.receive(timeout=deadline - time.monotonic())
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += message.data.decode("utf-8", "replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(message.data)
            else:
                raise AssertionError(f"the session ended waiting for {needle!r}")

    async def key(self, key: str) -> None:
        self.text = ""
        await self.websocket.send_json(["stdin", key])


async def session(url: str, client: aiohttp.ClientSession) -> Terminal:
    websocket = await client.ws_connect(f"{url.replace('http', 'ws')}/ws?width=100&height=30")
    await websocket.send_json(["resize", {"width": 100, "height": 30}])
    return Terminal(websocket)


async def test_the_page_loads_nothing_from_outside_the_machine(served):
    url, _ = served
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        assert response.status == 200
        page = await response.text()
    assert "@font-face" in page and "Roboto Mono" in page
    for address in re.findall(r"https?://[^\"' )]+", page):
        assert address.startswith(url + "/"), address
    async with aiohttp.ClientSession() as client:
        for asset in re.findall(r"https?://[^\"' )]+", page):
            async with client.get(asset) as response:
                assert response.status == 200, asset


async def test_a_key_sent_as_terminal_input_steps(served):
    url, _ = served
    async with aiohttp.ClientSession() as client:
        terminal = await session(url, client)
        await terminal.until("step 1 of 7")
        await terminal.key("n")
        await terminal.until("step 2 of 7")
        await terminal.websocket.close()


async def test_export_in_the_browser_is_a_download_and_writes_nothing_on_the_server(served):
    url, folder = served
    before = sorted(folder.iterdir())
    async with aiohttp.ClientSession() as client:
        terminal = await session(url, client)
        await terminal.until("step 1 of 7")
        await terminal.key("x")
        await terminal.until("sent to your browser")
        deadline = time.monotonic() + 10
        while len([m for m in terminal.messages if "deliver_file_start" in m]) < 4:
            message = await terminal.websocket.receive(timeout=deadline - time.monotonic())
            if message.type == aiohttp.WSMsgType.TEXT:
                terminal.messages.append(message.data)
        keys = [re.search(r'"([0-9a-f]{32})"', m).group(1) for m in terminal.messages]
        bodies = []
        for key in keys:
            async with client.get(f"{url}/download/{key}") as response:
                bodies.append(await response.text())
        await terminal.websocket.close()
    assert any("flowchart LR" in body for body in bodies)  # the Mermaid export
    assert sorted(folder.iterdir()) == before


async def test_ten_sessions_at_once_each_draw_their_first_screen(served):
    url, _ = served
    async with aiohttp.ClientSession() as client:
        terminals = await asyncio.gather(*(session(url, client) for _ in range(10)))
        await asyncio.gather(*(terminal.until("step 1 of 7", 60) for terminal in terminals))
        for terminal in terminals:
            await terminal.websocket.close()


async def test_a_full_class_gets_a_page_saying_so(tmp_path):
    server, url = start(tmp_path, "--max-sessions", "1")
    try:
        async with aiohttp.ClientSession() as client:
            terminal = await session(url, client)
            await terminal.until("step 1 of 7")
            async with client.get(url) as response:
                assert response.status == 503
                assert "The class is full: 1 sessions are open" in await response.text()
            await terminal.websocket.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serving_beyond_this_machine_warns(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [str(CHAINSTEP), "serve", "--host", "0.0.0.0", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "warning: serving on 0.0.0.0" in errors


HEADLESS = shutil.which("chromium-headless-shell") or "/usr/lib/chromium/chromium-headless-shell"


@pytest.mark.skipif(
    not Path(HEADLESS).exists(), reason="Debian's chromium-headless-shell is not installed"
)
def test_a_real_browser_draws_the_app(served, tmp_path):
    """Headless Chromium through Playwright: the page connects, the app draws, a key steps;
    the screenshot is kept for a person to look at."""
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    url, _ = served
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=HEADLESS,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        outside: list[str] = []
        page.on(
            "request",
            lambda request: (
                outside.append(request.url)
                if not request.url.startswith((url, "ws://127.0.0.1"))
                else None
            ),
        )
        page.goto(url)
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        page.wait_for_timeout(1500)
        page.locator("#terminal").click()  # keys go to the focused terminal
        page.keyboard.press("n")
        page.wait_for_timeout(1000)
        shot = tmp_path / "browser.png"
        page.screenshot(path=str(shot))
        rows = (
            page.locator(".xterm-rows").inner_text() if page.locator(".xterm-rows").count() else ""
        )
        browser.close()
    assert outside == []
    assert shot.stat().st_size > 10_000
    if rows:  # the DOM renderer: the text itself can be read
        assert "step 2 of 7" in rows
