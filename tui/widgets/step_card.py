"""The current step in words and numbers: local derivative x upstream = product, and where to."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from engine import BackwardStep, ForwardStep, Stepper, formulas
from tui.step_text import GRADIENT, MUTED, NAME, WARNING, accumulation_line, flow_line, headline


class StepCard(Static):
    """Rendered from the step record and the stepper's state; computes nothing."""

    def show(self, stepper: Stepper) -> None:
        self.update(step_card(stepper))


def step_card(stepper: Stepper) -> RenderableType:
    walk, step = stepper.walk, stepper.current
    lines: list[RenderableType] = [headline(walk, step)]
    if isinstance(step, ForwardStep):
        lines.append(Text("the forward pass computes every value first, in program order", MUTED))
    elif isinstance(step, BackwardStep):
        pattern = formulas.pattern(walk.graph, step.node)
        if pattern:
            lines.append(Text(pattern, "italic"))
        last_flow_of = {flow.source: i for i, flow in enumerate(step.flows)}
        for i, flow in enumerate(step.flows):
            lines.append(Text())
            lines.append(Text.assemble((f"into {walk.nodes[flow.source].label}", NAME)))
            lines.append(Text("  ") + flow_line(walk, step, flow))
            contributions = (
                stepper.contributions(flow.source) if last_flow_of[flow.source] == i else ()
            )
            lines.append(Text("  ") + accumulation_line(walk, flow, contributions))
        lines.extend(
            Text(f"warning: {warning}", WARNING) for warning in formulas.warnings(walk.graph, step)
        )
    else:
        lines.append(Text("every gradient is measured against this output", MUTED))
    if stepper.at_end:
        lines.append(Text())
        lines.append(Text("backward pass complete: every gradient is final ✓", GRADIENT))
    return Group(*lines)
