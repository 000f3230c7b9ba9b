"""The quiz: one question per edge of the backward pass, and which mistake a wrong answer is.

Questions follow the trace exactly (backward steps in order, operands in operand order), so
the learner is asked ``x.grad = ?`` where the trace prints ``x.grad += ...``. The answer is
the input's gradient after the edge: its earlier gradient plus local derivative times
upstream. A wrong answer is compared with the numbers each well-known slip would give
(the local derivative alone, the upstream gradient alone, this edge's product alone where
an earlier path already contributed, the right magnitude with the wrong sign), so the
app can say which one it was. Nothing here words a message: that is the UI's job.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import NamedTuple

from engine.numbers import fmt
from engine.steps import BackwardStep, Flow, Walkthrough

RELATIVE = 1e-4
"""Answers within this relative distance count as equal (besides equal at six digits)."""


class Mistake(StrEnum):
    RIGHT = "right"
    NO_UPSTREAM = "forgot to multiply by the upstream gradient"
    NO_LOCAL = "forgot the local derivative"
    NO_ACCUMULATION = "forgot to accumulate"
    SIGN = "flipped the sign"
    OTHER = "wrong"


class Question(NamedTuple):
    step: int
    """Index of the backward step in ``Walkthrough.steps``."""
    flow: int
    """Which edge of that step, in operand order."""

    def edge(self, walk: Walkthrough) -> Flow:
        step = walk.steps[self.step]
        assert isinstance(step, BackwardStep)
        return step.flows[self.flow]


def questions(walk: Walkthrough) -> list[Question]:
    """Every edge of the backward pass, in the order `chainstep trace` prints them."""
    return [
        Question(step.index, position)
        for step in walk.steps
        if isinstance(step, BackwardStep)
        for position in range(len(step.flows))
    ]


def same(answer: float, expected: float) -> bool:
    """Equal as the app writes numbers (six significant digits), or within ``RELATIVE``."""
    if fmt(answer) == fmt(expected):
        return True
    if not (math.isfinite(answer) and math.isfinite(expected)):
        return False
    return abs(answer - expected) <= RELATIVE * max(abs(answer), abs(expected))


def diagnose(flow: Flow, answer: float) -> Mistake:
    """Which slip gives ``answer`` for the gradient after this edge (``flow.after``)."""
    if same(answer, flow.after):
        return Mistake.RIGHT
    if not flow.first and same(answer, flow.product):
        return Mistake.NO_ACCUMULATION
    # Before the one-factor slips: for b in a - b, answering the upstream gradient is
    # above all a sign slip (the local derivative is -1).
    if flow.after != 0 and same(answer, -flow.after):
        return Mistake.SIGN
    if same(answer, flow.local):
        return Mistake.NO_UPSTREAM
    if same(answer, flow.upstream):
        return Mistake.NO_LOCAL
    return Mistake.OTHER


def diagnose_local(flow: Flow, answer: float) -> Mistake:
    """For the option that asks the local derivative first: right, a sign slip, or wrong."""
    if same(answer, flow.local):
        return Mistake.RIGHT
    if flow.local != 0 and same(answer, -flow.local):
        return Mistake.SIGN
    return Mistake.OTHER
