"""The what-ifs, on the seed examples' numbers."""

from __future__ import annotations

from engine import walkthrough
from engine.experiments import overwrite_replay
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
