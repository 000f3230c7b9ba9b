"""Every node's value and gradient, filled in as the steps reach them, and the numeric check."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from engine import Stepper
from engine.gradcheck import Check
from engine.numbers import fmt

COLUMNS = ("node", "op", "value", "grad")
NUMBER_WIDTH = 13
"""Widest number chainstep writes (``-1.23457e-100``): fixed, so filling a cell never
re-measures a column, which DataTable does by reading every row."""
ROW_LIMIT = 2_000
"""Most rows shown: DataTable measures every row it holds, so a 10k-statement program
would take seconds to open. Past this, the table says where to find the rest."""


class NodeTable(DataTable[Text | str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self.shown = 0
        """Rows hold nodes ``0 .. shown - 1``, in program order (row index = node id)."""

    def load(self, stepper: Stepper) -> None:
        self.stepper = stepper
        self.clear(columns=True)
        for column in COLUMNS:
            width = NUMBER_WIDTH if column in ("value", "grad") else None
            self.add_column(column, key=column, width=width)
        nodes = stepper.walk.nodes
        self.shown = min(len(nodes), ROW_LIMIT)
        for node in nodes[: self.shown]:
            op = node.op.name if node.op else node.kind.value
            self.add_row(node.label, op, *self._numbers(node.id), key=str(node.id))
        if self.shown < len(nodes):
            rest = f"… {len(nodes) - self.shown:,} more nodes: `chainstep grads` lists them all"
            self.add_row(Text(rest, "italic"), "", "", "", key="more")

    def _numbers(self, node_id: int) -> tuple[Text, Text]:
        assert self.stepper is not None
        value, grad = self.stepper.value(node_id), self.stepper.grad(node_id)
        style = "bold" if self.stepper.is_final(node_id) else ""
        return (Text(fmt(value).rjust(NUMBER_WIDTH)), Text(fmt(grad).rjust(NUMBER_WIDTH), style))

    def refresh_nodes(self, node_ids: Iterable[int]) -> None:
        """Rewrite these nodes' cells, and put the cursor on the current step's node."""
        if self.stepper is None:
            return
        for node_id in node_ids:
            if node_id < self.shown:
                value, grad = self._numbers(node_id)
                self.update_cell(str(node_id), "value", value)
                self.update_cell(str(node_id), "grad", grad)
        current = self.stepper.current.node
        if current < self.shown:
            self.call_after_refresh(self.move_cursor, row=current, animate=False)

    def show_checks(self, checks: list[Check] | None) -> None:
        """Add the numeric check column (or take it away, given ``None``)."""
        if "check" in self.columns:
            self.remove_column("check")
        if checks is None or self.stepper is None:
            return
        by_node = {check.node: check for check in checks}
        self.add_column("check", key="check", width=NUMBER_WIDTH + 9)
        for node in self.stepper.walk.nodes[: self.shown]:
            check = by_node.get(node.id)
            verdict = _verdict(check) if check else Text("")
            self.update_cell(str(node.id), "check", verdict)
        self.refresh()


def _verdict(check: Check) -> Text:
    if check.problem:
        return Text("cannot check", "yellow")
    numeric = fmt(check.numeric)
    if check.ok:
        return Text(f"✓ {numeric}", "green")
    kink = " (kink)" if check.crosses_kink else ""
    return Text(f"✗ {numeric}{kink}", "bold red")
