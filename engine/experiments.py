"""What-ifs a learner runs on a program: the backward pass with ``=`` instead of ``+=``,
a nudge of one input, and a gradient step on every input.

Each reuses the walk-through's step records or the graph's own forward pass
(``ComputationGraph.evaluate``); nothing here knows how it is shown.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.language import Kind
from engine.steps import BackwardStep, Walkthrough


class Overwritten(NamedTuple):
    """A node's gradient under the ``=`` bug, beside the right one."""

    node: int
    right: float
    wrong: float
    paths: int
    """How many contributions the right gradient adds up (the bug keeps only the last)."""
    kept: int | None
    """The node whose contribution survived (the last to write), if any arrived."""


def overwrite_replay(walk: Walkthrough) -> list[Overwritten]:
    """Re-run the backward pass assigning each contribution (``grad = local * upstream``)
    instead of adding it, as micrograd's first bug report and the lecture's own slip did.

    The same steps in the same order, so the same local derivatives; only the sum is lost,
    and a node downstream of a wrong gradient inherits it as its upstream.
    """
    nodes = walk.nodes
    wrong = [0.0] * len(nodes)
    wrong[walk.graph.output] = 1.0
    paths = [0] * len(nodes)
    kept: list[int | None] = [None] * len(nodes)
    for step in walk.steps[walk.seed_index + 1 :]:
        assert isinstance(step, BackwardStep)
        for flow in step.flows:
            wrong[flow.source] = flow.local * wrong[step.node]
            paths[flow.source] += 1
            kept[flow.source] = step.node
    return [
        Overwritten(node.id, walk.grads[node.id], wrong[node.id], paths[node.id], kept[node.id])
        for node in nodes
        if node.kind is not Kind.CONST
    ]
