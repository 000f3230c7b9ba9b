"""``chainstep run SCRIPT.py``: the learner's own code, run as ``python SCRIPT.py`` runs it,
only on that explicit command, in a child process that loads none of chainstep.

The child (``tui/capture_child.py``) hands back the graph of Values its last
``backward()`` saw; ``engine.value_graph`` writes it as a program, and from there on it is
a program like any other.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine import ProgramError
from engine.library import find_script, script_path
from engine.value_graph import program_text
from tui.programs import Source, SourceError

CHILD = Path(__file__).with_name("capture_child.py")


class ScriptFailed(SourceError):
    """The script raised: its own traceback is already on stderr."""


def capture(script: str, root: str | None = None, arguments: Sequence[str] = ()) -> dict[str, Any]:
    """Run the script in a child Python and return the graph it built, as data.

    The script's output goes to stderr, so a report on stdout (``grads --json``) stays
    clean; the script's traceback, if it raises, goes there too, and ``ScriptFailed``.
    """
    path = Path(script)
    bundled = find_script(script)
    if not path.is_file() and bundled is not None:  # `chainstep run lecture-mlp`
        path = Path(script_path(bundled))
    if not path.is_file():
        raise SourceError(
            f"{script}: no such script (`chainstep examples` lists the scripts to run)"
        )
    with tempfile.TemporaryDirectory(prefix="chainstep-") as folder:
        out = Path(folder) / "graph.json"
        command = [sys.executable, str(CHILD), str(path), str(out), root or "", *arguments]
        finished = subprocess.run(command, stdout=sys.stderr, check=False)
        if finished.returncode == 2:
            raise ScriptFailed(f"{script}: the script raised an error")
        if finished.returncode != 0 or not out.exists():
            raise SourceError(f"{script}: the script stopped with status {finished.returncode}")
        graph = json.loads(out.read_text(encoding="utf-8"))
    if "error" in graph:
        raise SourceError(f"{script}: {graph['error']}")
    return graph


def run_script(script: str, root: str | None = None, arguments: Sequence[str] = ()) -> Source:
    """The script's graph as a program to show, step through or report on; says on
    stderr which Value was taken as the output."""
    graph = capture(script, root, arguments)
    try:
        text = program_text(graph, Path(script).name)
    except ProgramError as error:
        raise SourceError(f"{script}: {error.message}") from None
    output = graph["nodes"][graph["root"]]
    name = output["label"] or graph.get("root_name") or "an unnamed Value"
    count = len(graph["nodes"])
    sys.stderr.write(f"{script}: the output is {name}, {graph['how']} ({count:,} Values)\n")
    return Source(script, f"{Path(script).name}: the graph of {name}", text)
