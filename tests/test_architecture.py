"""The layering is checked, not hoped for: the engine never imports the UI; the code is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from engine import walkthrough
from engine.library import examples
from engine.steps import backward_order

ROOT = Path(__file__).parent.parent


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_import_contracts_hold():
    """import-linter's contracts in pyproject.toml: engine imports no tui, textual or rich."""
    result = subprocess.run(
        [_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("example", [e.name for e in examples()])
def test_backward_order_is_networkx_lexicographic_sort_of_the_reversed_graph(example):
    """The engine's heap over the node list is networkx's algorithm, restricted to the path."""
    walk = walkthrough(next(e for e in examples() if e.name == example).text)
    graph = walk.graph.graph
    path = nx.ancestors(graph, walk.graph.output) | {walk.graph.output}
    expected = list(nx.lexicographical_topological_sort(graph.subgraph(path).reverse()))
    assert backward_order(walk.graph) == expected
