"""What a person sees: the screen as text, whole or one panel's part of it.

Tests read this rather than widget state, so a panel that is hidden, clipped or scrolled
away fails them the way it would fail a learner.
"""

from __future__ import annotations

import re

from textual.app import App

NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?(?![\w.])")
"""A number as it stands on screen: not the digits inside a name like ``w0`` or ``p1``."""


def screen_lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))


def panel_text(app: App, selector: str) -> str:
    """The cells of the screen inside this widget's border and padding (empty when it is
    not shown)."""
    widget = app.query_one(selector)
    region = widget.content_region
    if not widget.display or not region:
        return ""
    lines = screen_lines(app)[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)
