"""Nudge an input and watch the output: the prediction, gradient × h, beside the actual
change from running the forward pass again ("increase z by h and f reacts by 3h")."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import Kind, ProgramError, Walkthrough
from engine.experiments import nudge
from engine.numbers import fmt
from tui.step_text import GRADIENT, MUTED, NAME, NUMBER, PRODUCT

H = 0.001
"""The first nudge, as in the notes' numeric slope."""


class NudgeScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign,right", "nudge(1)", "Nudge up by h"),
        Binding("minus,left", "nudge(-1)", "Nudge down by h"),
        Binding("left_square_bracket", "scale(0.1)", "h ÷ 10"),
        Binding("right_square_bracket", "scale(10)", "h × 10"),
        Binding("0", "reset", "Back to the program's value"),
        Binding("escape,h", "dismiss", "Close"),
    ]

    def __init__(self, walk: Walkthrough) -> None:
        super().__init__()
        self.walk = walk
        self.inputs = [node.id for node in walk.nodes if node.kind is Kind.INPUT]
        self.h = H
        self.moved = {node: 0.0 for node in self.inputs}
        """How far each input has been moved, in multiples of whatever h was."""

    def compose(self) -> ComposeResult:
        output = self.walk.nodes[self.walk.graph.output].label
        with Vertical(id="nudge-panel") as panel:
            panel.border_title = f"Nudge an input, watch {output}"
            yield OptionList(
                *(Option(self._input_line(node), id=str(node)) for node in self.inputs),
                id="nudge-inputs",
            )
            yield Static(id="nudge-result")
            yield Static(
                Text(
                    "↑ ↓ pick an input · + / - nudge it by h · [ ] h ÷10 ×10 · 0 resets ·"
                    " escape closes",
                    MUTED,
                )
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self._show()

    def _input_line(self, node: int) -> Text:
        graph = self.walk.graph
        return Text.assemble(
            (self.walk.nodes[node].label, NAME),
            ("  data ", MUTED),
            (fmt(graph.values[node]), NUMBER),
            ("  grad ", MUTED),
            (fmt(self.walk.grads[node]), GRADIENT),
        )

    @property
    def selected(self) -> int:
        return self.inputs[self.query_one(OptionList).highlighted or 0]

    @on(OptionList.OptionHighlighted)
    def _picked(self) -> None:
        self._show()

    def action_nudge(self, direction: int) -> None:
        self.moved[self.selected] += direction * self.h
        self._show()

    def action_scale(self, factor: float) -> None:
        self.h = float(format(self.h * factor, ".12g"))
        self._show()

    def action_reset(self) -> None:
        self.moved[self.selected] = 0.0
        self._show()

    def _show(self) -> None:
        node = self.selected
        walk, graph = self.walk, self.walk.graph
        name = walk.nodes[node].label
        output = walk.nodes[graph.output].label
        delta = self.moved[node]
        lines = [Text.assemble(("h = ", MUTED), (fmt(self.h), NUMBER))]
        if delta == 0:
            lines.append(Text(f"press + to move {name} by h", MUTED))
            self.query_one("#nudge-result", Static).update(Group(*lines))
            return
        value = graph.values[node]
        lines.append(
            Text.assemble(
                (name, NAME),
                f": {fmt(value)} -> {fmt(value + delta)}  ",
                (f"(by {fmt(delta)})", MUTED),
            )
        )
        try:
            result = nudge(walk, node, delta)
        except ProgramError as error:
            lines.append(Text(f"the program fails there: {error.message}", "bold red"))
            self.query_one("#nudge-result", Static).update(Group(*lines))
            return
        symbol = f"d{output}/d{name}"
        lines.append(
            Text.assemble(
                ("predicted change of ", MUTED),
                (output, NAME),
                f": {symbol} × {fmt(delta)} = {fmt(walk.grads[node])} × {fmt(delta)} = ",
                (fmt(result.predicted), PRODUCT),
            )
        )
        lines.append(
            Text.assemble(
                ("actual change: ", MUTED),
                f"{output} {fmt(result.before)} -> {fmt(result.after)}, a change of ",
                (fmt(result.actual), GRADIENT),
            )
        )
        lines.append(Text(_verdict(result.predicted, result.actual), MUTED))
        self.query_one("#nudge-result", Static).update(Group(*lines))


def _verdict(predicted: float, actual: float) -> str:
    """Why the two differ a little: the gradient is the slope at the point, exact as h -> 0."""
    if predicted == actual:
        return "exactly as predicted: the output is linear in this input"
    return (
        "close: the gradient is the slope at the point, so grad × h is exact only as h"
        " shrinks (try [ )"
    )
