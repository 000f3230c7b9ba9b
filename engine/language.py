"""The input language: a whitelisted subset of Python, parsed with ``ast``, never run.

Each statement binds a name; each literal, name and operation inside it becomes a node.
Nodes are made in evaluation order (statement by statement, operands left to right), so
the list of nodes is itself a topological order of the graph.

The walk over an expression uses an explicit stack rather than recursion, so a deeply
nested expression fails with a located "too deep" message, never a ``RecursionError``.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import math
from dataclasses import dataclass
from enum import StrEnum

from engine.errors import ProgramError
from engine.ops import BINARY, FUNCTIONS, METHODS, NEG, Op

LABEL_WIDTH = 24
"""Longest source text used as the label of an unnamed operation; longer text is cut."""

MAX_NODES = 2_000_000
"""A program bigger than this is refused: the graph would not fit comfortably in memory."""


class Kind(StrEnum):
    INPUT = "input"
    """A name bound to a number literal: a leaf with a gradient."""
    CONST = "const"
    """A literal inside an expression: a leaf without a gradient."""
    OP = "op"


@dataclass(frozen=True, slots=True)
class Node:
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


@dataclass(frozen=True, slots=True)
class Statement:
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
        self.lines = text.splitlines()
        self.nodes: list[Node] = []
        self.statements: list[Statement] = []
        self.bindings: dict[str, int] = {}
        self.rebinds: dict[str, int] = {}
        self.assigned_later: dict[str, int] = {}

    # -- locations ---------------------------------------------------------------------

    def _column(self, line: int, byte_offset: int) -> int:
        """``ast`` counts UTF-8 bytes; editors count characters."""
        if 1 <= line <= len(self.lines):
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
        line, col = self._where(node)
        end_line = node.end_lineno or line
        end_col = self._column(end_line, node.end_col_offset or 0)
        source = self.lines[line - 1] if line <= len(self.lines) else ""
        if end_line == line and end_col - col <= LABEL_WIDTH:
            return " ".join(source[col - 1 : end_col - 1].split())
        return " ".join(source[col - 1 : col - 1 + LABEL_WIDTH].split()) + "…"

    # -- program -----------------------------------------------------------------------

    def parse(self) -> Program:
        try:
            module = ast.parse(self.text)
        except SyntaxError as exc:
            line = exc.lineno or 1
            message = exc.msg
            if "nested" in message or "too many" in message:
                message = f"{message}: split the expression over several lines"
            raise ProgramError(message, line, exc.offset or 1) from None
        except ValueError as exc:  # e.g. a NUL byte
            raise ProgramError(f"{exc}: the program must be plain text", 1, 1) from None
        except (RecursionError, MemoryError):
            raise ProgramError(
                "the program is nested too deeply to read: split it over several lines"
            ) from None
        if not module.body:
            raise ProgramError(
                "the program is empty: write a few lines like `a = 2`, `b = 3`, `c = a * b`"
            )
        for index, statement in enumerate(module.body):
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    self.assigned_later.setdefault(target.id, index)
        for index, statement in enumerate(module.body):
            self._statement(index, statement)
        last = module.body[-1]
        output = self.bindings[self.statements[-1].target]
        if self.nodes[output].kind is not Kind.OP:
            raise self.error(
                last,
                "the program has no operation to differentiate: its last line should compute"
                " something, like `L = a * b`",
            )
        return Program(
            self.text, tuple(self.nodes), tuple(self.statements), dict(self.bindings), output
        )

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
        signed = _signed_literal(value)
        if signed is not None:
            node_id = self._leaf(Kind.INPUT, self._literal(value, signed), value, index, name)
        else:
            node_id = self._expression(value, index)
            if self.nodes[node_id].kind is Kind.OP and self.nodes[node_id].name is None:
                node = self.nodes[node_id]
                self.nodes[node_id] = dataclasses.replace(
                    node, label=self._binding_label(name), name=name
                )
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
        if len(self.nodes) >= MAX_NODES:
            raise self.error(at, f"the program is too large: more than {MAX_NODES:,} nodes")
        line, col = self._where(at)
        end_line = at.end_lineno or line
        end_col = self._column(end_line, at.end_col_offset or 0)
        node_id = len(self.nodes)
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

    def _leaf(
        self, kind: Kind, value: float, at: ast.expr, statement: int, name: str | None = None
    ) -> int:
        label = self._binding_label(name) if name else _number_label(value)
        return self._add(kind, label, None, (), value, at, statement, name)

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

    def _expression(self, root: ast.expr, statement: int) -> int:
        """Post-order walk with an explicit stack: children first, left to right."""
        results: list[int] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                results.append(self._combine(node, results, statement))
                continue
            children = self._children(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
        return results[-1]

    def _children(self, node: ast.expr) -> list[ast.expr]:
        """Check a node against the whitelist and return the operands to evaluate first."""
        match node:
            case ast.Constant() | ast.Name():
                return []
            case ast.BinOp(op=op) if type(op).__name__ in BINARY:
                return [node.left, node.right]
            case ast.BinOp(op=op):
                symbol = _SYMBOLS.get(type(op).__name__, "this operator")
                raise self.error(node, f"the operator {symbol} is not supported: use + - * / **")
            case ast.UnaryOp(op=ast.USub() | ast.UAdd()):
                return [] if _signed_literal(node) is not None else [node.operand]
            case ast.UnaryOp(op=op):
                symbol = _SYMBOLS.get(type(op).__name__, "this operator")
                raise self.error(node, f"the operator {symbol} is not supported: use + - * / **")
            case ast.Call():
                return self._call_operands(node)
            case ast.Attribute():
                raise self.error(
                    node,
                    f"attributes like .{node.attr} are not supported: the methods are "
                    f"{_listing(METHODS)}, written with parentheses, like `x.relu()`",
                )
        raise self.error(node, f"{_describe(node)} is not part of chainstep's language")

    def _call_operands(self, call: ast.Call) -> list[ast.expr]:
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

    def _combine(self, node: ast.expr, results: list[int], statement: int) -> int:
        """Make the graph node for an ast node whose operands are on top of ``results``."""
        match node:
            case ast.Constant(value=value):
                return self._leaf(Kind.CONST, self._literal(node, value), node, statement)
            case ast.Name(id=name):
                return self._lookup(node, name)
            case ast.UnaryOp(op=ast.UAdd()) if _signed_literal(node) is None:
                return results.pop()
            case ast.UnaryOp() if (signed := _signed_literal(node)) is not None:
                return self._leaf(Kind.CONST, self._literal(node, signed), node, statement)
        if isinstance(node, ast.UnaryOp):
            op, count = NEG, 1
        elif isinstance(node, ast.BinOp):
            op, count = BINARY[type(node.op).__name__], 2
        else:
            assert isinstance(node, ast.Call)
            func = node.func
            op = METHODS[func.attr] if isinstance(func, ast.Attribute) else FUNCTIONS[func.id]
            count = 1 if isinstance(func, ast.Attribute) else len(node.args)
        args = tuple(results[-count:])
        del results[-count:]
        return self._add(Kind.OP, self._source_label(node), op, args, None, node, statement)

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
