"""Exports: Mermaid as the notes draw it, DOT that Graphviz accepts, JSON that loads back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from itertools import pairwise

import networkx as nx
import pytest

from engine import Stepper, walkthrough
from engine.export import dot, json_export, load_graph, mermaid
from engine.library import examples, find
from tui.cli import main

# Seed 000's three diagrams, as the notes print them.
SEED_DIAGRAMS = {
    "add-then-multiply": """
a["a<br/>data: 3<br/>grad: 4"] --> plus(("+"))
b["b<br/>data: 2<br/>grad: 4"] --> plus
plus --> c["c<br/>data: 5<br/>grad: 4"]
c --> mult(("×"))
d["d<br/>data: 4<br/>grad: 5"] --> mult
mult --> L["L<br/>data: 20<br/>grad: 1"]
""",
    "chain": """
a["a<br/>data: 2<br/>grad: 6"] --> mult1(("×"))
b["b<br/>data: 3<br/>grad: 4"] --> mult1
mult1 --> c["c<br/>data: 6<br/>grad: 2"]
c --> plus(("+"))
d["d<br/>data: 4<br/>grad: 2"] --> plus
plus --> e["e<br/>data: 10<br/>grad: 2"]
e --> mult2(("×"))
f["f<br/>data: 2<br/>grad: 10"] --> mult2
mult2 --> L["L<br/>data: 20<br/>grad: 1"]
""",
    "two-paths": """
x["x<br/>data: 5<br/>grad: 36"] --> plus(("+"))
two["2<br/>(const)"] --> plus
plus --> y["y<br/>data: 7<br/>grad: 15"]
x --> mult1(("×"))
three["3<br/>(const)"] --> mult1
mult1 --> z["z<br/>data: 15<br/>grad: 7"]
y --> mult2(("×"))
z --> mult2
mult2 --> L["L<br/>data: 105<br/>grad: 1"]
""",
}

NODE = re.compile(r'(\w+)(?:\["(.*?)"\]|\(\("(.*?)"\)\))?')


def canonical(diagram: str) -> set[tuple[str, str]]:
    """Edges between node contents; an operator is named by its symbol and its result."""
    labels: dict[str, str] = {}
    operators: dict[str, str] = {}
    edges = []
    for line in diagram.strip().splitlines():
        if line.startswith("flowchart"):
            continue
        ends = []
        for part in line.split("-->"):
            ident, label, operator = NODE.fullmatch(part.strip()).groups()
            if label is not None:
                labels[ident] = label
            if operator is not None:
                operators[ident] = operator
            ends.append(ident)
        edges.extend(pairwise(ends))
    results = {a: labels[b] for a, b in edges if a in operators}

    def name(ident: str) -> str:
        return f"({operators[ident]} -> {results[ident]})" if ident in operators else labels[ident]

    return {(name(a), name(b)) for a, b in edges}


@pytest.mark.parametrize("example", SEED_DIAGRAMS)
def test_mermaid_draws_the_seed_diagram(example):
    stepper = Stepper(walkthrough(find(example).text))
    stepper.goto(stepper.last)
    ours = mermaid(stepper)
    assert ours.startswith("flowchart LR\n")
    assert canonical(ours) == canonical(SEED_DIAGRAMS[example])


def test_mermaid_at_a_step_leaves_unreached_gradients_blank(capsys):
    assert main(["export", "two-paths", "--format", "mermaid", "--step", "5"]) == 0
    out = capsys.readouterr().out
    assert '["y<br/>data: 7<br/>grad: 15"]' in out  # L's step has run
    assert '["x<br/>data: 5<br/>grad: "]' in out  # x not reached yet
    assert main(["export", "two-paths", "--format", "mermaid", "--step", "2"]) == 0
    assert '["L<br/>data: <br/>grad: "]' in capsys.readouterr().out  # L not computed yet


@pytest.mark.parametrize("example", [e.name for e in examples()])
def test_json_export_loads_back_as_the_same_graph(example):
    walk = walkthrough(find(example).text)
    stepper = Stepper(walk)
    stepper.goto(stepper.last)
    text = json_export(stepper)
    loaded = load_graph(text)
    assert isinstance(loaded, nx.MultiDiGraph)
    assert sorted(loaded.edges(keys=True)) == sorted(walk.graph.graph.edges(keys=True))
    for node in walk.nodes:
        attrs = loaded.nodes[node.id]
        assert attrs["label"] == node.label
        assert attrs["value"] == walk.graph.values[node.id]
        expected = None if node.kind.value == "const" else walk.grads[node.id]
        assert attrs["grad"] == expected
    data = json.loads(text)
    assert len(data["steps"]) == len(walk.steps) == data["steps_total"]


def test_json_steps_carry_the_numbers():
    stepper = Stepper(walkthrough(find("two-paths").text))
    stepper.goto(stepper.last)
    steps = json.loads(json_export(stepper))["steps"]
    last = steps[-1]
    assert last["kind"] == "backward"
    assert [(f["product"], f["before"], f["after"]) for f in last["flows"]] == [(21, 15, 36)]


def test_dot_is_accepted_by_graphviz(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (Debian package graphviz)")
    for example in examples():
        stepper = Stepper(walkthrough(example.text))
        stepper.goto(stepper.last)
        result = subprocess.run(
            ["dot", "-Tsvg"], input=dot(stepper), capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (example.name, result.stderr)
        assert "<svg" in result.stdout


def test_dot_records_like_micrograd():
    stepper = Stepper(walkthrough(find("chain").text))
    stepper.goto(stepper.last)
    text = dot(stepper)
    assert 'label="{ a | data 2 | grad 6 }"' in text
    assert 'label="×"' in text and "rankdir=LR" in text


def test_markdown_handout(capsys):
    assert main(["export", "two-paths"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# One input, two paths")
    assert "```mermaid" in out and "## Backward pass" in out
    assert "x.grad += 21:  15 -> 36  = 15 (via y) + 21 (via z)" in out
    assert "| `x` | input | 5 | 36 |" in out


def test_export_step_out_of_range_exits_2(capsys):
    assert main(["export", "chain", "--step", "99"]) == 2
    assert "between 1 and 7" in capsys.readouterr().err
