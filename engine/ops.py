"""Every operation of the language, each declared once: forward rule beside its local derivative.

Like micrograd's ``Value`` methods, an operation is read in one place: how it computes its
output, the derivative of that output with respect to each operand (as a number and as the
formula a learner would write), and the gate pattern it follows, if any.

``local`` receives the operand values and the output value and returns d(out)/d(operand)
for every operand. It never raises: where the derivative is infinite or undefined it
returns ``inf`` or ``nan``, as PyTorch does, so a backward pass always completes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

Values = Sequence[float]
Labels = Sequence[str]


@dataclass(frozen=True, slots=True)
class Op:
    name: str
    render: Callable[[Labels], str]
    """Operand labels to the expression as source would write it: ``a * b``."""
    forward: Callable[..., float]
    local: Callable[[Values, float], tuple[float, ...]]
    symbolic: Callable[[Labels, int], str]
    """Operand labels and an operand index to that operand's local derivative: ``b``."""
    arity: int | None = 1
    """How many operands; ``None`` means two or more (max, min)."""
    pattern: str | None = None
    """The gate pattern in one sentence, where the operation follows one."""
    undefined: str = "is undefined for these numbers"
    """What to tell the learner when the forward rule has no real value."""
    branch: Callable[[Values], Hashable] | None = None
    """Which side of a kink the operands are on; a change of branch spoils finite differences."""


_PLAIN_NUMBER = re.compile(r"[0-9.]+(e[+-]?[0-9]+)?|inf|nan")


def wrap(label: str) -> str:
    """Parenthesise a label that would not read as one operand inside a bigger formula."""
    if label.isidentifier() or _PLAIN_NUMBER.fullmatch(label):
        return label
    return f"({label})"


def _infix(symbol: str) -> Callable[[Labels], str]:
    return lambda x: f"{wrap(x[0])} {symbol} {wrap(x[1])}"


def _call(name: str) -> Callable[[Labels], str]:
    return lambda x: f"{name}({', '.join(x)})"


def _templates(*forms: str) -> Callable[[Labels, int], str]:
    """Symbolic derivatives written with ``{0}``, ``{1}`` for the (wrapped) operand labels."""

    def symbolic(x: Labels, i: int) -> str:
        if forms[i] in ("{0}", "{1}"):  # a bare operand reads fine without parentheses
            return x[int(forms[i][1])]
        return forms[i].format(*(wrap(label) for label in x))

    return symbolic


def _divide(n: float, d: float) -> float:
    """IEEE division: a zero divisor gives a signed infinity (or nan for 0/0), never an error."""
    if d != 0:
        return n / d
    if n == 0 or math.isnan(n):
        return math.nan
    return math.copysign(math.inf, n) * math.copysign(1.0, d)


def _power(a: float, b: float) -> float:
    """``a ** b`` with IEEE results (inf, nan) where ``math.pow`` would raise."""
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.inf if a == 0 else math.nan


def _sigmoid(a: float) -> float:
    """Written both ways round so that neither branch can overflow."""
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _pow_local(x: Values, out: float) -> tuple[float, float]:
    a, b = x
    d_base = b * _power(a, b - 1) if b != 0 else 0.0
    if a > 0:
        d_exponent = out * math.log(a)
    elif a == 0:
        d_exponent = 0.0  # PyTorch's convention: the exponent's gradient is 0 at a zero base
    else:
        d_exponent = math.nan  # log of a negative base: no real derivative (PyTorch gives nan)
    return d_base, d_exponent


def _pow_symbolic(x: Labels, i: int) -> str:
    base, exponent = wrap(x[0]), wrap(x[1])
    if i == 1:
        return f"{base}^{exponent}*log({base})"
    try:
        n = float(x[1])
    except ValueError:
        return f"{exponent}*{base}^({exponent}-1)"
    lower = n - 1
    if lower == 0:
        return f"{x[1]}"
    power = "" if lower == 1 else f"^{lower:g}" if lower >= 0 else f"^({lower:g})"
    return f"{x[1]}*{base}{power}"


def _pow_undefined_reason(x: Values) -> str:
    if x[0] == 0:
        return "is a division by zero: 0 raised to a negative power"
    return "has no real value: a negative number raised to a fractional power"


def _extreme(pick: Callable[..., float], word: str, pattern: str) -> Op:
    """max and min: the gradient goes to the chosen operand, split evenly over ties (PyTorch)."""

    def local(x: Values, out: float) -> tuple[float, ...]:
        ties = sum(1 for v in x if v == out)
        return tuple(1.0 / ties if v == out else 0.0 for v in x)

    return Op(
        name=pick.__name__,
        render=_call(pick.__name__),
        forward=lambda *x: pick(x),
        local=local,
        symbolic=lambda x, i: f"1 if {wrap(x[i])} is the {word} else 0 (ties share it)",
        arity=None,
        pattern=pattern,
        branch=lambda x: tuple(i for i, v in enumerate(x) if v == pick(x)),
    )


ADD = Op(
    "add",
    _infix("+"),
    lambda a, b: a + b,
    lambda x, out: (1.0, 1.0),
    _templates("1", "1"),
    arity=2,
    pattern="add distributes: every input receives the upstream gradient unchanged.",
)
SUB = Op(
    "sub",
    _infix("-"),
    lambda a, b: a - b,
    lambda x, out: (1.0, -1.0),
    _templates("1", "-1"),
    arity=2,
    pattern="subtract distributes: the left input gets the upstream gradient, the right minus it.",
)
MUL = Op(
    "mul",
    _infix("*"),
    lambda a, b: a * b,
    lambda x, out: (x[1], x[0]),
    _templates("{1}", "{0}"),
    arity=2,
    pattern="mul swaps: each input receives the upstream gradient times the other input.",
)
DIV = Op(
    "div",
    _infix("/"),
    lambda a, b: a / b,
    lambda x, out: (_divide(1.0, x[1]), _divide(-out, x[1])),
    _templates("1/{1}", "-{0}/{1}^2"),
    arity=2,
)
POW = Op(
    "pow",
    _infix("**"),
    lambda a, b: math.pow(a, b),
    _pow_local,
    _pow_symbolic,
    arity=2,
)
NEG = Op(
    "neg",
    lambda x: f"-{wrap(x[0])}",
    lambda a: -a,
    lambda x, out: (-1.0,),
    _templates("-1"),
)
COPY = Op(
    "copy",
    lambda x: x[0],
    lambda a: a,
    lambda x, out: (1.0,),
    _templates("1"),
    pattern="a copy passes the upstream gradient through unchanged.",
)
"""``L = y`` (or ``c = +a``): a new name for a value is a node of its own, so the name
the learner wrote appears in the graph, with local derivative 1."""
EXP = Op(
    "exp",
    _call("exp"),
    math.exp,
    lambda x, out: (out,),
    _templates("exp({0})"),
)
LOG = Op(
    "log",
    _call("log"),
    math.log,
    lambda x, out: (_divide(1.0, x[0]),),
    _templates("1/{0}"),
    undefined="is undefined: log needs a positive number",
)
TANH = Op(
    "tanh",
    _call("tanh"),
    math.tanh,
    lambda x, out: (1.0 - out * out,),
    _templates("1 - tanh({0})^2"),
)
SIGMOID = Op(
    "sigmoid",
    _call("sigmoid"),
    _sigmoid,
    lambda x, out: (out * (1.0 - out),),
    _templates("sigmoid({0})*(1 - sigmoid({0}))"),
)
RELU = Op(
    "relu",
    _call("relu"),
    lambda a: a if a > 0 else 0.0,
    lambda x, out: (1.0 if x[0] > 0 else 0.0,),  # relu'(0) = 0, as in PyTorch and micrograd
    _templates("1 if {0} > 0 else 0"),
    pattern="relu gates: the upstream gradient passes where the input is positive, else stops.",
    branch=lambda x: x[0] > 0,
)
ABS = Op(
    "abs",
    _call("abs"),
    abs,
    lambda x, out: (1.0 if x[0] > 0 else -1.0 if x[0] < 0 else 0.0,),  # abs'(0) = 0
    _templates("sign({0})"),
    branch=lambda x: (x[0] > 0) - (x[0] < 0),
)
SQRT = Op(
    "sqrt",
    _call("sqrt"),
    math.sqrt,
    lambda x, out: (_divide(1.0, 2.0 * out),),
    _templates("1/(2*sqrt({0}))"),
    undefined="is undefined: sqrt needs a number that is not negative",
)
SIN = Op("sin", _call("sin"), math.sin, lambda x, out: (math.cos(x[0]),), _templates("cos({0})"))
COS = Op("cos", _call("cos"), math.cos, lambda x, out: (-math.sin(x[0]),), _templates("-sin({0})"))
MAX = _extreme(max, "largest", "max routes: the whole upstream gradient goes to the largest input.")
MIN = _extreme(
    min, "smallest", "min routes: the whole upstream gradient goes to the smallest input."
)

BINARY: dict[str, Op] = {"Add": ADD, "Sub": SUB, "Mult": MUL, "Div": DIV, "Pow": POW}
"""Python ``ast`` operator class names to operations."""

FUNCTIONS: dict[str, Op] = {
    op.name: op for op in (EXP, LOG, TANH, SIGMOID, RELU, MAX, MIN, ABS, SQRT, SIN, COS)
}
METHODS: dict[str, Op] = {
    name: FUNCTIONS[name] for name in ("relu", "tanh", "exp", "log", "sigmoid")
}
"""micrograd-style ``x.relu()``: the same operations, written as methods."""


def undefined_reason(op: Op, x: Values) -> str:
    """Why the forward rule raised a domain error for these operands."""
    return _pow_undefined_reason(x) if op is POW else op.undefined
