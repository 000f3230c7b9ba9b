"""The README's browser picture: `chainstep serve` in headless Chromium, midway through
Example 3. Run: `.venv/bin/python screenshots/browser.py` (needs Debian's
chromium-headless-shell and `pip install playwright`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
BROWSER = shutil.which("chromium-headless-shell") or "/usr/lib/chromium/chromium-headless-shell"


def main() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chainstep = Path(sys.executable).parent / "chainstep"
    server = subprocess.Popen(
        [str(chainstep), "serve", "two-paths", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=BROWSER,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1200, "height": 720})
            page.goto(f"http://127.0.0.1:{port}/?fontsize=15")
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            page.wait_for_timeout(1500)
            page.locator("#terminal").click()  # keys go to the focused terminal
            for key in ["b", "n", "n"]:
                page.keyboard.press(key)
                page.wait_for_timeout(400)
            page.screenshot(path=str(HERE / "browser.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(HERE / "browser.png")


if __name__ == "__main__":
    main()
