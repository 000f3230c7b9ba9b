"""`chainstep grads --run SCRIPT.py --json` against `python SCRIPT.py`, whole process.

    python benchmarks/run_bench.py                      # micrograd's demo, 5 runs each
    python benchmarks/run_bench.py path/to/train.py 3

Both sides are new processes of the same Python (this one: run it with the installation's
own, like `/tmp/venv/bin/python benchmarks/run_bench.py`), with the same environment,
taking turns so that a slow moment of the machine falls on both. chainstep's side runs
the script in its child, reads the graph its last backward() saw, derives every gradient
and writes the JSON; its answer is checked to be that JSON before a time is reported.
The issue's target: at most 3x.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEMO = Path(__file__).with_name("scripts") / "micrograd_demo.py"


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, finished.stdout


def main() -> None:
    script = Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    chainstep = Path(sys.executable).with_name("chainstep")
    python_times, chainstep_times = [], []
    for _ in range(runs):
        python_times.append(timed([sys.executable, str(script)])[0])
        seconds, out = timed([str(chainstep), "grads", "--run", str(script), "--json"])
        answer = json.loads(out)
        assert {"output", "value", "grads", "values"} <= set(answer), answer.keys()
        chainstep_times.append(seconds)
    python, ours = statistics.median(python_times), statistics.median(chainstep_times)
    print(f"{script.name}: {len(answer['grads']):,} parameters, output {answer['output']}")
    print(f"python SCRIPT.py                      {python:6.2f} s (median of {runs})")
    print(f"chainstep grads --run SCRIPT.py --json {ours:6.2f} s")
    print(f"ratio {ours / python:.2f} (target: at most 3)")


if __name__ == "__main__":
    main()
