"""The program source, with the statement that made the current node marked."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.widgets import Static

from engine import Stepper
from tui.fit import shorten

THEME = "monokai"


class SourceView(Static):
    """Shows only the lines that fit, centred on the current statement: a long program is
    never highlighted whole, and the marked statement is always in sight."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self._split: tuple[str, list[str]] | None = None

    def _lines(self, text: str) -> list[str]:
        """The program's lines, split once per program rather than once per step."""
        if self._split is None or self._split[0] is not text:
            self._split = (text, text.splitlines() or [""])
        return self._split[1]

    def show(self, stepper: Stepper) -> None:
        self.stepper = stepper
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.stepper is None:
            return
        walk = self.stepper.walk
        node = walk.nodes[self.stepper.current.node]
        statement = walk.graph.program.statements[node.statement]
        lines = self._lines(walk.graph.program.text)
        height = max(1, self.content_region.height)
        first = max(1, min(statement.line - height // 2, len(lines) - height + 1))
        last = min(len(lines), first + height - 1)
        room = self.content_region.width - len(str(last)) - 3  # the line numbers' gutter
        shown = [shorten(line, room) for line in lines[first - 1 : last]]
        self.update(
            Syntax(
                "\n".join(shown),
                "python",
                theme=THEME,
                line_numbers=True,
                start_line=first,
                highlight_lines=set(range(statement.line, statement.end_line + 1)),
                word_wrap=False,
                background_color="default",
            ),
            layout=False,  # the panel's size is fixed by the stylesheet, whatever it shows
        )
