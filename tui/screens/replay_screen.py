"""The ``=`` bug replayed: every gradient with ``+=`` beside the same backward pass with
``=``, and why each one that differs is wrong."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from engine import Walkthrough
from engine.experiments import Overwritten, overwrite_replay
from engine.numbers import fmt
from engine.quiz import same
from tui.step_text import GRADIENT, MUTED

INTRODUCTION = (
    "The same backward pass, with each contribution assigned (grad = local × upstream) "
    "instead of added (grad += local × upstream), the slip in micrograd's first bug report "
    "and in the lecture itself. A node reached by several paths keeps only the last; "
    "everything it feeds inherits the wrong number."
)


def replay_table(walk: Walkthrough) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("node", no_wrap=True)
    table.add_column("with +=", justify="right", no_wrap=True)
    table.add_column("with =", justify="right", no_wrap=True)
    table.add_column("why")
    for row in overwrite_replay(walk):
        wrong = not same(row.wrong, row.right)
        table.add_row(
            walk.nodes[row.node].label,
            Text(fmt(row.right), GRADIENT),
            Text(fmt(row.wrong), "bold red" if wrong else ""),
            _why(walk, row, wrong),
        )
    return table


def _why(walk: Walkthrough, row: Overwritten, wrong: bool) -> Text:
    if not wrong:
        return Text("the same" + (": one path" if row.paths == 1 else ""), MUTED)
    last = walk.nodes[row.kept].label if row.kept is not None else "?"
    if row.paths > 1:
        return Text(
            f"{row.paths} paths add up to {fmt(row.right)}; with = only the last (via {last})"
            " is kept"
        )
    return Text(f"one path, but its upstream (the gradient of {last}) was already wrong")


class ReplayScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,w,q", "dismiss", "Close"),
    ]

    def __init__(self, walk: Walkthrough) -> None:
        super().__init__()
        self.walk = walk

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="replay-panel") as panel:
            panel.border_title = "= instead of += : the backward pass replayed"
            yield Static(Text(INTRODUCTION, MUTED), id="replay-intro")
            yield Static(replay_table(self.walk), id="replay-table")
            yield Static(Text("escape closes this", "dim"))
