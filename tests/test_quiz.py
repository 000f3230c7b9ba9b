"""The quiz's questions and its diagnosis of a wrong answer, on the seed examples' numbers."""

from __future__ import annotations

import pytest

from engine import walkthrough
from engine.library import find
from engine.ops import wrap
from engine.quiz import Mistake, diagnose, diagnose_local, questions, same
from tui.report import trace


def walk_of(name: str):
    example = find(name)
    assert example is not None
    return walkthrough(example.text)


def test_questions_follow_the_trace():
    """Every `NAME.grad +=` line of the trace is one question, in the same order."""
    walk = walk_of("sigmoid-neuron")
    asked = [wrap(walk.nodes[q.edge(walk).source].label) for q in questions(walk)]
    traced = [
        line.plain.split(".grad +=")[0].strip()
        for line in trace(walk, "")
        if ".grad +=" in line.plain
    ]
    assert asked == traced
    assert asked[-2:] == ["w1", "x1"]


def x_via_z():
    """Example 3's last edge: x gets 3 x 7 = 21 via z, on top of 15 via y: 36."""
    walk = walk_of("two-paths")
    question = questions(walk)[-1]
    flow = question.edge(walk)
    assert (flow.local, flow.upstream, flow.product, flow.before, flow.after) == (3, 7, 21, 15, 36)
    return flow


@pytest.mark.parametrize(
    ("answer", "mistake"),
    [
        (36, Mistake.RIGHT),
        (36.000001, Mistake.RIGHT),
        (3, Mistake.NO_UPSTREAM),
        (7, Mistake.NO_LOCAL),
        (21, Mistake.NO_ACCUMULATION),
        (-36, Mistake.SIGN),
        (35, Mistake.OTHER),
    ],
)
def test_each_slip_is_named(answer, mistake):
    assert diagnose(x_via_z(), answer) is mistake


def test_a_first_contribution_is_not_an_accumulation_slip():
    """x's first edge (via y) brings 15 to a gradient of 0: 15 is right, not 'forgot'."""
    walk = walk_of("two-paths")
    first = next(
        q.edge(walk) for q in questions(walk) if walk.nodes[q.edge(walk).source].label == "x"
    )
    assert first.first and first.after == 15
    assert diagnose(first, 15) is Mistake.RIGHT


def test_the_subtraction_sign():
    """d(a-b)/db = -1: answering +1 (the upstream gradient) is a flipped sign."""
    walk = walkthrough("a = 2\nb = 5\nL = a - b\n")
    b = questions(walk)[-1].edge(walk)
    assert (b.local, b.after) == (-1, -1)
    assert diagnose(b, 1) is Mistake.SIGN
    assert diagnose_local(b, -1) is Mistake.RIGHT and diagnose_local(b, 1) is Mistake.SIGN


def test_equal_means_equal_at_six_digits_or_1e_4_relative():
    assert same(0.196612, 0.19661193324148185)
    assert same(-0.39322, -0.393224)  # within 1e-4 relative
    assert not same(0.1965, 0.196612)
    assert not same(float("nan"), 1.0)
