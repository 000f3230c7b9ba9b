"""Non-differentiable points follow PyTorch and micrograd; the numeric check says so."""

from __future__ import annotations

import math

import pytest

from engine import formulas, walkthrough
from engine.gradcheck import check_gradients
from tui.cli import main


def grad_of_x(text: str) -> float:
    return walkthrough(text).grads[0]


def test_relu_at_zero_has_derivative_zero():
    assert grad_of_x("x = 0\nL = relu(x)\n") == 0
    assert grad_of_x("x = 0\nL = x.relu()\n") == 0


def test_abs_at_zero_has_derivative_zero():
    assert grad_of_x("x = 0\nL = abs(x)\n") == 0


def test_max_and_min_ties_split_the_gradient_evenly():
    walk = walkthrough("x = 2\ny = 2\nL = max(x, y)\n")
    assert walk.grads[:2] == (0.5, 0.5)
    walk = walkthrough("x = 1\ny = 1\nz = 1\nL = min(x, y, z)\n")
    assert walk.grads[:3] == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_negative_base_with_a_variable_exponent_gives_nan_with_a_warning():
    walk = walkthrough("x = -2\ny = 3\nL = x ** y\n")
    assert walk.graph.values[2] == -8
    assert walk.grads[0] == 12  # 3 * (-2)^2
    assert math.isnan(walk.grads[1])
    assert "base is negative" in formulas.warnings(walk.graph, walk.steps[-1])[0]


def test_check_flags_a_kink_and_exits_1(capsys):
    checks = check_gradients(walkthrough("x = 0\nL = relu(x)\n"))
    assert checks[0].crosses_kink and not checks[0].ok
    assert checks[0].numeric == pytest.approx(0.5)


def test_check_command_agrees_on_seeds_and_exits_1_on_a_kink(capsys, tmp_path):
    assert main(["check", "sigmoid-neuron"]) == 0
    out = capsys.readouterr().out
    assert "w0" in out and "ok" in out and "DISAGREES" not in out
    program = tmp_path / "kink.chain"
    program.write_text("x = 0\nL = relu(x) * 3\n")
    assert main(["check", str(program)]) == 1
    out = capsys.readouterr().out
    assert "DISAGREES" in out and "kink" in out


def test_check_relative_error_is_reported():
    (check,) = check_gradients(walkthrough("x = 3\nL = 3*x**2 - 4*x + 5\n"))
    assert check.analytic == 14
    assert check.numeric == pytest.approx(14, rel=1e-8)
    assert check.relative_error < 1e-8 and check.ok and not check.crosses_kink


def test_check_declines_a_program_too_large_to_check(tmp_path, capsys):
    inputs = [f"a{i} = {i % 7}" for i in range(1_100)]
    sums = ["s0 = a0 + a1"] + [f"s{i} = s{i - 1} + a{i % 1_100}" for i in range(1, 2_000)]
    program = tmp_path / "wide.chain"
    program.write_text("\n".join(inputs + sums) + "\n")
    assert main(["check", str(program)]) == 2
    assert "too large to check numerically (1,100 inputs" in capsys.readouterr().err
