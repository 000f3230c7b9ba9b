"""The computational graph: a NetworkX ``MultiDiGraph`` of the program's nodes; the forward pass.

``a + a`` is two edges (keys 0 and 1, the operand positions), not one: each edge carries
its own local derivative and its own contribution to the gradient.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from engine.errors import ProgramError
from engine.language import Kind, Node, Program
from engine.numbers import fmt
from engine.ops import Op, undefined_reason

if TYPE_CHECKING:
    import networkx as nx


class ComputationGraph:
    """A program's nodes, their values and gradients, and the NetworkX graph over them.

    The forward pass and the step list work on the node list, which is already in
    topological order. The ``MultiDiGraph`` is built the first time something asks for
    it (graph algorithms, layouts, exports): networkx spends about 4 µs an edge building
    one, which on a 10k-statement program is more than the whole forward and backward pass.
    """

    def __init__(self, program: Program) -> None:
        self.program = program
        self.nodes: tuple[Node, ...] = program.nodes
        self.output: int = program.output
        self.values: list[float] = [
            math.nan if node.literal is None else node.literal for node in self.nodes
        ]
        self.grads: list[float] | None = None
        """Every node's final gradient, once the step list has been derived."""
        self.operations: tuple[Node, ...] = tuple(n for n in self.nodes if n.op is not None)
        """The operation nodes in program order: the forward pass, one step each."""
        self.warnings: dict[int, str] = {}
        """Operations that failed (overflow, division by zero, no real value) on a line the
        output does not depend on: kept as inf or nan, as PyTorch would, with the reason."""

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """Nodes carry label, kind, op, value and grad; edge keys are operand positions."""
        import networkx as nx  # imported on first use: it takes longer to import than to run

        graph = nx.MultiDiGraph()
        grads = self.grads
        graph.add_nodes_from(
            (
                node.id,
                {
                    "label": node.label,
                    "kind": node.kind.value,
                    "op": node.op.name if node.op else None,
                    "line": node.line,
                    "value": self.values[node.id],
                    "grad": None if grads is None or node.kind is Kind.CONST else grads[node.id],
                },
            )
            for node in self.nodes
        )
        graph.add_edges_from(
            (arg, node.id, position)
            for node in self.nodes
            for position, arg in enumerate(node.args)
        )
        return graph

    def forward(self) -> None:
        """Evaluate every operation in program order, which is a topological order.

        A failure the output depends on is an error; one on a side line is a warning, its
        value inf or nan, so a stray line cannot refuse a program whose gradients are finite.
        """
        values = self.values
        for node in self.operations:
            operands = [values[a] for a in node.args]
            result, reason = _attempt(node.op, operands)  # type: ignore[arg-type]
            if reason is not None:
                if node.id in self.needed:
                    raise self._failure(node, operands, reason)
                failure = self._failure(node, operands, reason).message
                self.warnings[node.id] = f"{failure}; the output does not depend on it"
            values[node.id] = result

    @cached_property
    def needed(self) -> set[int]:
        """The output and every node it depends on: one sweep back over the node list,
        made when an operation fails or a numeric check runs."""
        needed = {self.output}
        for node in reversed(self.nodes):
            if node.id in needed:
                needed.update(node.args)
        return needed

    def evaluate(self, overrides: Mapping[int, float]) -> tuple[float, tuple[Hashable, ...]]:
        """Re-run the forward pass with some leaves changed, for numeric gradient checks.

        Returns the output and, for every operation with a kink (relu, abs, max, min), which
        side of the kink it landed on, so a caller can tell when a nudge crossed one.
        Only nodes downstream of the changed leaves are recomputed.
        """
        values = dict(overrides)
        branches: list[Hashable] = []
        touched = set(overrides)
        needed = self.needed
        for node in self.nodes:
            if node.op is None or node.id not in needed or not touched.intersection(node.args):
                continue  # side lines cannot change the output
            operands = [values.get(a, self.values[a]) for a in node.args]
            values[node.id] = self._apply(node, node.op, operands)
            touched.add(node.id)
            if node.op.branch is not None:
                branches.append((node.id, node.op.branch(operands)))
        return values.get(self.output, self.values[self.output]), tuple(branches)

    def expression(self, node: Node) -> str:
        """The operation as source would write it, with its operands' labels: ``a * b``."""
        assert node.op is not None
        return node.op.render([self.nodes[a].label for a in node.args])

    def _apply(self, node: Node, op: Op, operands: list[float]) -> float:
        """One operation, with every arithmetic failure turned into a located ``ProgramError``."""
        result, reason = _attempt(op, operands)
        if reason is not None:
            raise self._failure(node, operands, reason)
        return result

    def _failure(self, node: Node, operands: list[float], reason: str) -> ProgramError:
        given = ", ".join(
            f"{self.nodes[a].label} = {fmt(v)}"
            for a, v in zip(node.args, operands, strict=True)
            if self.nodes[a].kind is not Kind.CONST
        )
        where = f" (with {given})" if given else ""
        return ProgramError(f"{self.expression(node)} {reason}{where}", node.line, node.col)


def _attempt(op: Op, operands: list[float]) -> tuple[float, str | None]:
    """The operation's value as a float library gives it (inf or nan where the forward rule
    fails) and, when it failed, why, in the words an error message uses."""
    try:
        result = op.forward(*operands)
    except ZeroDivisionError:
        return math.nan, "is a division by zero"
    except ValueError:
        return math.nan, undefined_reason(op, operands)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        return result, "overflows: the result is too large for a float (about 1.8e308)"
    return result, None
