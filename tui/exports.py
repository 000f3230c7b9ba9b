"""Every export by name, for the command line and the app's export key alike."""

from __future__ import annotations

from engine import Stepper
from engine.export import dot, json_export, mermaid
from tui.markdown_export import markdown

SUFFIXES = {"markdown": ".md", "mermaid": ".mmd", "dot": ".dot", "json": ".json"}


def render_export(stepper: Stepper, form: str, title: str) -> str:
    if form == "markdown":
        return markdown(stepper, title)
    return {"mermaid": mermaid, "dot": dot, "json": json_export}[form](stepper)
