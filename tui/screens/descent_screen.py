"""One gradient step: every input moved by -lr × its gradient, the output before and after,
and (on enter) the program with the new inputs, to step through again."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from engine import ProgramError, Walkthrough
from engine.experiments import descend, with_inputs
from engine.numbers import fmt
from tui.step_text import GRADIENT, MUTED, NAME, NUMBER

LR = 0.01


class DescentScreen(ModalScreen[tuple[str, float] | None]):
    """Dismisses with the new program text and the learning rate, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "take", "Take the step"),
        Binding("left_square_bracket", "scale(0.1)", "lr ÷ 10"),
        Binding("right_square_bracket", "scale(10)", "lr × 10"),
        Binding("escape,d", "dismiss(None)", "Close"),
    ]

    def __init__(self, walk: Walkthrough, lr: float = LR) -> None:
        super().__init__()
        self.walk = walk
        self.lr = lr
        self.after: float | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="descent-panel") as panel:
            panel.border_title = "A gradient step: every input moves by -lr × grad"
            yield Static(id="descent-table")
            yield Static(Text("[ ] lr ÷10 ×10 · enter takes the step · escape closes", MUTED))

    def on_mount(self) -> None:
        self._show()

    def action_scale(self, factor: float) -> None:
        self.lr = float(format(self.lr * factor, ".12g"))
        self._show()

    def action_take(self) -> None:
        if self.after is not None:
            self.dismiss((with_inputs(self.walk, descend(self.walk, self.lr)), self.lr))

    def _show(self) -> None:
        walk, graph = self.walk, self.walk.graph
        moved = descend(walk, self.lr)
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("input", "data", "grad", "-lr × grad", "new data"):
            table.add_column(column, justify="left" if column == "input" else "right")
        for node, value in moved.items():
            table.add_row(
                Text(walk.nodes[node].label, NAME),
                fmt(graph.values[node]),
                Text(fmt(walk.grads[node]), GRADIENT),
                fmt(-self.lr * walk.grads[node]),
                Text(fmt(value), NUMBER),
            )
        output = walk.nodes[graph.output].label
        before = graph.values[graph.output]
        try:
            self.after, _ = graph.evaluate(moved)
        except ProgramError as error:
            self.after = None
            result = Text(f"the program fails there: {error.message}", "bold red")
        else:
            change = "lower" if self.after < before else "not lower: try a smaller lr"
            result = Text.assemble(
                (output, NAME),
                f": {fmt(before)} -> {fmt(self.after)}  ",
                (f"({change})", MUTED),
            )
        lr = Text.assemble(("lr = ", MUTED), (fmt(self.lr), NUMBER))
        self.query_one("#descent-table", Static).update(Group(lr, Text(), table, Text(), result))
