"""The walk-through as a list of immutable steps: forward, the seed, then backward.

Every number a learner will check is computed here, once, when the list is derived: the
forward formula with numbers substituted, and for each edge of a backward step the local
derivative, the upstream gradient, their product, and the input's gradient before and
after. Rendering a step never computes anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from engine.graph import ComputationGraph
from engine.language import Kind, Node
from engine.numbers import fmt
from engine.ops import POW, wrap


@dataclass(frozen=True, slots=True)
class ForwardStep:
    index: int
    node: int
    formula: str
    """``c = a * b = 2 * 3 = 6``"""


@dataclass(frozen=True, slots=True)
class SeedStep:
    index: int
    node: int
    formula: str
    """``dL/dL = 1``"""


@dataclass(frozen=True, slots=True)
class Flow:
    """One edge of a backward step: what flows from the node back into one operand."""

    source: int
    """The operand (an input or an earlier operation) that receives the gradient."""
    position: int
    """Which operand: ``a + a`` has flows at positions 0 and 1 into the same source."""
    derivative: str
    """``d(a*b)/da``"""
    symbolic: str
    """``b``"""
    local: float
    upstream: float
    product: float
    before: float
    after: float
    first: bool
    """Whether this is the first contribution to the source's gradient (before it was blank)."""


@dataclass(frozen=True, slots=True)
class BackwardStep:
    index: int
    node: int
    upstream: float
    flows: tuple[Flow, ...]
    pattern: str | None
    warnings: tuple[str, ...] = ()


Step = ForwardStep | SeedStep | BackwardStep


@dataclass(frozen=True)
class Walkthrough:
    """A program's graph, values, final gradients, and every step between."""

    graph: ComputationGraph
    steps: tuple[Step, ...]
    grads: tuple[float, ...]
    """Final gradient of every node (0 where it does not reach the output)."""
    seed_index: int
    final_at: tuple[int, ...]
    """The step after which each node's gradient is final (the seed step for nodes off the path)."""

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.graph.nodes

    @property
    def output(self) -> Node:
        return self.graph.nodes[self.graph.output]

    @property
    def forward_count(self) -> int:
        return self.seed_index

    @property
    def backward_count(self) -> int:
        return len(self.steps) - self.seed_index - 1


def derive_steps(graph: ComputationGraph) -> Walkthrough:
    """Derive the whole step list, and so every gradient, in one backward sweep."""
    nodes, values = graph.nodes, graph.values
    steps: list[Step] = []
    for node in nodes:
        if node.op is not None:
            steps.append(ForwardStep(len(steps), node.id, _forward_formula(graph, node)))

    out = nodes[graph.output]
    seed_index = len(steps)
    steps.append(SeedStep(seed_index, out.id, f"d{out.label}/d{out.label} = 1"))

    grads = [0.0] * len(nodes)
    grads[out.id] = 1.0
    final_at = [seed_index] * len(nodes)
    for node_id in backward_order(graph):
        node = nodes[node_id]
        if node.op is None:
            continue
        gradient_flows = [
            (position, arg)
            for position, arg in enumerate(node.args)
            if nodes[arg].kind is not Kind.CONST
        ]
        if not gradient_flows:
            continue
        index = len(steps)
        operands = [values[a] for a in node.args]
        labels = [nodes[a].label for a in node.args]
        locals_ = node.op.local(operands, values[node.id])
        compact = node.op.render(labels).replace(" ", "")
        upstream = grads[node.id]
        flows = []
        warnings = []
        for position, arg in gradient_flows:
            local = locals_[position]
            product = local * upstream
            before = grads[arg]
            grads[arg] = after = before + product
            first = final_at[arg] == seed_index
            final_at[arg] = index
            derivative = f"d({compact})/d{wrap(labels[position]).replace(' ', '')}"
            flows.append(
                Flow(
                    arg,
                    position,
                    derivative,
                    node.op.symbolic(labels, position),
                    local,
                    upstream,
                    product,
                    before,
                    after,
                    first,
                )
            )
            if not math.isfinite(local):
                warnings.append(_warning(node, position, derivative, local))
        steps.append(
            BackwardStep(index, node.id, upstream, tuple(flows), node.op.pattern, tuple(warnings))
        )
    nx.set_node_attributes(graph.graph, dict(enumerate(grads)), "grad")
    return Walkthrough(graph, tuple(steps), tuple(grads), seed_index, tuple(final_at))


def backward_order(graph: ComputationGraph) -> list[int]:
    """The nodes that reach the output, each after every node that consumes it.

    Among nodes ready at the same time the one earliest in the program goes first, so the
    order follows the way notes walk a graph (Example 3: the path via y before the path
    via z), and never depends on hashing.
    """
    reaching = nx.ancestors(graph.graph, graph.output)
    reaching.add(graph.output)
    reversed_path = graph.graph.subgraph(reaching).reverse(copy=True)
    return list(nx.lexicographical_topological_sort(reversed_path))


def _forward_formula(graph: ComputationGraph, node: Node) -> str:
    assert node.op is not None
    numbers = node.op.render([fmt(graph.values[a]) for a in node.args])
    formula = f"{graph.expression(node)} = {numbers} = {fmt(graph.values[node.id])}"
    return formula if node.name is None else f"{node.label} = {formula}"


def _warning(node: Node, position: int, derivative: str, local: float) -> str:
    if node.op is POW and position == 1 and math.isnan(local):
        return (
            f"{derivative} is nan: the base is negative, so base^exponent*log(base)"
            " has no real value (PyTorch gives nan too)"
        )
    return f"{derivative} is {fmt(local)} at this point, so every gradient behind it is too"
