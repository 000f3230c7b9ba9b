"""A classroom's load on `chainstep serve`: N browser sessions at once on this machine.

For each session: the time to its first screen, then the time from a key (`n`) to the
screen that shows the next step, with every session pressing at once. Memory: the
resident size of each session's app process (textual-serve starts one per tab), read
from /proc. Run: `.venv/bin/python benchmarks/serve_bench.py [SESSIONS]` (default 30).
"""

from __future__ import annotations

import asyncio
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


async def until(websocket: aiohttp.ClientWebSocketResponse, needle: str) -> None:
    text = ""
    while needle not in ANSI.sub("", text):
        message = await websocket.receive(timeout=120)
        if message.type == aiohttp.WSMsgType.BINARY:
            text += message.data.decode("utf-8", "replace")
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise RuntimeError("a session ended")


async def one(
    url: str, client: aiohttp.ClientSession, go: asyncio.Event
) -> tuple[float, float, aiohttp.ClientWebSocketResponse]:
    start = time.perf_counter()
    websocket = await client.ws_connect(f"{url.replace('http', 'ws')}/ws?width=100&height=30")
    await websocket.send_json(["resize", {"width": 100, "height": 30}])
    await until(websocket, "step 1 of 7")
    first = time.perf_counter() - start
    await go.wait()
    start = time.perf_counter()
    await websocket.send_json(["stdin", "n"])
    await until(websocket, "step 2 of 7")
    return first, time.perf_counter() - start, websocket


def rss_of_sessions(pid: int) -> list[int]:
    """Resident kB of every Python process under the server: the app sessions
    (textual-serve starts each through a shell, so they are grandchildren)."""
    parent, rss, name = {}, {}, {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        child = int(status.parent.name)
        parent[child] = int(fields.get("PPid", "0").strip() or 0)
        name[child] = fields.get("Name", "").strip()
        if "VmRSS" in fields:
            rss[child] = int(fields["VmRSS"].split()[0])

    def under(process: int) -> bool:
        while process in parent and process != pid:
            process = parent[process]
        return process == pid

    return [rss[p] for p in rss if p != pid and name[p].startswith("python") and under(p)]


async def main(sessions: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chainstep = Path(sys.executable).parent / "chainstep"
    server = subprocess.Popen(
        [
            str(chainstep),
            "serve",
            "two-paths",
            "--port",
            str(port),
            "--max-sessions",
            str(sessions),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await asyncio.sleep(2)
        go = asyncio.Event()
        async with aiohttp.ClientSession() as client:
            tasks = [asyncio.create_task(one(url, client, go)) for _ in range(sessions)]
            while sum(1 for _ in rss_of_sessions(server.pid)) < sessions:
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # let every session draw
            memory = rss_of_sessions(server.pid)
            go.set()
            results = await asyncio.gather(*tasks)
            for _, _, websocket in results:
                await websocket.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    firsts = sorted(r[0] for r in results)
    keys = sorted(r[1] for r in results)
    print(f"{sessions} sessions on {len(__import__('os').sched_getaffinity(0))} cores")
    print(f"first screen: median {statistics.median(firsts):.2f} s, slowest {firsts[-1]:.2f} s")
    print(
        f"key to screen, all pressing at once: median {statistics.median(keys) * 1000:.0f} ms,"
        f" slowest {keys[-1] * 1000:.0f} ms"
    )
    print(
        f"memory per session: median {statistics.median(memory) / 1024:.0f} MiB"
        f" ({sum(memory) / 1024:.0f} MiB for {len(memory)})"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
