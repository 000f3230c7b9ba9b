"""Backprop against the definition of the derivative, on hundreds of generated programs.

The reference shares no code with the engine: each generated statement carries its own
mpmath formula, and the derivative is a centered difference at 60 significant digits
(h = 1e-25), so its own error is far below the 1e-6 tolerance. Programs mix every
operation, reuse variables, leave dead branches, use literals, augmented assignment and
method calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import Kind, ProgramError, walkthrough

mpmath.mp.dps = 60
H = mpmath.mpf("1e-25")
KINK_MARGIN = 1e-9

Ref = Callable[..., mpmath.mpf]


def _relu(x):
    return x if x > 0 else mpmath.mpf(0)


def _sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


# (text template, mpmath formula, kink distance) over operands a, b, c and constant k.
TEMPLATES: list[tuple[str, Ref, Callable[..., float] | None]] = [
    ("{a} + {b}", lambda a, b, c, k: a + b, None),
    ("{a} - {b}", lambda a, b, c, k: a - b, None),
    ("{a} * {b}", lambda a, b, c, k: a * b, None),
    ("{a} * {k}", lambda a, b, c, k: a * k, None),
    ("{k} - {a}", lambda a, b, c, k: k - a, None),
    ("{a} / ({b}*{b} + 1)", lambda a, b, c, k: a / (b * b + 1), None),
    ("{a} ** 2", lambda a, b, c, k: a**2, None),
    ("{a} ** 3", lambda a, b, c, k: a**3, None),
    ("({a}*{a} + 1) ** {b}", lambda a, b, c, k: (a * a + 1) ** b, None),
    ("({a}*{a} + 0.5) ** -0.5", lambda a, b, c, k: (a * a + mpmath.mpf("0.5")) ** -0.5, None),
    ("exp(tanh({a}))", lambda a, b, c, k: mpmath.exp(mpmath.tanh(a)), None),
    ("tanh({a}).exp()", lambda a, b, c, k: mpmath.exp(mpmath.tanh(a)), None),
    ("log({a}*{a} + 1)", lambda a, b, c, k: mpmath.log(a * a + 1), None),
    ("({a}*{a} + 2).log()", lambda a, b, c, k: mpmath.log(a * a + 2), None),
    ("tanh({a})", lambda a, b, c, k: mpmath.tanh(a), None),
    ("{a}.tanh()", lambda a, b, c, k: mpmath.tanh(a), None),
    ("sigmoid({a})", lambda a, b, c, k: _sigmoid(a), None),
    ("{a}.sigmoid()", lambda a, b, c, k: _sigmoid(a), None),
    ("relu({a})", lambda a, b, c, k: _relu(a), lambda a, b, c, k: abs(a)),
    ("{a}.relu()", lambda a, b, c, k: _relu(a), lambda a, b, c, k: abs(a)),
    ("abs({a})", lambda a, b, c, k: abs(a), lambda a, b, c, k: abs(a)),
    ("max({a}, {b})", lambda a, b, c, k: max(a, b), lambda a, b, c, k: abs(a - b)),
    (
        "min({a}, {b}, {c})",
        lambda a, b, c, k: min(a, b, c),
        lambda a, b, c, k: min(abs(a - b), abs(b - c), abs(a - c)),
    ),
    ("sqrt({a}*{a} + 1)", lambda a, b, c, k: mpmath.sqrt(a * a + 1), None),
    ("sin({a})", lambda a, b, c, k: mpmath.sin(a), None),
    ("cos({a}) * {b}", lambda a, b, c, k: mpmath.cos(a) * b, None),
    ("-{a}", lambda a, b, c, k: -a, None),
    ("-({a} + {b}) * {c}", lambda a, b, c, k: -(a + b) * c, None),
]
AUGMENTED = {"+=": lambda t, v: t + v, "-=": lambda t, v: t - v, "*=": lambda t, v: t * v}


@dataclass
class GeneratedProgram:
    inputs: dict[str, float]
    lines: list[str] = field(default_factory=list)
    # each statement: (target, formula over the environment, kink distance or None)
    statements: list[tuple[str, Callable[[dict], mpmath.mpf], Callable[[dict], float] | None]] = (
        field(default_factory=list)
    )

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def evaluate(self, inputs: dict[str, mpmath.mpf]) -> tuple[mpmath.mpf, float]:
        """The output at these inputs, and how close any relu/abs/max/min came to its kink."""
        env = dict(inputs)
        closest = float("inf")
        target = ""
        for target, formula, kink in self.statements:
            if kink is not None:
                closest = min(closest, kink(env))
            env[target] = formula(env)
        return env[target], closest


@st.composite
def programs(draw) -> GeneratedProgram:
    count = draw(st.integers(1, 4))
    names = [f"x{i}" for i in range(count)]
    values = {n: draw(st.integers(-25, 25)) / 10 for n in names}
    program = GeneratedProgram(values)
    program.lines = [f"{n} = {v}" for n, v in values.items()]
    available = list(names)
    for index in range(draw(st.integers(1, 7))):
        text, formula, kink = draw(st.sampled_from(TEMPLATES))
        a, b, c = (draw(st.sampled_from(available)) for _ in range(3))
        k = draw(st.sampled_from([2, 3, -1, 0.5]))
        expression = text.format(a=a, b=b, c=c, k=k)

        def bound(env, formula=formula, a=a, b=b, c=c, k=k):
            return formula(env[a], env[b], env[c], mpmath.mpf(k))

        def distance(env, kink=kink, a=a, b=b, c=c, k=k):
            return float(kink(env[a], env[b], env[c], k))

        augment = draw(st.sampled_from([None, None, None, *AUGMENTED]))
        if augment and index > 0:
            target = draw(st.sampled_from(available))

            def combined(env, bound=bound, target=target, step=AUGMENTED[augment]):
                return step(env[target], bound(env))

            program.lines.append(f"{target} {augment} {expression}")
            program.statements.append((target, combined, distance if kink else None))
        else:
            target = f"v{index}"
            program.lines.append(f"{target} = {expression}")
            program.statements.append((target, bound, distance if kink else None))
            available.append(target)
    return program


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(programs())
def test_gradients_match_high_precision_finite_differences(program):
    try:
        walk = walkthrough(program.text)
    except ProgramError:
        assume(False)  # overflow and the like: covered by the error tests
        return
    exact = {n: mpmath.mpf(str(v)) for n, v in program.inputs.items()}
    output, closest = program.evaluate(exact)
    assume(closest > KINK_MARGIN)  # on a kink the two sides disagree by definition
    assume(abs(output) < 1e12)
    assert walk.graph.values[walk.graph.output] == pytest.approx(float(output), rel=1e-9, abs=1e-12)
    labels = {node.label: node.id for node in walk.nodes if node.kind is Kind.INPUT}
    for name in program.inputs:
        up = dict(exact, **{name: exact[name] + H})
        down = dict(exact, **{name: exact[name] - H})
        reference = (program.evaluate(up)[0] - program.evaluate(down)[0]) / (2 * H)
        ours = walk.grads[labels[name]]
        assert abs(ours - float(reference)) <= 1e-6 * abs(float(reference)) + 1e-12, (
            f"d/d{name}: backprop {ours} vs reference {float(reference)}\n{program.text}"
        )
