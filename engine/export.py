"""The graph as other tools draw it: Mermaid (as the notes draw it), Graphviz DOT, JSON.

Each export shows the state a stepper stands at: values the forward pass has not reached,
and gradients the backward pass has not reached, are left blank. Operations are drawn as
the notes and micrograd's ``draw_dot`` draw them: an operator node (``+``, ``×``) feeding
the value node it produces.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from engine.language import Kind, Node
from engine.numbers import fmt
from engine.stepper import Stepper

if TYPE_CHECKING:
    import networkx as nx

OPERATOR_SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "^", "neg": "−x"}


def operator_symbol(node: Node) -> str:
    assert node.op is not None
    return OPERATOR_SYMBOLS.get(node.op.name, node.op.name)


def mermaid(stepper: Stepper) -> str:
    """A ``flowchart LR`` with labels ``name<br/>data: V<br/>grad: G``, like seed 000's."""
    walk = stepper.walk
    lines = ["flowchart LR"]
    for node in walk.nodes:
        ident = f"n{node.id}"
        if node.kind is Kind.CONST:
            lines.append(f'    {ident}["{_escape(node.label)}<br/>(const)"]')
            continue
        if node.op is not None:
            lines.append(f'    {ident}_op(("{_escape(operator_symbol(node))}"))')
            lines.extend(f"    n{arg} --> {ident}_op" for arg in node.args)
            lines.append(f"    {ident}_op --> {ident}")
        label = (
            f"{_escape(node.label)}<br/>data: {fmt(stepper.value(node.id))}"
            f"<br/>grad: {fmt(stepper.grad(node.id))}"
        )
        lines.append(f'    {ident}["{label}"]')
    return "\n".join(lines) + "\n"


def dot(stepper: Stepper) -> str:
    """Graphviz, drawn like micrograd's ``draw_dot``: records ``{ name | data V | grad G }``."""
    walk = stepper.walk
    lines = ["digraph chainstep {", "    rankdir=LR;", '    node [fontname="monospace"];']
    for node in walk.nodes:
        ident = f"n{node.id}"
        if node.kind is Kind.CONST:
            fields, style = [node.label, "const"], ", style=dashed"
        else:
            data, grad = fmt(stepper.value(node.id)), fmt(stepper.grad(node.id))
            fields, style = [node.label, f"data {data}", f"grad {grad}"], ""
        record = " | ".join(_dot(field) for field in fields)
        lines.append(f'    {ident} [shape=record{style}, label="{{ {record} }}"];')
        if node.op is not None:
            lines.append(f'    {ident}_op [shape=circle, label="{_dot(operator_symbol(node))}"];')
            lines.extend(f"    n{arg} -> {ident}_op;" for arg in node.args)
            lines.append(f"    {ident}_op -> {ident};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def json_export(stepper: Stepper) -> str:
    """Nodes, edges, values, gradients and steps; ``graph`` loads back with networkx."""
    walk = stepper.walk
    graph = walk.graph.graph.copy()  # the engine's own graph, at this step's state
    for node in walk.nodes:
        graph.nodes[node.id].update(value=stepper.value(node.id), grad=stepper.grad(node.id))
    steps = [_step_record(step) for step in walk.steps[: stepper.position + 1]]
    data: dict[str, Any] = {
        "output": walk.output.label,
        "step": stepper.position + 1,
        "steps_total": len(walk.steps),
        "graph": _networkx().node_link_data(graph, edges="edges"),
        "steps": steps,
    }
    return json.dumps(data, indent=1) + "\n"


def load_graph(text: str) -> nx.MultiDiGraph:
    """A JSON export's graph, back as a networkx ``MultiDiGraph``."""
    return _networkx().node_link_graph(json.loads(text)["graph"], edges="edges")


def _networkx():  # type: ignore[no-untyped-def]
    """networkx, imported when an export needs it: it takes longer to import (0.1 s) than
    most commands take to run."""
    import networkx

    return networkx


def _step_record(step: object) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": type(step).__name__.removesuffix("Step").lower()}
    record.update({k: v for k, v in step._asdict().items() if k != "flows"})  # type: ignore[attr-defined]
    flows = getattr(step, "flows", None)
    if flows is not None:
        record["flows"] = [flow._asdict() for flow in flows]
    return record


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")


def _dot(text: str) -> str:
    return "".join("\\" + ch if ch in '{}|<>"\\' else ch for ch in text)
