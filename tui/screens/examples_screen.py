"""Pick an example: every worked example of the notes, with what each one teaches."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.library import Example, examples


class ExamplesScreen(ModalScreen[Example | None]):
    """Dismisses with the chosen example, or ``None`` on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(
                Text.assemble((example.title, "bold"), "\n", (example.about, "dim")),
                id=example.name,
            )
            for example in examples()
        ]
        with Vertical(id="examples-panel") as panel:
            panel.border_title = "Examples — enter loads, escape cancels"
            yield OptionList(*options, id="examples")
            yield Static(id="examples-name")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = [example.name for example in examples()]
        if self.current in names:
            option_list.highlighted = names.index(self.current)
        else:
            option_list.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def _name(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#examples-name", Static).update(
            Text.assemble(
                ("open it from the shell with: ", "dim"), f"chainstep open {event.option.id}"
            )
        )

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(e for e in examples() if e.name == event.option.id))
