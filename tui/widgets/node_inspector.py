"""The node under the tree's cursor: its value, gradient and local derivatives, without stepping."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.widgets import Static

from engine import BackwardStep, Kind, Stepper, formulas
from engine.numbers import fmt
from tui.step_text import MUTED, NAME, NUMBER, contribution_sum, local_derivative
from tui.widgets.measure import rendered_height


class NodeInspector(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._height: int | None = 0
        """The height last shown (0: empty), or ``None`` when not known at this width."""
        self._width = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:  # a new height alone changes no line's wrapping
            self._width = event.size.width
            self._height = None

    def show(self, stepper: Stepper, node_id: int | None) -> None:
        """Show the node under the tree's cursor; laid out again only when the panel's
        height changes (it is hidden, by the stylesheet, when no node is inspected)."""
        if node_id is None:
            if self._height != 0:
                self._height = 0
                self.update(Text(""))
            return
        text = inspect(stepper, node_id)
        height = rendered_height(self, text)
        self.update(text, layout=height is None or height != self._height)
        self._height = height


def inspect(stepper: Stepper, node_id: int) -> RenderableType:
    walk = stepper.walk
    node = walk.nodes[node_id]
    if node.kind is Kind.CONST:
        return Text.assemble(
            ("looking at ", MUTED), (node.label, NAME), (": a constant, no gradient", MUTED)
        )
    value, grad = stepper.value(node_id), stepper.grad(node_id)
    head = Text.assemble(
        ("looking at ", MUTED),
        (formulas.definition(walk.graph, node_id) if node.op else node.label, NAME),
        ("   data ", MUTED),
        ("?" if value is None else fmt(value), NUMBER),
        ("   grad ", MUTED),
        ("not reached yet" if grad is None else fmt(grad), NUMBER),
        (" (final)" if stepper.is_final(node_id) else "", MUTED),
    )
    lines: list[RenderableType] = [head]
    contributions = stepper.contributions(node_id)
    if len(contributions) > 1:
        lines.append(Text("  grad = ", MUTED) + contribution_sum(walk, contributions))
    index = walk.step_of.get(node_id)
    if index is not None:
        step = walk.steps[index]
        assert isinstance(step, BackwardStep)
        lines.extend(
            Text("  local ", MUTED) + local_derivative(walk, node_id, flow) for flow in step.flows
        )
    return Group(*lines)
