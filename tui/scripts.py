"""``chainstep run SCRIPT.py``: the learner's own code, run as ``python SCRIPT.py`` runs it,
only on that explicit command, in a child process that loads none of chainstep.

The child (``tui/capture_child.py``) hands back the graph of Values its last
``backward()`` saw; ``engine.value_graph`` writes it as a program, and from there on it is
a program like any other.
"""

from __future__ import annotations

import json
import os
import shutil
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


def interpreter(python: str | None = None) -> tuple[str, str]:
    """The Python to run the script with, and why that one: ``--python`` if given; else
    the active virtual environment's, which is the one ``python SCRIPT.py`` would use
    there (chainstep may be installed apart, with pipx); else chainstep's own."""
    if python is not None:
        found = shutil.which(python)
        if found is None:
            raise SourceError(f"--python {python}: no such Python (give a path or a command)")
        return found, "--python"
    venv = os.environ.get("VIRTUAL_ENV")
    if venv and not _same_place(Path(venv), Path(sys.prefix)):
        for candidate in (Path(venv) / "bin" / "python", Path(venv) / "Scripts" / "python.exe"):
            if candidate.is_file():
                return str(candidate), "the active virtual environment's"
    return sys.executable, "chainstep's own"


def _same_place(a: Path, b: Path) -> bool:
    """Whether two environment folders are one. Not by their Pythons: every venv's
    ``python`` links to the same base interpreter, with its own site-packages."""
    try:
        return a.samefile(b)
    except OSError:
        return False


def capture(
    script: str,
    root: str | None = None,
    arguments: Sequence[str] = (),
    python: str | None = None,
) -> dict[str, Any]:
    """Run the script (or a notebook's code cells) in a child Python and return the graph
    it built, as data.

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
        executable, why = interpreter(python)
        if why != "chainstep's own":
            sys.stderr.write(f"{script}: running it with {executable} ({why})\n")
        command = [executable, str(CHILD), str(path), str(out), root or "", *arguments]
        try:
            finished = subprocess.run(command, stdout=sys.stderr, check=False)
        except OSError as error:
            raise SourceError(f"{executable}: cannot run it: {error.strerror}") from None
        if finished.returncode == 2:
            raise ScriptFailed(f"{script}: the script raised an error")
        if finished.returncode == 3:
            raise SourceError(f"{script}: give a Python 3.10 or newer with --python")
        if finished.returncode != 0 or not out.exists():
            raise SourceError(f"{script}: the script stopped with status {finished.returncode}")
        graph = json.loads(out.read_text(encoding="utf-8"))
    if "error" in graph:
        raise SourceError(f"{script}: {graph['error']}")
    return graph


def run_script(
    script: str,
    root: str | None = None,
    arguments: Sequence[str] = (),
    python: str | None = None,
) -> Source:
    """The script's graph as a program to show, step through or report on; says on
    stderr which Value was taken as the output."""
    graph = capture(script, root, arguments, python)
    try:
        text = program_text(graph, Path(script).name)
    except ProgramError as error:
        raise SourceError(f"{script}: {error.message}") from None
    output = graph["nodes"][graph["root"]]
    name = output["label"] or graph.get("root_name") or "an unnamed Value"
    count = len(graph["nodes"])
    sys.stderr.write(f"{script}: the output is {name}, {graph['how']} ({count:,} Values)\n")
    return Source(script, f"{Path(script).name}: the graph of {name}", text)
