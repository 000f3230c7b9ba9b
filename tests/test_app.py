"""The app under the keyboard: every key, both ends of the step list, shared nodes."""

from __future__ import annotations

import pytest
from onscreen import panel_text, screen_text
from rich.style import Style
from rich.text import Text

from engine.library import find
from tui.app import ChainstepApp
from tui.programs import Source
from tui.screens.editor_screen import EditorScreen
from tui.screens.examples_screen import ExamplesScreen
from tui.screens.help_screen import HelpScreen
from tui.widgets.graph_tree import GraphTree
from tui.widgets.node_inspector import NodeInspector
from tui.widgets.node_table import NodeTable
from tui.widgets.step_card import StepCard

SIZE = (100, 30)


def app_on(name: str) -> ChainstepApp:
    example = find(name)
    assert example is not None
    return ChainstepApp(Source(example.name, example.title, example.text))


def plain(widget) -> str:
    """What a static widget shows, as plain text."""
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(widget.content)
    return console.export_text()


async def test_opens_on_example_2_of_seed_000():
    app = ChainstepApp()
    async with app.run_test(size=SIZE):
        assert app.source.where == "chain"
        assert app.position == 0
        assert "c = a * b = 2 * 3 = 6" in plain(app.query_one(StepCard))


@pytest.mark.parametrize("keys", [["right"], ["n"], ["space"]])
async def test_next_keys(keys):
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        assert app.position == 1
        assert "e = c + d = 6 + 4 = 10" in plain(app.query_one(StepCard))


@pytest.mark.parametrize("key", ["left", "p"])
async def test_back_keys(key):
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        app.position = 5
        await pilot.press(key)
        assert app.position == 4


async def test_home_end_and_backward_jump():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert app.position == app.stepper.last == 6
        assert "backward pass complete" in screen_text(app)
        await pilot.press("home")
        assert app.position == 0
        await pilot.press("b")
        assert app.position == app.walk.seed_index
        assert "dL/dL = 1" in plain(app.query_one(StepCard))


async def test_stepping_past_either_end_changes_nothing():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left", "p")
        assert app.position == 0
        await pilot.press("end")
        before = plain(app.query_one(StepCard))
        table = panel_text(app, "#table")
        await pilot.press("right", "space")
        assert app.position == 6
        assert plain(app.query_one(StepCard)) == before
        assert panel_text(app, "#table") == table


async def test_step_card_shows_accumulation_over_two_paths():
    app = app_on("two-paths")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        card = plain(app.query_one(StepCard))
        assert "d(x*3)/dx = 3  ×  upstream 7  =  21" in card
        assert "x.grad += 21:  15 -> 36  = 15 (via y) + 21 (via z)" in card


async def test_shared_node_highlights_in_both_places():
    app = app_on("two-paths")
    async with app.run_test(size=SIZE) as pilot:
        tree = app.query_one(GraphTree)
        x = next(node.id for node in app.walk.nodes if node.label == "x")
        appearances = tree.appearances(x)
        assert len(appearances) == 2

        def drawn() -> list[Text]:
            return [tree.render_label(a, Style(), Style()) for a in appearances]

        await pilot.press("end")  # z's step feeds x
        labels = drawn()
        assert labels[0].plain == labels[1].plain == "x  data 5  grad 36 ✓"
        assert panel_text(app, "#tree").count("x  data 5  grad 36 ✓") == 2
        assert labels[0].spans == labels[1].spans
        feeds = tree.get_component_rich_style("node--feeds")
        assert any(span.style == feeds for span in labels[0].spans)
        await pilot.press("home")
        labels = drawn()
        assert labels[0].plain == labels[1].plain == "x  data 5"
        assert not any(span.style == feeds for span in labels[0].spans)
        assert "grad" not in panel_text(app, "#tree")


async def test_inspecting_a_node_does_not_move_the_step():
    app = app_on("two-paths")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        tree = app.query_one(GraphTree)
        tree.focus()
        z = next(node.id for node in app.walk.nodes if node.label == "z")
        tree.move_cursor(tree.appearances(z)[0])
        await pilot.pause()
        assert app.position == app.stepper.last
        inspector = plain(app.query_one(NodeInspector))
        assert "z = x * 3" in inspector and "grad 7" in inspector
        assert "d(x*3)/dx = 3" in inspector


async def test_autoplay_steps_and_pauses(monkeypatch):
    monkeypatch.setattr("tui.app.AUTOPLAY_SECONDS", 0.2)
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert app.playing
        await pilot.pause(1.8)
        assert app.position == app.stepper.last  # ran to the end
        assert not app.playing  # and stopped there
        await pilot.press("a")  # at the end, play starts over
        assert app.playing and app.position == 0
        await pilot.press("a")
        assert not app.playing
        position = app.position
        await pilot.pause(0.5)
        assert app.position == position  # paused means paused


async def test_example_picker_loads_the_chosen_example():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ExamplesScreen)
        await pilot.press("down", "enter")  # chain is highlighted; the next is two-paths
        assert app.source.where == "two-paths"
        assert app.position == 0
        assert "y = x + 2 = 5 + 2 = 7" in plain(app.query_one(StepCard))


async def test_editor_keeps_invalid_text_and_loads_a_valid_program():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        area = editor.query_one("#editor")
        area.text = ""
        # keys that step the main screen must type here
        await pilot.press(*"x = 3", "enter", *"y = x * w", "enter", "left", "right")
        assert app.position == 0
        await pilot.press("ctrl+s")
        assert app.screen is editor  # still editing
        assert area.text == "x = 3\ny = x * w\n"  # nothing lost
        status = plain(editor.query_one("#editor-status"))
        assert "line 2, column 9: undefined name w" in status
        assert area.cursor_location == (1, 8)
        area.text = "x = 3\ny = x * x\n"
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, EditorScreen)
        assert app.walk.grads[0] == 6
        assert app.source.text == "x = 3\ny = x * x\n"


async def test_escape_leaves_the_editor_without_changing_the_program():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "x", "escape")
        assert not isinstance(app.screen, EditorScreen)
        assert app.source.where == "chain" and app.source.text == find("chain").text


async def test_open_with_an_invalid_program_starts_in_the_editor():
    app = ChainstepApp(Source("bad.chain", "bad.chain", "a = 2\nb = a +\n"))
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#editor").text == "a = 2\nb = a +\n"
        assert "line 2" in plain(app.screen.query_one("#editor-status"))


async def test_check_column_appears_at_the_end():
    app = app_on("sigmoid-neuron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        table = app.query_one(NodeTable)
        assert "check" in table.columns
        await pilot.press("end")
        w0 = next(node.id for node in app.walk.nodes if node.label == "w0")
        w0_row = table.row_nodes.index(w0)
        assert table.row_text(w0_row).plain.endswith(" ✓ -0.196612 ")
        assert "✓ -0.196612" in panel_text(app, "#table")
        checks = app._checks
        await pilot.press("left")  # off the end, the check waits for the end again
        assert "✓" not in table.row_text(w0_row).plain
        await pilot.press("right")
        assert table.row_text(w0_row).plain.endswith(" ✓ -0.196612 ")
        assert app._checks is checks  # computed once per program
        await pilot.press("c")
        assert "check" not in table.columns


async def test_help_lists_every_binding_and_closes():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = plain(app.screen.query_one("#help-keys"))
        for description in ("Next", "Back", "Backward", "Play", "Examples", "Edit", "Check"):
            assert description in keys
        await pilot.press("right", "n", "end")  # keys meant for the main screen do nothing here
        assert app.position == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_quit():
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert not app.is_running


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_small_terminals_still_step(size):
    app = app_on("sigmoid-neuron")
    async with app.run_test(size=size) as pilot:
        await pilot.press("end", "left")
        assert app.position == app.stepper.last - 1
        await pilot.resize_terminal(100, 30)
        await pilot.press("right")
        assert app.stepper.at_end


async def test_graph_key_draws_each_node_once():
    app = app_on("two-paths")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("g", "end")
        assert app.has_class("-dag")
        await pilot.pause()
        drawing = panel_text(app, "#dag")
        # each node once, written as the notes' diagrams write it: name, data, grad
        assert drawing.count("x ") == 1 and drawing.count("data 5 ") == 1
        assert "grad 36 ✓" in drawing
        assert "2─" in drawing and "3─" in drawing
        assert "y (+)" in drawing and "data 7" in drawing and "grad 15 ✓" in drawing
        assert "z (×)" in drawing and "data 15" in drawing and "grad 7 ✓" in drawing
        await pilot.press("g")
        assert not app.has_class("-dag")


async def test_export_key_writes_files_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_on("two-paths")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "x")
        names = sorted(path.name for path in tmp_path.iterdir())
        assert names == [f"chainstep-two-paths-step7.{s}" for s in ("dot", "json", "md", "mmd")]
        assert "15 (via y) + 21 (via z)" in (tmp_path / "chainstep-two-paths-step7.md").read_text()


async def test_keys_during_autoplay(monkeypatch):
    """Stepping keys move the step while playing; opening a screen pauses the play."""
    monkeypatch.setattr("tui.app.AUTOPLAY_SECONDS", 5)
    app = app_on("chain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "right", "right", "left")
        assert app.playing and app.position == 1
        await pilot.press("o")
        assert not app.playing and isinstance(app.screen, ExamplesScreen)
        await pilot.press("escape")
        assert app.position == 1 and app.source.where == "chain"


async def test_a_large_program_lists_every_node():
    text = "x0 = 1\n" + "".join(f"x{i + 1} = x{i} * 1.0001 + 0.5\n" for i in range(2_000))
    app = ChainstepApp(Source("big", "big", text))
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(NodeTable)
        assert len(table.row_nodes) == 4_001  # x0, then each line's * and +
        await pilot.press("end", "left")
        assert app.position == app.stepper.last - 1
        await pilot.pause()
        # the current step's node is the output's operand x2000: its row is in view
        assert table.row_text(table.row_nodes.index(app.stepper.current.node)).plain.split()[0] in (
            panel_text(app, "#table")
        )


async def test_a_long_program_is_read_in_the_background():
    text = "x0 = 1\n" + "".join(f"x{i + 1} = x{i} + 1\n" for i in range(6_000))
    app = ChainstepApp(Source("long", "long", text))
    async with app.run_test(size=SIZE) as pilot:
        app.action_step(1)  # before the program is read: nothing to step, no harm done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.walk is not None
        await pilot.press("end")
        assert app.stepper.at_end and app.walk.grads[0] == 1
