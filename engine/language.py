"""The input language: a whitelisted subset of Python, parsed with ``ast``, never run.

Each statement binds a name; each literal, name and operation inside it becomes a node.
Nodes are made in evaluation order (statement by statement, operands left to right), so
the list of nodes is itself a topological order of the graph.

The walk over an expression uses an explicit stack rather than recursion, so a deeply
nested expression fails with a located "too deep" message, never a ``RecursionError``.
"""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from engine import micrograd_cells
from engine.errors import ProgramError
from engine.ops import BINARY, COPY, FUNCTIONS, METHODS, NEG, Op

LABEL_WIDTH = 24
"""Longest source text used as the label of an unnamed operation; longer text is cut."""

PARSE_CHUNK = 5_000
"""Lines handed to ``ast.parse`` at a time (see ``_Parser._parse_statements``)."""

MAX_NODES = 2_000_000
"""A program bigger than this is refused: the graph would not fit comfortably in memory."""


class Kind(StrEnum):
    INPUT = "input"
    """A name bound to a number literal: a leaf with a gradient."""
    CONST = "const"
    """A literal inside an expression: a leaf without a gradient."""
    OP = "op"


class Node(NamedTuple):
    """One node of the graph: an input, a constant or an operation.

    A named tuple rather than a frozen dataclass: programs have hundreds of thousands of
    nodes, and a frozen dataclass costs four times as much to create.
    """

    id: int
    kind: Kind
    label: str
    """The bound name (primed on rebinding: ``c``, ``c'``), or the source text of the operation."""
    op: Op | None
    args: tuple[int, ...]
    literal: float | None
    statement: int
    """Index into ``Program.statements`` of the statement that made this node."""
    line: int
    col: int
    end_line: int
    end_col: int
    name: str | None = None
    """The program name bound to this node, if any (without primes)."""


class Statement(NamedTuple):
    line: int
    end_line: int
    target: str


@dataclass(frozen=True, slots=True)
class Program:
    text: str
    nodes: tuple[Node, ...]
    statements: tuple[Statement, ...]
    names: dict[str, int]
    """Every name to the node of its last binding."""
    output: int


_AUGMENTED = {ast.Add: "Add", ast.Sub: "Sub", ast.Mult: "Mult", ast.Div: "Div", ast.Pow: "Pow"}
_BINARY_TYPES: dict[type, Op] = {kind: BINARY[name] for kind, name in _AUGMENTED.items()}

_SYMBOLS = {
    "FloorDiv": "//",
    "Mod": "%",
    "MatMult": "@",
    "LShift": "<<",
    "RShift": ">>",
    "BitOr": "|",
    "BitXor": "^",
    "BitAnd": "&",
    "Not": "not",
    "Invert": "~",
}

_DESCRIPTIONS = {
    "Import": "an import",
    "ImportFrom": "an import",
    "For": "a for loop",
    "AsyncFor": "a for loop",
    "While": "a while loop",
    "If": "an if statement",
    "FunctionDef": "a function definition",
    "AsyncFunctionDef": "a function definition",
    "ClassDef": "a class definition",
    "Return": "return",
    "Delete": "del",
    "With": "with",
    "AsyncWith": "with",
    "Try": "try",
    "TryStar": "try",
    "Raise": "raise",
    "Assert": "assert",
    "Global": "global",
    "Nonlocal": "nonlocal",
    "Pass": "pass",
    "Break": "break",
    "Continue": "continue",
    "Match": "match",
    "AnnAssign": "an annotated assignment",
    "TypeAlias": "a type alias",
    "Lambda": "a lambda",
    "Compare": "a comparison",
    "BoolOp": "and/or",
    "IfExp": "a conditional expression",
    "Subscript": "indexing with [ ]",
    "List": "a list",
    "Tuple": "a tuple",
    "Dict": "a dict",
    "Set": "a set",
    "ListComp": "a comprehension",
    "SetComp": "a comprehension",
    "DictComp": "a comprehension",
    "GeneratorExp": "a generator expression",
    "JoinedStr": "an f-string",
    "Starred": "unpacking with *",
    "NamedExpr": "the := operator",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
    "Slice": "a slice",
}

_ONE_PER_LINE = "write one assignment per line, like `c = a * b`"


def parse_program(text: str) -> Program:
    """Parse program text into nodes, or raise a located ``ProgramError``."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        # Python's own line breaks, not str.splitlines's (which also breaks at \f, \x1c...)
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.ascii = text.isascii()
        self.nodes: list[Node] = []
        self.statements: list[Statement] = []
        self.bindings: dict[str, int] = {}
        self.rebinds: dict[str, int] = {}
        self.assigned_later: dict[str, int] = {}
        self.backward: tuple[int, ast.Call] | None = None
        """The node ``o.backward()`` was called on, in a pasted lecture cell: the output."""

    # -- locations ---------------------------------------------------------------------

    def _column(self, line: int, byte_offset: int) -> int:
        """``ast`` counts UTF-8 bytes; editors count characters."""
        if not self.ascii and 1 <= line <= len(self.lines):
            source = self.lines[line - 1]
            if not source.isascii():
                return len(source.encode()[:byte_offset].decode(errors="ignore")) + 1
        return byte_offset + 1

    def _where(self, node: ast.AST) -> tuple[int, int]:
        line = getattr(node, "lineno", 1)
        return line, self._column(line, getattr(node, "col_offset", 0))

    def error(self, node: ast.AST, message: str) -> ProgramError:
        return ProgramError(message, *self._where(node))

    def _source_label(self, node: ast.expr) -> str:
        line, start = node.lineno, node.col_offset
        end_line, end = node.end_lineno or line, node.end_col_offset or 0
        if not self.ascii:
            start, end = self._column(line, start) - 1, self._column(end_line, end) - 1
        source = self.lines[line - 1]
        if end_line == line and end - start <= LABEL_WIDTH:
            text = source[start:end]
            return text if "  " not in text else " ".join(text.split())
        return " ".join(source[start : start + LABEL_WIDTH].split()) + "…"

    # -- program -----------------------------------------------------------------------

    def parse(self) -> Program:
        try:
            body = self._parse_statements()
        except SyntaxError as exc:
            line = exc.lineno or 1
            source = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
            raise ProgramError(_syntax_message(exc.msg, source), line, exc.offset or 1) from None
        except ValueError as exc:  # e.g. a NUL byte
            raise ProgramError(f"{exc}: the program must be plain text", 1, 1) from None
        except (RecursionError, MemoryError):
            raise ProgramError(
                "this line is nested too deeply to read (Python's parser gives up): split it"
                " over several lines, like `t = a + b` then `u = t + c`",
                self._deepest_line(),
            ) from None
        if not body:
            raise ProgramError(
                "the program is empty: write a few lines like `a = 2`, `b = 3`, `c = a * b`"
            )
        for index, statement in enumerate(body):
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    self.assigned_later.setdefault(target.id, index)
        Assign, Name = ast.Assign, ast.Name
        for statement in body:
            # `name = ...` (nearly every line) is no lecture-cell habit: skip those checks
            plain = type(statement) is Assign and type(statement.targets[0]) is Name  # type: ignore[attr-defined]
            if plain or not micrograd_cells.statement(self, statement):
                self._statement(len(self.statements), statement)
        if not self.statements:
            raise self.error(
                body[0], "the program has no assignment: write a line like `c = a * b`"
            )
        if self.backward is not None:
            output, call = self.backward
            if self.nodes[output].kind is not Kind.OP:
                raise self.error(call, "backward() is called on a number: call it on the result")
        else:
            output = self.bindings[self.statements[-1].target]
            if self.nodes[output].kind is not Kind.OP:
                raise self.error(body[-1], self._no_output_message())
        return Program(
            self.text, tuple(self.nodes), tuple(self.statements), dict(self.bindings), output
        )

    def _no_output_message(self) -> str:
        """The output is the last name assigned; say so when that is a number."""
        name = self.statements[-1].target
        operations = [n for n in self.nodes if n.kind is Kind.OP and n.name is not None]
        if not operations:
            return (
                "the program has no operation to differentiate: its last line should compute"
                " something, like `L = a * b`"
            )
        last = operations[-1]
        return (
            f"the output is the last name assigned, and `{name}` is a number, not an"
            f" operation: move this line above line {last.line} (`{last.name} = ...`), or end"
            f" with the line that computes the output"
        )

    def _parse_statements(self) -> list[ast.stmt]:
        """``ast.parse``, a few thousand lines at a time.

        CPython's parser slows down more than linearly on very long input (100k lines
        take twice as long whole as in pieces). Each piece is padded with blank lines so
        its line numbers are the program's own. A statement split across two pieces makes
        one of them fail to parse; then, as for any error, the whole text is parsed, so
        errors are found and located exactly as Python would.
        """
        lines = self.lines
        if len(lines) <= PARSE_CHUNK:
            return ast.parse(self.text).body
        body: list[ast.stmt] = []
        for start in range(0, len(lines), PARSE_CHUNK):
            piece = "\n" * start + "\n".join(lines[start : start + PARSE_CHUNK])
            try:
                body.extend(ast.parse(piece).body)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return ast.parse(self.text).body
        return body

    def _deepest_line(self) -> int:
        """The first line that is too deep on its own (where the whole program was)."""
        for number, line in enumerate(self.lines, 1):
            try:
                ast.parse(line.strip())
            except (RecursionError, MemoryError):
                return number
            except (SyntaxError, ValueError):
                continue
        return max(range(1, len(self.lines) + 1), key=lambda n: len(self.lines[n - 1]))

    def _statement(self, index: int, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign):
            if len(statement.targets) != 1:
                raise self.error(statement, f"assign one name at a time: {_ONE_PER_LINE}")
            target = statement.targets[0]
            value = statement.value
        elif isinstance(statement, ast.AugAssign):
            target = statement.target
            operator = _AUGMENTED.get(type(statement.op))
            if operator is None:
                symbol = _SYMBOLS.get(type(statement.op).__name__, "this operator")
                raise self.error(
                    statement, f"{symbol}= is not supported: use +=, -=, *=, /= or **="
                )
            value = ast.BinOp(
                left=ast.Name(id=getattr(target, "id", "?")), op=statement.op, right=statement.value
            )
            ast.copy_location(value, statement)
            ast.copy_location(value.left, target)
        elif isinstance(statement, ast.Expr):
            raise self.error(
                statement,
                "this line computes a value but does not name it: write `name = ...`",
            )
        else:
            raise self.error(
                statement,
                f"{_describe(statement)} is not part of chainstep's language: {_ONE_PER_LINE}",
            )
        if not isinstance(target, ast.Name):
            raise self.error(target, f"the left side must be a single name: {_ONE_PER_LINE}")
        name = target.id
        if name in FUNCTIONS:
            raise self.error(target, f"{name} is a function: give the value another name")
        self.statements.append(
            Statement(statement.lineno, statement.end_lineno or statement.lineno, name)
        )
        cell = micrograd_cells.value_call(value)
        signed = _signed_literal(value if cell is None else cell[0])
        if cell is not None and signed is None:
            raise self.error(value, "Value() takes a number here, like `Value(2.0)`")
        if signed is not None:
            number = self._literal(value, signed)
            label = self._binding_label(name)
            if cell is not None and cell[1] is not None:
                label = cell[1]  # Value(2.0, label='a')
            node_id = self._add(Kind.INPUT, label, None, (), number, value, index, name)
        else:
            node_id = self._expression(value, index, name)
            if self.nodes[node_id].statement != index:  # `L = y`: a new name, a node of its own
                label = self._binding_label(name)
                node_id = self._add(Kind.OP, label, COPY, (node_id,), None, value, index, name)
        self.bindings[name] = node_id

    def _binding_label(self, name: str) -> str:
        count = self.rebinds.get(name, 0)
        self.rebinds[name] = count + 1
        return name + "'" * count

    # -- nodes ---------------------------------------------------------------------------

    def _add(
        self,
        kind: Kind,
        label: str,
        op: Op | None,
        args: tuple[int, ...],
        literal: float | None,
        at: ast.expr,
        statement: int,
        name: str | None = None,
    ) -> int:
        node_id = len(self.nodes)
        if node_id >= MAX_NODES:
            raise self.error(at, f"the program is too large: more than {MAX_NODES:,} nodes")
        line, end_line = at.lineno, at.end_lineno or at.lineno
        col, end_col = at.col_offset + 1, (at.end_col_offset or 0) + 1
        if not self.ascii:
            col, end_col = self._column(line, col - 1), self._column(end_line, end_col - 1)
        self.nodes.append(
            Node(
                node_id,
                kind,
                label,
                op,
                args,
                literal,
                statement,
                line,
                col,
                end_line,
                end_col,
                name,
            )
        )
        return node_id

    def _literal(self, at: ast.expr, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a string" if isinstance(value, str | bytes) else repr(value)
            raise self.error(at, f"{kind} is not a number: chainstep works with real numbers")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(at, "this number is too large for a float (about 1.8e308 at most)")
        return number

    def _expression(self, root: ast.expr, statement: int, name: str) -> int:
        """Evaluate operands before operations, left to right, without recursion.

        A pre-order walk that visits right children first, reversed, is the post-order
        walk that visits left children first: Python's own evaluation order. The root
        operation takes the statement's name; inner ones are labelled by their text.
        """
        # The common shapes (names, numbers, binary operators) are handled inline: this
        # loop runs once per node of programs with hundreds of thousands of them.
        Name, Constant, BinOp = ast.Name, ast.Constant, ast.BinOp
        binary = _BINARY_TYPES
        order: list[ast.expr] = []
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            kind = type(node)
            if kind is BinOp and type(node.op) in binary:  # type: ignore[attr-defined]
                stack.append(node.left)  # type: ignore[attr-defined]
                stack.append(node.right)  # type: ignore[attr-defined]
            elif kind is not Name and kind is not Constant:
                stack.extend(self._children(node))
        results: list[int] = []
        bindings = self.bindings
        nodes = self.nodes
        fast = self.ascii and len(nodes) + len(order) < MAX_NODES  # else the checked path
        for node in reversed(order):
            kind = type(node)
            if kind is Name and node.id in bindings:  # type: ignore[attr-defined]
                results.append(bindings[node.id])  # type: ignore[attr-defined]
            elif (
                kind is Constant
                and type(node.value) is float  # type: ignore[attr-defined]
                and -1e16 < node.value < 1e16  # type: ignore[attr-defined]
                and fast
            ):  # a plain decimal: finite, and labelled as _number_label would
                value = node.value  # type: ignore[attr-defined]
                results.append(len(nodes))
                nodes.append(
                    Node(
                        len(nodes),
                        Kind.CONST,
                        f"{value:g}",
                        None,
                        (),
                        value,
                        statement,
                        node.lineno,
                        node.col_offset + 1,
                        node.end_lineno,  # type: ignore[arg-type]
                        node.end_col_offset + 1,
                    )  # type: ignore[operator]
                )
            elif kind is BinOp and fast:
                right = results.pop()
                args = (results.pop(), right)
                line, start, end = node.lineno, node.col_offset, node.end_col_offset
                if node is root:  # the statement's own operation takes its name
                    label, named = self._binding_label(name), name
                elif node.end_lineno == line and end - start <= LABEL_WIDTH:  # type: ignore[operator]
                    label, named = self.lines[line - 1][start:end], None
                    if "  " in label:
                        label = " ".join(label.split())
                else:
                    label, named = self._source_label(node), None
                results.append(len(nodes))
                nodes.append(
                    Node(
                        len(nodes),
                        Kind.OP,
                        label,
                        binary[type(node.op)],
                        args,
                        None,  # type: ignore[attr-defined]
                        statement,
                        line,
                        start + 1,
                        node.end_lineno,
                        end + 1,
                        named,
                    )  # type: ignore[arg-type, operator]
                )
            else:
                results.append(
                    self._combine(node, results, statement, name if node is root else None)
                )
        return results[-1]

    def _children(self, node: ast.expr) -> list[ast.expr]:
        """Check a node against the whitelist and return the operands to evaluate first."""
        kind = type(node)
        if kind is ast.Name or kind is ast.Constant:
            return []
        if kind is ast.BinOp:
            if type(node.op) in _BINARY_TYPES:  # type: ignore[attr-defined]
                return [node.left, node.right]  # type: ignore[attr-defined]
            symbol = _SYMBOLS.get(type(node.op).__name__, "this operator")  # type: ignore[attr-defined]
            raise self.error(node, f"the operator {symbol} is not supported: use + - * / **")
        if kind is ast.UnaryOp:
            assert isinstance(node, ast.UnaryOp)
            if isinstance(node.op, ast.USub | ast.UAdd):
                return [] if _signed_literal(node) is not None else [node.operand]
            symbol = _SYMBOLS.get(type(node.op).__name__, "this operator")
            raise self.error(node, f"the operator {symbol} is not supported: use + - * / **")
        if kind is ast.Call:
            return self._call_operands(node)  # type: ignore[arg-type]
        if kind is ast.Attribute and node.attr in ("data", "grad"):  # type: ignore[attr-defined]
            raise self.error(
                node,
                f"use the name itself, not .{node.attr}: {micrograd_cells.BACKWARD_FOR_YOU}"  # type: ignore[attr-defined]
                " and every value",
            )
        if kind is ast.Attribute:
            raise self.error(
                node,
                f"attributes like .{node.attr} are not supported: the methods are "  # type: ignore[attr-defined]
                f"{_listing(METHODS)}, written with parentheses, like `x.relu()`",
            )
        raise self.error(node, f"{_describe(node)} is not part of chainstep's language")

    def _call_operands(self, call: ast.Call) -> list[ast.expr]:
        cell = micrograd_cells.value_call(call)
        if cell is not None:  # Value(2.0) inside an expression: a constant
            if _signed_literal(cell[0]) is None:
                raise self.error(call, "Value() takes a number here, like `Value(2.0)`")
            return []
        if call.keywords:
            raise self.error(call.keywords[0], "keyword arguments are not supported")
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "unpacking with * is not supported")
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr not in METHODS:
                hint = f" (or call {func.attr}(x))" if func.attr in FUNCTIONS else ""
                raise self.error(
                    func,
                    f".{func.attr}() is not a method chainstep knows: the methods are "
                    f"{_listing(METHODS)}{hint}",
                )
            if call.args:
                raise self.error(call, f".{func.attr}() takes no arguments, like `x.relu()`")
            return [func.value]
        if not isinstance(func, ast.Name):
            raise self.error(func, "only the built-in functions can be called, like `exp(x)`")
        op = FUNCTIONS.get(func.id)
        if op is None:
            if func.id in self.bindings:
                raise self.error(func, f"{func.id} is a number, not a function")
            raise self.error(
                func,
                f"unknown function {func.id}{_suggest(func.id, FUNCTIONS)}: "
                f"the functions are {_listing(FUNCTIONS)}",
            )
        count = len(call.args)
        if op.arity is None and count < 2:
            raise self.error(call, f"{func.id}() takes two or more arguments, got {count}")
        if op.arity is not None and count != op.arity:
            raise self.error(call, f"{func.id}() takes exactly one argument, got {count}")
        return list(call.args)

    def _combine(self, node: ast.expr, results: list[int], statement: int, name: str | None) -> int:
        """Make the graph node for an ast node whose operands are on top of ``results``."""
        kind = type(node)
        if kind is ast.Constant:
            value = self._literal(node, node.value)  # type: ignore[attr-defined]
            return self._add(Kind.CONST, _number_label(value), None, (), value, node, statement)
        cell = micrograd_cells.value_call(node)
        if cell is not None:
            value = self._literal(node, _signed_literal(cell[0]))
            return self._add(Kind.CONST, _number_label(value), None, (), value, node, statement)
        if kind is ast.Name:
            return self._lookup(node, node.id)  # type: ignore[arg-type, attr-defined]
        if kind is ast.UnaryOp:
            signed = _signed_literal(node)
            if signed is not None:
                value = self._literal(node, signed)
                return self._add(Kind.CONST, _number_label(value), None, (), value, node, statement)
            if isinstance(node.op, ast.UAdd):  # type: ignore[attr-defined]
                return results.pop()
            op, count = NEG, 1
        elif kind is ast.BinOp:
            op, count = _BINARY_TYPES[type(node.op)], 2  # type: ignore[attr-defined]
        else:
            func = node.func  # type: ignore[attr-defined]
            if isinstance(func, ast.Attribute):
                op, count = METHODS[func.attr], 1
            else:
                op, count = FUNCTIONS[func.id], len(node.args)  # type: ignore[attr-defined]
        args = tuple(results[-count:])
        del results[-count:]
        label = self._binding_label(name) if name else self._source_label(node)
        return self._add(Kind.OP, label, op, args, None, node, statement, name)

    def _lookup(self, node: ast.Name, name: str) -> int:
        if name in self.bindings:
            return self.bindings[name]
        if name in FUNCTIONS:
            raise self.error(node, f"{name} is a function: call it, like `{name}(x)`")
        if name in self.assigned_later:
            raise self.error(
                node, f"{name} is used before it is given a value: move its line above this one"
            )
        raise self.error(
            node,
            f"undefined name {name}{_suggest(name, self.bindings)}: "
            f"give it a value on an earlier line, like `{name} = 1`",
        )


def _syntax_message(message: str, source: str) -> str:
    """Python's parser message, with what to do about it in chainstep's terms."""
    text = source.split("#", 1)[0].strip()
    if "nested" in message or "too many" in message:
        return f"{message}: split the expression over several lines"
    if text.endswith("="):
        name = text.rstrip("=+-*/ ").strip() or "the name"
        return f"nothing after `=`: give {name} a value, like `{name} = 2` or `{name} = x * y`"
    if "never closed" in message:
        return f"{message}: close it on this line"
    if "unmatched" in message:
        return f"{message}: remove it, or open it earlier on this line"
    if "indent" in message:
        return f"{message}: start every line at the left margin"
    if message.startswith("invalid syntax"):
        return (
            f"{message}: chainstep reads one assignment a line, `name = expression`, like"
            " `c = a * b`"
        )
    return message


def _signed_literal(node: ast.expr) -> object | None:
    """The value of a literal with optional signs (``-2.5``, ``+3``), else ``None``."""
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if not isinstance(node, ast.Constant) or node.value is None:
        return None
    value = node.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return -value if sign < 0 else value
    return value


def _number_label(value: float) -> str:
    text = f"{value:g}" if abs(value) < 1e16 else repr(value)
    return text


def _describe(node: ast.AST) -> str:
    name = type(node).__name__
    return _DESCRIPTIONS.get(name, name)


def _suggest(name: str, known: object) -> str:
    matches = difflib.get_close_matches(name, list(known), n=1)  # type: ignore[call-overload]
    return f" (did you mean {matches[0]}?)" if matches else ""


def _listing(names: dict[str, Op]) -> str:
    return ", ".join(names)
