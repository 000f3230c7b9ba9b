"""The numeric check: each input's gradient against a centered finite difference.

Backprop is only convincing when it agrees with the definition of the derivative,
(f(x+h) - f(x-h)) / 2h, the way the notes prove it. Near a kink (relu, abs, max, min) the
difference straddles two slopes and disagrees honestly; that is reported, not hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.errors import ProgramError
from engine.language import Kind
from engine.steps import Walkthrough

STEP = 1e-5
TOLERANCE = 1e-4
BUDGET = 6_000_000
"""Most node evaluations a check may cost (three forward passes per input): about three
seconds. Past it, ``check_cost`` says so and callers decline rather than hang."""


@dataclass(frozen=True, slots=True)
class Check:
    node: int
    label: str
    analytic: float
    numeric: float
    relative_error: float
    crosses_kink: bool
    """x - h and x + h fall on different sides of a relu, abs, max or min."""
    problem: str | None = None
    """Why no numeric value could be had (the nudged program fails to evaluate)."""

    @property
    def ok(self) -> bool:
        return self.problem is None and self.relative_error <= TOLERANCE


def check_cost(walk: Walkthrough) -> int:
    """How many node evaluations ``check_gradients`` would make."""
    inputs = sum(1 for node in walk.nodes if node.kind is Kind.INPUT)
    return 3 * inputs * len(walk.graph.operations)


def check_gradients(walk: Walkthrough, h: float = STEP) -> list[Check]:
    """One check per input, in program order."""
    return [check_input(walk, node.id, h) for node in walk.nodes if node.kind is Kind.INPUT]


def check_input(walk: Walkthrough, node_id: int, h: float = STEP) -> Check:
    graph = walk.graph
    x = graph.values[node_id]
    label = walk.nodes[node_id].label
    analytic = walk.grads[node_id]
    step = h * max(1.0, abs(x))
    try:
        up, up_branches = graph.evaluate({node_id: x + step})
        down, down_branches = graph.evaluate({node_id: x - step})
        _, here_branches = graph.evaluate({node_id: x})
    except ProgramError as exc:
        return Check(
            node_id,
            label,
            analytic,
            math.nan,
            math.inf,
            False,
            f"the program cannot be evaluated at {label} +- h: {exc.message}",
        )
    numeric = (up - down) / (2 * step)
    crosses = not (up_branches == down_branches == here_branches)
    return Check(node_id, label, analytic, numeric, relative_error(analytic, numeric), crosses)


def relative_error(a: float, b: float) -> float:
    """|a - b| / max(|a|, |b|), with differences below 1e-9 counted as agreement."""
    if math.isnan(a) or math.isnan(b):
        return 0.0 if math.isnan(a) and math.isnan(b) else math.inf
    difference = abs(a - b)
    if difference < 1e-9:
        return 0.0
    return difference / max(abs(a), abs(b))
