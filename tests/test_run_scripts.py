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


def lecture_script(path: Path, body: str) -> Path:
    """A script of the learner's own, with the bundled lecture's engine.py (its Value) on
    its path."""
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(LECTURE)!r})\nfrom engine import Value\n{body}"
    )
    return path


def report_of(script: Path) -> dict:
    """`chainstep grads --run SCRIPT --json`, which must succeed."""
    result = chainstep("grads", "--run", str(script), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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
    script = lecture_script(
        tmp_path / "raises.py",
        "a = Value(2.0)\nb = a * 3\nc = b / 0  # a ZeroDivisionError in the learner's code\n"
        "c.backward()\n",
    )
    result = chainstep("grads", "--run", str(script))
    assert result.returncode == 2
    assert "ZeroDivisionError" in result.stderr and 'raises.py", line 6' in result.stderr
    assert "engine.py" in result.stderr  # the learner's frames, theirs all
    assert "capture_child" not in result.stderr and "runpy" not in result.stderr
    assert result.stdout == ""


def test_a_script_without_backward_and_the_root_option(tmp_path):
    script = lecture_script(
        tmp_path / "forward_only.py",
        "a = Value(2.0, label='a')\nb = Value(-3.0, label='b')\nc = a * b + a\n",
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
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert "z folds the tree to the neuron" in screen_text(app)  # how to see one
        await pilot.press("end")
        await pilot.pause()
        screen = screen_text(app)
        assert "lecture-mlp: the graph of loss" in screen and "backward pass complete" in screen
        assert walkthrough(app.source.text).output.label == "loss"


def notebook(path: Path, cells: list[str]) -> Path:
    """A Jupyter notebook (nbformat 4) of these code cells, a markdown cell first, each
    cell's source stored as a list of lines, as Jupyter saves it."""
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "markdown", "metadata": {}, "source": ["# the lecture\n"]},
                    *(
                        {
                            "cell_type": "code",
                            "execution_count": None,
                            "metadata": {},
                            "outputs": [],
                            "source": cell.splitlines(keepends=True),
                        }
                        for cell in cells
                    ),
                ],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return path


def lecture_cells() -> list[str]:
    """The bundled lecture layout as notebook cells: the Value class, the network, the
    training loop, with a line magic, a shell line and a %%bash cell among them."""
    engine_py = (LECTURE / "engine.py").read_text()
    nn_py = (LECTURE / "nn.py").read_text().replace("from engine import Value\n", "")
    train = (LECTURE / "train.py").read_text().replace("from nn import MLP\n", "")
    return [
        "import math\n%matplotlib inline\n!pip install micrograd",
        engine_py,
        "%%bash\necho this cell is not Python",
        nn_py,
        train,
        "%%time\nypred = [n(x) for x in xs]",
    ]


def test_a_notebook_runs_its_code_cells_in_order_without_the_magics(tmp_path):
    """`chainstep run lecture.ipynb`: every code cell, in one namespace, as Run All; the
    magics left out; the gradients those of the training loop's last backward()."""
    path = notebook(tmp_path / "lecture.ipynb", lecture_cells())
    result = chainstep("grads", "--run", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output"] == "loss" and len(report["grads"]) == 41
    assert "4 " in result.stderr  # the loop's own print, on stderr
    graph = capture(str(path))
    assert_agree(report, graph)
    # the bundled script's numbers: the same seed, the same code (training leaves
    # set-order float noise in p.data, so not to the last bit)
    script = json.loads(chainstep("grads", "--run", "lecture-mlp", "--json").stdout)
    assert report["value"] == pytest.approx(script["value"], rel=1e-9)
    assert report["grads"] == pytest.approx(script["grads"], rel=1e-6, abs=1e-12)


def test_a_notebooks_error_names_its_cell_and_line(tmp_path):
    cells = [*lecture_cells()[:2], "a = Value(2.0)\nb = a / 0\n"]
    result = chainstep("grads", "--run", str(notebook(tmp_path / "nb.ipynb", cells)))
    assert result.returncode == 2
    assert 'nb.ipynb, code cell 3", line 2, in <module>' in result.stderr
    assert "b = a / 0" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "capture_child" not in result.stderr


def test_a_script_exported_from_a_notebook_runs_with_its_magics_left_out(tmp_path):
    """`jupyter nbconvert --to script` writes magics as get_ipython() calls; a %%time
    cell's body still runs."""
    cells = lecture_cells()
    script = "\n".join(cells[1:2] + cells[3:5])
    script = (
        "get_ipython().run_line_magic('matplotlib', 'inline')\n"
        "get_ipython().system('pip install micrograd')\n"
        + script
        + "get_ipython().run_cell_magic('time', '', 'twice = loss * 2\\n')\n"
        + "print('twice', twice.data)\n"
    )
    (tmp_path / "exported.py").write_text(script)
    result = chainstep("grads", "--run", str(tmp_path / "exported.py"), "--json")
    assert result.returncode == 0, result.stderr
    assert "twice " in result.stderr
    script = json.loads(chainstep("grads", "--run", "lecture-mlp", "--json").stdout)
    assert json.loads(result.stdout)["grads"] == pytest.approx(script["grads"], rel=1e-6)


def test_a_class_with_backward_that_is_not_a_value_is_left_alone(tmp_path):
    """A notebook that imports torch to compare builds torch.Tensor, which has a
    backward() but no _prev: instrumenting its inherited __init__ broke its constructor.
    This stands in for it: a class whose objects are made by __new__ with arguments."""
    script = lecture_script(
        tmp_path / "compare.py",
        "class Tensor:\n"
        "    def __new__(cls, data):\n"
        "        self = super().__new__(cls)\n"
        "        self.data = data\n"
        "        return self\n"
        "    def backward(self):\n"
        "        self.grad = 1.0\n"
        "t = Tensor([2.0]); t.backward()\n"
        "a = Value(2.0, label='a'); b = Value(-3.0, label='b')\n"
        "c = a * b; c.label = 'c'\nc.backward()\n",
    )
    assert report_of(script)["grads"] == {"a": -3.0, "b": 2.0}


def test_a_missing_module_says_which_python_ran_and_what_to_do(tmp_path):
    script = tmp_path / "plots.py"
    script.write_text("import no_such_plotting_library\n")
    result = chainstep("grads", "--run", str(script))
    assert result.returncode == 2
    assert "No module named 'no_such_plotting_library'" in result.stderr
    assert f"({sys.executable}) does not have" in result.stderr
    assert "-m pip install no_such_plotting_library" in result.stderr
    assert "--python" in result.stderr


def test_python_runs_the_script_with_another_interpreter(tmp_path):
    """--python names the Python that `python SCRIPT.py` would be; a wrong one is named."""
    (tmp_path / "bin").mkdir()
    other = tmp_path / "bin" / "python"
    other.symlink_to(sys.executable)
    result = chainstep("grads", "--run", "lecture-mlp", "--python", str(other), "--json")
    assert result.returncode == 0, result.stderr
    assert f"running it with {other} (--python)" in result.stderr
    result = chainstep("grads", "--run", "lecture-mlp", "--python", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such Python" in result.stderr
    result = chainstep("grads", "two-paths", "--python", str(other))
    assert result.returncode == 2 and "--python is for running a script" in result.stderr


def test_an_active_virtual_environment_runs_the_script(tmp_path, monkeypatch):
    """`python SCRIPT.py` in an activated venv is that venv's Python, even when chainstep
    was installed apart (pipx): so is chainstep's."""
    venv = tmp_path / "project-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    monkeypatch.setenv("VIRTUAL_ENV", str(venv))
    result = chainstep("grads", "--run", "lecture-mlp", "--json")
    assert result.returncode == 0, result.stderr
    expected = f"running it with {venv / 'bin' / 'python'} (the active virtual environment's)"
    assert expected in result.stderr
    monkeypatch.setenv("VIRTUAL_ENV", str(Path(sys.executable).parent.parent))
    result = chainstep("grads", "--run", "lecture-mlp", "--json")
    assert result.returncode == 0 and "running it with" not in result.stderr  # its own


async def test_found_by_name_a_parameter_folds_to_its_neuron():
    """On the lecture MLP: / finds a parameter (its last step is in the next layer, or in
    the loss), the panel under the cursor shows it whether or not the tree has room for
    it, and z folds the tree to its neuron, names written from there."""
    from onscreen import panel_text, screen_text

    from tui.app import ChainstepApp
    from tui.scripts import run_script

    app = ChainstepApp(run_script("lecture-mlp"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"layers[0].neurons[3].w[2]", "enter")
        await pilot.pause()
        assert "looking at n.layers[0].neurons[3].w[2]" in panel_text(app, "#inspector")
        await pilot.press("z")
        await pilot.pause()
        assert "╭─ n.layers[0].neurons[3] ─" in screen_text(app)
        tree = panel_text(app, "#tree")  # scrolled to the cursor, on .w[2]
        assert ".w[2]" in tree and "n.layers[0].neurons[3].w" not in tree
        assert app.query_one("GraphTree").root.label.plain == "n.layers[0].neurons[3]"
        assert "looking at n.layers[0].neurons[3].w[2]" in panel_text(app, "#inspector")


MAIN_MLP = f"""\
import random, sys
sys.path.insert(0, {str(LECTURE)!r})
from nn import MLP


def main():
    random.seed(7)
    model = MLP(3, [4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5]]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0]))
    loss.backward()


if __name__ == "__main__":
    main()
"""


def test_a_model_inside_main_is_named_from_the_function_that_called_backward(tmp_path):
    """`def main():` keeps the model in a local: the locals of the function that called
    backward() name it as globals would."""
    script = tmp_path / "main_mlp.py"
    script.write_text(MAIN_MLP)
    report = report_of(script)
    assert report["output"] == "loss" and len(report["grads"]) == 4 * 4 + 5
    assert "model.layers[1].neurons[0].w[3]" in report["grads"]
    assert_agree(report, capture(str(script)))


def test_a_model_no_name_reaches_is_named_from_the_objects_that_made_it(tmp_path):
    """Built in one function, used in another, dropped: each parameter is named from its
    neuron, which is named by its class and the order it was first met."""
    script = tmp_path / "helpers.py"
    script.write_text(
        f"import random, sys\nsys.path.insert(0, {str(LECTURE)!r})\nfrom nn import Neuron\n"
        "def build():\n    random.seed(1)\n    return [Neuron(2) for _ in range(2)]\n"
        "def loss_of(neurons):\n    return sum(n([0.5, -1.5]) for n in neurons) * 2\n"
        "loss = loss_of(build())\nloss.backward()\n"
    )
    report = report_of(script)
    assert sorted(report["grads"]) == sorted(
        f"Neuron#{n}.{p}" for n in (1, 2) for p in ("w[0]", "w[1]", "b")
    )
    assert_agree(report, capture(str(script)))


def test_a_value_class_with_slots(tmp_path):
    """__slots__ leaves no room for chainstep's marks: the graph is still read (operands
    ordered by depth), the parameters named from main()'s locals, the gradients agree."""
    script = tmp_path / "slots.py"
    engine_py = (LECTURE / "engine.py").read_text()
    assert "class Value:\n" in engine_py
    engine_py = engine_py.replace(
        "class Value:\n",
        "class Value:\n    __slots__ = ('data', 'grad', '_backward', '_prev', '_op', 'label')\n",
        1,
    )
    (tmp_path / "engine.py").write_text(engine_py)
    (tmp_path / "nn.py").write_text((LECTURE / "nn.py").read_text())
    script.write_text(MAIN_MLP.replace(f"sys.path.insert(0, {str(LECTURE)!r})\n", ""))
    report = report_of(script)
    assert len(report["grads"]) == 4 * 4 + 5
    assert_agree(report, capture(str(script)))


def test_an_object_whose_attributes_raise_does_not_break_the_script(tmp_path):
    """Finding which object made a Value asks that object for `_prev`: an object whose
    __getattr__ raises must not turn that question into the script's error."""
    script = lecture_script(
        tmp_path / "grumpy.py",
        "class Grumpy:\n"
        "    def __getattr__(self, name):\n"
        "        raise RuntimeError('no attribute lookups here')\n"
        "    def make(self, x):\n"
        "        return x * 3\n"
        "x = Value(1.5, label='x')\ny = Grumpy().make(x) * x\ny.backward()\n",
    )
    assert report_of(script)["grads"] == {"x": pytest.approx(2 * 3 * 1.5)}


def test_root_names_a_value_in_the_function_that_called_backward(tmp_path):
    """--root looks where the names come from: the globals, then the locals of the
    function that called backward() (as they were at that call)."""
    script = tmp_path / "main_mlp.py"
    script.write_text(MAIN_MLP)
    result = chainstep("grads", "--run", str(script), "--root", "loss", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["output"] == "loss"
    assert "--root loss" in result.stderr
