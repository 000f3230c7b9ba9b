"""The current step in words and numbers: local derivative x upstream = product, and where to."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from engine import BackwardStep, ForwardStep, Stepper
from tui.step_text import MUTED, backward_details, forward_warnings, headline


class StepCard(Static):
    """Rendered from the step record and the stepper's state; computes nothing."""

    def show(self, stepper: Stepper) -> None:
        self.update(step_card(stepper))


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
