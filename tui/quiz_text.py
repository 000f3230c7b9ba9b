"""The quiz in words: the question, the verdict naming the slip, and the summary.

The numbers come from the step records (``engine.quiz`` says which slip an answer is);
the lines that reveal the step are the trace's own (``tui.step_text``).
"""

from __future__ import annotations

from rich.text import Text

from engine import BackwardStep, Flow, Walkthrough, formulas
from engine.numbers import fmt
from engine.ops import wrap
from engine.quiz import Mistake
from tui.step_text import (
    GRADIENT,
    NAME,
    WARNING,
    accumulation_line,
    flow_line,
    local_derivative,
)


def grad_question(walk: Walkthrough, flow: Flow) -> str:
    """``x.grad = ?``: the literal question, with the input's name."""
    return f"{wrap(walk.nodes[flow.source].label)}.grad = ?"


def local_question(walk: Walkthrough, node: int, flow: Flow) -> str:
    """``d(x*3)/dx = ?``: the local derivative, for the option that asks it first."""
    return f"{formulas.derivative(walk.graph, node, flow.position)} = ?"


def verdict(walk: Walkthrough, node: int, flow: Flow, answer: float, mistake: Mistake) -> Text:
    """One sentence on the answer: right, or the slip it was ("You forgot ..."), with the
    numbers that put it right."""
    name = f"{wrap(walk.nodes[flow.source].label)}.grad"
    local = f"{formulas.derivative(walk.graph, node, flow.position)} = {fmt(flow.local)}"
    upstream = f"{formulas.gradient_symbol(walk.graph, node)} = {fmt(flow.upstream)}"
    total = (
        f"{name} = {fmt(flow.product)}"
        if flow.first
        else f"{name} = {fmt(flow.before)} + {fmt(flow.product)} = {fmt(flow.after)}"
    )
    given = fmt(answer)
    match mistake:
        case Mistake.RIGHT:
            return Text.assemble(("Right: ", GRADIENT), f"{name} = {fmt(flow.after)}")
        case Mistake.NO_UPSTREAM:
            sentence = (
                f"You forgot to multiply by the upstream gradient: {given} is the local"
                f" derivative {local} alone. Times the upstream {upstream} it is"
                f" {fmt(flow.product)}, so {total}."
            )
        case Mistake.NO_LOCAL:
            sentence = (
                f"You forgot the local derivative: {given} is the upstream gradient {upstream}"
                f" alone. Times {local} it is {fmt(flow.product)}, so {total}."
            )
        case Mistake.NO_ACCUMULATION:
            sentence = (
                f"You forgot to accumulate: {given} is only what arrives on this path, and"
                f" {name} already held {fmt(flow.before)} from an earlier one. Gradients from"
                f" every path add up: {name} += {fmt(flow.product)}: {fmt(flow.before)} ->"
                f" {fmt(flow.after)}."
            )
        case Mistake.SIGN:
            sentence = (
                f"You forgot the sign: the size is right, but {_why_sign(flow, local, upstream)}"
            )
            sentence += f" so {total}."
        case _:
            sentence = (
                f"Not quite: {name} = {fmt(flow.after)}. Local {local} × upstream"
                f" {fmt(flow.upstream)} = {fmt(flow.product)}"
                + ("." if flow.first else f", added to the {fmt(flow.before)} it held.")
            )
    return Text(sentence, WARNING)


def _why_sign(flow: Flow, local: str, upstream: str) -> str:
    product = fmt(flow.product)
    factors = ((flow.local, local), (flow.upstream, upstream))
    negatives = [part for value, part in factors if value < 0]
    if len(negatives) == 1:
        return f"{negatives[0]} is negative, which flips the sign of the product ({product}),"
    if len(negatives) == 2:
        return f"{local} and {upstream} are both negative, so the product is positive ({product}),"
    return f"{local} and {upstream} are both positive, so the product is too ({product}),"


def local_verdict(walk: Walkthrough, node: int, flow: Flow, mistake: Mistake) -> Text:
    """For the local-derivative question: right, or the derivative as it is."""
    if mistake is Mistake.RIGHT:
        return Text.assemble(("Right: ", GRADIENT), local_derivative(walk, node, flow))
    prefix = "You forgot the sign: " if mistake is Mistake.SIGN else "Not quite: "
    return Text(prefix, WARNING) + local_derivative(walk, node, flow)


def reveal(walk: Walkthrough, step: BackwardStep, flow: Flow) -> list[Text]:
    """The edge as the trace prints it, once the learner has answered."""
    label = Text.assemble((f"{walk.nodes[flow.source].label}: ", NAME))
    return [label + flow_line(walk, step, flow), Text("  ") + accumulation_line(walk, flow)]
