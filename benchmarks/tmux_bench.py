"""Key to screen in a real terminal: chainstep beside a minimal Textual app, measured alike.

    python benchmarks/tmux_bench.py              # a 10k-statement program, 100x30
    python benchmarks/tmux_bench.py 1000 --size 80x24

Both apps run under tmux, in the same size of pane, started the same way (this venv's
Python, the same environment). A measurement sends one key with ``tmux send-keys`` and
reads the pane with ``capture-pane`` every few milliseconds until the screen has the
key's answer *and* has stopped changing for ``SETTLE`` seconds: the time is when the last
change appeared, so an app that paints in several frames is charged for all of them.
The polling costs both sides the same.

- first paint: from starting the command to the first complete screen (chainstep on
  ``two-paths``, the minimal app on its counter);
- a step: ``right`` in the backward pass of the generated program, against the minimal
  app redrawing a counter;
- ``end`` and ``home`` on the generated program, against the same counter key.

Each figure is the median of ``REPEATS`` runs; ratios are chainstep / minimal app. Run it
with the Python of the installation to measure (``/path/to/venv/bin/python
benchmarks/tmux_bench.py``): its ``chainstep`` is the one started.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.engine_bench import generate

SESSION = "chainstep-bench"
POLL = 0.002
SETTLE = 0.25
TIMEOUT = 60.0
REPEATS = 7

MINIMAL_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Static

    class Minimal(App):
        BINDINGS = [("right", "count(1)", "Next"), ("end", "count(100)", "End"),
                    ("home", "count(-100)", "Start"), ("q", "quit", "Quit")]

        def compose(self):
            yield Static("count 0", id="count")
            yield Footer()

        def on_mount(self):
            self.theme = "textual-dark"
            self.count = 0

        def action_count(self, by):
            self.count += by
            self.query_one("#count", Static).update(f"count {self.count}")

    Minimal().run()
    """
)


class Pane:
    """One app in a detached tmux session of a fixed size."""

    def __init__(self, command: list[str], size: tuple[int, int]) -> None:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
        self.started = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                SESSION,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                shlex.join(command),
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True
        ).stdout

    def settled(self, start: float, ready: Callable[[str], bool]) -> tuple[float, str]:
        """Seconds from ``start`` to the last change of the screen once ``ready`` holds."""
        deadline = start + TIMEOUT
        last, changed_at = self.screen(), time.perf_counter()
        while not ready(last) or time.perf_counter() - changed_at < SETTLE:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the screen never got ready:\n{last}")
            time.sleep(POLL)
            now = self.screen()
            if now != last:
                last, changed_at = now, time.perf_counter()
        return changed_at - start, last

    def key(self, key: str, ready: Callable[[str], bool]) -> float:
        """Seconds from sending ``key`` to the screen's last change, once it has changed
        and ``ready`` holds."""
        before = self.screen()
        start = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", SESSION, key], check=True)
        return self.settled(start, lambda screen: screen != before and ready(screen))[0]

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def first_paint(command: list[str], size: tuple[int, int], ready: Callable[[str], bool]) -> float:
    times = []
    for _ in range(REPEATS):
        pane = Pane(command, size)
        times.append(pane.settled(pane.started, ready)[0])
        pane.close()
    return statistics.median(times)


def chainstep_keys(program: Path, size: tuple[int, int]) -> dict[str, float]:
    """Median key-to-screen times of a step, ``end`` and ``home`` on a large program."""
    chainstep = str(Path(sys.executable).parent / "chainstep")
    pane = Pane([chainstep, str(program)], size)
    try:
        _, screen = pane.settled(pane.started, lambda s: "step 1 of" in s)
        total = int(screen.split("step 1 of ")[1].split()[0].replace(",", ""))
        # into the backward pass, where a step does the most: b jumps to its first step
        pane.key("b", lambda s: "step 1 of" not in s)
        steps, ends, homes = [], [], []
        for _ in range(REPEATS):
            steps.append(pane.key("Right", lambda s: True))  # any change: the next step
            ends.append(
                pane.key("End", lambda s: f"step {total:,} of" in s or f"step {total} of" in s)
            )
            homes.append(pane.key("Home", lambda s: "step 1 of" in s))
            pane.key("b", lambda s: "step 1 of" not in s)
        return {
            "step": statistics.median(steps),
            "end": statistics.median(ends),
            "home": statistics.median(homes),
        }
    finally:
        pane.close()


def minimal_keys(app: Path, size: tuple[int, int]) -> dict[str, float]:
    pane = Pane([sys.executable, str(app)], size)
    try:
        pane.settled(pane.started, lambda s: "count 0" in s)
        count, times = 0, {"step": [], "end": [], "home": []}
        for _ in range(REPEATS):
            for name, key, by in (
                ("step", "Right", 1),
                ("end", "End", 100),
                ("home", "Home", -100),
            ):
                count += by
                expected = f"count {count}\n"
                times[name].append(pane.key(key, lambda s, e=expected: e in s))
        return {name: statistics.median(values) for name, values in times.items()}
    finally:
        pane.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("statements", type=int, nargs="?", default=10_000)
    parser.add_argument("--size", default="100x30", help="the pane, COLUMNSxLINES")
    parser.add_argument("--paint-only", action="store_true", help="measure the first paint alone")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    chainstep = str(Path(sys.executable).parent / "chainstep")
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "minimal.py"
        app.write_text(MINIMAL_APP)
        program = Path(folder) / "program.chain"
        program.write_text(generate(args.statements))
        ours_paint = first_paint([chainstep, "two-paths"], size, lambda s: "step 1 of 7" in s)
        theirs_paint = first_paint([sys.executable, str(app)], size, lambda s: "count 0" in s)
        print(f"tmux {size[0]}x{size[1]}, median of {REPEATS}; chainstep / minimal Textual app")
        print(
            f"  first paint (two-paths): {ours_paint * 1000:.0f} ms /"
            f" {theirs_paint * 1000:.0f} ms = {ours_paint / theirs_paint:.2f}"
        )
        if args.paint_only:
            return
        ours = chainstep_keys(program, size)
        theirs = minimal_keys(app, size)
    for name in ("step", "end", "home"):
        print(
            f"  {name:<5} ({args.statements:,} statements): {ours[name] * 1000:.0f} ms /"
            f" {theirs[name] * 1000:.0f} ms = {ours[name] / theirs[name]:.2f}"
        )


if __name__ == "__main__":
    main()
