"""The graph as a tree rooted at the output, the way the backward pass walks it.

A node used in several places appears under each parent, and every appearance is
relabelled together, so both places highlight at once. The tree is built once per
program; a step relabels only the nodes it touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
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

    def load(self, stepper: Stepper) -> None:
        """Build the tree for a new program, depth first from the output, without recursion."""
        self.stepper = stepper
        self._appearances.clear()
        self._depth.clear()
        self.clear()
        walk = stepper.walk
        styles = node_styles(self)
        root = self.root
        root.data = walk.graph.output
        root.set_label(node_label(stepper, walk.graph.output, styles))
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
                label = node_label(stepper, arg, styles)
                if walk.nodes[arg].args:
                    child = parent.add(label, data=arg, expand=True)
                    pending.append((child, depth + 1))
                else:
                    child = parent.add_leaf(label, data=arg)
                self._depth[child.id] = depth
                self._appearances[arg].append(child)
                built += 1
        root.expand()

    def refresh_nodes(self, node_ids: Iterable[int]) -> None:
        """Relabel every appearance of these graph nodes, and keep the current one in view."""
        if self.stepper is None:
            return
        styles = node_styles(self)
        for node_id in node_ids:
            for appearance in self._appearances.get(node_id, ()):
                appearance.set_label(node_label(self.stepper, node_id, styles))
        current = self._appearances.get(self.stepper.current.node)
        if current:
            self.call_after_refresh(self.scroll_to_node, current[0], animate=False)

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """The label in the width its line has, so a number is shown whole or not at all.

        Called for each line drawn (and by ``Tree`` to measure the lines), so a resize
        refits every label with no relabelling.
        """
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self._depth.get(node.id, 0) * self.guide_depth
        if self.stepper is None or node.data is None or room <= 0 or label.cell_len <= room:
            return label
        icon = label.cell_len - node.label.cell_len
        fitted = node_label(self.stepper, node.data, node_styles(self), width=room - icon)
        fitted.stylize(style)
        return Text.assemble(label[:icon], fitted)

    def appearances(self, node_id: int) -> list[TreeNode[int]]:
        return self._appearances.get(node_id, [])

    @on(Tree.NodeHighlighted)
    def _inspect(self, event: Tree.NodeHighlighted[int]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(NodeInspected(event.node.data))
