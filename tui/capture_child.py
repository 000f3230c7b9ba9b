"""Run a learner's script as ``python SCRIPT.py`` would, and hand back the graph of Values
its last ``backward()`` saw, as JSON.

This file is run as a program in a child process (``python capture_child.py SCRIPT OUT
ROOT [ARGS...]``), never imported by chainstep: it imports nothing of chainstep, and its
first act is to put the script's folder where Python would, first on ``sys.path``, so the
learner's own ``engine.py`` and ``nn.py`` are the ones their script imports.

How the graph is found, without knowing the learner's class in advance: every class built
while the script runs that defines ``backward`` and an ``__init__`` that sets ``_prev`` is
instrumented.
- Its ``__init__`` stamps each Value with a creation number (so operands and nodes come
  out in one order on every run, never in ``set`` or ``id()`` order) and marks the leaves
  the class made itself from plain numbers (``x * 2`` wraps the 2: a constant).
- Its ``backward`` records the graph before it runs (the values ``backward()`` used, even
  when the script then updates ``p.data``), and the gradients it computed after.
Names come from the script's globals and the locals of the function that called
``backward()`` (``def main():`` keeps its model there): a Value's name, else its path
from a named object (``model.layers[0].neurons[1].w[0]``), else, for a model no name
reaches, its path from the object that made it (``Neuron#2.w[0]``).

Where each Value was made: the object whose method was running (``self`` of the nearest
frame past the Value's own methods), so a neuron's products, sums and tanh, made in
``Neuron.__call__``, are the neuron's, and the loss, made at the top level, is no one's.
The objects are named by their paths too (``model.layers[0].neurons[3]``); the app folds
the graph to one of them, or to an object that holds them (``model.layers[0]``).

A notebook (``.ipynb``) runs as Jupyter runs it top to bottom: its code cells in order, in
one namespace, with IPython's magics (``%matplotlib inline``, ``!pip install``) left out,
and a traceback that names the cell. Plots are drawn off screen (``MPLBACKEND=Agg``): the
app owns the terminal.
"""

from __future__ import annotations

import builtins
import inspect
import itertools
import json
import linecache
import os
import runpy
import sys
import traceback

SEQ = "_chainstep_seq"
WRAPPED = "_chainstep_wrapped"
OWNER = "_chainstep_owner"
MAX_DEPTH = 8
OWNER_HOPS = 6
"""Frames to look up past the Value's own methods for the object whose method made it."""


CELL_MAGICS_OF_PYTHON = {"time", "timeit", "capture", "prun", "debug"}
"""Cell magics whose body is Python that runs: the body is kept, the magic left out."""


def main() -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 - `--python` may name an older Python
        version = sys.version.split()[0]
        sys.stderr.write(f"chainstep runs scripts with Python 3.10 or newer: {version}\n")
        return 3
    script, out_path, root_name, *arguments = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.argv = [script, *arguments]
    recorder = Recorder()
    original = builtins.__build_class__

    def build_class(func, name, *bases, **keywords):  # type: ignore[no-untyped-def]
        cls = original(func, name, *bases, **keywords)
        if looks_like_value(cls):
            recorder.instrument(cls)
        return cls

    builtins.__build_class__ = build_class
    scope: dict = {}
    try:
        if script.endswith(".ipynb"):
            scope = run_notebook(script)
        else:
            exported = exported_notebook(script)
            scope = runpy.run_path(script, init_globals=exported, run_name="__main__")
    except SystemExit as stop:
        if stop.code not in (None, 0):
            return _script_failed(script)
    except BaseException:
        return _script_failed(script)
    finally:
        builtins.__build_class__ = original
    result = recorder.result(root_name or None, scope)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


def run_notebook(path: str) -> dict:
    """Run a notebook's code cells in order in one ``__main__`` namespace, as "Run All"
    does. Each cell is compiled under its own name (``lecture.ipynb, code cell 7``) and
    put in ``linecache``, so a traceback shows the cell and its lines."""
    import types

    with open(path, encoding="utf-8") as file:
        notebook = json.load(file)
    main = types.ModuleType("__main__")
    main.__file__ = path
    sys.modules["__main__"] = main
    scope = main.__dict__
    cells = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "")
        code = python_of_cell("".join(source) if isinstance(source, list) else source)
        if code is None:
            continue
        name = f"{path}, code cell {number}"
        linecache.cache[name] = (len(code), None, code.splitlines(keepends=True), name)
        exec(compile(code, name, "exec"), scope)
    return scope


def python_of_cell(source: str) -> str | None:
    """The cell as Python: each IPython magic or shell line (``%matplotlib inline``,
    ``!pip install micrograd``) becomes ``pass`` so line numbers stay the cell's; a cell
    magic whose body is not Python (``%%bash``) is left out (``None``)."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)
        if not magic or magic[0] not in CELL_MAGICS_OF_PYTHON:
            return None
        lines[0] = "pass"
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) and not stripped.startswith("!="):
            lines[index] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines) + "\n"


class NoIPython:
    """``get_ipython()`` for a script exported from a notebook (``jupyter nbconvert --to
    script`` writes ``%matplotlib inline`` as ``get_ipython().run_line_magic(...)``): line
    magics and shell commands are left out, as in a notebook run; a cell magic whose body
    is Python (``%%time``) runs the body, in the script's globals."""

    def run_line_magic(self, *args: object, **kwargs: object) -> None:
        return None

    def system(self, *args: object, **kwargs: object) -> None:
        return None

    getoutput = system

    def run_cell_magic(self, name: str, line: str, body: str) -> None:
        if name in CELL_MAGICS_OF_PYTHON:
            exec(compile(body, f"<%%{name} cell>", "exec"), sys._getframe(1).f_globals)


def exported_notebook(script: str) -> dict:
    """``get_ipython`` in the script's globals if the script calls IPython's magics the
    way an exported notebook does; nothing otherwise (a script that asks whether it runs
    in IPython is told the truth)."""
    with open(script, "rb") as file:
        text = file.read()
    if b"get_ipython().run_" not in text and b"get_ipython().system(" not in text:
        return {}
    shell = NoIPython()
    return {"get_ipython": lambda: shell}


def looks_like_value(cls: type) -> bool:
    """A micrograd-style Value class: it defines ``backward``, and its own ``__init__``
    sets ``_prev``. Other classes with a ``backward`` (``torch.Tensor``, built when a
    notebook imports torch to compare) are left alone."""
    backward, init = cls.__dict__.get("backward"), cls.__dict__.get("__init__")
    if not callable(backward) or not inspect.isfunction(init):
        return False
    return "_prev" in init.__code__.co_names or "_prev" in cls.__dict__.get("__slots__", ())


def _script_failed(script: str) -> int:
    """The script's own traceback, its frames only (none of runpy's or this file's), and
    what to do about a module the Python running it does not have."""
    kind, error, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    here = os.path.abspath(script)
    first = next(
        (i for i, f in enumerate(frames) if os.path.abspath(f.filename).startswith(here)), 0
    )
    frames = frames[first:]  # from the script's own first line on: not runpy's, not this file's
    sys.stderr.write("Traceback (most recent call last):\n")
    sys.stderr.write("".join(traceback.format_list(frames)))
    sys.stderr.write("".join(traceback.format_exception_only(kind, error)))
    if isinstance(error, ModuleNotFoundError) and error.name:
        module = error.name.partition(".")[0]
        sys.stderr.write(
            f"{script}: the script imports {module}, which the Python running it"
            f" ({sys.executable}) does not have: install it there (`{sys.executable} -m pip"
            f" install {module}`), or give the Python that has it with --python\n"
        )
    elif isinstance(error, NameError) and error.name == "get_ipython":
        sys.stderr.write(
            f"{script}: this script was exported from a notebook and calls IPython's magics:"
            " run the notebook itself (`chainstep run NOTEBOOK.ipynb` leaves the magics out)\n"
        )
    sys.stderr.write(f"{script}: the script raised an error (above), so there is no graph\n")
    return 2


class Recorder:
    def __init__(self) -> None:
        self.counter = itertools.count()
        self.snapshot: dict | None = None
        self.snapshot_root: object | None = None
        self.callers: dict[int, tuple[object, object | None]] = {}
        """id of an object that made Values -> it, and the object whose method called it."""

    def instrument(self, cls: type) -> None:
        methods = {f.__code__ for f in cls.__dict__.values() if inspect.isfunction(f)}
        init, backward = cls.__init__, cls.__dict__["backward"]
        counter, recorder = self.counter, self

        def __init__(value, *args, **kwargs):  # type: ignore[no-untyped-def]
            init(value, *args, **kwargs)
            try:
                setattr(value, SEQ, next(counter))
                caller = sys._getframe(1)
                if caller.f_code in methods:
                    setattr(value, WRAPPED, True)
                setattr(value, OWNER, recorder.owner(caller, methods))
            except AttributeError:  # a class with __slots__: order by discovery instead
                pass

        def backward_recorded(value, *args, **kwargs):  # type: ignore[no-untyped-def]
            nodes = reachable(value)
            # the numbers backward() uses: the script may change p.data right after
            data = [_number(getattr(v, "data", None)) for v in nodes]
            caller = sys._getframe(1)  # a function's locals name its model (`def main():`)
            local = dict(caller.f_locals) if caller.f_locals is not caller.f_globals else {}
            recorder.snapshot = {"nodes": nodes, "data": data, "grads": None, "locals": local}
            recorder.snapshot_root = value
            try:
                return backward(value, *args, **kwargs)
            finally:
                recorder.snapshot["grads"] = [_number(getattr(v, "grad", None)) for v in nodes]

        __init__.__wrapped__ = init  # type: ignore[attr-defined]
        cls.__init__ = __init__  # type: ignore[misc]
        cls.backward = backward_recorded  # type: ignore[attr-defined]

    def owner(self, frame: object, methods: set) -> object | None:
        """The object whose method made a Value: ``self`` of the nearest frame past the
        Value class's own methods and past plain functions and generator expressions
        (``sum(w * x for ...)`` in ``Neuron.__call__`` is the neuron's); ``None`` at
        the top level. The first time an object is met, the object whose method called
        it is noted too (a neuron's layer), so that a nameless owner can be named by an
        enclosing one; after that, the walk stops at the first owner."""
        found = None
        for _ in range(OWNER_HOPS + len(methods)):
            if frame is None or frame.f_code.co_name == "<module>":  # type: ignore[attr-defined]
                break
            code = frame.f_code  # type: ignore[attr-defined]
            if code not in methods and code.co_argcount and code.co_varnames[0] == "self":
                obj = frame.f_locals.get("self")  # type: ignore[attr-defined]
                if obj is not None and obj is not found and not _is_value(obj):
                    if found is not None:
                        self.callers[id(found)] = (found, obj)
                        return found
                    if id(obj) in self.callers:
                        return obj
                    found = obj
            frame = frame.f_back  # type: ignore[attr-defined]
        if found is not None:
            self.callers[id(found)] = (found, None)
        return found

    def result(self, root_name: str | None, scope: dict) -> dict:
        """The graph as JSON: nodes in creation order, each with its data, op, operands
        (as indexes), label, name and whether the class wrapped it from a number."""
        local = self.snapshot["locals"] if self.snapshot is not None else {}
        if root_name is not None:
            root = scope.get(root_name, local.get(root_name))
            if root is None or not _is_value(root):
                return {"error": f"--root {root_name}: the script has no Value named {root_name}"}
            if root is self.snapshot_root and self.snapshot is not None:
                nodes, data, grads = (self.snapshot[k] for k in ("nodes", "data", "grads"))
            else:  # not the one backward() ran on: its values as the script left them
                nodes = reachable(root)
                data, grads = [_number(getattr(v, "data", None)) for v in nodes], None
            how = f"--root {root_name}"
        elif self.snapshot is not None:
            nodes, data, grads = (self.snapshot[k] for k in ("nodes", "data", "grads"))
            root = self.snapshot_root
            how = "the Value the script called backward() on"
        else:
            return {
                "error": "the script never calls backward() on a Value: call it (like"
                " `loss.backward()`), or name the output with --root NAME"
            }
        order = creation_order(nodes)
        nodes = [nodes[i] for i in order]
        data = [data[i] for i in order]
        grads = None if grads is None else [grads[i] for i in order]
        owners = {id(o): o for o in (getattr(v, OWNER, None) for v in nodes) if o is not None}
        wanted = {id(v) for v in nodes} | set(owners)
        names = names_in({**scope, **local}, wanted)
        sections = self.sections(owners, names)
        unnamed = {key: owners[key] for key in owners if key not in names}
        if unnamed:  # a model no global or local reaches: its parts named from their owner
            roots = {sections[key]: obj for key, obj in unnamed.items()}
            names.update(names_in(roots, wanted - set(names) - set(owners)))
        index = {id(v): i for i, v in enumerate(nodes)}
        return {
            "root": index[id(root)],
            "how": how,
            "root_name": names.get(id(root)),
            "grads": grads,
            "nodes": [
                {
                    "data": data[i],
                    "op": str(getattr(v, "_op", "") or ""),
                    "children": sorted((index[id(c)] for c in _children(v)), key=lambda i: i),
                    "label": str(getattr(v, "label", "") or ""),
                    "name": names.get(id(v)),
                    "wrapped": bool(getattr(v, WRAPPED, False)),
                    "section": sections.get(id(getattr(v, OWNER, None))),
                }
                for i, v in enumerate(nodes)
            ],
        }

    def sections(self, owners: dict[int, object], names: dict[int, str]) -> dict[int, str]:
        """Each owner's title: its path (``model.layers[0].neurons[3]``); else the path of
        the nearest named object whose method called it; else its class and a number in
        the order first met (``Neuron#2``)."""
        titles: dict[int, str] = {}
        counts: dict[str, int] = {}
        met = {key: order for order, key in enumerate(self.callers)}
        for key in sorted(owners, key=lambda k: met.get(k, len(met))):
            obj, title = owners[key], names.get(key)
            caller = self.callers.get(key, (None, None))[1]
            for _ in range(MAX_DEPTH):
                if title is not None or caller is None:
                    break
                title = names.get(id(caller))
                caller = self.callers.get(id(caller), (None, None))[1]
            if title is None:
                kind = type(obj).__name__
                counts[kind] = counts.get(kind, 0) + 1
                title = f"{kind}#{counts[kind]}"
            titles[key] = title
        return titles


def _children(value: object) -> list:
    prev = getattr(value, "_prev", ())
    return list(prev) if prev is not None else []


def reachable(root: object) -> list:
    """Every Value the root depends on, the root included, in no particular order."""
    seen = {id(root): root}
    stack = [root]
    while stack:
        for child in _children(stack.pop()):
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return list(seen.values())


def creation_order(values: list) -> list[int]:
    """Indexes of the values in creation order: operands before results, the same on
    every run. Without creation numbers (a class with __slots__), by depth from the leaves."""
    if all(hasattr(v, SEQ) for v in values):
        return sorted(range(len(values)), key=lambda i: getattr(values[i], SEQ))
    depth: dict[int, int] = {}
    for v in values:
        stack = [v]
        while stack:
            top = stack[-1]
            pending = [c for c in _children(top) if id(c) not in depth]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            depth[id(top)] = 1 + max((depth[id(c)] for c in _children(top)), default=-1)
    return sorted(range(len(values)), key=lambda i: depth[id(values[i])])


def names_in(scope: dict, wanted: set[int]) -> dict[int, str]:
    """Each wanted Value's shortest path from a global object (``model.layers[0].w[1]``),
    else its global name. Paths first: a loop's variable (``for p in
    model.parameters()``) is left naming the last parameter, and says less than its path."""
    names: dict[int, str] = {}
    globals_: dict[int, str] = {}
    queue: list[tuple[object, str, int]] = []
    for name in sorted(scope):
        if name.startswith("__"):
            continue
        obj = scope[name]
        if id(obj) in wanted:
            globals_.setdefault(id(obj), name)
        if not _opaque(obj):  # a wanted object (a neuron) holds wanted Values too
            queue.append((obj, name, 0))
    visited: set[int] = set()
    for obj, path, depth in queue:  # grows as it goes: breadth first
        if id(obj) in visited or depth >= MAX_DEPTH:
            continue
        visited.add(id(obj))
        for step, child in _parts(obj):
            child_path = path + step
            if id(child) in wanted:
                names.setdefault(id(child), child_path)
            if not _opaque(child):
                queue.append((child, child_path, depth + 1))
        if len(names) == len(wanted):
            break
    return {**globals_, **names}


def _opaque(obj: object) -> bool:
    return (
        obj is None
        or isinstance(obj, int | float | str | bytes | complex | bool | type)
        or inspect.ismodule(obj)
        or inspect.isroutine(obj)
        or _is_value(obj)  # a Value: its own internals name nothing
    )


def _is_value(obj: object) -> bool:
    """Whether it has ``_prev``, asked so that no object's own ``__getattr__`` can raise
    into the learner's script (or end this one)."""
    try:
        return hasattr(obj, "_prev")
    except Exception:  # any object's attribute lookup may raise anything
        return True


def _parts(obj: object) -> list[tuple[str, object]]:
    try:
        return _parts_of(obj)
    except Exception:  # a container whose items cannot be read names nothing
        return []


def _parts_of(obj: object) -> list[tuple[str, object]]:
    if isinstance(obj, list | tuple):
        return [(f"[{i}]", item) for i, item in enumerate(obj[:100_000])]
    if isinstance(obj, dict):
        return [(f"[{key!r}]", value) for key, value in obj.items() if isinstance(key, str | int)]
    attributes = getattr(obj, "__dict__", None)
    if isinstance(attributes, dict):
        keys = sorted(key for key in attributes if not key.startswith("__"))
        return [(f".{key}", attributes[key]) for key in keys]
    return []


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


if __name__ == "__main__":
    sys.exit(main())
