"""Time the engine's stages on generated programs, beside micrograd running the same text.

    pip install -e '.[benchmark]'
    python benchmarks/engine_bench.py            # 1k, 10k and 100k statements
    python benchmarks/engine_bench.py 10000      # chosen sizes

chainstep parses with ``ast``, builds a NetworkX graph, evaluates forward and derives every
step (each with its formulas and numbers). micrograd 0.1.0 compiles the same text as
Python (with the inputs wrapped in ``Value``), runs it, and back-propagates. The programs
use only what micrograd 0.1.0 has: + - * / ** and relu, and stay bounded in value.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable

from engine import gc_paused
from engine.graph import ComputationGraph
from engine.language import parse_program
from engine.steps import derive_steps

TEMPLATES = [
    "{a} * 0.5 + {b} * 0.25",
    "({a} - {b}) * 0.5",
    "{a} / ({b} * {b} + 1)",
    "({a} * {a} + 1) ** 0.5 * 0.5",
    "{a}.relu() * 0.9 + {b} * 0.1",
    "{a} * {b} * 0.1 + {a}",
]


def generate(statements: int, seed: int = 0) -> str:
    """A program whose statements draw on the last 20 names: long chains and much reuse."""
    rng = random.Random(seed)
    inputs = max(2, statements // 50)
    lines = [f"x{i} = {rng.uniform(-1, 1):.3f}" for i in range(inputs)]
    names = [f"x{i}" for i in range(inputs)]
    for index in range(statements - inputs):
        a, b = rng.choice(names[-20:]), rng.choice(names[-20:])
        lines.append(f"v{index} = " + rng.choice(TEMPLATES).format(a=a, b=b))
        names.append(f"v{index}")
    return "\n".join(lines) + "\n"


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def chainstep_stages(text: str) -> dict[str, float]:
    seconds: dict[str, float] = {}
    with gc_paused():  # as engine.walkthrough runs them
        seconds["parse"], program = timed(lambda: parse_program(text))
        seconds["build"], graph = timed(lambda: ComputationGraph(program))
        seconds["forward"], _ = timed(graph.forward)
        seconds["steps"], _ = timed(lambda: derive_steps(graph))
    return seconds


def micrograd_stages(text: str) -> dict[str, float]:
    from micrograd.engine import Value

    lines = text.splitlines()
    wrapped = "\n".join(
        f"{line.split(' = ')[0]} = Value({line.split(' = ')[1]})" if line.startswith("x") else line
        for line in lines
    )
    output = lines[-1].split(" = ")[0]
    seconds: dict[str, float] = {}
    namespace: dict[str, object] = {"Value": Value}
    seconds["compile"], code = timed(lambda: compile(wrapped, "<program>", "exec"))
    seconds["forward"], _ = timed(lambda: exec(code, namespace))
    seconds["backward"], _ = timed(namespace[output].backward)  # type: ignore[attr-defined]
    return seconds


def in_big_stack(function: Callable[[], object]) -> object:
    """micrograd's topological sort recurses once per node in a chain."""
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(function()))
    thread.start()
    thread.join()
    return box[0]


def report(size: int) -> None:
    text = generate(size)
    ours = chainstep_stages(text)
    try:
        with gc_paused():  # the same collector setting as chainstep's stages get
            theirs = in_big_stack(lambda: micrograd_stages(text))
    except ImportError:
        theirs = None
    ours_total = sum(ours.values())
    stages = "  ".join(f"{name} {seconds:.3f}s" for name, seconds in ours.items())
    print(f"{size:>7,} statements  chainstep {ours_total:.3f}s  ({stages})")
    if theirs:
        theirs_total = sum(theirs.values())  # type: ignore[union-attr]
        stages = "  ".join(f"{name} {seconds:.3f}s" for name, seconds in theirs.items())  # type: ignore[union-attr]
        print(f"{'':>18}micrograd {theirs_total:.3f}s  ({stages})")
        print(f"{'':>18}ratio chainstep / micrograd = {ours_total / theirs_total:.2f}")
    else:
        print(f"{'':>18}micrograd not installed: pip install -e '.[benchmark]'")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000]
    for size in sizes:
        report(size)


if __name__ == "__main__":
    main()
