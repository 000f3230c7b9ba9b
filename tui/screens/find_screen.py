"""Find a node by name (``/``): on a 400-node MLP, type ``neurons[1].w`` and jump to it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine import Kind, Walkthrough
from engine.numbers import fmt
from tui.step_text import GRADIENT, MUTED, NAME

SHOWN = 50


class FindScreen(ModalScreen[int | None]):
    """Dismisses with the chosen node, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "focus_list", "To the matches", show=False),
    ]

    def __init__(self, walk: Walkthrough) -> None:
        super().__init__()
        self.walk = walk
        self.candidates = [node for node in walk.nodes if node.kind is not Kind.CONST]

    def compose(self) -> ComposeResult:
        with Vertical(id="find-panel") as panel:
            panel.border_title = "Find a node: type part of its name, enter jumps to its step"
            yield Input(placeholder="a name, like w or neurons[1]", id="find-query")
            yield OptionList(id="find-matches")
            yield Static(id="find-count")

    def on_mount(self) -> None:
        self._match("")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._match(event.value)

    def _match(self, query: str) -> None:
        wanted = query.strip().lower()
        found = [node for node in self.candidates if wanted in node.label.lower()]
        matches = self.query_one(OptionList)
        matches.clear_options()
        matches.add_options(
            Option(
                Text.assemble(
                    (node.label, NAME),
                    ("  grad ", MUTED),
                    (fmt(self.walk.grads[node.id]), GRADIENT),
                ),
                id=str(node.id),
            )
            for node in found[:SHOWN]
        )
        if found:
            matches.highlighted = 0
        more = f" (the first {SHOWN} shown)" if len(found) > SHOWN else ""
        count = f"{len(found)} node{'s' * (len(found) != 1)}{more}"
        self.query_one("#find-count", Static).update(Text(count, MUTED))

    @on(Input.Submitted)
    def _first(self) -> None:
        matches = self.query_one(OptionList)
        if matches.option_count:
            self._chosen(matches.get_option_at_index(matches.highlighted or 0).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._chosen(event.option.id)

    def _chosen(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(int(option_id))

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()
