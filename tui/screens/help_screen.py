"""Every key the app answers to, read from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRODUCTION = (
    "chainstep walks backpropagation one node at a time. The forward pass computes every "
    "value; the seed sets dL/dL = 1; each backward step multiplies a node's local "
    "derivative by the upstream gradient and adds the product into its input's gradient."
)

EXTRA_KEYS = (
    ("up / down", "move through the tree to look at a node without stepping"),
    ("tab", "move between the tree and the table"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.app_bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.app_bindings:
            table.add_row(_keys(binding.key), binding.description)
        for keys, description in EXTRA_KEYS:
            table.add_row(keys, description)
        with VerticalScroll(id="help-panel") as panel:
            panel.border_title = "chainstep — keys"
            yield Static(Text(INTRODUCTION), id="help-intro")
            yield Static(table, id="help-keys")
            yield Static(Text("escape closes this help", "dim"))


def _keys(spec: str) -> str:
    names = {"question_mark": "?", "space": "space", "right": "→", "left": "←"}
    return " / ".join(names.get(key, key) for key in spec.split(","))
