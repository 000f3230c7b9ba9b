"""A small layered drawing of the graph, inputs on the left and the output on the right.

Layers come from ``networkx.topological_generations``; a constant sits just left of the
operation that uses it; an edge that skips layers passes through placeholder cells; each
column of edges gets one vertical track per target, so the edges into an operation
converge on one line. Lines are drawn as connection bits per cell and turned into
box-drawing characters at the end, so crossings and joins come out right.

Positions depend only on the graph, so they are computed once per program (and per fold:
a part of the graph, one neuron with what flows into it, is drawn the same way); a step
only restyles cells.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from engine import Kind, Node, Walkthrough

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
BOX = {
    0: " ",
    LEFT | RIGHT: "─",
    UP | DOWN: "│",
    DOWN | RIGHT: "┌",
    DOWN | LEFT: "┐",
    UP | RIGHT: "└",
    UP | LEFT: "┘",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴",
    UP | DOWN | LEFT | RIGHT: "┼",
    LEFT: "─",
    RIGHT: "─",
    UP: "│",
    DOWN: "│",
}
MAX_NODES = 200
"""Larger graphs are not drawn: a picture of thousands of boxes teaches nothing."""
BOX_LINES = 3
"""A node is written on three lines, as the notes' diagrams write it (name, data, grad);
edges leave and enter on its first line."""
PITCH = BOX_LINES + 1


@dataclass
class DagLayout:
    rows: int
    width: int
    places: dict[int, tuple[int, int]]
    """Graph node -> (row, column where its label starts)."""
    label_width: dict[int, int]
    """Graph node -> the width of its widest line."""
    bits: dict[tuple[int, int], int] = field(default_factory=dict)
    cell_edges: dict[tuple[int, int], set[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    """Which edges (source, target) pass through each cell, for highlighting a step's edges."""
    arrows: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def shown_nodes(walk: Walkthrough, shown: Collection[int] | None) -> list[Node]:
    """The nodes drawn, in program order: all of them, or the part given."""
    return list(walk.nodes) if shown is None else [walk.nodes[i] for i in sorted(shown)]


def layers(walk: Walkthrough, shown: Collection[int] | None = None) -> dict[int, int]:
    """Each node's layer: the longest path to it from an input (or from the edge of the
    part shown), constants moved next to use."""
    import networkx as nx  # on the first DAG drawn, not at the app's start (0.1 s)

    graph = walk.graph.graph if shown is None else walk.graph.graph.subgraph(shown)
    layer = {}
    for depth, generation in enumerate(nx.topological_generations(graph)):
        for node_id in generation:
            layer[node_id] = depth
    for node in shown_nodes(walk, shown):
        if node.kind is Kind.CONST:
            consumers = [layer[c] for c in graph.successors(node.id)]
            if consumers:
                layer[node.id] = min(consumers) - 1
    return layer


def layout(
    walk: Walkthrough, labels: dict[int, int], shown: Collection[int] | None = None
) -> DagLayout:
    """Place every node (or those ``shown``) given the width of its box (``labels``:
    node -> cells)."""
    layer = layers(walk, shown)
    depth = max(layer.values()) + 1
    nodes = shown_nodes(walk, shown)
    # Columns hold real nodes and placeholders ("pass", source, target, layer) for long edges.
    columns: list[list[object]] = [[] for _ in range(depth)]
    for node in nodes:
        columns[layer[node.id]].append(node.id)
    hops: list[tuple[object, object, tuple[int, int]]] = []
    for node in nodes:
        for arg in node.args:
            if arg not in layer:  # outside the part shown
                continue
            previous: object = arg
            for between in range(layer[arg] + 1, layer[node.id]):
                placeholder = ("pass", arg, node.id, between)
                columns[between].append(placeholder)
                hops.append((previous, placeholder, (arg, node.id)))
                previous = placeholder
            hops.append((previous, node.id, (arg, node.id)))
    # One sweep left to right: order each column by where its inputs sit.
    position: dict[object, float] = {}
    feeders: dict[object, list[object]] = defaultdict(list)
    for source, target, _ in hops:
        feeders[target].append(source)
    for column in columns:
        column.sort(
            key=lambda item: (
                sum(position[f] for f in feeders[item]) / len(feeders[item])
                if feeders[item]
                else -1.0,
                item if isinstance(item, int) else -1,
            )
        )
        for index, item in enumerate(column):
            position[item] = index
    row = {item: PITCH * index for column in columns for index, item in enumerate(column)}
    # Column x positions: labels, then a channel with one track per target in the next column.
    starts, x = [], 0
    widths = []
    for index, column in enumerate(columns):
        starts.append(x)
        width = max((labels[i] if isinstance(i, int) else 1 for i in column), default=1)
        widths.append(width)
        targets = {t for s, t, _ in hops if s in column}
        x += width + len(targets) + 4 if index < depth - 1 else width
    places = {
        item: (row[item], starts[layer_of(item, layer)]) for item in row if isinstance(item, int)
    }
    result = DagLayout(
        rows=max(row.values()) + BOX_LINES,
        width=x,
        places=places,
        label_width={i: labels[i] for i in places},
    )
    tracks: dict[int, dict[object, int]] = defaultdict(dict)
    for source, target, edge in hops:
        col = layer_of(source, layer)
        track = tracks[col].setdefault(target, len(tracks[col]))
        start = starts[col] + (labels[source] if isinstance(source, int) else widths[col])
        if not isinstance(source, int):  # a placeholder: a line straight through its column
            _line(result, row[source], starts[col] - 1, starts[col] + widths[col], edge)
        vertical = starts[col] + widths[col] + 1 + track
        end = starts[layer_of(target, layer)] - 1
        _line(result, row[source], start, vertical, edge)
        _vertical(result, vertical, row[source], row[target], edge)
        if isinstance(target, int):
            _line(result, row[target], vertical, end - 1, edge)
            result.arrows[(row[target], end)] = edge
        else:
            _line(result, row[target], vertical, end, edge)
    return result


def layer_of(item: object, layer: dict[int, int]) -> int:
    return layer[item] if isinstance(item, int) else item[3]  # type: ignore[index]


def _connect(result: DagLayout, cell: tuple[int, int], bit: int, edge: tuple[int, int]) -> None:
    result.bits[cell] = result.bits.get(cell, 0) | bit
    result.cell_edges[cell].add(edge)


def _line(result: DagLayout, row: int, x1: int, x2: int, edge: tuple[int, int]) -> None:
    """A horizontal run of cells from x1 to x2 (inclusive), joined to its neighbours."""
    for x in range(x1, x2 + 1):
        bits = (LEFT if x > x1 else 0) | (RIGHT if x < x2 else 0)
        _connect(result, (row, x), bits or RIGHT, edge)


def _vertical(result: DagLayout, x: int, r1: int, r2: int, edge: tuple[int, int]) -> None:
    """Turn at row r1, run to row r2, turn again: joins the horizontals on either side."""
    top, bottom = min(r1, r2), max(r1, r2)
    for r in range(top, bottom + 1):
        bits = (UP if r > top else 0) | (DOWN if r < bottom else 0)
        _connect(result, (r, x), bits | (LEFT if r == r1 else 0) | (RIGHT if r == r2 else 0), edge)
