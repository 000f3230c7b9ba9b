"""The graph drawn as the notes draw it: layers from inputs to output, each node once."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine import Stepper
from engine.stepper import nodes_of
from tui.dag_layout import BOX, BOX_LINES, MAX_NODES, DagLayout, layout
from tui.widgets.node_label import NODE_CLASSES, node_box, node_styles

CUT = "…"
"""What stands for the part of a node's box the panel's edge cuts through: a number cut
short would read as a different number."""


class DagView(ScrollView, can_focus=True):
    """Scrolls when the drawing is larger than the panel (shift+arrows pan it), and each
    step scrolls the current node and the nodes it feeds into view. The layout is made
    once per program; a step redraws the same rows with new labels and highlights, and
    only the rows in the window are turned into cells."""

    COMPONENT_CLASSES: ClassVar[set[str]] = NODE_CLASSES | {"dag-view--edge", "dag-view--lit"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self._layout: DagLayout | None = None
        self._planned = False
        self._shown: Collection[int] | None = None
        """The part of the graph drawn (a fold's group and what flows into it), or all."""
        self._rows: list[Text] = []
        self._spans: list[list[tuple[int, int]]] = []
        """Per row, where node boxes' lines start and end: kept whole or marked cut."""

    def _styles(self) -> dict[str, Style]:
        return {
            **node_styles(self),
            "edge": self.get_component_rich_style("dag-view--edge"),
            "lit": self.get_component_rich_style("dag-view--lit"),
        }

    def load(self, stepper: Stepper, shown: Collection[int] | None = None) -> None:
        """A new program (or a new fold: ``shown``, the nodes to draw): its layout is made
        when the DAG is first shown, not before (a learner who never presses g never pays
        for it, nor for importing networkx)."""
        self.stepper = stepper
        self._shown = shown
        self._layout = None
        self._planned = False

    def _plan(self) -> None:
        assert self.stepper is not None
        self._planned = True
        walk = self.stepper.walk
        nodes = range(len(walk.nodes)) if self._shown is None else self._shown
        if len(nodes) > MAX_NODES:
            return
        final = Stepper(walk)
        final.goto(final.last)  # the widest labels: every value and gradient filled in
        styles = self._styles()
        widths = {i: max(line.cell_len for line in node_box(final, i, styles)) for i in nodes}
        self._layout = layout(walk, widths, self._shown)

    def show(self) -> None:
        if self.stepper is None:
            return
        if not self._planned:
            self._plan()
        if self._layout is None:
            count = len(self.stepper.walk.nodes) if self._shown is None else len(self._shown)
            self._rows = [Text(f"{count} nodes: too many to draw (the tree and table show them)")]
            self._spans = [[]]
        else:
            self._rows, self._spans = draw(self.stepper, self._layout, self._styles())
        width = max((row.cell_len for row in self._rows), default=0)
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()
        self.call_after_refresh(self._keep_step_in_view)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = y + scroll_y
        if row >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        window = _window(self._rows[row], self._spans[row], scroll_x, scroll_x + width)
        segments = list(window.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _keep_step_in_view(self) -> None:
        """Scroll so the step's nodes show whole: the current node, then each operand it
        feeds that fits beside it."""
        if self.stepper is None or self._layout is None:
            return
        plan = self._layout
        current, *fed = nodes_of(self.stepper.focus)
        boxes = [_box(plan, node) for node in (current, *fed) if node in plan.places]
        if not boxes:
            return
        view = self.scrollable_content_region.size
        target = boxes[0]
        for box in boxes[1:]:
            both = target.union(box)
            if both.width <= view.width and both.height <= view.height:
                target = both
        self.scroll_to_region(target, animate=False, immediate=True)


def _box(plan: DagLayout, node: int) -> Region:
    row, x = plan.places[node]
    return Region(x, row, plan.label_width[node], BOX_LINES)


def _window(row: Text, spans: list[tuple[int, int]], start: int, end: int) -> Text:
    """Cells ``start..end`` of a row, with any box line the window's edge cuts through
    written as an ellipsis instead of its visible part."""
    visible = row[start:end]
    for left, right in spans:
        if left < start < right or left < end < right:
            a, b = max(left, start) - start, min(right, end) - start
            visible = Text.assemble(
                visible[:a], (CUT.ljust(b - a), "dim"), visible[b:], end="", no_wrap=True
            )
    return visible


def draw(
    stepper: Stepper, plan: DagLayout, styles: dict[str, Style]
) -> tuple[list[Text], list[list[tuple[int, int]]]]:
    """The drawing at the stepper's state, a Text per row, with the current step's node
    and edges highlighted; and per row, the spans its node boxes cover."""
    current, *fed = nodes_of(stepper.focus)
    lit = {(source, current) for source in fed}
    grid = [[" "] * (plan.width + 1) for _ in range(plan.rows)]
    cell_styles: dict[tuple[int, int], Style] = {}
    for (row, x), bits in plan.bits.items():
        grid[row][x] = BOX[bits]
        if plan.cell_edges[(row, x)] & lit:
            cell_styles[(row, x)] = styles["lit"]
    for (row, x), edge in plan.arrows.items():
        grid[row][x] = "▶"
        if edge in lit:
            cell_styles[(row, x)] = styles["lit"]
    starts: dict[int, dict[int, Text]] = {}
    for node_id, (row, x) in plan.places.items():
        for offset, label in enumerate(node_box(stepper, node_id, styles)):
            starts.setdefault(row + offset, {})[x] = label
    rows: list[Text] = []
    spans: list[list[tuple[int, int]]] = []
    for row in range(plan.rows):
        line = Text(end="", no_wrap=True)
        labels = starts.get(row, {})
        row_spans = []
        x = 0
        while x <= plan.width:
            if x in labels:
                label = labels[x]
                line.append_text(label)
                row_spans.append((x, x + label.cell_len))
                x += label.cell_len
                continue
            line.append(grid[row][x], cell_styles.get((row, x), styles["edge"]))
            x += 1
        line.rstrip()
        rows.append(line)
        spans.append(row_spans)
    return rows, spans
