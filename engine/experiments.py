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


class Nudge(NamedTuple):
    """The notes' "if I increase z by h, f reacts by 3h": the prediction, grad × h,
    beside what the forward pass actually gives."""

    node: int
    h: float
    before: float
    """The output before the nudge."""
    after: float
    """The output with the input moved by ``h`` (the forward pass run again)."""
    predicted: float

    @property
    def actual(self) -> float:
        return self.after - self.before


def nudge(walk: Walkthrough, node: int, h: float) -> Nudge:
    """Move one input by ``h`` and run the forward pass again (only what depends on it).

    Raises ``ProgramError`` when the moved program fails (a log of a negative number)."""
    graph = walk.graph
    before = graph.values[graph.output]
    after, _ = graph.evaluate({node: graph.values[node] + h})
    return Nudge(node, h, before, after, walk.grads[node] * h)


def descend(walk: Walkthrough, lr: float) -> dict[int, float]:
    """One gradient step: every input moved by -lr × its gradient."""
    values, grads = walk.graph.values, walk.grads
    return {
        node.id: values[node.id] - lr * grads[node.id]
        for node in walk.nodes
        if node.kind is Kind.INPUT
    }


def with_inputs(walk: Walkthrough, values: dict[int, float]) -> str:
    """The program text with these inputs' numbers written in place of the old ones, so
    stepping goes on from the new values (and the editor shows them)."""
    lines = walk.graph.program.text.splitlines(keepends=True)
    for node_id in sorted(
        values, key=lambda i: (walk.nodes[i].line, walk.nodes[i].col), reverse=True
    ):
        node = walk.nodes[node_id]
        assert node.line == node.end_line, "an input's number is written on one line"
        line = lines[node.line - 1]
        lines[node.line - 1] = (
            line[: node.col - 1] + format(values[node_id], ".12g") + line[node.end_col - 1 :]
        )
    return "".join(lines)
