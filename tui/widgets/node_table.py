"""Every input's and operation's value and gradient, filled in as the steps reach them.

Inputs come first, in program order, so the gradients a learner is after are at the top;
then the operations. Constants have no gradient and are left to the graph. Columns are as
wide as the widest number this program writes, and a table too narrow for all of them
drops a column (the value first) rather than cut a number.

Rows are written from the stepper when they are drawn, and only the rows in the window
are drawn: a step, or a jump over ten thousand steps, costs the same two dozen rows, and
a graph of 66k nodes lists every one of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine import BackwardStep, Kind, Stepper
from engine.gradcheck import Check
from engine.numbers import fmt
from engine.stepper import nodes_of
from tui.fit import shorten

NUMBER_WIDTH = 13
"""Widest number chainstep writes (``-1.23457e-100``): the column width for a program too
large to measure."""
MEASURE_LIMIT = 2_000
"""Largest program whose numbers are all written out to size the columns; a larger one
gets ``NUMBER_WIDTH``."""
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


class NodeTable(ScrollView, can_focus=True):
    """A header line that stays put over rows that scroll; the current step's node's row
    is highlighted and kept in view."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "node-table--header",
        "node-table--stripe",
        "node-table--current",
    }

    DEFAULT_CSS = """
    NodeTable { background: $surface; }
    NodeTable > .node-table--header { text-style: bold; background: $panel; }
    NodeTable > .node-table--stripe { background: $surface-lighten-1 50%; }
    NodeTable > .node-table--current {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    NodeTable:focus > .node-table--current {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self.row_nodes: list[int] = []
        """The node shown in each row, in row order."""
        self._row_of: dict[int, int] = {}
        self._checks: dict[int, Check] | None = None
        self._number_width = NUMBER_WIDTH
        self._name_width = NAME_WIDTH[1]
        self._plan: list[tuple[str, int]] = []

    def load(self, stepper: Stepper) -> None:
        self.stepper = stepper
        self._checks = None
        nodes = stepper.walk.nodes
        listed = [n for n in nodes if n.kind is Kind.INPUT] + [n for n in nodes if n.op]
        self.row_nodes = [node.id for node in listed]
        self._row_of = {node_id: row for row, node_id in enumerate(self.row_nodes)}
        widest = _widest_number(stepper) if len(nodes) <= MEASURE_LIMIT else NUMBER_WIDTH
        self._number_width = max(widest, len("value"))
        widest = max((len(nodes[i].label) for i in self.row_nodes), default=4)
        self._name_width = max(NAME_WIDTH[0], min(NAME_WIDTH[1], widest))
        self._replan()
        self.scroll_to(0, 0, animate=False, immediate=True)

    @property
    def columns(self) -> list[str]:
        """The columns shown, left to right."""
        return [key for key, _ in self._plan]

    def on_resize(self) -> None:
        if self.stepper is not None:
            self._replan()

    def _replan(self) -> None:
        """Columns for the present width: on load, resize and the check."""
        check = None if self._checks is None else _check_width(self._checks.values())
        width = self.scrollable_content_region.width or 80
        self._plan = column_plan(width, self._name_width, self._number_width, check)
        total = sum(size + 2 * CELL_PADDING for _, size in self._plan)
        self.virtual_size = Size(total, len(self.row_nodes) + 1)
        self.refresh()

    def show(self, changed: Collection[int] | None = None) -> None:
        """Redraw for the stepper's state the rows of these nodes (``None``: every row in
        the window), and bring the current node's row into view."""
        if self.stepper is None:
            return
        if changed is None:
            self.refresh()
        else:
            top, width = self.scroll_offset.y, self.size.width
            for node_id in changed:
                row = self._row_of.get(node_id)
                if row is not None and row >= top:
                    self.refresh(Region(0, row - top + 1, width, 1))  # below the header
        if self.scrollable_content_region.height > 1:
            self._keep_current_in_view()  # now, so the scroll is drawn in the same frame
        # and again once laid out: a step that makes the card taller makes this shorter
        # (when nothing moved, this scrolls nothing and draws nothing)
        self.call_after_refresh(self._keep_current_in_view)

    def _keep_current_in_view(self) -> None:
        row = self._current_row()
        if row is None:
            return
        top, height = self.scroll_offset.y, self.scrollable_content_region.height - 1
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _current_row(self) -> int | None:
        if self.stepper is None:
            return None
        return self._row_of.get(nodes_of(self.stepper.focus)[0])

    def row_text(self, row: int) -> Text:
        """One row as it is drawn: the cells padded and aligned, without the row's colour."""
        assert self.stepper is not None
        node_id = self.row_nodes[row]
        pad = " " * CELL_PADDING
        line = Text(no_wrap=True, end="")
        for key, width in self._plan:
            line.append(pad)
            line.append_text(self._cell(node_id, key, width))
            line.append(pad)
        return line

    def _cell(self, node_id: int, key: str, width: int) -> Text:
        assert self.stepper is not None
        if key == "node":
            return Text(shorten(self.stepper.walk.nodes[node_id].label, width).ljust(width))
        if key == "value":
            return Text(fmt(self.stepper.value(node_id)).rjust(width))
        if key == "grad":
            final = self.stepper.is_final(node_id)
            return Text(fmt(self.stepper.grad(node_id)).rjust(width), "bold" if final else "")
        return self._verdict(node_id, width)

    def _header(self) -> Text:
        pad = " " * CELL_PADDING
        line = Text(no_wrap=True, end="")
        for key, width in self._plan:
            line.append(pad + (key.ljust(width) if key == "node" else key.rjust(width)) + pad)
        return line

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.stepper is None:
            return Strip.blank(width, base)
        if y == 0:
            return self._strip(self._header(), "node-table--header", scroll_x, width)
        row = scroll_y + y - 1
        if row >= len(self.row_nodes):
            return Strip.blank(width, base)
        style = (
            "node-table--current"
            if row == self._current_row()
            else "node-table--stripe"
            if row % 2
            else None
        )
        return self._strip(self.row_text(row), style, scroll_x, width)

    def _strip(self, line: Text, component: str | None, scroll_x: int, width: int) -> Strip:
        style: Style = self.rich_style
        if component is not None:
            style = style + self.get_component_rich_style(component)
        line.pad_right(max(0, scroll_x + width - line.cell_len))
        segments = list(line[scroll_x : scroll_x + width].render(self.app.console))
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)

    def _verdict(self, node_id: int, width: int) -> Text:
        check = (self._checks or {}).get(node_id)
        if check is None:
            return Text(" " * width)
        verdict = _verdict(check)
        verdict.pad_left(width - verdict.cell_len)
        return verdict

    def show_checks(self, checks: list[Check] | None) -> None:
        """Show the numeric check column (``[]``: shown, still empty), or hide it (``None``)."""
        self._checks = None if checks is None else {check.node: check for check in checks}
        if self.stepper is not None:
            self._replan()


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
