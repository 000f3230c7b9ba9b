"""Sections of a program: the ``# %% TITLE`` lines that say where its nodes were made.

``chainstep run`` writes one before the lines each object of the script made
(``# %% model.layers[0].neurons[3]``: that neuron's products, sums and tanh, for every
example), and a bare ``# %%`` where the script's top level takes over again; a typed
program may use them too, as Jupytext's and editors' cell markers. A title that is a path
nests in the paths it extends: ``model.layers[0].neurons[3]`` is in ``model.layers[0]``,
which is in ``model``. So the app can fold the graph to one neuron, then its layer, then
the whole model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from engine.language import Node

MARKER = "# %%"
_SECTION = re.compile(r"^[ \t]*# %%(?:[ \t]+(?P<title>.*?))?[ \t]*$", re.MULTILINE)
_LEVEL_END = re.compile(r"\](?=[.\[])")
"""Where a path's object ends inside a longer path: ``model.layers[0]`` in
``model.layers[0].neurons[3]`` (the lists between, ``model.layers``, add nothing)."""


def levels(title: str) -> list[str]:
    """The title and the objects holding it, innermost first: ``model.layers[0].neurons[3]``,
    ``model.layers[0]``, ``model``. A title that is not a path (``Neuron#2``) is one level."""
    found = [title]
    for match in reversed(list(_LEVEL_END.finditer(title))):
        found.append(title[: match.end()])
    head = re.match(r"[A-Za-z_]\w*(?=[.\[])", title)
    if head and head.group() != found[-1]:
        found.append(head.group())
    return found


def _within(title: str, level: str) -> bool:
    return title == level or (title.startswith(level) and title[len(level)] in ".[")


@dataclass(frozen=True)
class Sections:
    """Each node's section, and the groups of nodes a fold shows."""

    titles: tuple[str, ...]
    """Every title, in the order the program first uses it."""
    of: tuple[int | None, ...]
    """Node id -> index into ``titles`` of the section its line is in; ``None`` outside."""
    nodes: Sequence[Node]

    def __bool__(self) -> bool:
        return bool(self.titles)

    def title(self, node_id: int) -> str | None:
        index = self.of[node_id]
        return None if index is None else self.titles[index]

    def levels_of(self, node_id: int) -> list[str]:
        """The groups a fold can narrow to from this node, innermost first."""
        title = self.title(node_id)
        return [] if title is None else levels(title)

    @cached_property
    def _by_title(self) -> list[list[int]]:
        groups: list[list[int]] = [[] for _ in self.titles]
        for node_id, index in enumerate(self.of):
            if index is not None:
                groups[index].append(node_id)
        return groups

    def members(self, level: str) -> list[int]:
        """The nodes made in this object or in any object it holds, in node order."""
        chosen = [i for i, title in enumerate(self.titles) if _within(title, level)]
        if len(chosen) == 1:
            return list(self._by_title[chosen[0]])
        return sorted(node_id for index in chosen for node_id in self._by_title[index])

    def with_inputs(self, members: Sequence[int]) -> set[int]:
        """The group and what flows into it from outside (the last layer's outputs): the
        part of the graph a folded drawing shows."""
        return {*members, *(arg for node_id in members for arg in self.nodes[node_id].args)}

    def exits(self, members: Sequence[int]) -> list[int]:
        """The members no other member uses: what the group hands on (a neuron's output
        for each example), where a folded tree starts."""
        inside = set(members)
        used = {arg for node_id in members for arg in self.nodes[node_id].args if arg in inside}
        return [node_id for node_id in members if node_id not in used]


def sections(text: str, nodes: Sequence[Node]) -> Sections:
    """Read the program's section lines and place each node by its line."""
    starts: list[int] = []
    indexes: list[int | None] = []
    titles: dict[str, int] = {}
    if MARKER in text:
        line_of = _line_starts(text)
        for match in _SECTION.finditer(text):
            title = match.group("title") or None
            starts.append(bisect_right(line_of, match.start()) + 1)  # its line number
            indexes.append(None if title is None else titles.setdefault(title, len(titles)))
    if not titles:
        return Sections((), (None,) * len(nodes), nodes)
    of = []
    for node in nodes:
        at = bisect_right(starts, node.line) - 1
        of.append(indexes[at] if at >= 0 else None)
    return Sections(tuple(titles), tuple(of), nodes)


def _line_starts(text: str) -> list[int]:
    """Offsets at which lines 2, 3, ... begin: ``bisect_right`` of an offset is its line."""
    return [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
