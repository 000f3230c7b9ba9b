"""``chainstep grads``'s answers, as aligned text or JSON.

Kept apart from ``tui.report`` and free of Rich: the command that answers a script's
question should not pay for importing a terminal renderer it never uses.
"""

from __future__ import annotations

import json
from typing import Any

from engine import Kind, Walkthrough
from engine.numbers import fmt

GRADS_HEADER = ("node", "op", "value", "grad")


def grads_rows(walk: Walkthrough) -> list[tuple[str, str, str, str]]:
    """Every node: its label, operation, value and gradient (constants have none)."""
    values, grads, const = walk.graph.values, walk.grads, Kind.CONST
    return [
        (
            node.label,
            node.op.name if node.op else node.kind,
            fmt(values[node.id]),
            "" if node.kind is const else fmt(grads[node.id]),
        )
        for node in walk.nodes
    ]


def grads_text(walk: Walkthrough) -> str:
    """The rows as aligned plain text: a table of 100k rows is written in a blink this way,
    where laying it out as a Rich table takes minutes."""
    rows = [GRADS_HEADER, *grads_rows(walk)]
    a, b, c, d = (max(map(len, column)) for column in zip(*rows, strict=True))
    template = f"{{:<{a}}}  {{:<{b}}}  {{:>{c}}}  {{:>{d}}}"
    return "\n".join(template.format(*row).rstrip() for row in rows) + "\n"


def grads_json(walk: Walkthrough) -> dict[str, Any]:
    """The machine-readable answer of ``chainstep grads --json``: the output, its value,
    every input's gradient and every named node's value, both keyed by the label the app
    shows (``x1*w1`` for ``x1w1 = x1*w1; x1w1.label = 'x1*w1'``, a parameter's path for a
    script's graph, where its program name is ``v7``). The whole graph, node by node, is
    ``chainstep export -f json``'s job: writing 475k node records here made a
    100k-statement program's answer take longer than computing it."""
    values = walk.graph.values
    grads = walk.grads
    names = walk.graph.program.names
    return {
        "output": walk.output.name,
        "value": values[walk.output.id],
        "grads": {node.label: grads[node.id] for node in walk.nodes if node.kind is Kind.INPUT},
        "values": {walk.nodes[node_id].label: values[node_id] for node_id in names.values()},
    }


def json_text(data: dict[str, Any]) -> str:
    """One top-level key a line, each value written by one call to json's C encoder."""
    parts = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in data.items()]
    return "{\n" + ",\n".join(parts) + "\n}\n"
