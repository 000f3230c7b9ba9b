"""The node under the tree's cursor: its value, gradient and local derivatives, without stepping."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from engine import BackwardStep, Kind, Stepper, formulas
from engine.numbers import fmt
from tui.step_text import MUTED, NAME, NUMBER, contribution_sum, local_derivative


class NodeInspector(Static):
    def show(self, stepper: Stepper, node_id: int | None) -> None:
        self.update(Text("") if node_id is None else inspect(stepper, node_id))


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
