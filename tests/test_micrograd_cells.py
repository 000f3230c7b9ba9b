"""A micrograd lecture cell pasted as it is: read (never run), with the lecture's numbers,
checked against micrograd 0.1.0 from PyPI where its Value has the operations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from micrograd.engine import Value

from engine import ProgramError, walkthrough

LECTURE_GRAPH = """\
from micrograd.engine import Value
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
L.backward()
draw_dot(L)
"""

NEURON = """\
# inputs x1,x2
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
# weights w1,w2
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
# bias of the neuron
b = Value(6.8813735870195432, label='b')
# x1*w1 + x2*w2 + b
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'
o.backward()
"""


def grads(text: str) -> dict[str, float]:
    walk = walkthrough(text)
    return {node.label: walk.grads[node.id] for node in walk.nodes if node.kind == "input"}


def test_the_lecture_graph_against_micrograd():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    L = (a * b + c) * f
    L.backward()
    expected = {"a": a.grad, "b": b.grad, "c": c.grad, "f": f.grad}
    assert expected == {"a": 6, "b": -4, "c": -2, "f": 4}  # seed 001's numbers
    assert grads(LECTURE_GRAPH) == expected
    walk = walkthrough(LECTURE_GRAPH)
    assert walk.output.label == "L" and walk.graph.values[walk.output.id] == L.data == -8


def test_the_lecture_neuron():
    """o = tanh(x1*w1 + x2*w2 + b) = 0.7071; the lecture's gradients, labels as written."""
    walk = walkthrough(NEURON)
    assert walk.graph.values[walk.output.id] == pytest.approx(0.7071067811865476)
    got = grads(NEURON)
    assert got == pytest.approx({"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5})
    labels = {node.label for node in walk.nodes}
    assert {"x1*w1", "x2*w2", "x1*w1 + x2*w2", "n", "o"} <= labels


def test_the_lecture_bug_cells():
    """b = a + a: a.grad is 2 (the bug the lecture fixes); f = d * e with a shared a, b."""
    assert grads("a = Value(3.0, label='a')\nb = a + a   ; b.label = 'b'\nb.backward()\n") == {
        "a": 2
    }
    cell = (
        "a = Value(-2.0, label='a')\nb = Value(3.0, label='b')\n"
        "d = a * b    ; d.label = 'd'\ne = a + b    ; e.label = 'e'\n"
        "f = d * e    ; f.label = 'f'\n\nf.backward()\n"
    )
    a, b = Value(-2.0), Value(3.0)
    f = (a * b) * (a + b)
    f.backward()
    assert grads(cell) == {"a": a.grad, "b": b.grad} == {"a": -3, "b": -8}


def test_a_cell_that_ends_by_showing_a_value_reads_as_it_is():
    """A notebook cell's last line often just names a Value, to show it below the cell:
    it changes nothing, so the cell reads with the lecture's numbers."""
    shown = LECTURE_GRAPH.replace("L.backward()\ndraw_dot(L)\n", "L\n")
    assert grads(shown) == grads(LECTURE_GRAPH) == {"a": 6, "b": -4, "c": -2, "f": 4}
    assert walkthrough(shown).output.label == "L"


def test_backward_names_the_output_and_a_value_inside_an_expression_is_a_constant():
    text = "x = Value(2.0)\ny = Value(3.0) * x\ny.backward()\nz = y + 1\n"
    walk = walkthrough(text)
    assert walk.output.label == "y"  # not z, the last assigned
    assert grads(text) == {"x": 3}
    assert [node.kind for node in walk.nodes].count("const") == 2


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("a = Value(2.0)\nb = a.data * 2\n", 2, 5, "use the name itself, not .data"),
        ("a = Value(2.0)\na.grad = 1.0\n", 2, 1, "chainstep runs backward() for you"),
        ("a = Value(2.0)\nb = a * 2\nb._backward()\n", 3, 1, "runs backward() for you"),
        ("a = Value(2.0)\nb = a * 2\nprint(b)\n", 3, 1, "print is not needed"),
        ("for i in range(3):\n    a = Value(i)\n", 1, 1, "chainstep run SCRIPT.py"),
        ("def f(x):\n    return x\n", 1, 1, "chainstep run SCRIPT.py"),
        ("class Value:\n    pass\n", 1, 1, "chainstep run SCRIPT.py"),
        ("import numpy as np\n", 1, 1, "chainstep run SCRIPT.py"),
        ("a = Value(2.0)\na.label = 3\n", 2, 11, "a label is a string"),
        ("a = Value(2.0)\nb = a * 2\na.backward()\n", 3, 1, "called on a number"),
        ("a = Value(x)\n", 1, 5, "Value() takes a number"),
        ("a = Value(2.0)\nb = a * 2\nb.backward()\na.grad\n", 4, 1, "shows every gradient"),
        ("a = Value(2.0)\nb = a * 2\nb.data\n", 3, 1, "shows every value"),
        ("a = Value(2.0)\nb = a * 2\nc\n", 3, 1, "undefined name c"),
        ("a = Value(2.0)\nb = a * 2\na * b\n", 3, 1, "does not name it"),
    ],
)
def test_other_micrograd_habits_say_what_to_do(text, line, col, words):
    with pytest.raises(ProgramError) as caught:
        walkthrough(text)
    error = caught.value
    assert (error.line, error.col) == (line, col) and words in error.message, error.message


def test_a_pasted_cell_through_the_command_line():
    """`chainstep grads - --json` on the lecture's neuron cell, as a learner pipes it."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "chainstep"), "grads", "-", "--json"],
        input=NEURON,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output"] == "o" and report["value"] == pytest.approx(0.7071067811865476)
    assert report["grads"] == pytest.approx({"x1": -1.5, "x2": 0.5, "w1": 1, "w2": 0, "b": 0.5})


def test_the_neuron_examples_agree_with_each_other():
    """tanh as one gate or spelled out through exp: the same gradients for every input."""
    from engine.library import find

    one_gate, through_exp = find("lecture-neuron"), find("neuron-through-exp")
    assert one_gate is not None and through_exp is not None
    assert grads(through_exp.text) == pytest.approx(grads(one_gate.text))
