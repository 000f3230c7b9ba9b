"""A micrograd lecture cell, read as it is, in the safe language (parsed, never run).

The habits of Value code that mean something to a graph are understood: micrograd imports
are ignored, ``Value(2.0, label='a')`` is a number, ``e.label = 'e'`` names a node,
``o.backward()`` names the output and ``draw_dot(o)`` is accepted. The habits that do not
(``.data``, ``.grad``, loops, classes, ``print``) get a sentence on what to do instead.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.language import _Parser

RUN_SCRIPT = "to run a script with loops and classes: `chainstep run SCRIPT.py`"
BACKWARD_FOR_YOU = "chainstep runs backward() for you and shows every .grad"
VALUE_KEYWORDS = {"label", "_op", "_children"}


def is_micrograd_import(statement: ast.stmt) -> bool:
    """``from micrograd.engine import Value``, ``import micrograd``: nothing to do here."""
    if isinstance(statement, ast.ImportFrom):
        return (statement.module or "").split(".")[0] == "micrograd"
    if isinstance(statement, ast.Import):
        return all(alias.name.split(".")[0] == "micrograd" for alias in statement.names)
    return False


def value_call(node: ast.expr) -> tuple[ast.expr, str | None] | None:
    """For ``Value(2.0)`` or ``Value(2.0, label='a')``: the number's expression and the
    label; else ``None``."""
    if not (isinstance(node, ast.Call) and _called(node) == "Value"):
        return None
    if len(node.args) != 1 or any(k.arg not in VALUE_KEYWORDS for k in node.keywords):
        return None
    label = None
    for keyword in node.keywords:
        if keyword.arg == "label":
            if not (
                isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)
            ):
                return None
            label = keyword.value.value or None
    return node.args[0], label


def statement(parser: _Parser, node: ast.stmt) -> bool:
    """Take a cell's own kind of statement; return whether it was one (else the ordinary
    parser reads it). Raises a located ``ProgramError`` for the habits it cannot take."""
    if is_micrograd_import(node):
        return True
    if isinstance(node, ast.Import | ast.ImportFrom):
        raise parser.error(node, f"an import is not part of chainstep's language: {RUN_SCRIPT}")
    if isinstance(node, ast.For | ast.While | ast.FunctionDef | ast.ClassDef | ast.AsyncFor):
        kind = {
            ast.For: "a for loop",
            ast.AsyncFor: "a for loop",
            ast.While: "a while loop",
            ast.FunctionDef: "a function definition",
            ast.ClassDef: "a class definition",
        }[type(node)]
        raise parser.error(node, f"{kind} is not part of chainstep's language: {RUN_SCRIPT}")
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            return _attribute(parser, node, target)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return _call(parser, node.value)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Name):
        parser._lookup(node.value, node.value.id)  # a name it does not know is still an error
        return True  # a notebook's last line, shown below the cell: here it is on screen
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Attribute):
        _reading(parser, node.value)
    return False


def _reading(parser: _Parser, read: ast.Attribute) -> None:
    """``o.grad`` or ``o.data`` on a line of its own, to look at it: say where it is."""
    if isinstance(read.value, ast.Name) and read.attr in ("grad", "data"):
        name = read.value.id
        where = "gradient" if read.attr == "grad" else "value"
        raise parser.error(
            read,
            f"no need to look at {name}.{read.attr}: chainstep shows every {where} (the"
            " table, `chainstep grads`); leave this line out",
        )


def _attribute(parser: _Parser, node: ast.Assign, target: ast.Attribute) -> bool:
    name = target.value.id  # type: ignore[attr-defined]
    if target.attr == "label":
        value = node.value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value):
            raise parser.error(value, "a label is a string, like `e.label = 'e'`")
        node_id = parser._lookup(target.value, name)  # type: ignore[arg-type]
        parser.nodes[node_id] = parser.nodes[node_id]._replace(label=value.value)
        return True
    if target.attr == "grad":
        raise parser.error(target, f"no need to set {name}.grad: {BACKWARD_FOR_YOU}")
    if target.attr == "data":
        raise parser.error(
            target, f"set the number where the Value is made, like `{name} = Value(2.0)`"
        )
    return False


def _call(parser: _Parser, call: ast.Call) -> bool:
    called = _called(call)
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "backward" and not call.args:
        if not isinstance(func.value, ast.Name):
            raise parser.error(func, "call backward() on a name, like `o.backward()`")
        parser.backward = (parser._lookup(func.value, func.value.id), call)
        return True
    if isinstance(func, ast.Attribute) and func.attr in ("_backward", "zero_grad"):
        raise parser.error(func, f"{BACKWARD_FOR_YOU}: leave out .{func.attr}()")
    if called == "draw_dot":
        return True  # the graph is on screen already
    if called == "print":
        raise parser.error(call, "print is not needed: chainstep shows every value and gradient")
    return False


def _called(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):  # engine.Value(...)
        return func.attr if func.attr in ("Value",) else None
    return None
