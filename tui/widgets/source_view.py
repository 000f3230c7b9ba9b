"""The program source, with the statement that made the current node marked.

Coloured by Python's own tokenizer with Monokai's colours: the language is Python's
expression syntax, and building Pygments' Python lexer cost a tenth of the app's first
paint for the five lines this panel shows.
"""

from __future__ import annotations

import io
import tokenize
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from engine import Stepper
from tui.fit import shorten

TOKEN_STYLES = {
    tokenize.NUMBER: Style(color="#ae81ff"),
    tokenize.OP: Style(color="#f92672"),
    tokenize.STRING: Style(color="#e6db74"),
    tokenize.COMMENT: Style(color="#959077"),
}
"""Monokai's colours for what the language has; names keep the text colour."""


class SourceView(Static):
    """Shows only the lines that fit, centred on the current statement: a long program is
    never highlighted whole, and the marked statement is always in sight."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--number",
        "source-view--marked",
        "source-view--pointer",
    }

    DEFAULT_CSS = """
    SourceView > .source-view--number { color: $text-muted; }
    SourceView > .source-view--marked { color: $text; text-style: bold; }
    SourceView > .source-view--pointer { color: $error; text-style: bold; }
    """

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
        node = walk.nodes[self.stepper.focus.node]
        statement = walk.graph.program.statements[node.statement]
        lines = self._lines(walk.graph.program.text)
        height = max(1, self.content_region.height)
        first = max(1, min(statement.line - height // 2, len(lines) - height + 1))
        last = min(len(lines), first + height - 1)
        room = self.content_region.width - len(str(last)) - 3  # the line numbers' gutter
        width = len(str(last))
        pointer, plain, bold = (
            self.get_component_rich_style(f"source-view--{name}")
            for name in ("pointer", "number", "marked")
        )
        shown = Text(no_wrap=True, end="")
        for number in range(first, last + 1):
            marked = statement.line <= number <= statement.end_line
            shown.append("❱ " if marked else "  ", pointer)
            shown.append(f"{number:>{width}} ", bold if marked else plain)
            shown.append_text(coloured(shorten(lines[number - 1], room)))
            if number < last:
                shown.append("\n")
        # the panel's size is fixed by the stylesheet, whatever it shows
        self.update(shown, layout=False)


def coloured(line: str) -> Text:
    """One line, its numbers, operators, strings and comments coloured as tokens. A line
    the tokenizer cannot finish (one cut short to fit) keeps the colours found so far."""
    text = Text(line)
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            style = TOKEN_STYLES.get(token.type)
            if style is not None and token.start[0] == 1:
                end = token.end[1] if token.end[0] == 1 else len(line)
                text.stylize(style, token.start[1], end)
    except (tokenize.TokenError, SyntaxError):
        pass
    return text
