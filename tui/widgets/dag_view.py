"""The graph drawn as the notes draw it: layers from inputs to output, each node once."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import Static

from engine import Stepper
from engine.stepper import nodes_of
from tui.dag_layout import BOX, MAX_NODES, DagLayout, layout
from tui.widgets.node_label import NODE_CLASSES, node_label, node_styles


class DagView(ScrollableContainer):
    """Scrolls when the drawing is larger than the panel. The layout is made once per
    program; a step redraws the same cells with new labels and highlights."""

    COMPONENT_CLASSES: ClassVar[set[str]] = NODE_CLASSES | {"dag-view--edge"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stepper: Stepper | None = None
        self._layout: DagLayout | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="dag-drawing")

    def _styles(self) -> dict[str, Style]:
        return {**node_styles(self), "edge": self.get_component_rich_style("dag-view--edge")}

    def load(self, stepper: Stepper) -> None:
        self.stepper = stepper
        walk = stepper.walk
        if len(walk.nodes) > MAX_NODES:
            self._layout = None
            return
        final = Stepper(walk)
        final.goto(final.last)  # the widest labels: every value and gradient filled in
        styles = self._styles()
        labels = {n.id: node_label(final, n.id, styles, compact=True).plain for n in walk.nodes}
        self._layout = layout(walk, labels)

    def show(self) -> None:
        drawing = self.query_one("#dag-drawing", Static)
        if self.stepper is None:
            return
        if self._layout is None:
            count = len(self.stepper.walk.nodes)
            drawing.update(Text(f"{count} nodes: too many to draw (the tree and table show them)"))
            return
        drawing.update(draw(self.stepper, self._layout, self._styles()))
        place = self._layout.places.get(self.stepper.current.node)
        if place is not None:  # keep the current node in sight
            row, x = place
            width = self._layout.label_width[self.stepper.current.node]
            self.call_after_refresh(
                self.scroll_to_region, Region(x, row, width, 1), animate=False, immediate=True
            )


def draw(stepper: Stepper, plan: DagLayout, styles: dict[str, Style]) -> Text:
    """The drawing at the stepper's state: the current step's node and edges highlighted."""
    current, *fed = nodes_of(stepper.current)
    lit = {(source, current) for source in fed}
    grid = [[" "] * (plan.width + 1) for _ in range(plan.rows)]
    cell_styles: dict[tuple[int, int], Style] = {}
    for (row, x), bits in plan.bits.items():
        grid[row][x] = BOX[bits]
        if plan.cell_edges[(row, x)] & lit:
            cell_styles[(row, x)] = styles["current"]
    for (row, x), edge in plan.arrows.items():
        grid[row][x] = "▶"
        if edge in lit:
            cell_styles[(row, x)] = styles["current"]
    text = Text()
    labels = {
        node_id: node_label(stepper, node_id, styles, compact=True) for node_id in plan.places
    }
    for row in range(plan.rows):
        line = Text()
        starts = {x: node_id for node_id, (r, x) in plan.places.items() if r == row}
        x = 0
        while x <= plan.width:
            if x in starts:
                label = labels[starts[x]]
                line.append_text(label)
                x += len(label.plain)
                continue
            line.append(grid[row][x], cell_styles.get((row, x), styles["edge"]))
            x += 1
        line.rstrip()
        text.append_text(line)
        text.append("\n")
    text.rstrip()
    return text
