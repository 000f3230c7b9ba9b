"""Every key the app answers to, read from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
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
    ("up / down", "move the tree's cursor to look at a node without stepping"),
    ("tab", "move between the tree, the step card and the table"),
)


def legend(styles: dict[str, Style]) -> Table:
    """What the colours and marks mean, drawn in the styles the graph itself uses."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column()
    rows = [
        (Text("c = a * b", styles["current"]), "the node of the current step"),
        (Text("a", styles["feeds"]), "an input this step sends gradient to"),
        (Text("x", "underline"), "the tree's cursor: the node shown under the cursor"),
        (Text("data ?", styles["number"]), "not computed yet: the forward pass fills it in"),
        (Text("grad 15", styles["grad"]), "a gradient still collecting contributions"),
        (Text("grad 36 ✓", styles["final"]), "final: every path has added its share"),
        (Text("…"), "cut by the panel's edge, never shown short: pan or widen"),
    ]
    for sample, meaning in rows:
        table.add_row(sample, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, bindings: list[Binding], styles: dict[str, Style]) -> None:
        super().__init__()
        self.app_bindings = bindings
        self.legend_styles = styles

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        keys: dict[str, list[str]] = {}  # one row per description: the four pans are one
        for binding in self.app_bindings:
            keys.setdefault(binding.description, []).append(_keys(binding.key))
        for description, names in keys.items():
            table.add_row(" ".join(names), description)
        for keys, description in EXTRA_KEYS:
            table.add_row(keys, description)
        with VerticalScroll(id="help-panel") as panel:
            panel.border_title = "chainstep — keys"
            yield Static(Text(INTRODUCTION), id="help-intro")
            yield Static(table, id="help-keys")
            yield Static(Text("What you see", "bold"))
            yield Static(legend(self.legend_styles), id="help-legend")
            yield Static(Text("escape closes this help", "dim"))


def _keys(spec: str) -> str:
    names = {"question_mark": "?", "space": "space", "right": "→", "left": "←", "up": "↑"}
    names |= {"slash": "/", "escape": "escape"}
    names |= {"down": "↓", "shift+left": "shift+←", "shift+right": "shift+→"}
    names |= {"shift+up": "shift+↑", "shift+down": "shift+↓"}
    return " / ".join(names.get(key, key) for key in spec.split(","))
