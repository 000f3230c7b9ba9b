"""Moving through a walk-through: the state after step k, reached by applying or undoing steps.

Each move applies or undoes only the steps between where it is and where it goes, and
each of those costs work in proportion to its edges: nothing is re-evaluated.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.language import Kind
from engine.steps import BackwardStep, ForwardStep, SeedStep, Step, Walkthrough


class Contribution(NamedTuple):
    via: int
    """The node whose backward step sent this amount."""
    amount: float


def nodes_of(step: Step) -> tuple[int, ...]:
    """The nodes a step changes or points at: its own node and every operand it feeds."""
    if isinstance(step, BackwardStep):
        return (step.node, *(flow.source for flow in step.flows))
    return (step.node,)


class Stepper:
    """The state of the graph after applying steps ``0..position``.

    The first step is always applied, so there is always a current step to show.
    """

    def __init__(self, walk: Walkthrough) -> None:
        self.walk = walk
        self.steps = walk.steps
        self.position = 0
        self._computed = [node.op is None for node in walk.nodes]
        self._grads: list[float | None] = [None] * len(walk.nodes)
        self._contributions: list[list[Contribution]] = [[] for _ in walk.nodes]
        self._apply(self.steps[0])

    # -- moving ----------------------------------------------------------------------

    @property
    def last(self) -> int:
        return len(self.steps) - 1

    def goto(self, target: int) -> bool:
        """Move to step ``target`` (clamped to the list); return whether anything changed."""
        target = max(0, min(self.last, target))
        if target == self.position:
            return False
        while self.position < target:
            self.position += 1
            self._apply(self.steps[self.position])
        while self.position > target:
            self._undo(self.steps[self.position])
            self.position -= 1
        return True

    def step(self, delta: int) -> bool:
        return self.goto(self.position + delta)

    def _apply(self, step: Step) -> None:
        match step:
            case ForwardStep(node=node):
                self._computed[node] = True
            case SeedStep(node=node):
                self._grads[node] = 1.0
            case BackwardStep(node=via, flows=flows):
                for flow in flows:
                    self._grads[flow.source] = flow.after
                    self._contributions[flow.source].append(Contribution(via, flow.product))

    def _undo(self, step: Step) -> None:
        match step:
            case ForwardStep(node=node):
                self._computed[node] = False
            case SeedStep(node=node):
                self._grads[node] = None
            case BackwardStep(flows=flows):
                for flow in reversed(flows):
                    self._contributions[flow.source].pop()
                    self._grads[flow.source] = None if flow.first else flow.before

    # -- reading the state -------------------------------------------------------------

    @property
    def current(self) -> Step:
        return self.steps[self.position]

    @property
    def at_end(self) -> bool:
        return self.position == self.last

    @property
    def in_backward(self) -> bool:
        return self.position >= self.walk.seed_index

    def value(self, node: int) -> float | None:
        """The node's value once the forward pass has computed it, else ``None``."""
        return self.walk.graph.values[node] if self._computed[node] else None

    def grad(self, node: int) -> float | None:
        """The gradient so far; ``None`` until a contribution arrives (and always for constants).

        Nodes that do not reach the output show 0 once the backward pass has begun.
        """
        if self.walk.nodes[node].kind is Kind.CONST:
            return None
        known = self._grads[node]
        if known is None and self.in_backward and self.walk.final_at[node] == self.walk.seed_index:
            return 0.0
        return known

    def is_final(self, node: int) -> bool:
        """Whether every contribution to this node's gradient has arrived."""
        return (
            self.walk.nodes[node].kind is not Kind.CONST
            and self.in_backward
            and self.position >= self.walk.final_at[node]
        )

    def contributions(self, node: int) -> tuple[Contribution, ...]:
        return tuple(self._contributions[node])

    def progress(self) -> tuple[str, int, int]:
        """The phase and how far into it: ``("backward", 4, 7)``."""
        seed = self.walk.seed_index
        if self.position < seed:
            return "forward", self.position + 1, seed
        if self.position == seed:
            return "seed", 1, 1
        return "backward", self.position - seed, self.walk.backward_count
