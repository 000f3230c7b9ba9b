"""The what-ifs, on the seed examples' numbers."""

from __future__ import annotations

import pytest

from engine import walkthrough
from engine.experiments import descend, nudge, overwrite_replay, with_inputs
from engine.library import find


def walk_of(name: str):
    example = find(name)
    assert example is not None
    return walkthrough(example.text)


def by_label(walk, rows):
    return {walk.nodes[row.node].label: row for row in rows}


def test_overwriting_loses_the_path_via_y():
    """Example 3 with `=`: x keeps only the 21 via z, not 36 = 15 + 21."""
    walk = walk_of("two-paths")
    rows = by_label(walk, overwrite_replay(walk))
    assert (rows["x"].right, rows["x"].wrong, rows["x"].paths) == (36, 21, 2)
    assert walk.nodes[rows["x"].kept].label == "z"
    assert rows["y"].wrong == rows["y"].right == 15 and rows["z"].wrong == rows["z"].right == 7


def test_a_wrong_gradient_flows_on_downstream():
    """a = x * x is one step with two edges into x: with `=`, the second overwrites the first
    (2x = 6 becomes 3), and everything fed by a then inherits the wrong upstream."""
    walk = walkthrough("x = 3\na = x * x\nL = a * 2\n")
    rows = by_label(walk, overwrite_replay(walk))
    assert (rows["x"].right, rows["x"].wrong) == (12, 6)
    walk = walkthrough("x = 3\ny = x + x\nz = y * y\nL = z + 1\n")
    rows = by_label(walk, overwrite_replay(walk))
    assert (rows["y"].right, rows["y"].wrong) == (12, 6)  # z = y * y: 2y = 12, not y = 6
    assert (rows["x"].right, rows["x"].wrong) == (24, 6)  # and x inherits the 6


def test_nudging_x_by_a_thousandth_predicts_0_036():
    """Example 3: dL/dx = 36, so L should move by 0.036; it moves by 0.036003."""
    walk = walk_of("two-paths")
    x = next(node.id for node in walk.nodes if node.label == "x")
    result = nudge(walk, x, 0.001)
    assert result.predicted == pytest.approx(0.036)
    assert result.after == pytest.approx(7.001 * 15.003)
    assert result.actual == pytest.approx(0.036003)
    assert walk.graph.values[walk.graph.output] == 105  # the program itself is unchanged


def test_a_gradient_step_lowers_the_output_and_rewrites_the_inputs():
    """Example 3 with lr 0.01: x = 5 - 0.01 × 36 = 4.64, and L falls from 105 to 92.4288."""
    walk = walk_of("two-paths")
    values = descend(walk, 0.01)
    (x,) = values
    assert values[x] == pytest.approx(4.64)
    text = with_inputs(walk, values)
    assert "x = 4.64\n" in text and "y = x + 2" in text
    after = walkthrough(text)
    assert after.graph.values[after.graph.output] == pytest.approx(6.64 * 13.92)
    assert after.graph.values[after.graph.output] < 105


def test_a_gradient_step_keeps_signs_comments_and_other_lines():
    walk = walkthrough("# a neuron\nw = -3  # weight\nx = 2\nL = w * x\n")
    text = with_inputs(walk, descend(walk, 0.1))
    assert text == "# a neuron\nw = -3.2  # weight\nx = 2.3\nL = w * x\n"
