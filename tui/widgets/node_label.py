"""How one graph node is written in the tree: ``c = a * b  data 6  grad 2``."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from engine import Kind, Stepper
from engine.export import operator_symbol
from engine.numbers import fmt
from engine.stepper import nodes_of

NODE_STYLES = ("name", "const", "muted", "number", "grad", "final", "current", "feeds")
NODE_CLASSES = {f"node--{name}" for name in NODE_STYLES}
"""Component classes of the widgets that show node labels (the tree, the DAG view), so one
rule in the stylesheet colours a node the same way in both."""


def node_styles(widget: Widget) -> dict[str, Style]:
    """The Rich styles the stylesheet gives ``NODE_CLASSES`` on this widget."""
    return {name: widget.get_component_rich_style(f"node--{name}") for name in NODE_STYLES}


def node_label(
    stepper: Stepper, node_id: int, styles: dict[str, Style], *, compact: bool = False
) -> Text:
    """The node's definition, then its value once computed and gradient once reached.

    ``styles`` come from the tree's component classes (so the .tcss decides colours):
    ``current`` for the node of the current step, ``feeds`` for the operands it sends
    gradient to, ``final`` for a gradient that will not change again. ``compact`` names an
    operation by its operator (``y (+)``) rather than its whole expression, for the DAG view.
    """
    walk = stepper.walk
    node = walk.nodes[node_id]
    text = Text()
    if node.kind is Kind.CONST:
        text.append(node.label, styles["const"])
        text.append("  const", styles["muted"])
        return text
    if node.op is None:
        text.append(node.label, styles["name"])
    elif compact:  # the drawing shows the operands: name the operator only
        if node.name is not None:
            text.append(f"{node.label} ", styles["name"])
        text.append(f"({operator_symbol(node)})", styles["muted"])
    elif node.name is not None:
        text.append(node.label, styles["name"])
        text.append(f" = {walk.graph.expression(node)}", styles["muted"])
    else:
        text.append(node.label, styles["name"])
    value = stepper.value(node_id)
    text.append("  data ", styles["muted"])
    text.append(fmt(value) if value is not None else "?", styles["number"])
    grad = stepper.grad(node_id)
    if grad is not None:
        text.append("  grad ", styles["muted"])
        text.append(fmt(grad), styles["final"] if stepper.is_final(node_id) else styles["grad"])
        if stepper.is_final(node_id):
            text.append(" ✓", styles["final"])
    current, *fed = nodes_of(stepper.current)
    if node_id == current:
        text.stylize(styles["current"])
    elif node_id in fed:
        text.stylize(styles["feeds"])
    return text
