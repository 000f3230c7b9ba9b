"""How tall a renderable is in a widget's width: to lay the screen out only when it must."""

from __future__ import annotations

from rich.console import RenderableType
from textual.widget import Widget


def rendered_height(widget: Widget, renderable: RenderableType) -> int | None:
    """Lines the renderable takes in the widget's content width (``None`` before the
    widget has a size). A layout repaints every panel on screen, so a panel whose height
    did not change is better updated in place."""
    width = widget.content_region.width
    if width <= 0:
        return None
    console = widget.app.console
    return len(console.render_lines(renderable, console.options.update_width(width), pad=False))
