"""The graph as a tree rooted at the output, the way the backward pass walks it.

A node used in several places appears under each parent, and every appearance is
written from the same state, so both places highlight at once. The tree is built once
per program; its labels are written from the stepper as lines are drawn, so a step (or
a jump to the end) rewrites only the lines in the window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from engine import Stepper
from tui.messages import NodeInspected
from tui.widgets.node_label import NODE_CLASSES, node_label, node_styles

TREE_BUDGET = 2000
"""Most tree lines to build: a shared node is repeated in full under each parent until then."""
TREE_DEPTH = 100
"""Deepest level shown: Textual lays a tree out recursively, and a long chain of
statements would otherwise run it past Python's recursion limit."""


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

    def load(self, stepper: Stepper) -> None:
        """Build the tree for a new program, depth first from the output, without recursion.

        Each line holds its node's name; what it shows is written by ``render_label``.
        """
        self.stepper = stepper
        self._appearances.clear()
        self._depth.clear()
        self.clear()
        walk = stepper.walk
        root = self.root
        root.data = walk.graph.output
        root.set_label(Text(walk.output.label))
        self._appearances[walk.graph.output].append(root)
        built = 1
        pending: list[tuple[TreeNode[int], int]] = [(root, 1)]
        while pending:
            parent, depth = pending.pop()
            node = walk.nodes[parent.data]  # type: ignore[index]
            if depth >= TREE_DEPTH:
                parent.add_leaf(Text(f"… deeper than {TREE_DEPTH} levels: see the table"))
                continue
            for arg in node.args:
                if built >= TREE_BUDGET:
                    parent.add_leaf(Text("… too many paths to show: see the table"))
                    break
                label = Text(walk.nodes[arg].label)
                if walk.nodes[arg].args:
                    child = parent.add(label, data=arg, expand=True)
                    pending.append((child, depth + 1))
                else:
                    child = parent.add_leaf(label, data=arg)
                self._depth[child.id] = depth
                self._appearances[arg].append(child)
                built += 1
        root.expand()

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
        current = self._appearances.get(self.stepper.current.node)
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
        fitted = node_label(self.stepper, node.data, styles, width=max(1, room))
        fitted.stylize(style)
        return Text.assemble(label[:icon], fitted)

    def get_label_width(self, node: TreeNode[int]) -> int:
        """What ``Tree`` sizes its lines by: labels fit their line, so the name (and a
        ``✓``) is the most a label needs beyond it. Cheap, since ``Tree`` asks for every
        line whenever the tree's shape changes."""
        if self.stepper is None or node.data is None:
            return node.label.cell_len
        return len(self.stepper.walk.nodes[node.data].label) + 4

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
