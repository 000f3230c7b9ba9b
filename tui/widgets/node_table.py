"""Every input's and operation's value and gradient, filled in as the steps reach them.

Inputs come first, in program order, so the gradients a learner is after are at the top;
then the operations. Constants have no gradient and are left to the graph. Columns are as
wide as the widest number this program writes, and a table too narrow for all of them
drops a column (the value first) rather than cut a number.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from engine import BackwardStep, Kind, Stepper
from engine.gradcheck import Check
from engine.numbers import fmt
from tui.fit import shorten

NUMBER_WIDTH = 13
"""Widest number chainstep writes (``-1.23457e-100``): the column width for a program too
large to measure."""
ROW_LIMIT = 2_000
"""Most rows shown: DataTable measures every row it holds, so a 10k-statement program
would take seconds to open. Past this, the table says where to find the rest."""
NAME_WIDTH = (4, 14)
"""Narrowest and widest node column; a longer name ends in an ellipsis (never a number:
constants are not listed)."""
CELL_PADDING = 1


def column_plan(width: int, name: int, number: int, check: int | None) -> list[tuple[str, int]]:
    """The columns that fit in ``width`` cells: node and grad always (the panel scrolls if
    even they do not fit), then the check when shown, then the value. The node column
    narrows, down to ``NAME_WIDTH[0]``, before a column is dropped."""
    pad = 2 * CELL_PADDING
    columns = {"node": name, "grad": number}
    optional = [("check", check)] if check is not None else []
    for key, size in [*optional, ("value", number)]:
        need = sum(columns.values()) + size + pad * (len(columns) + 1)
        if need - width <= name - NAME_WIDTH[0]:
            columns[key] = size
    overflow = sum(columns.values()) + pad * len(columns) - width
    columns["node"] = max(NAME_WIDTH[0], name - max(0, overflow))
    order = ("node", "value", "grad", "check")
    return [(key, columns[key]) for key in order if key in columns]


class NodeTable(DataTable[Text | str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, cell_padding=CELL_PADDING, **kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self.row_nodes: list[int] = []
        """The node shown in each row, in row order."""
        self._checks: dict[int, Check] | None = None
        self._number_width = NUMBER_WIDTH
        self._name_width = NAME_WIDTH[1]
        self._plan: list[tuple[str, int]] = []
        self._more = 0
        """Nodes left out past ``ROW_LIMIT``."""

    def load(self, stepper: Stepper) -> None:
        self.stepper = stepper
        self._checks = None
        nodes = stepper.walk.nodes
        listed = [n for n in nodes if n.kind is Kind.INPUT] + [n for n in nodes if n.op]
        self.row_nodes = [node.id for node in listed[:ROW_LIMIT]]
        self._more = len(listed) - len(self.row_nodes)
        widest = _widest_number(stepper) if len(nodes) <= ROW_LIMIT else NUMBER_WIDTH
        self._number_width = max(widest, len("value"))
        widest = max((len(nodes[i].label) for i in self.row_nodes), default=4)
        self._name_width = max(NAME_WIDTH[0], min(NAME_WIDTH[1], widest))
        self._rebuild()

    def on_resize(self) -> None:
        if self.stepper is not None and self._columns() != self._plan:
            self._rebuild()

    def _columns(self) -> list[tuple[str, int]]:
        check = None if self._checks is None else _check_width(self._checks.values())
        width = self.scrollable_content_region.width or 80
        return column_plan(width, self._name_width, self._number_width, check)

    def _rebuild(self) -> None:
        """Columns for the present width, and every row: on load, resize and the check."""
        assert self.stepper is not None
        self._plan = self._columns()
        self.clear(columns=True)
        for key, width in self._plan:
            label = Text(key, justify="left" if key == "node" else "right")
            self.add_column(label, key=key, width=width)
        nodes = self.stepper.walk.nodes
        name_width = self._plan[0][1]
        for node_id in self.row_nodes:
            name = shorten(nodes[node_id].label, name_width)
            self.add_row(name, *self._cells(node_id), key=str(node_id))
        if self._more:
            rest = f"… {self._more:,} more: `chainstep grads` lists them all"
            self.add_row(Text(rest, "italic"), *([""] * (len(self._plan) - 1)), key="more")
        self.refresh_nodes(())

    def _cells(self, node_id: int) -> list[Text]:
        assert self.stepper is not None
        cells = []
        for key, width in self._plan[1:]:
            if key == "value":
                cells.append(Text(fmt(self.stepper.value(node_id)).rjust(width)))
            elif key == "grad":
                final = self.stepper.is_final(node_id)
                grad = fmt(self.stepper.grad(node_id)).rjust(width)
                cells.append(Text(grad, "bold" if final else ""))
            else:
                cells.append(self._verdict(node_id, width))
        return cells

    def _verdict(self, node_id: int, width: int) -> Text:
        check = (self._checks or {}).get(node_id)
        if check is None:
            return Text("")
        verdict = _verdict(check)
        verdict.pad_left(width - verdict.cell_len)
        return verdict

    def refresh_nodes(self, node_ids: Iterable[int]) -> None:
        """Rewrite these nodes' cells, and put the cursor on the current step's node."""
        if self.stepper is None:
            return
        keys = [key for key, _ in self._plan[1:]]
        for node_id in node_ids:
            row = str(node_id)
            if row in self.rows:
                for key, cell in zip(keys, self._cells(node_id), strict=True):
                    self.update_cell(row, key, cell)
        current = str(self.stepper.current.node)
        if current in self.rows:
            index = self.get_row_index(current)
            self.call_after_refresh(self.move_cursor, row=index, animate=False)

    def show_checks(self, checks: list[Check] | None) -> None:
        """Show the numeric check column (``[]``: shown, still empty), or hide it (``None``)."""
        self._checks = None if checks is None else {check.node: check for check in checks}
        if self.stepper is not None:
            self._rebuild()


def _verdict(check: Check) -> Text:
    """``✓ -0.196612``, ``✗ 0.5 (kink)``, or ``n/a`` when the nudged program fails."""
    if check.problem:
        return Text("n/a", "yellow")
    if check.ok:
        return Text(f"✓ {fmt(check.numeric)}", "green")
    kink = " (kink)" if check.crosses_kink else ""
    return Text(f"✗ {fmt(check.numeric)}{kink}", "bold red")


def _check_width(checks: Iterable[Check]) -> int:
    """As wide as the widest verdict: a finite difference can write more digits than the
    gradient beside it (``1.2e-11`` next to ``0``), and a cell never cuts."""
    return max([len("check"), *(_verdict(check).cell_len for check in checks)])


def _widest_number(stepper: Stepper) -> int:
    """The widest value or gradient, final or on the way (``x.grad: 15 -> 36``), written."""
    walk = stepper.walk
    numbers = [fmt(value) for value in walk.graph.values if value is not None]
    for step in walk.steps:
        if isinstance(step, BackwardStep):
            numbers.extend(fmt(flow.after) for flow in step.flows)
    return max((len(n) for n in numbers), default=1)
