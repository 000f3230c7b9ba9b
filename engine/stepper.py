"""Moving through a walk-through: the state after any step k, read directly.

Nothing is replayed: a node's value is computed once the forward pass has passed its
step, and its gradient is the ``after`` of the last flow into it at or before k, found by
a binary search over the steps that flowed into it (``Walkthrough.arrivals``). So a jump
from the first step to the last costs what reading the nodes on screen costs, not the
number of steps in between.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from engine.language import Kind
from engine.steps import BackwardStep, Step, Walkthrough


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
        self.asking = False
        """The quiz asks about the next step: the state stays before it (no gradient of it
        shown), while ``focus`` points at it."""
        self._forward_at = walk.forward_at
        self._start, self._arrival_steps, self._arrival_flows = walk.arrivals

    # -- moving ----------------------------------------------------------------------

    @property
    def last(self) -> int:
        return len(self.steps) - 1

    def goto(self, target: int) -> bool:
        """Move to step ``target`` (clamped to the list); return whether anything changed."""
        target = max(0, min(self.last, target))
        if target == self.position:
            return False
        self.position = target
        self.asking = False
        return True

    def step(self, delta: int) -> bool:
        return self.goto(self.position + delta)

    # -- reading the state -------------------------------------------------------------

    @property
    def current(self) -> Step:
        return self.steps[self.position]

    @property
    def focus(self) -> Step:
        """The step the learner looks at: the current one, or, while the quiz asks about
        the next one, that one (its node highlighted, its line pointed at, before any of
        its numbers are shown)."""
        if self.asking and self.position < self.last:
            return self.steps[self.position + 1]
        return self.current

    @property
    def at_end(self) -> bool:
        return self.position == self.last

    @property
    def in_backward(self) -> bool:
        return self.position >= self.walk.seed_index

    def value(self, node: int) -> float | None:
        """The node's value once the forward pass has computed it, else ``None``."""
        if self._forward_at[node] <= self.position:
            return self.walk.graph.values[node]
        return None

    def _arrived(self, node: int) -> int:
        """How many flows have reached the node by now: an index into its arrivals."""
        start, end = self._start[node], self._start[node + 1]
        return bisect_right(self._arrival_steps, self.position, start, end) - start

    def grad(self, node: int) -> float | None:
        """The gradient so far; ``None`` until a contribution arrives (and always for constants).

        Nodes that do not reach the output show 0 once the backward pass has begun.
        """
        walk = self.walk
        if walk.nodes[node].kind is Kind.CONST:
            return None
        arrived = self._arrived(node)
        if arrived:
            return self._arrival_flows[self._start[node] + arrived - 1].after
        if not self.in_backward:
            return None
        if node == walk.graph.output:
            return 1.0  # the seed
        return 0.0 if walk.final_at[node] == walk.seed_index else None

    def is_final(self, node: int) -> bool:
        """Whether every contribution to this node's gradient has arrived."""
        return (
            self.walk.nodes[node].kind is not Kind.CONST
            and self.in_backward
            and self.position >= self.walk.final_at[node]
        )

    def contributions(self, node: int) -> tuple[Contribution, ...]:
        start = self._start[node]
        steps, flows = self.steps, self._arrival_flows
        return tuple(
            Contribution(steps[self._arrival_steps[i]].node, flows[i].product)
            for i in range(start, start + self._arrived(node))
        )

    def progress(self) -> tuple[str, int, int]:
        """The phase and how far into it: ``("backward", 4, 7)``."""
        seed = self.walk.seed_index
        if self.position < seed:
            return "forward", self.position + 1, seed
        if self.position == seed:
            return "seed", 1, 1
        return "backward", self.position - seed, self.walk.backward_count
