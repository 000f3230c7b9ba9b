"""The graph as a tree rooted at the output, the way the backward pass walks it.

A node used in several places appears under each parent, and every appearance is
written from the same state, so both places highlight at once. The tree is built once
per program (and per fold); its labels are written from the stepper as lines are drawn,
so a step (or a jump to the end) rewrites only the lines in the window.

Folded to a group (one neuron, one layer: ``engine.sections``), the tree starts from what
the group hands on (the neuron's output for each example) and opens only the group's own
nodes; what comes from outside it (the last layer's outputs) is a line that does not open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from engine import Node, Stepper
from tui.messages import NodeInspected
from tui.widgets.node_label import NODE_CLASSES, node_label, node_styles

TREE_BUDGET = 2000
"""Most tree lines to build: a shared node is repeated in full under each parent until then."""
TREE_DEPTH = 100
"""Deepest level shown: Textual lays a tree out recursively, and a long chain of
statements would otherwise run it past Python's recursion limit."""


class Fold(NamedTuple):
    """The part of the graph a folded tree shows."""

    title: str
    """The group's name: ``model.layers[0].neurons[3]``."""
    roots: Sequence[int]
    """Where the tree starts: the members no other member uses."""
    members: Collection[int]
    """The nodes that open: the group's own."""


class GraphTree(Tree[int]):
    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | NODE_CLASSES

    def __init__(self, **kwargs: object) -> None:
        self.stepper: Stepper | None = None
        self._depth: dict[int, int] = {}
        """Tree node id -> its depth, for the width its label has."""
        super().__init__("graph", **kwargs)  # type: ignore[arg-type]
        self.show_root = True
        self.guide_depth = 2
        self._appearances: dict[int, list[TreeNode[int]]] = defaultdict(list)
        self._styles: dict[str, Style] | None = None
        self._within: str | None = None
        """The fold's title: names inside it are written from there (``.w[0]``)."""

    def load(self, stepper: Stepper, fold: Fold | None = None) -> None:
        """Build the tree for a new program (or a new fold), depth first from the output
        (or from the fold's roots), without recursion.

        Each line holds its node's name; what it shows is written by ``render_label``.
        """
        self.stepper = stepper
        self._appearances.clear()
        self._depth.clear()
        self.clear()
        walk = stepper.walk
        root = self.root
        self._within = None if fold is None else fold.title
        pending: list[tuple[TreeNode[int], int]] = []
        if fold is None:
            root.data = walk.graph.output
            root.set_label(Text(walk.output.label))
            self._appearances[walk.graph.output].append(root)
            pending.append((root, 1))
            opens: Collection[int] | None = None
        else:  # a line of its own names the group; its outputs hang under it
            root.data = None
            root.set_label(Text(fold.title, style="bold"))
            for node_id in reversed(fold.roots[:TREE_BUDGET]):
                pending.append((self._add(walk.nodes, root, node_id, 1, fold.members), 2))
            opens = fold.members
        built = len(fold.roots) if fold else 1
        while pending:
            parent, depth = pending.pop()
            node = walk.nodes[parent.data]  # type: ignore[index]
            if not parent.allow_expand:
                continue
            if depth >= TREE_DEPTH:
                parent.add_leaf(Text(f"… deeper than {TREE_DEPTH} levels: see the table"))
                continue
            for arg in node.args:
                if built >= TREE_BUDGET:
                    parent.add_leaf(Text("… too many paths to show: see the table"))
                    break
                child = self._add(walk.nodes, parent, arg, depth, opens)
                if child.allow_expand:
                    pending.append((child, depth + 1))
                built += 1
        root.expand()

    def _add(
        self,
        nodes: Sequence[Node],
        parent: TreeNode[int],
        node_id: int,
        depth: int,
        opens: Collection[int] | None,
    ) -> TreeNode[int]:
        """A line for the node under ``parent``: one that opens if the node is an
        operation (of the fold's group, when folded)."""
        label = Text(nodes[node_id].label)
        if nodes[node_id].args and (opens is None or node_id in opens):
            child = parent.add(label, data=node_id, expand=True)
        else:
            child = parent.add_leaf(label, data=node_id)
        self._depth[child.id] = depth
        self._appearances[node_id].append(child)
        return child

    def show(self, changed: Collection[int] | None = None) -> None:
        """Redraw for the stepper's state the lines of these graph nodes (``None``: every
        line in the window), and keep the current node in view."""
        if self.stepper is None:
            return
        if changed is None:
            self._line_cache.clear()  # Tree caches drawn lines by its own update counts
            self.refresh()
        else:
            for node_id in changed:
                for appearance in self._appearances.get(node_id, ()):
                    appearance.refresh()  # a new count for its cache, and its line redrawn
        current = self._appearances.get(self.stepper.focus.node)
        if not current:
            return
        if current[0].line >= 0 and self.scrollable_content_region.height:
            self.scroll_to_node(current[0], animate=False)  # drawn in the same frame
        else:
            self.call_after_refresh(self.scroll_to_node, current[0], animate=False)

    def _on_resize(self, event: events.Resize) -> None:
        """Redraw in the new width without laying the screen out again: ``Tree`` does,
        since its labels' widths set its size, but these labels fit whatever width the
        line has (``get_label_width`` does not depend on it). At startup this saves a
        second layout and frame."""
        event.prevent_default()  # Tree's own handler would invalidate and lay out
        self._line_cache.grow(event.size.height)
        self._line_cache.clear()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = node_styles(self)  # once a frame, not once a line
        return super().render_lines(crop)

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """The node's label at the stepper's state, in the width its line has, so a number
        is shown whole or not at all. Called for each line drawn."""
        label = super().render_label(node, base_style, style)
        if self.stepper is None or node.data is None:
            return label
        icon = label.cell_len - node.label.cell_len
        room = self._room(node) - icon
        styles = self._styles or node_styles(self)
        name = self._shown_name(node.data)
        fitted = node_label(self.stepper, node.data, styles, width=max(1, room), name=name)
        fitted.stylize(style)
        return Text.assemble(label[:icon], fitted)

    def get_label_width(self, node: TreeNode[int]) -> int:
        """What ``Tree`` sizes its lines by: labels fit their line, so the name (and a
        ``✓``) is the most a label needs beyond it. Cheap, since ``Tree`` asks for every
        line whenever the tree's shape changes."""
        if self.stepper is None or node.data is None:
            return node.label.cell_len
        return len(self._shown_name(node.data)) + 4

    def _shown_name(self, node_id: int) -> str:
        """The node's label; inside a fold, a path from the fold's object: under
        ``model.layers[0].neurons[3]``, its ``.w[1]`` (the whole path would not fit a
        panel's width deep in the tree)."""
        label = self.stepper.walk.nodes[node_id].label  # type: ignore[union-attr]
        within = self._within
        if within and label.startswith(within) and label[len(within) : len(within) + 1] in ".[":
            return label[len(within) :]
        return label

    def _room(self, node: TreeNode[int]) -> int:
        width = self.scrollable_content_region.width
        return width - self._depth.get(node.id, 0) * self.guide_depth

    def appearances(self, node_id: int) -> list[TreeNode[int]]:
        return self._appearances.get(node_id, [])

    @on(Tree.NodeHighlighted)
    def _inspect(self, event: Tree.NodeHighlighted[int]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(NodeInspected(event.node.data))
