"""The installed command as a user runs it: version, pipes that close early, and names."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from engine import walkthrough

CHAINSTEP = Path(sys.executable).parent / "chainstep"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHAINSTEP), *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_version_is_the_installed_distributions():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"chainstep {version('chainstep')}"


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`chainstep trace PROGRAM | head -1`: the pipe closes after one line."""
    process = subprocess.Popen(
        [str(CHAINSTEP), "trace", "sigmoid-neuron"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert first.strip() == b"A sigmoid neuron, gate by gate (CS231n)"
    assert process.stderr.read() == b""


def test_an_alias_is_a_node_of_its_own():
    """`L = y` names the output L, with local derivative 1; `c = +a` keeps the name c."""
    program = "x = 2\ny = 2 * x\nL = y\n"
    result = run("grads", "-", "--json", stdin=program)
    report = json.loads(result.stdout)
    assert report["output"] == "L" and report["value"] == 4
    assert report["grads"] == {"x": 2}
    assert report["values"] == {"x": 2, "y": 4, "L": 4}
    exported = json.loads(run("export", "-", "-f", "json", stdin=program).stdout)
    assert [(n["label"], n["op"], n["grad"]) for n in exported["graph"]["nodes"][2:]] == [
        ("y", "mul", 1),
        ("L", "copy", 1),
    ]
    walk = walkthrough("a = 2\nc = +a\nL = c * 3\n")
    labels = {node.label: node for node in walk.nodes}
    assert labels["c"].op is not None and labels["c"].op.name == "copy"
    assert walk.grads[labels["c"].id] == 3 and walk.grads[labels["a"].id] == 3
