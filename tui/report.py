"""What the command line prints: the whole trace, the gradient table, the numeric check.

Each returns Rich text, so the same output reads well in a terminal (with colour) and in
a pipe (plain text). Long outputs are plain aligned text or generated line by line: Rich
lays a 100k-row table out far more slowly than Python can write it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from engine import BackwardStep, Kind, Stepper, Walkthrough
from engine.gradcheck import TOLERANCE, Check
from engine.numbers import fmt
from tui.step_text import MUTED, WARNING, backward_details, forward_warnings, headline


def trace(walk: Walkthrough, title: str) -> Iterator[Text]:
    """The walk-through, line by line: forward pass, seed, every backward step, then the
    gradients. A generator, so a long trace starts at once and is never held whole."""
    yield Text(title, style="bold underline")
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
        yield from (Text(" " * (width + 2)) + line for line in forward_warnings(walk, step))
        if isinstance(step, BackwardStep):
            indent = Text(" " * (width + 2))
            yield from (indent + line for line in backward_details(walk, step, stepper))
    yield Text()
    yield Text("Gradients", style="bold")
    header, *rows = grads_text(walk).splitlines()
    yield Text(header, style="bold")
    yield from (Text(row) for row in rows)


GRADS_HEADER = ("node", "op", "value", "grad")


def grads_rows(walk: Walkthrough) -> list[tuple[str, str, str, str]]:
    """Every node: its label, operation, value and gradient (constants have none)."""
    values, grads, const = walk.graph.values, walk.grads, Kind.CONST
    return [
        (
            node.label,
            node.op.name if node.op else node.kind,
            fmt(values[node.id]),
            "" if node.kind is const else fmt(grads[node.id]),
        )
        for node in walk.nodes
    ]


def grads_text(walk: Walkthrough) -> str:
    """The rows as aligned plain text: a table of 100k rows is written in a blink this way,
    where laying it out as a Rich table takes minutes."""
    rows = [GRADS_HEADER, *grads_rows(walk)]
    a, b, c, d = (max(map(len, column)) for column in zip(*rows, strict=True))
    template = f"{{:<{a}}}  {{:<{b}}}  {{:>{c}}}  {{:>{d}}}"
    return "\n".join(template.format(*row).rstrip() for row in rows) + "\n"


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
    """The machine-readable answer of ``chainstep grads --json``: the output, its value,
    every input's gradient and every name's value. The whole graph, node by node, is
    ``chainstep export -f json``'s job: writing 475k node records here made a
    100k-statement program's answer take longer than computing it."""
    values = walk.graph.values
    grads = walk.grads
    names = walk.graph.program.names
    return {
        "output": walk.output.name,
        "value": values[walk.output.id],
        "grads": {node.label: grads[node.id] for node in walk.nodes if node.kind is Kind.INPUT},
        "values": {name: values[node_id] for name, node_id in names.items()},
    }


def json_text(data: dict[str, Any]) -> str:
    """One top-level key a line, each value written by one call to json's C encoder."""
    parts = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in data.items()]
    return "{\n" + ",\n".join(parts) + "\n}\n"
