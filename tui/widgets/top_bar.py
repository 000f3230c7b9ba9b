"""The one line above the panels: which program is shown, and how far the steps have gone."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TopBar(Widget):
    """The program's title on the left, the progress on the right, fitted to the width at
    render time. One widget of a fixed size, so a step that changes the progress repaints
    this line and never lays the screen out again (a bar of two widgets, one as wide as
    its text, did on every step whose text changed length)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"top-bar--program", "top-bar--status"}

    DEFAULT_CSS = """
    TopBar { height: 1; }
    TopBar > .top-bar--program { text-style: bold; }
    TopBar > .top-bar--status { color: $text-muted; }
    """

    program: reactive[Text] = reactive(Text)
    """What is shown, and any text of the learner's waiting in the editor."""
    status: reactive[str] = reactive("")
    """The phase and step, the quiz's score, playing, the check."""

    def render(self) -> RenderableType:
        grid = Table.grid(expand=True, padding=(0, 1), pad_edge=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        program = self.program.copy()
        program.stylize(self.get_component_rich_style("top-bar--program"), 0)
        status = Text(self.status, self.get_component_rich_style("top-bar--status"))
        grid.add_row(program, status)
        return grid
