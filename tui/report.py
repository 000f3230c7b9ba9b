"""What the command line prints: the whole trace, the gradient table, the numeric check.

Each function returns Rich renderables, so the same output reads well in a terminal
(with colour) and in a pipe (plain text, since Rich drops styles there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from engine import BackwardStep, Kind, Stepper, Walkthrough
from engine.gradcheck import TOLERANCE, Check
from engine.numbers import fmt
from tui.step_text import MUTED, WARNING, accumulation_line, flow_line, headline


def trace(walk: Walkthrough, title: str) -> Group:
    """The walk-through, step by step: forward pass, seed, then every backward step."""
    return Group(
        Text(title, style="bold underline"),
        *_trace_sections(walk),
        Text(),
        Text("Gradients", style="bold"),
        grads_table(walk),
    )


def _trace_sections(walk: Walkthrough) -> Iterator[RenderableType]:
    stepper = Stepper(walk)
    width = len(str(len(walk.steps)))
    headings = {0: "Forward pass", walk.seed_index: "Seed", walk.seed_index + 1: "Backward pass"}
    for step in walk.steps:
        stepper.goto(step.index)
        if step.index in headings:
            yield Text()
            yield Text(headings[step.index], style="bold")
        number = Text(f"{step.index + 1:>{width}}. ", style=MUTED)
        yield number + headline(walk, step)
        if isinstance(step, BackwardStep):
            yield from _backward_details(walk, step, stepper, " " * (width + 2))


def _backward_details(
    walk: Walkthrough, step: BackwardStep, stepper: Stepper, indent: str
) -> list[Text]:
    lines: list[Text] = []
    if step.pattern:
        lines.append(Text(step.pattern, style="italic"))
    last_flow_of = {flow.source: i for i, flow in enumerate(step.flows)}
    for i, flow in enumerate(step.flows):
        lines.append(
            Text(f"{walk.nodes[flow.source].label}: ", style="bold") + flow_line(walk, flow)
        )
        contributions = stepper.contributions(flow.source) if last_flow_of[flow.source] == i else ()
        lines.append(Text("  ") + accumulation_line(walk, flow, contributions))
    lines.extend(Text(f"warning: {warning}", style=WARNING) for warning in step.warnings)
    return [Text(indent) + line for line in lines]


def grads_table(walk: Walkthrough) -> Table:
    """Every node: its value and its gradient (constants have none)."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("node")
    table.add_column("op")
    table.add_column("value", justify="right")
    table.add_column("grad", justify="right")
    values = walk.graph.values
    for node in walk.nodes:
        grad = "" if node.kind is Kind.CONST else fmt(walk.grads[node.id])
        table.add_row(
            node.label, node.op.name if node.op else node.kind.value, fmt(values[node.id]), grad
        )
    return table


def check_table(checks: list[Check]) -> Group:
    """Each input's backprop gradient beside its centered difference, and a verdict."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("input", "backprop", "numeric", "rel. error", ""):
        table.add_column(column, justify="left" if column in ("input", "") else "right")
    notes: list[Text] = []
    for check in checks:
        if check.problem:
            verdict = Text("cannot check", style=WARNING)
            notes.append(Text(f"{check.label}: {check.problem}", style=WARNING))
        elif check.ok:
            verdict = Text("ok", style="green")
        else:
            verdict = Text("DISAGREES", style="bold red")
        if check.crosses_kink:
            notes.append(
                Text(
                    f"{check.label}: x - h and x + h fall on different sides of a kink (relu, abs,"
                    " max or min), so the difference averages two slopes",
                    style=WARNING,
                )
            )
        table.add_row(
            check.label,
            fmt(check.analytic),
            fmt(check.numeric),
            f"{check.relative_error:.1e}",
            verdict,
        )
    footer = Text(f"tolerance: relative error <= {TOLERANCE:g}", style=MUTED)
    return Group(table, *notes, footer)


def grads_json(walk: Walkthrough) -> dict[str, Any]:
    """The machine-readable summary of ``chainstep grads --json``."""
    values = walk.graph.values
    names = walk.graph.program.names
    return {
        "output": walk.output.name,
        "value": values[walk.output.id],
        "grads": {
            node.label: walk.grads[node.id] for node in walk.nodes if node.kind is Kind.INPUT
        },
        "values": {name: values[node_id] for name, node_id in names.items()},
        "nodes": [
            {
                "id": node.id,
                "label": node.label,
                "kind": node.kind.value,
                "op": node.op.name if node.op else None,
                "inputs": list(node.args),
                "line": node.line,
                "value": values[node.id],
                "grad": None if node.kind is Kind.CONST else walk.grads[node.id],
            }
            for node in walk.nodes
        ],
    }
