"""`chainstep run` and `--run`: a learner's own script, run in a child process; the graph its
last backward() saw; every gradient derived by chainstep and checked against the script's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine import walkthrough
from engine.library import find_script, script_path
from engine.value_graph import program_text
from tui.scripts import capture

LECTURE = Path(script_path(find_script("lecture-mlp"))).parent  # type: ignore[arg-type]
"""The bundled lecture layout: engine.py (a learner's Value), nn.py, train.py."""
CHAINSTEP = Path(sys.executable).parent / "chainstep"


def chainstep(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHAINSTEP), *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def scripts_own_grads(graph: dict) -> dict[str, float]:
    """What the script's backward() put in .grad, for every named leaf."""
    return {
        node["label"] or node["name"]: graph["grads"][i]
        for i, node in enumerate(graph["nodes"])
        if not node["children"] and not node["wrapped"] and (node["label"] or node["name"])
    }


def assert_agree(report: dict, graph: dict) -> None:
    theirs = scripts_own_grads(graph)
    assert set(report["grads"]) == set(theirs)
    for name, grad in theirs.items():
        assert report["grads"][name] == pytest.approx(grad, rel=1e-6, abs=1e-12), name


@pytest.mark.parametrize("script", ["lecture-mlp", "micrograd-mlp"])
def test_an_mlp_script_gives_every_parameter_the_scripts_own_gradient(script):
    """The bundled scripts, run by name: the learner's own Value + MLP, and micrograd.nn
    from PyPI. Both update p.data right after backward(), so the graph must be the one
    backward() saw, not the one the script left behind."""
    result = chainstep("grads", "--run", script, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output"] == "loss"
    assert "the output is loss, the Value the script called backward() on" in result.stderr
    graph = capture(script)
    assert report["value"] == pytest.approx(graph["nodes"][graph["root"]]["data"])
    assert_agree(report, graph)
    parameters = [name for name in report["grads"] if ".layers[" in name]
    assert len(parameters) == 41  # MLP(3, [4, 4, 1]): 16 + 20 + 5
    assert any(name.endswith(".layers[1].neurons[2].w[3]") for name in parameters)


def test_the_examples_list_the_scripts_and_how_to_run_them():
    result = chainstep("examples")
    assert "chainstep run NAME" in result.stdout
    assert "lecture-mlp" in result.stdout and "micrograd-mlp" in result.stdout


def test_the_learners_engine_py_is_imported_not_chainsteps():
    """`--run train.py` beside the learner's own engine.py and nn.py: `from engine import
    Value` must import their file, not chainstep's engine package."""
    result = chainstep("grads", "--run", "train.py", "--json", cwd=LECTURE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output"] == "loss" and len(report["grads"]) == 41
    assert_agree(report, capture(str(LECTURE / "train.py")))


def test_the_same_script_gives_the_same_walkthrough_every_run(tmp_path):
    """Operands and nodes come in creation order, never in set or id() order. (A script
    that trains shows its own set-order float noise in p.data; this one does not train.)"""
    script = tmp_path / "forward.py"
    script.write_text(
        f"import random, sys\nsys.path.insert(0, {str(LECTURE)!r})\nfrom nn import MLP\n"
        "random.seed(3)\nmodel = MLP(3, [4, 1])\nloss = model([1.0, -2.0, 0.5]) ** 2\n"
        "loss.backward()\n"
    )
    first, second = (program_text(capture(str(script)), "forward.py") for _ in range(2))
    assert first == second


def test_a_script_that_raises_shows_its_own_traceback_and_exits_2(tmp_path):
    script = tmp_path / "raises.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(LECTURE)!r})\nfrom engine import Value\n"
        "a = Value(2.0)\nb = a * 3\nc = b / 0  # a ZeroDivisionError in the learner's code\n"
        "c.backward()\n"
    )
    result = chainstep("grads", "--run", str(script))
    assert result.returncode == 2
    assert "ZeroDivisionError" in result.stderr and 'raises.py", line 6' in result.stderr
    assert "engine.py" in result.stderr  # the learner's frames, theirs all
    assert "capture_child" not in result.stderr and "runpy" not in result.stderr
    assert result.stdout == ""


def test_a_script_without_backward_and_the_root_option(tmp_path):
    script = tmp_path / "forward_only.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(LECTURE)!r})\nfrom engine import Value\n"
        "a = Value(2.0, label='a')\nb = Value(-3.0, label='b')\nc = a * b + a\n"
    )
    result = chainstep("grads", "--run", str(script))
    assert result.returncode == 2
    assert "never calls backward()" in result.stderr and "--root NAME" in result.stderr
    result = chainstep("grads", "--run", str(script), "--root", "c", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output"] == "c" and report["grads"] == {"a": -2, "b": 2}
    result = chainstep("grads", "--run", str(script), "--root", "nope")
    assert result.returncode == 2 and "no Value named nope" in result.stderr


def test_a_program_is_never_run_without_the_explicit_command(tmp_path):
    """A .py file given as PROGRAM is parsed, and refused at its first import: not run."""
    marker = tmp_path / "ran"
    script = tmp_path / "side_effect.py"
    script.write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n")
    result = chainstep("grads", str(script))
    assert result.returncode == 2 and "chainstep run SCRIPT.py" in result.stderr
    assert not marker.exists()


async def test_run_opens_the_app_on_the_scripts_graph():
    from onscreen import screen_text

    from tui.app import ChainstepApp
    from tui.scripts import run_script

    app = ChainstepApp(run_script("lecture-mlp"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        screen = screen_text(app)
        assert "lecture-mlp: the graph of loss" in screen and "backward pass complete" in screen
        assert walkthrough(app.source.text).output.label == "loss"
