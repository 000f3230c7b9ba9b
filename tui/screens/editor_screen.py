"""Edit the program. An invalid one shows its located error here and keeps every character."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from engine import ProgramError, Walkthrough, walkthrough

HINT = "ctrl+s runs the program · escape goes back and keeps this text for the next e"


class EditorScreen(ModalScreen[tuple[str, Walkthrough | None]]):
    """Dismisses with the text and its walk-through once it runs, or with the text alone
    on escape, so the app can offer it again: what the learner typed is never dropped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "run", "Run the program", priority=True),
        Binding("escape", "leave", "Back, keeping the text", priority=True),
    ]

    def __init__(
        self, text: str, error: ProgramError | None = None, title: str | None = None
    ) -> None:
        super().__init__()
        self.text = text
        self.error = error
        self.title_text = f"Edit {title}" if title else "Edit the program"

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-panel") as panel:
            panel.border_title = self.title_text
            yield TextArea.code_editor(
                self.text, language="python", theme="monokai", id="editor", soft_wrap=False
            )
            yield Static(id="editor-status")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._show(self.error)

    def action_leave(self) -> None:
        self.dismiss((self.query_one(TextArea).text, None))

    def action_run(self) -> None:
        text = self.query_one(TextArea).text
        try:
            walk = walkthrough(text)
        except ProgramError as error:
            self._show(error)
            return
        self.dismiss((text, walk))

    def _show(self, error: ProgramError | None) -> None:
        status = self.query_one("#editor-status", Static)
        status.set_class(error is not None, "error")
        if error is None:
            status.update(Text(HINT, "dim"))
            return
        status.update(
            Text.assemble(
                (f"line {error.line}, column {error.col}: ", "bold"),
                error.message,
                "\n",
                (HINT, "dim"),
            )
        )
        editor = self.query_one(TextArea)
        editor.cursor_location = (error.line - 1, max(0, error.col - 1))
