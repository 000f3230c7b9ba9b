"""The current step in words and numbers: local derivative x upstream = product, and where to."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.widgets import Static

from engine import BackwardStep, ForwardStep, Stepper
from tui.step_text import MUTED, backward_details, forward_warnings, headline
from tui.widgets.measure import rendered_height


class StepCard(Static):
    """Rendered from the step record and the stepper's state; computes nothing."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._tallest = 0
        self._width = 0

    def show(self, stepper: Stepper) -> None:
        """Show the step. The card keeps the height of the tallest step shown so far, so
        stepping back and forth does not make the panels below jump, and the screen is
        laid out again only when a step needs more room than any before it."""
        card = step_card(stepper)
        height = rendered_height(self, card)
        if height is not None and height > self._tallest:
            self._tallest = height
            self.styles.min_height = height
        self.update(card, layout=height is None)

    def reset(self) -> None:
        """A new program, or a new width: heights measured before no longer apply."""
        self._tallest = 0
        self.styles.min_height = None

    def on_resize(self, event: events.Resize) -> None:
        # the card's own growth resizes it too; and its first size measured nothing yet
        if self._width and event.size.width != self._width:
            self.reset()
        self._width = event.size.width


def step_card(stepper: Stepper) -> RenderableType:
    walk, step = stepper.walk, stepper.current
    lines: list[RenderableType] = [headline(walk, step)]
    if isinstance(step, ForwardStep):
        lines.append(Text("the forward pass computes every value first, in program order", MUTED))
        lines.extend(forward_warnings(walk, step))
    elif isinstance(step, BackwardStep):
        lines.extend(backward_details(walk, step, stepper))
    else:
        lines.append(Text("every gradient is measured against this output", MUTED))
    return Group(*lines)
