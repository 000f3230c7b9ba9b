"""How one graph node is written in the tree and the DAG view: ``c = a * b  data 6  grad 2``.

A label that does not fit gives up words, never digits: first the expression, then the
value (the table shows it), then the gradient, leaving the name. Numbers are written
whole by ``engine.numbers.fmt`` or not at all.
"""

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

FULL, NO_EXPRESSION, GRAD_ONLY, NAME_ONLY = range(4)
"""The forms of a label, from the fullest to the narrowest."""


def node_styles(widget: Widget) -> dict[str, Style]:
    """The Rich styles the stylesheet gives ``NODE_CLASSES`` on this widget."""
    return {name: widget.get_component_rich_style(f"node--{name}") for name in NODE_STYLES}


def node_label(
    stepper: Stepper,
    node_id: int,
    styles: dict[str, Style],
    *,
    width: int | None = None,
    name: str | None = None,
) -> Text:
    """The node's definition, then its value once computed and gradient once reached.

    ``styles`` come from the widget's component classes (so the .tcss decides colours):
    ``current`` for the node of the current step, ``feeds`` for the operands it sends
    gradient to, ``final`` for a gradient that will not change again. ``width``: the cells
    available; the first form that fits is returned (the name alone when none does, so
    the panel may still scroll to it). ``name``: what to call the node instead of its
    label (a folded tree writes a path within the fold: ``.w[0]``).
    """
    for form in (FULL, NO_EXPRESSION, GRAD_ONLY, NAME_ONLY):
        text = _label(stepper, node_id, styles, form, name)
        if width is None or text.cell_len <= width:
            return text
    return text


def node_box(stepper: Stepper, node_id: int, styles: dict[str, Style]) -> list[Text]:
    """The node as the notes' diagrams write it, for the DAG view: ``y (+)``, ``data 7``,
    ``grad 15 ✓`` on three lines (a constant: its number alone). An operation is named by
    its operator, since the drawing shows its operands."""
    walk = stepper.walk
    node = walk.nodes[node_id]
    if node.kind is Kind.CONST:
        return [_highlight(stepper, node_id, Text(node.label, styles["const"]), styles)]
    name = Text(f"{node.label} " if node.name is not None or node.op is None else "")
    name.stylize(styles["name"])
    if node.op is not None:
        name.append(f"({operator_symbol(node)})", styles["muted"])
    name.rstrip()
    value, grad = stepper.value(node_id), stepper.grad(node_id)
    data = Text.assemble(
        ("data ", styles["muted"]), ("?" if value is None else fmt(value), styles["number"])
    )
    lines = [name, data]
    if grad is not None:
        final = stepper.is_final(node_id)
        lines.append(
            Text.assemble(
                ("grad ", styles["muted"]),
                (fmt(grad), styles["final"] if final else styles["grad"]),
                (" ✓" if final else "", styles["final"]),
            )
        )
    return [_highlight(stepper, node_id, line, styles) for line in lines]


def _label(
    stepper: Stepper, node_id: int, styles: dict[str, Style], form: int, name: str | None = None
) -> Text:
    walk = stepper.walk
    node = walk.nodes[node_id]
    text = Text()
    if node.kind is Kind.CONST:
        text.append(node.label, styles["const"])  # the label is the number itself: whole
        if form == FULL:
            text.append("  const", styles["muted"])
        return _highlight(stepper, node_id, text, styles)
    text.append(name or node.label, styles["name"])
    if node.op is not None and node.name is not None and form == FULL:
        text.append(f" = {walk.graph.expression(node)}", styles["muted"])
    value = stepper.value(node_id)
    if form <= NO_EXPRESSION:
        text.append("  data ", styles["muted"])
        text.append(fmt(value) if value is not None else "?", styles["number"])
    grad = stepper.grad(node_id)
    final = stepper.is_final(node_id)
    if grad is not None and form <= GRAD_ONLY:
        text.append("  grad ", styles["muted"])
        text.append(fmt(grad), styles["final"] if final else styles["grad"])
    if final:
        text.append(" ✓", styles["final"])
    return _highlight(stepper, node_id, text, styles)


def _highlight(stepper: Stepper, node_id: int, text: Text, styles: dict[str, Style]) -> Text:
    current, *fed = nodes_of(stepper.focus)
    if node_id == current:
        text.stylize(styles["current"])
    elif node_id in fed:
        text.stylize(styles["feeds"])
    return text
