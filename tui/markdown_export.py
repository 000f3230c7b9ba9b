"""The walk-through as a Markdown handout: the program, the graph, and every step in words."""

from __future__ import annotations

from engine import BackwardStep, Stepper
from engine.export import mermaid
from engine.numbers import fmt
from tui.step_text import backward_details, headline


def markdown(stepper: Stepper, title: str) -> str:
    """Steps up to the stepper's position, in the words of ``chainstep trace``."""
    walk = stepper.walk
    target = stepper.position
    lines = [f"# {title}", "", "```python", walk.graph.program.text.rstrip("\n"), "```", ""]
    lines += ["```mermaid", mermaid(stepper).rstrip("\n"), "```", ""]
    walker = Stepper(walk)
    headings = {0: "Forward pass", walk.seed_index: "Seed", walk.seed_index + 1: "Backward pass"}
    for step in walk.steps[: target + 1]:
        walker.goto(step.index)
        if step.index in headings:
            lines += ["", f"## {headings[step.index]}", ""]
        lines.append(f"{step.index + 1}. {headline(walk, step).plain}")
        if isinstance(step, BackwardStep):
            lines += [
                f"    - {line.plain.strip()}" for line in backward_details(walk, step, walker)
            ]
    shown = "after the last step" if stepper.at_end else f"after step {target + 1}"
    lines += ["", f"## Values and gradients ({shown})", "", "| node | op | value | grad |"]
    lines.append("| --- | --- | ---: | ---: |")
    for node in walk.nodes:
        op = node.op.name if node.op else node.kind
        value, grad = fmt(stepper.value(node.id)), fmt(stepper.grad(node.id))
        lines.append(f"| `{node.label}` | {op} | {value} | {grad} |")
    return "\n".join(lines) + "\n"
