"""Every number of the worked examples in the notes, from the engine and from the command line."""

from __future__ import annotations

import json
import math

import pytest

from engine import BackwardStep, Stepper, walkthrough
from engine.library import find
from tui.cli import main

# example name -> (output value, {label: value}, {label: gradient}), as the notes give them.
SEEDS = {
    "add-then-multiply": (20, {"c": 5}, {"a": 4, "b": 4, "c": 4, "d": 5, "L": 1}),
    "chain": (
        20,
        {"c": 6, "e": 10},
        {"a": 6, "b": 4, "c": 2, "d": 2, "e": 2, "f": 10, "L": 1},
    ),
    "two-paths": (105, {"y": 7, "z": 15}, {"x": 36, "y": 15, "z": 7, "L": 1}),
    "micrograd-lecture": (
        -8,
        {"e": -6, "d": 4},
        {"a": 6, "b": -4, "c": -2, "d": -2, "e": -2, "f": 4, "L": 1},
    ),
    "circuit": (-12, {"q": 3}, {"x": -4, "y": -4, "z": 3, "q": -4}),
    "sigmoid-neuron": (
        0.7310585786300049,
        {"s": 1, "n": -1},
        {
            "w0": -0.19661193324148185,
            "x0": 0.3932238664829637,
            "w1": -0.3932238664829637,
            "x1": -0.5898357997244456,
            "w2": 0.19661193324148185,
            "d": -1 / (1 + math.exp(-1)) ** 2,
            "e": -1 / (1 + math.exp(-1)) ** 2,
            "n": -0.19661193324148185,
            "s": 0.19661193324148185,
        },
    ),
    "polynomial": (20, {}, {"x": 14}),
    "with-respect-to": (4, {}, {"a": -3}),
    "two-terms": (194, {}, {"a": 97, "b": 2, "c": 40}),
    "max-routes": (6, {"m": 3}, {"x": 2, "y": 0, "z": 3}),
    "tanh-neuron": (0.7071067811865476, {}, {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}),
    "reuse-three-times": (27, {"a": 9}, {"x": 27}),
    "sigmoid-one-gate": (
        0.7310585786300049,
        {},
        {
            "w0": -0.19661193324148185,
            "x0": 0.3932238664829637,
            "w1": -0.3932238664829637,
            "x1": -0.5898357997244456,
            "w2": 0.19661193324148185,
        },
    ),
    # micrograd's own tests (test_sanity_check, test_more_ops), checked there against PyTorch
    "micrograd-sanity": (-20, {}, {"x": 46}),
    "micrograd-more-ops": (
        24.70408163265306,
        {},
        {"a": 138.83381924198252, "b": 645.5772594752186},
    ),
}


def by_label(example: str):
    walk = walkthrough(find(example).text)
    labels = {node.label: node.id for node in walk.nodes}
    return walk, labels


@pytest.mark.parametrize("example", SEEDS)
def test_values_and_gradients(example):
    output, values, grads = SEEDS[example]
    walk, labels = by_label(example)
    assert walk.graph.values[walk.graph.output] == pytest.approx(output, rel=1e-12)
    for label, value in values.items():
        assert walk.graph.values[labels[label]] == pytest.approx(value, rel=1e-12)
    for label, grad in grads.items():
        assert walk.grads[labels[label]] == pytest.approx(grad, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("example", SEEDS)
def test_grads_json_carries_the_seed_numbers(example, capsys):
    output, values, grads = SEEDS[example]
    assert main(["grads", example, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["value"] == pytest.approx(output, rel=1e-12)
    walk, labels = by_label(example)
    assert data["output"] == walk.output.name
    for label, grad in grads.items():
        if walk.nodes[labels[label]].kind.value == "input":
            assert data["grads"][label] == pytest.approx(grad, rel=1e-12, abs=1e-15)
    for label, value in values.items():
        assert data["values"][label] == pytest.approx(value, rel=1e-12)
    assert set(data["grads"]) == {n.label for n in walk.nodes if n.kind.value == "input"}


def test_example_3_adds_the_path_via_y_then_via_z(capsys):
    """The notes: x.grad = 15 (via y) + 21 (via z) = 36, in that order."""
    walk, labels = by_label("two-paths")
    flows_into_x = [
        flow
        for step in walk.steps
        if isinstance(step, BackwardStep)
        for flow in step.flows
        if flow.source == labels["x"]
    ]
    assert [(f.product, f.before, f.after) for f in flows_into_x] == [(15, 0, 15), (21, 15, 36)]
    stepper = Stepper(walk)
    stepper.goto(stepper.last)
    assert [(walk.nodes[c.via].label, c.amount) for c in stepper.contributions(labels["x"])] == [
        ("y", 15),
        ("z", 21),
    ]
    assert main(["trace", "two-paths"]) == 0
    out = capsys.readouterr().out
    assert "x.grad += 21:  15 -> 36  = 15 (via y) + 21 (via z)" in out
    assert "x.grad += 15:  0 -> 15" in out


def test_example_2_forward_formulas_and_backward_products(capsys):
    assert main(["trace", "chain"]) == 0
    out = capsys.readouterr().out
    for line in (
        "c = a * b = 2 * 3 = 6",
        "e = c + d = 6 + 4 = 10",
        "L = e * f = 10 * 2 = 20",
        "dL/dL = 1",
        "d(e*f)/de = f = 2  ×  upstream 1  =  2",
        "d(e*f)/df = e = 10  ×  upstream 1  =  10",
        "d(c+d)/dc = 1  ×  upstream 2  =  2",
        "d(a*b)/da = b = 3  ×  upstream 2  =  6",
        "a.grad += 6:  0 -> 6",
    ):
        assert line in out, line


def test_sigmoid_neuron_gate_by_gate(capsys):
    """CS231n: 1/x gives -0.53, +1 keeps -0.53, exp gives -0.20, *-1 gives 0.20."""
    walk, _labels = by_label("sigmoid-neuron")
    received = {}
    for step in walk.steps:
        if isinstance(step, BackwardStep):
            for flow in step.flows:
                received[walk.nodes[flow.source].label] = round(flow.product, 2)
    assert received["d"] == -0.53  # through 1/x: -1/d^2 = -1/1.3679^2
    assert received["e"] == -0.53  # through +1
    assert received["n"] == -0.20  # through exp: e^-1 * -0.53
    assert received["s"] == 0.20  # through *-1
    assert main(["trace", "sigmoid-neuron"]) == 0
    out = capsys.readouterr().out
    assert "d(1/d)/dd = -1/d^2 = -0.534447" in out
    assert "d(exp(n))/dn = exp(n) = 0.367879  ×  upstream -0.534447  =  -0.196612" in out
    assert "d(s*(-1))/ds = -1  ×  upstream -0.196612  =  0.196612" in out


def test_two_terms_derivative_is_b_plus_c_squared():
    """Seed 004 prints b + 2c; the partial derivative of a*b + a*c^2 in a is b + c^2."""
    walk, labels = by_label("two-terms")
    b, c = (walk.graph.values[labels[n]] for n in "bc")
    assert walk.grads[labels["a"]] == b + c**2 == 97


def test_polynomial_slope_matches_the_limit():
    """f(x) = 3x^2 - 4x + 5 at 3: f = 20, slope 14; (f(x+h) - f(x))/h = 14.0003 at h = 0.001."""
    walk, labels = by_label("polynomial")
    x = labels["x"]
    assert walk.grads[x] == 14
    forward_difference = (walk.graph.evaluate({x: 3.001})[0] - 20) / 0.001
    assert forward_difference == pytest.approx(14.003, abs=1e-9)


def test_a_gradient_gathered_over_many_paths_is_summed_up_not_spelled_out():
    """x used by 100 terms: the last step says how many contributions and the largest."""
    from tui.report import trace

    terms = "\n".join(f"t{i} = x * {i + 1}" for i in range(100))
    total = " + ".join(f"t{i}" for i in range(100))
    walk = walkthrough(f"x = 2\n{terms}\nL = {total}\n")
    lines = [line.plain for line in trace(walk, "") if "x.grad +=" in line.plain]
    assert "= 100 (via t99) + 99 (via t98)" in lines[1]  # two so far: spelled out
    last = lines[-1]
    assert "-> 5050  = the sum of 100 contributions, largest 100 (via t99), 99 (via t98)" in last
    assert len(last) < 200
