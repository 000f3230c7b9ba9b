"""Time the app on generated programs: loading, and a step forward and back.

    python benchmarks/ui_bench.py            # 100, 1k and 10k statements
    python benchmarks/ui_bench.py 5000

Runs headless (Textual's test driver) at 100x30. A step should cost about the same on
every size: only the lines of the nodes the step touched are drawn again.
"""

from __future__ import annotations

import asyncio
import sys
import time

from benchmarks.engine_bench import generate
from tui.app import ChainstepApp
from tui.programs import Source

STEPS = 40


async def measure(statements: int) -> None:
    text = generate(statements)
    app = ChainstepApp(Source("generated", f"{statements} statements", text))
    start = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        loaded = time.perf_counter() - start
        app.position = app.walk.seed_index  # the backward pass, where steps do the most
        await pilot.pause()
        start = time.perf_counter()
        for delta in [1] * (STEPS // 2) + [-1] * (STEPS // 2):
            app.action_step(delta)
            await pilot.pause()
        per_step = (time.perf_counter() - start) / STEPS
    nodes = len(app.walk.nodes)
    print(
        f"{statements:>7,} statements ({nodes:,} nodes): "
        f"open {loaded:.2f}s, a step {per_step * 1000:.1f} ms (render included)"
    )


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [100, 1_000, 10_000]
    for size in sizes:
        asyncio.run(measure(size))


if __name__ == "__main__":
    main()
