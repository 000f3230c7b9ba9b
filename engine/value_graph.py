"""The graph a script's micrograd-style Values built, as a program in chainstep's language.

``chainstep run`` captures the Values (``tui/capture_child.py``) as plain data: each node's
number, operation, operands, label and name. This front end writes that graph as a lecture
cell (``v3 = v1 * v2; v3.label = 'x1*w1'``, ``v9.backward()``), which the ordinary parser
reads, so the graph, the steps, the stepper, the exports and the app are the same ones a
typed program gets, and the learner can read (and edit) what was captured.

Where the script made each Value (``Neuron.__call__`` of ``model.layers[0].neurons[3]``)
is written as a section line, ``# %% model.layers[0].neurons[3]``, the cell marker of
Jupytext and editors' "percent" format, before the lines that object's methods made (a
bare ``# %%`` for the script's top level again). ``engine.sections`` reads them back, so
the app can fold the graph to one neuron or one layer, and the program says it too.

micrograd keeps a node's operands in a set, so ``a - b`` and ``a / b`` (in classes that
have them as operations) are put in the order that gives the node's own value.
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Any

from engine.errors import ProgramError
from engine.ops import FUNCTIONS, METHODS

_POWER = re.compile(r"\*\*\s*(.+)")
_UNARY = {
    "tanh": "tanh",
    "exp": "exp",
    "relu": "relu",
    "log": "log",
    "sigmoid": "sigmoid",
}
_SYMBOL = {"+": "+", "*": "*", "-": "-", "/": "/"}


def program_text(capture: dict[str, Any], where: str) -> str:
    """The captured graph as program text; ``ProgramError`` for an operation it cannot read."""
    nodes = capture["nodes"]
    labels = _labels(nodes)
    names = _names(nodes, labels)
    lines = [
        f"# the graph of the Values {where} built, as backward() saw it",
        f"# output: {labels[capture['root']] or names[capture['root']]} ({capture['how']})",
    ]
    refs: list[str] = []
    section = None
    for index, node in enumerate(nodes):
        data = node["data"]
        if data is None:
            raise ProgramError(f"{labels[index] or names[index]}: its data is not a finite number")
        written = bool(node["children"]) or _is_input(node)
        if written and node.get("section") != section:
            section = node.get("section")
            lines.append(f"# %% {section}" if section else "# %%")
        if not node["children"]:
            if _is_input(node):
                refs.append(names[index])
                lines.append(f"{names[index]} = Value({data!r}, label={labels[index]!r})")
            else:
                refs.append(f"Value({data!r})")
            continue
        expression = _expression(node, [refs[c] for c in node["children"]], nodes, names[index])
        name = names[index]
        refs.append(name)
        label = labels[index]
        if label is None or label == name:
            lines.append(f"{name} = {expression}")
        else:
            lines.append(f"{name} = {expression}; {name}.label = {label!r}")
    lines.append(f"{names[capture['root']]}.backward()")
    return "\n".join(lines) + "\n"


def _is_input(node: dict[str, Any]) -> bool:
    """A leaf the learner made and named: not a number the Value class wrapped itself."""
    return not node["wrapped"] and bool(node["label"] or node["name"])


def _labels(nodes: list[dict[str, Any]]) -> list[str | None]:
    """The Value's label, else its name or path (made unique: inputs are reported by
    label); ``None`` for an operation with neither, which the program's own name
    (``v12``, shown as ``v12 = v10 * v11``) labels. A 66k-node graph is mostly those, and
    a label statement for each would double what there is to read."""
    labels: list[str | None] = []
    for node in nodes:
        if not node["children"] and not _is_input(node):
            labels.append(f"{node['data']:g}")  # a constant: its number
            continue
        labels.append(node["label"] or node["name"] or None)
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        if label is None:
            continue
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[index] = f"{label}#{index}"
    return labels


def _names(nodes: list[dict[str, Any]], labels: list[str | None]) -> list[str]:
    """Each node's name in the program: its label or global name where that is a plain,
    unused identifier (``loss``, ``x1``), else ``v7``."""
    taken = set(FUNCTIONS) | set(METHODS) | {"Value", "draw_dot", "print"}
    names = []
    for index, label in enumerate(labels):
        candidate = label if label and label.isidentifier() else (nodes[index]["name"] or "")
        if candidate.isidentifier() and not keyword.iskeyword(candidate) and candidate not in taken:
            taken.add(candidate)
            names.append(candidate)
        else:
            fallback = f"v{index}"
            while fallback in taken:
                fallback += "_"
            taken.add(fallback)
            names.append(fallback)
    return names


def _expression(node: dict[str, Any], operands: list[str], nodes: list, label: str) -> str:
    op, data = node["op"], node["data"]
    if len(operands) == 1 and op in ("+", "*"):  # a + a, a * a: micrograd's set keeps one
        operands = operands * 2
    if op in ("+", "*") and len(operands) == 2:
        return f"{operands[0]} {op} {operands[1]}"
    if op in ("-", "/") and len(operands) == 2:
        values = [nodes[c]["data"] for c in node["children"]]
        forward = (lambda a, b: a - b) if op == "-" else (lambda a, b: a / b if b else math.nan)
        if not _close(forward(values[0], values[1]), data):
            operands.reverse()
        return f"{operands[0]} {op} {operands[1]}"
    power = _POWER.fullmatch(op)
    if power and len(operands) == 1:
        try:
            exponent = float(power.group(1))
        except ValueError:
            raise ProgramError(f"{label}: the exponent in {op!r} is not a number") from None
        return f"{operands[0]} ** {exponent!r}"
    unary = _UNARY.get(op.lower())
    if unary and len(operands) == 1:
        return f"{unary}({operands[0]})"
    raise ProgramError(
        f"{label}: the operation {op!r} with {len(operands)} operands is not one chainstep"
        " knows (+ * - / **k tanh exp relu log sigmoid)"
    )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
