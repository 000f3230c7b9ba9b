"""Steps put into words: the lines the trace prints and the step card shows.

One place writes every sentence about a step, so the command line and the app always say
the same thing about the same numbers. Nothing here computes a derivative: it formats the
numbers the engine's step records carry.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from engine import (
    BackwardStep,
    Contribution,
    Flow,
    ForwardStep,
    SeedStep,
    Step,
    Stepper,
    Walkthrough,
    formulas,
)
from engine.numbers import fmt
from engine.ops import wrap

NAME = "bold"
NUMBER = "bold cyan"
PRODUCT = "bold magenta"
GRADIENT = "bold green"
MUTED = "dim"
WARNING = "bold yellow"


def headline(walk: Walkthrough, step: Step) -> Text:
    """One line that says what the step does."""
    graph = walk.graph
    match step:
        case ForwardStep(node=node):
            return Text.assemble(
                ("forward  ", MUTED), (formulas.forward_formula(graph, node), NAME)
            )
        case SeedStep():
            return Text.assemble(
                ("seed  ", MUTED),
                (formulas.seed_formula(graph), NAME),
                (": the output's gradient with respect to itself", MUTED),
            )
        case BackwardStep(node=node, upstream=upstream):
            return Text.assemble(
                ("backward through  ", MUTED),
                (formulas.definition(graph, node), NAME),
                ("   upstream ", MUTED),
                (f"{formulas.gradient_symbol(graph, node)} = ", ""),
                (fmt(upstream), NUMBER),
            )
    raise TypeError(step)


def local_derivative(walk: Walkthrough, node: int, flow: Flow) -> Text:
    """``d(e*f)/de = f = 2`` (the symbol is left out where it is just the number)."""
    local = fmt(flow.local)
    symbolic = formulas.symbolic(walk.graph, node, flow.position)
    shown = "" if symbolic == local else f" = {symbolic}"
    return Text.assemble(
        f"{formulas.derivative(walk.graph, node, flow.position)}{shown} = ", (local, NUMBER)
    )


def flow_line(walk: Walkthrough, step: BackwardStep, flow: Flow) -> Text:
    """``d(e*f)/de = f = 2  ×  upstream 1  =  2``: local derivative times upstream."""
    return local_derivative(walk, step.node, flow) + Text.assemble(
        ("  ×  ", MUTED),
        ("upstream ", MUTED),
        (fmt(flow.upstream), NUMBER),
        ("  =  ", MUTED),
        (fmt(flow.product), PRODUCT),
    )


def accumulation_line(
    walk: Walkthrough, flow: Flow, contributions: Sequence[Contribution] = ()
) -> Text:
    """``x.grad += 21:  15 -> 36  = 15 (via y) + 21 (via z)``.

    ``contributions`` are every amount the source has received so far; when there are
    two or more, their sum is spelled out so the accumulation over paths is visible.
    """
    label = walk.nodes[flow.source].label
    before = "0" if flow.first else fmt(flow.before)
    line = Text.assemble(
        (f"{wrap(label)}.grad", NAME),
        (" += ", ""),
        (fmt(flow.product), PRODUCT),
        (":  ", ""),
        (before, NUMBER),
        (" -> ", MUTED),
        (fmt(flow.after), GRADIENT),
    )
    if len(contributions) > 1:
        line.append("  = ", MUTED)
        line.append_text(contribution_sum(walk, contributions))
    return line


SPELLED_OUT = 6
"""Most contributions written term by term; past this, a summary (a weight shared by 100
examples would otherwise print 100 terms)."""
LARGEST = 3


def contribution_sum(walk: Walkthrough, contributions: Sequence[Contribution]) -> Text:
    """``15 (via y) + 21 (via z)``, with a minus sign for negative amounts; past
    ``SPELLED_OUT`` terms, how many there are and the largest few."""
    if len(contributions) > SPELLED_OUT:
        largest = sorted(contributions, key=lambda part: abs(part.amount), reverse=True)
        text = Text.assemble(
            (f"the sum of {len(contributions)} contributions", MUTED), (", largest ", MUTED)
        )
        for index, part in enumerate(largest[:LARGEST]):
            if index:
                text.append(", ", MUTED)
            text.append(fmt(part.amount), PRODUCT)
            text.append(f" (via {walk.nodes[part.via].label})", MUTED)
        return text
    text = Text()
    for index, part in enumerate(contributions):
        amount = part.amount
        if index:
            text.append(" - " if amount < 0 else " + ", MUTED)
            amount = abs(amount)
        text.append(fmt(amount), PRODUCT)
        text.append(f" (via {walk.nodes[part.via].label})", MUTED)
    return text


def forward_warnings(walk: Walkthrough, step: Step) -> list[Text]:
    """A side line that failed (``exp(800)`` on a line the output does not use) is kept as
    inf or nan with a warning, where the forward pass computes it."""
    warning = walk.graph.warnings.get(step.node) if isinstance(step, ForwardStep) else None
    return [] if warning is None else [Text(f"warning: {warning}", WARNING)]


def backward_details(walk: Walkthrough, step: BackwardStep, stepper: Stepper) -> list[Text]:
    """Under a backward step's headline: its gate pattern, then for each edge the local
    derivative times upstream and where the product goes, then any warning.

    ``stepper`` must stand at this step, so the running sums include its contributions.
    """
    lines: list[Text] = []
    pattern = formulas.pattern(walk.graph, step.node)
    if pattern:
        lines.append(Text(pattern, "italic"))
    last_flow_of = {flow.source: i for i, flow in enumerate(step.flows)}
    for i, flow in enumerate(step.flows):
        line = Text.assemble((f"{walk.nodes[flow.source].label}: ", NAME))
        lines.append(line.append_text(flow_line(walk, step, flow)))
        contributions = stepper.contributions(flow.source) if last_flow_of[flow.source] == i else ()
        lines.append(Text("  ") + accumulation_line(walk, flow, contributions))
    lines.extend(
        Text(f"warning: {warning}", WARNING) for warning in formulas.warnings(walk.graph, step)
    )
    return lines
