"""chainstep beside micrograd with the same settings and the same shape on both sides.

    python benchmarks/fair_bench.py              # 10k and 100k statements
    python benchmarks/fair_bench.py 10000

Both sides read the same generated program (``engine_bench.generate``) and answer the
same question: the output's value, every input's gradient and every name's value, written
as the same JSON object (``chainstep grads --json``'s shape, one top-level key a line).

- In process, twice: with the cycle collector on (Python's default) for both, and paused
  for both (what ``chainstep grads`` does while it works).
- Whole process: ``chainstep grads PROGRAM --json`` against ``python runner.py PROGRAM``,
  a micrograd script that wraps the inputs in ``Value``, runs the program, calls
  ``backward()`` and dumps the same JSON; the runner pauses the collector as chainstep's
  command does. Wall time and peak resident memory of each process (``os.wait4``).
Each figure is the best of ``REPEATS`` runs; ratios are chainstep / micrograd.
"""

from __future__ import annotations

import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.engine_bench import generate, in_big_stack
from engine import walkthrough

REPEATS = 3
RUNNER = textwrap.dedent(
    """
    import gc, json, sys, threading
    gc.disable()  # the same collector setting as chainstep's command
    from micrograd.engine import Value

    def run():
        lines = open(sys.argv[1]).read().splitlines()
        source = "\\n".join(
            f"{l.split(' = ')[0]} = Value({l.split(' = ')[1]})" if l.startswith("x") else l
            for l in lines
        )
        names = {"Value": Value}
        exec(compile(source, sys.argv[1], "exec"), names)
        output = lines[-1].split(" = ")[0]
        names[output].backward()
        inputs = [l.split(" = ")[0] for l in lines if l.startswith("x")]
        targets = dict.fromkeys(l.split(" = ")[0] for l in lines if l)
        # the shape of `chainstep grads --json`: one top-level key a line
        report = {"output": output, "value": names[output].data,
            "grads": {name: names[name].grad for name in inputs},
            "values": {name: names[name].data for name in targets}}
        sys.stdout.write("{\\n" + ",\\n".join(
            f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in report.items()) + "\\n}\\n")

    # micrograd's topological sort recurses once per node of a chain: a deep stack
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    """
)


def best(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def micrograd_in_process(text: str) -> None:
    from micrograd.engine import Value

    lines = text.splitlines()
    source = "\n".join(
        f"{line.split(' = ')[0]} = Value({line.split(' = ')[1]})" if line.startswith("x") else line
        for line in lines
    )
    names: dict[str, object] = {"Value": Value}
    exec(compile(source, "<program>", "exec"), names)
    names[lines[-1].split(" = ")[0]].backward()  # type: ignore[attr-defined]


def in_process(text: str, collector: bool) -> tuple[float, float]:
    was = gc.isenabled()
    (gc.enable if collector else gc.disable)()
    try:
        ours = best(lambda: walkthrough(text))
        theirs = best(lambda: in_big_stack(lambda: micrograd_in_process(text)))
    finally:
        (gc.enable if was else gc.disable)()
    return ours, theirs


def whole_process(command: list[str]) -> tuple[float, float]:
    """Best wall time (s) and the peak resident memory (MiB) of a command."""
    times, peaks = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        assert os.waitstatus_to_exitcode(status) == 0, command
    return min(times), max(peaks)


def same_answer(ours: dict, theirs: dict) -> None:
    """Both sides wrote the same keys and the same numbers (to rounding): else the
    comparison would time two different jobs."""
    assert list(ours) == list(theirs), (list(ours), list(theirs))
    assert ours["output"] == theirs["output"]
    for key in ("grads", "values"):
        assert list(ours[key]) == list(theirs[key]), key
        for name, number in ours[key].items():
            assert math.isclose(number, theirs[key][name], rel_tol=1e-9, abs_tol=1e-12), name


def report(size: int) -> None:
    text = generate(size)
    with tempfile.TemporaryDirectory() as folder:
        program = Path(folder) / "program.chain"
        program.write_text(text)
        runner = Path(folder) / "runner.py"
        runner.write_text(RUNNER)
        chainstep = str(Path(sys.executable).parent / "chainstep")
        ours = whole_process([chainstep, "grads", str(program), "--json"])
        theirs = whole_process([sys.executable, str(runner), str(program)])
        theirs_json = json.loads(
            subprocess.run([sys.executable, str(runner), str(program)], capture_output=True).stdout
        )
        ours_json = json.loads(
            subprocess.run([chainstep, "grads", str(program), "--json"], capture_output=True).stdout
        )
        same_answer(ours_json, theirs_json)
        expected = theirs_json["value"]
    print(f"{size:,} statements ({len(walkthrough(text).nodes):,} nodes)")
    for collector in (True, False):
        a, b = in_process(text, collector)
        label = "collector on " if collector else "collector off"
        print(f"  in process, {label}: chainstep {a:.2f}s  micrograd {b:.2f}s  ratio {a / b:.2f}")
    print(
        f"  whole process: chainstep {ours[0]:.2f}s {ours[1]:.0f} MiB, micrograd"
        f" {theirs[0]:.2f}s {theirs[1]:.0f} MiB; ratio {ours[0] / theirs[0]:.2f} time,"
        f" {ours[1] / theirs[1]:.2f} memory (output {expected:.6g})"
    )


def main() -> None:
    for size in [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]:
        report(size)


if __name__ == "__main__":
    main()
