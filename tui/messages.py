"""The app's own messages, small dataclasses handled with ``@on``."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class NodeInspected(Message):
    """The learner put the tree's cursor on a graph node, to look at it without stepping."""

    node: int


@dataclass
class QuizMoved(Message):
    """The quiz asks about (or has revealed) another step: show the state after step
    ``position``; ``None``: only the score changed. ``asking``: the quiz asks about the
    step after ``position``, which the panels point at without showing its numbers."""

    position: int | None
    asking: bool = False
