"""The walk-through as a list of immutable steps: forward, the seed, then backward.

Every number a learner will check is computed here, once, when the list is derived: for
each edge of a backward step the local derivative, the upstream gradient, their product,
and the input's gradient before and after. The words and formulas for a step
(``c = a * b = 2 * 3 = 6``, ``d(a*b)/da = b``) are written from these records and the
graph when a step is shown (``engine.formulas``), not for every step of a program
nobody will read in full.

Steps are named tuples: a large program has hundreds of thousands of them.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from engine.graph import ComputationGraph
from engine.language import Kind, Node


class ForwardStep(NamedTuple):
    index: int
    node: int


class SeedStep(NamedTuple):
    index: int
    node: int


class Flow(NamedTuple):
    """One edge of a backward step: what flows from the node back into one operand."""

    source: int
    """The operand (an input or an earlier operation) that receives the gradient."""
    position: int
    """Which operand: ``a + a`` has flows at positions 0 and 1 into the same source."""
    local: float
    """d(node)/d(operand) at the forward values."""
    upstream: float
    """d(output)/d(node): the node's own gradient, final by the time its step comes."""
    product: float
    before: float
    after: float
    first: bool
    """Whether this is the first contribution to the source's gradient (before it, blank)."""


class BackwardStep(NamedTuple):
    index: int
    node: int
    upstream: float
    flows: tuple[Flow, ...]


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
    def backward_count(self) -> int:
        return len(self.steps) - self.seed_index - 1

    @cached_property
    def forward_at(self) -> list[int]:
        """Each node's forward step (-1 for inputs and constants, known from the start)."""
        at = [-1] * len(self.graph.nodes)
        for step in self.steps[: self.seed_index]:
            at[step.node] = step.index
        return at

    @cached_property
    def arrivals(self) -> tuple[list[int], list[int], list[Flow]]:
        """Every flow, grouped by the node it flows into, in step order: ``start[n]`` to
        ``start[n + 1]`` index node n's flows in the other two lists, which hold each
        flow's step index and the flow. Built in one pass over the backward steps, so a
        stepper can find the state at any step by binary search instead of replaying."""
        count = len(self.graph.nodes)
        start = [0] * (count + 1)
        backward = self.steps[self.seed_index + 1 :]
        for step in backward:
            for flow in step.flows:  # type: ignore[union-attr]
                start[flow.source + 1] += 1
        for node in range(count):
            start[node + 1] += start[node]
        fill = start[:-1]
        steps = [0] * start[-1]
        flows: list[Flow] = [None] * start[-1]  # type: ignore[list-item]
        for step in backward:
            for flow in step.flows:  # type: ignore[union-attr]
                at = fill[flow.source]
                steps[at], flows[at] = step.index, flow
                fill[flow.source] = at + 1
        return start, steps, flows

    @cached_property
    def step_of(self) -> dict[int, int]:
        """Each operation node's backward step, for showing a node's local derivatives."""
        return {step.node: step.index for step in self.steps[self.seed_index + 1 :]}


def derive_steps(graph: ComputationGraph) -> Walkthrough:
    """Derive the whole step list, and so every gradient, in one backward sweep."""
    nodes, values = graph.nodes, graph.values
    steps: list[Step] = [ForwardStep(i, node.id) for i, node in enumerate(graph.operations)]
    seed_index = len(steps)
    steps.append(SeedStep(seed_index, graph.output))

    grads = [0.0] * len(nodes)
    grads[graph.output] = 1.0
    final_at = [seed_index] * len(nodes)
    has_grad = [node.kind is not Kind.CONST for node in nodes]
    for node_id in backward_order(graph):
        node = nodes[node_id]
        if node.op is None:
            continue
        index = len(steps)
        locals_ = node.op.local([values[a] for a in node.args], values[node_id])
        upstream = grads[node_id]
        flows = []
        for position, arg in enumerate(node.args):
            if not has_grad[arg]:
                continue
            product = locals_[position] * upstream
            before = grads[arg]
            grads[arg] = before + product
            flows.append(
                Flow(
                    arg,
                    position,
                    locals_[position],
                    upstream,
                    product,
                    before,
                    grads[arg],
                    final_at[arg] == seed_index,
                )
            )
            final_at[arg] = index
        if flows:
            steps.append(BackwardStep(index, node_id, upstream, tuple(flows)))
    graph.grads = grads
    graph.__dict__.pop("graph", None)  # a NetworkX view built before now lacks the gradients
    return Walkthrough(graph, tuple(steps), tuple(grads), seed_index, tuple(final_at))


def backward_order(graph: ComputationGraph) -> list[int]:
    """The nodes that reach the output, each after every node that consumes it.

    Among nodes ready at the same time the one earliest in the program goes first, so the
    order follows the way notes walk a graph (Example 3: the path via y before the path
    via z), and never depends on hashing. This is networkx's
    ``lexicographical_topological_sort`` of the reversed graph keyed by program position,
    written over the node list: on a 100k-statement program the networkx call, with the
    reversed copy it needs, costs more than everything else in the engine together.
    """
    nodes = graph.nodes
    reaches = [False] * len(nodes)
    reaches[graph.output] = True
    waiting = [0] * len(nodes)  # consumers on the path not yet visited
    for node in reversed(nodes):
        if reaches[node.id]:
            for arg in node.args:
                reaches[arg] = True
                waiting[arg] += 1
    order: list[int] = []
    ready = [graph.output]
    while ready:
        node_id = heapq.heappop(ready)
        order.append(node_id)
        for arg in nodes[node_id].args:
            waiting[arg] -= 1
            if waiting[arg] == 0:
                heapq.heappush(ready, arg)
    return order
