"""What the command line prints: the whole trace, the gradient table, the numeric check.

Each returns Rich text, so the same output reads well in a terminal (with colour) and in
a pipe (plain text). Long outputs are plain aligned text or generated line by line: Rich
lays a 100k-row table out far more slowly than Python can write it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group
from rich.table import Table
from rich.text import Text

from engine import BackwardStep, Stepper, Walkthrough
from engine.gradcheck import TOLERANCE, Check
from engine.numbers import fmt
from tui.grads_report import grads_text
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
