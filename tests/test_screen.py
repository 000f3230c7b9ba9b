"""The screen as a learner reads it, at 80x24, 100x30 and 120x36.

Every assertion reads the rendered cells (``onscreen``), not widget state: a panel that
is hidden, clipped or scrolled off fails here as it would fail a person. The numbers
allowed on screen are the ones ``chainstep trace`` prints for the same program, so a
number cut short (``0.19661`` for ``0.196612``, ``10`` for ``105``) is caught.
"""

from __future__ import annotations

import re

import pytest
from onscreen import numbers_in, panel_text, screen_text

from engine import BackwardStep, Kind, walkthrough
from engine.library import find
from engine.numbers import fmt
from tui.app import ChainstepApp
from tui.programs import Source
from tui.report import trace

SIZES = [(80, 24), (100, 30), (120, 36)]
NUMBER_PANELS = ("#tree", "#dag", "#card-scroll", "#inspector", "#table")

AWKWARD = """\
learning_rate = 0.000012345
weight = -123456.789
bias = 3
scaled = learning_rate * weight
shifted = scaled + bias
squashed = tanh(shifted)
loss = squashed * squashed + weight * 0.0001
"""
"""Not an example: long names, tiny and large numbers, e-notation, a reused node."""

DEEP = """\
a = 1.5
b = -2.25
c = a * b
d = c + a
e = d * d
f = e - b
g = exp(f / 10)
h = g * c + a
L = h * 0.5
"""
"""Not an example either: a chain deep enough that the tree must shorten its labels."""

PROGRAMS = {
    "two-paths": None,
    "sigmoid-neuron": None,
    "micrograd-lecture": None,
    "two-terms": None,
    "awkward": AWKWARD,
    "deep": DEEP,
}


def source_of(name: str) -> Source:
    text = PROGRAMS.get(name)
    if text is None:
        example = find(name)
        assert example is not None
        return Source.of(example)
    return Source(f"{name}.chain", f"{name}.chain", text)


def trace_numbers(text: str) -> set[str]:
    """Every number as `chainstep trace` prints it for this program."""
    walk = walkthrough(text)
    return {n for line in trace(walk, "") for n in numbers_in(line.plain)}


async def settle(pilot) -> None:
    pilot.app.animation_level = "none"
    await pilot.pause()
    await pilot.pause()


def cut_numbers(app: ChainstepApp, allowed: set[str]) -> dict[str, list[str]]:
    """Numbers shown in the graph, card, inspector and table that trace never prints."""
    found = {}
    for panel in NUMBER_PANELS:
        strange = [n for n in numbers_in(panel_text(app, panel)) if n not in allowed]
        if strange:
            found[panel] = strange
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", PROGRAMS)
async def test_every_number_on_screen_is_whole(name, size):
    """At the start, midway, at the end and in the DAG view, each number in a panel is
    one that trace prints: nothing is cut mid-digit."""
    source = source_of(name)
    allowed = trace_numbers(source.text)
    app = ChainstepApp(source)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        walk = app.stepper.walk
        middle = walk.seed_index + (walk.backward_count + 1) // 2
        for position in (0, walk.seed_index, middle, app.stepper.last):
            app.position = position
            await settle(pilot)
            assert cut_numbers(app, allowed) == {}, (position, screen_text(app))
        await pilot.press("g")
        for position in (middle, app.stepper.last):
            app.position = position
            await settle(pilot)
            assert cut_numbers(app, allowed) == {}, ("dag", position, screen_text(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", PROGRAMS)
async def test_after_end_the_last_step_and_the_inputs_are_on_screen(name, size):
    """After End, the accumulation lines of the last step are on screen with their
    numbers; from 100x30, every input's final gradient is in the table, in its row."""
    source = source_of(name)
    app = ChainstepApp(source)
    async with app.run_test(size=size) as pilot:
        await pilot.press("end")
        await settle(pilot)
        walk = app.stepper.walk
        last = walk.steps[-1]
        assert isinstance(last, BackwardStep)
        screen = screen_text(app)
        card = " ".join(panel_text(app, "#card-scroll").split())
        for flow in last.flows:
            label = walk.nodes[flow.source].label
            assert f"{label}.grad += {fmt(flow.product)}:" in card, screen
            assert f"-> {fmt(flow.after)}" in card, screen
        assert "backward pass complete" in screen
        if size < (100, 30):
            return
        table = panel_text(app, "#table")
        for node in walk.nodes:
            if node.kind is Kind.INPUT:
                name, grad = re.escape(node.label[:13]), re.escape(fmt(walk.grads[node.id]))
                row = rf"(?m)^ {name}\S*\s.*\s{grad}(\s|$)"
                assert re.search(row, table), (node.label, table)


@pytest.mark.parametrize("size", [(100, 30), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_source_line_of_each_step_is_on_screen(size):
    """From 100x30, stepping through each node shows its statement, marked, with its
    line number, in the source panel."""
    example = find("sigmoid-neuron")
    assert example is not None
    lines = example.text.splitlines()
    app = ChainstepApp(Source.of(example))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        walk = app.stepper.walk
        for index in range(walk.seed_index + 1, app.stepper.last + 1):
            app.position = index
            await settle(pilot)
            node = walk.nodes[walk.steps[index].node]
            number = walk.graph.program.statements[node.statement].line
            source = panel_text(app, "#source")
            marked = [line for line in source.splitlines() if "❱" in line]
            assert len(marked) == 1, source
            assert re.search(rf"❱\s+{number} {re.escape(lines[number - 1])}", marked[0]), source


async def test_the_source_panel_folds_away_below_28_lines():
    app = ChainstepApp(Source.of(find("chain")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert panel_text(app, "#source") == ""
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "❱" in panel_text(app, "#source")


async def test_help_and_quit_stay_in_the_footer_at_80_columns():
    app = ChainstepApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer, footer


async def test_the_inspector_shows_the_node_under_the_cursor():
    """Moving the tree's cursor, as a learner does with the arrow keys, opens a panel on
    that node; stepping closes it."""
    app = ChainstepApp(Source.of(find("two-paths")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        await settle(pilot)
        assert panel_text(app, "#inspector") == ""
        await pilot.press("down", "down", "down", "down")  # L, y, x, 2, then z
        await settle(pilot)
        inspector = panel_text(app, "#inspector")
        assert "z = x * 3" in inspector and "grad 7" in inspector, screen_text(app)
        assert "d(x*3)/dx = 3" in inspector
        assert app.position == app.stepper.last  # looking is not stepping
        await pilot.press("left")
        await settle(pilot)
        assert panel_text(app, "#inspector") == ""


async def test_a_broken_program_keeps_its_text_through_escape():
    """Opening a program with an error shows it in the editor; escape goes back to the
    default example, says so, and `e` brings the broken text back, every character."""
    broken = "x = 3\ny = x * w\nL = y + 1\n"
    app = ChainstepApp(Source("mine.chain", "mine.chain", broken))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "line 2, column 9" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "mine.chain has an error" in top, top
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("TextArea").text == broken
        assert "line 2, column 9" in screen_text(app)  # and what is wrong with it, again
        await pilot.press("escape", "e")
        await settle(pilot)
        assert app.screen.query_one("TextArea").text == broken


async def test_the_check_column_is_as_wide_as_its_verdicts():
    """The finite difference at relu's kink (1.5) is wider than the gradient beside it (0
    through relu): the column fits the verdict, kink note and all, at 80x24."""
    program = "x = 0\ny = relu(x) * 3\nz = x * 0.0000001234567\nL = y + z\n"
    app = ChainstepApp(Source("kink.chain", "kink.chain", program))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "c")
        await settle(pilot)
        table = panel_text(app, "#table")
        assert re.search(r"(?m)^ x\s+0\s+1\.23457e-07\s+✗ 1\.5 \(kink\)", table), table


async def test_a_step_redraws_what_a_full_redraw_would():
    """A one-step move redraws only the lines of the two steps' nodes: forward and back
    through every step, the tree and table must read as they do when drawn whole."""
    app = ChainstepApp(source_of("sigmoid-neuron"))
    async with app.run_test(size=(80, 24)) as pilot:

        def panels() -> tuple[str, str]:
            return panel_text(app, "#tree"), panel_text(app, "#table")

        for key in ["right"] * app.stepper.last + ["left"] * app.stepper.last:
            await pilot.press(key)
            await settle(pilot)
            stepped = panels()
            app.query_one("#tree").show(None)
            app.query_one("#table").show(None)
            await settle(pilot)
            assert stepped == panels(), (key, app.position)


async def test_z_folds_the_tree_to_a_neuron_then_its_layer_then_all():
    """A program in `# %%` sections (what `chainstep run` writes for each neuron): with
    the cursor on w1, z shows only the neuron that made it, from its output down, the
    other neuron's output a line that does not open; z again, the whole network; z
    again, the whole graph. Names inside the fold are written from it."""
    from test_sections import NETWORK

    app = ChainstepApp(Source("net.py", "two neurons", NETWORK))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert "z folds the tree to the neuron" in screen_text(app)  # said on opening
        app.clear_notifications()
        await pilot.press("slash", "w", "1", "enter")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        screen = screen_text(app)
        tree = panel_text(app, "#tree")
        assert "╭─ net.neurons[1] ─" in screen
        lines = [line.strip(" │├└▼") for line in tree.splitlines() if line.strip()]
        assert lines[0] == "net.neurons[1]" and lines[1].startswith("h1")
        assert any(line.startswith("w1") for line in lines)
        assert any(line.startswith("h0") for line in lines)  # from the other neuron...
        assert not any(line.startswith(("w0", "b0", "L")) for line in lines)  # ...unopened
        assert "The tree shows net.neurons[1]" in screen and "z widens it to net" in screen
        assert "looking at w1" in panel_text(app, "#inspector")  # the cursor stayed on w1
        await pilot.press("z")
        await settle(pilot)
        tree = panel_text(app, "#tree")
        assert "╭─ net ─" in screen_text(app) and "w0" in tree and "L" not in tree.split()
        await pilot.press("z")
        await settle(pilot)
        assert "╭─ graph: output at the top ─" in screen_text(app)
        assert panel_text(app, "#tree").split()[0] == "▼" and " L" in panel_text(app, "#tree")
        await pilot.press("z", "Z")  # Z: the whole graph at once
        await settle(pilot)
        assert app.fold is None and "╭─ graph: output at the top ─" in screen_text(app)


async def test_z_says_when_there_is_nothing_to_fold():
    app = ChainstepApp(Source.of(find("two-paths")))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert "Nothing to fold" in screen_text(app) and "chainstep run" in screen_text(app)
        assert app.fold is None


WIDE = (
    "# %% net.neurons[0]\nw = 0.5\nh = w * 3\n# %%\nc = w * 2\n"
    "x = 1.5\na1 = x + x\n"
    + "".join(f"a{i} = a{i - 1} + a{i - 1}\n" for i in range(2, 13))
    + "L = h + c + a12\n"
)
"""A neuron whose weight the tree has no room for (a12 alone has 4096 paths), and whose
gradient is finished by a line at the top level, outside the neuron."""


async def test_a_node_found_where_the_tree_has_no_room_folds_to_its_neuron():
    app = ChainstepApp(Source("wide.py", "wide", WIDE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        w = next(node.id for node in app.walk.nodes if node.label == "w")
        assert not app.query_one("GraphTree").appearances(w)  # past the tree's budget
        last = app.walk.steps[app.walk.final_at[w]]  # the step that finishes w's gradient
        assert app.walk.nodes[last.node].label == "c"
        await pilot.press("slash", "w", "enter")
        await settle(pilot)
        assert "looking at w" in panel_text(app, "#inspector")
        await pilot.press("z")
        await settle(pilot)
        assert app.fold == "net.neurons[0]" and "╭─ net.neurons[0] ─" in screen_text(app)
        assert "├ w  data 0.5  grad 5 ✓" in panel_text(app, "#tree")  # 3 via h + 2 via c


async def test_the_dag_folds_with_the_tree():
    """g after z draws the neuron alone, with what flows into it (h0, from the other
    neuron) at its left edge; Z draws the whole graph again. (Wide enough for the
    neuron's four layers side by side.)"""
    from test_sections import NETWORK

    app = ChainstepApp(Source("net.py", "two neurons", NETWORK))
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "w", "1", "enter")
        await settle(pilot)
        await pilot.press("z", "g")
        await settle(pilot)
        dag = panel_text(app, "#dag")
        assert "╭─ net.neurons[1] ─" in screen_text(app)
        assert "h0 (tanh)" in dag and "h1 (tanh)" in dag and "w1" in dag and "b1" in dag
        assert "w0" not in dag and "b0" not in dag and "L (" not in dag
        await pilot.press("Z", *["shift+left"] * 4)  # pan to the drawing's left edge
        await settle(pilot)
        assert "╭─ graph: inputs left, output right ─" in screen_text(app)
        assert "w0" in panel_text(app, "#dag")
