"""The words and formulas of a step, written from its record and the graph when it is shown.

``c = a * b = 2 * 3 = 6`` for a forward step, ``d(a*b)/da`` and ``b`` for an edge of a
backward step. The numbers come from the step records; nothing here differentiates.
"""

from __future__ import annotations

import math

from engine.graph import ComputationGraph
from engine.numbers import fmt
from engine.ops import POW, wrap
from engine.steps import BackwardStep, Flow


def forward_formula(graph: ComputationGraph, node_id: int) -> str:
    """``c = a * b = 2 * 3 = 6`` (an unnamed operation starts at its expression)."""
    node = graph.nodes[node_id]
    assert node.op is not None
    numbers = node.op.render([fmt(graph.values[a]) for a in node.args])
    formula = f"{graph.expression(node)} = {numbers} = {fmt(graph.values[node_id])}"
    return formula if node.name is None else f"{node.label} = {formula}"


def seed_formula(graph: ComputationGraph) -> str:
    label = wrap(graph.nodes[graph.output].label)
    return f"d{label}/d{label} = 1"


def gradient_symbol(graph: ComputationGraph, node_id: int) -> str:
    """``dL/de``: the gradient of the output with respect to a node."""
    return f"d{graph.nodes[graph.output].label}/d{wrap(graph.nodes[node_id].label)}"


def definition(graph: ComputationGraph, node_id: int) -> str:
    """``L = e * f`` for a named operation, ``a * b`` for an unnamed one."""
    node = graph.nodes[node_id]
    expression = graph.expression(node)
    return expression if node.name is None else f"{node.label} = {expression}"


def derivative(graph: ComputationGraph, node_id: int, position: int) -> str:
    """``d(e*f)/de``: which local derivative an edge carries."""
    node = graph.nodes[node_id]
    assert node.op is not None
    labels = [graph.nodes[a].label for a in node.args]
    compact = node.op.render(labels).replace(" ", "")
    return f"d({compact})/d{wrap(labels[position]).replace(' ', '')}"


def symbolic(graph: ComputationGraph, node_id: int, position: int) -> str:
    """``f``: the local derivative as the notes would write it."""
    node = graph.nodes[node_id]
    assert node.op is not None
    return node.op.symbolic([graph.nodes[a].label for a in node.args], position)


def pattern(graph: ComputationGraph, node_id: int) -> str | None:
    """The gate pattern of the node's operation in one sentence, where it has one."""
    op = graph.nodes[node_id].op
    return op.pattern if op else None


def warnings(graph: ComputationGraph, step: BackwardStep) -> list[str]:
    """What a learner should know about an infinite or undefined local derivative."""
    return [
        _warning(graph, step.node, flow) for flow in step.flows if not math.isfinite(flow.local)
    ]


def _warning(graph: ComputationGraph, node_id: int, flow: Flow) -> str:
    name = derivative(graph, node_id, flow.position)
    if graph.nodes[node_id].op is POW and flow.position == 1 and math.isnan(flow.local):
        return (
            f"{name} is nan: the base is negative, so base^exponent*log(base) has no real value"
            " (PyTorch gives nan too)"
        )
    return f"{name} is {fmt(flow.local)} here, so every gradient behind it is too"
