"""The one error a program can raise, located where the learner can find it."""

from __future__ import annotations


class ProgramError(Exception):
    """A program that cannot be parsed or evaluated.

    Line and column are 1-based and count characters (not bytes), so they match what
    an editor shows for any name, ASCII or not.
    """

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def located(self, where: str) -> str:
        """The one-line form every tool prints: ``WHERE:LINE:COL: message``."""
        return f"{where}:{self.line}:{self.col}: {self.message}"

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col}: {self.message}"
