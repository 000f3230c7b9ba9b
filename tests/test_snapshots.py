"""What the screen looks like, as SVG snapshots (pytest-textual-snapshot).

Regenerate after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the new pictures before committing them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from engine.library import find
from tui.app import ChainstepApp
from tui.programs import Source

SEED_EXAMPLES = [
    "add-then-multiply",
    "chain",
    "two-paths",
    "micrograd-lecture",
    "circuit",
    "sigmoid-neuron",
    "polynomial",
    "with-respect-to",
    "two-terms",
]
SIZES = [(100, 30), (80, 24)]


def app_on(name: str) -> ChainstepApp:
    example = find(name)
    assert example is not None
    return ChainstepApp(Source(example.name, example.title, example.text))


async def steady(pilot: Pilot) -> None:
    """No animation, no blinking cursor: the same picture every run."""
    pilot.app.animation_level = "none"
    for area in pilot.app.query("TextArea"):
        area.cursor_blink = False
    await pilot.pause()


def at(where: str):
    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await steady(pilot)
        stepper = app.stepper
        targets = {
            "start": 0,
            "mid-backward": stepper.walk.seed_index + (stepper.walk.backward_count + 1) // 2,
            "end": stepper.last,
        }
        app.position = targets[where]
        await pilot.pause()

    return run_before


class TestSeedExamples:
    """Each seed example midway through the backward pass at 80x24 (the current node
    highlighted, its inputs marked, the step card showing local x upstream and the sum
    into each input); a few at the start and the end, at 100x30 and 120x36, where the
    source panel shows the current line and the table every input's gradient."""

    @pytest.mark.parametrize("example", SEED_EXAMPLES)
    def test_mid_backward_80x24(self, snap_compare, example):
        assert snap_compare(app_on(example), terminal_size=(80, 24), run_before=at("mid-backward"))

    @pytest.mark.parametrize(
        "size", [(80, 24), (100, 30), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}"
    )
    @pytest.mark.parametrize("where", ["start", "end"])
    @pytest.mark.parametrize("example", ["two-paths", "sigmoid-neuron"])
    def test_ends(self, snap_compare, example, where, size):
        assert snap_compare(app_on(example), terminal_size=size, run_before=at(where))


class TestScreens:
    def test_help(self, snap_compare):
        """The help screen lists every key with what it does, and what the colours mean."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("question_mark")

        assert snap_compare(app_on("chain"), terminal_size=(100, 36), run_before=run_before)

    def test_example_picker(self, snap_compare):
        """The picker lists every example with its title and what it teaches."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("o")

        assert snap_compare(app_on("chain"), terminal_size=(80, 24), run_before=run_before)

    def test_editor_showing_an_error(self, snap_compare):
        """The editor keeps the broken program and says where it is broken and why."""

        async def run_before(pilot: Pilot) -> None:
            await pilot.press("e")
            await steady(pilot)
            pilot.app.screen.query_one("#editor").text = "x = 3\ny = x * w\nL = y + 1\n"
            await pilot.press("ctrl+s")
            await pilot.pause()

        assert snap_compare(app_on("chain"), terminal_size=(80, 24), run_before=run_before)

    def test_inspector(self, snap_compare):
        """Moving the tree's cursor onto z (underlined) opens a panel on it, while the
        step (x, highlighted) stays where it was."""

        async def run_before(pilot: Pilot) -> None:
            await at("end")(pilot)
            await pilot.press("down", "down", "down", "down")
            await pilot.pause()

        assert snap_compare(app_on("two-paths"), terminal_size=(80, 24), run_before=run_before)

    def test_check_column(self, snap_compare):
        """At the end, c adds the numeric check beside each gradient, all ticked."""

        async def run_before(pilot: Pilot) -> None:
            await at("end")(pilot)
            await pilot.press("c")
            await pilot.pause()

        assert snap_compare(
            app_on("sigmoid-neuron"), terminal_size=(100, 30), run_before=run_before
        )

    def test_folded_to_a_neuron(self, snap_compare):
        """Two neurons in `# %%` sections (as `chainstep run` writes a script's graph):
        found by name (w1), z folds the tree to the neuron that made it, titled by it;
        the other neuron's output h0 is a line that does not open."""
        from test_sections import NETWORK

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("slash", "w", "1", "enter")
            await pilot.pause()
            await pilot.press("z")
            await pilot.pause()
            pilot.app.clear_notifications()  # its hint is tested on screen elsewhere
            await pilot.pause()

        app = ChainstepApp(Source("net.py", "two neurons", NETWORK))
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_dag_folded_to_a_neuron(self, snap_compare):
        """g after z: the neuron drawn alone, h0 (from the other neuron) at its left edge."""
        from test_sections import NETWORK

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("slash", "w", "1", "enter")
            await pilot.pause()
            await pilot.press("z", "g")
            await pilot.pause()
            pilot.app.clear_notifications()
            await pilot.pause()

        app = ChainstepApp(Source("net.py", "two neurons", NETWORK))
        assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)

    def test_small_terminal(self, snap_compare):
        """At 60x20, below the design size, the step card and the tree still read."""
        assert snap_compare(app_on("two-paths"), terminal_size=(60, 20), run_before=at("end"))


class TestDagView:
    """The graph in layers, inputs left and output right, each node once and written as
    the notes write it (name, data, grad); the step's nodes kept in view (Example 3: x
    once, with two outgoing edges, the constants 2 and 3, and the gradients 15, 7, 36)."""

    @pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
    @pytest.mark.parametrize("example", ["two-paths", "sigmoid-neuron", "micrograd-lecture"])
    def test_dag(self, snap_compare, example, size):
        async def run_before(pilot: Pilot) -> None:
            await pilot.press("g")
            await at("mid-backward")(pilot)

        assert snap_compare(app_on(example), terminal_size=size, run_before=run_before)


class TestQuiz:
    """The quiz in place of the step card: the step asked about, the question, and the
    verdict naming the slip (Example 3: 21 for x, forgetting the 15 via y); then the
    summary with the score and each mistake."""

    @staticmethod
    def quiz_app() -> ChainstepApp:
        example = find("two-paths")
        assert example is not None
        return ChainstepApp(Source.of(example), quiz=True)

    @staticmethod
    async def answer(pilot: Pilot, *answers: str) -> None:
        await steady(pilot)
        for index, text in enumerate(answers):
            if index:
                await pilot.press("enter")
            await pilot.press(*text, "enter")
        await pilot.pause()

    def test_forgot_to_accumulate(self, snap_compare):
        async def run_before(pilot: Pilot) -> None:
            await self.answer(pilot, "15", "7", "15", "21")

        assert snap_compare(self.quiz_app(), terminal_size=(80, 24), run_before=run_before)

    def test_asking_points_at_the_step_asked_about(self, snap_compare):
        """Question 3 waits: y = x + 2 highlighted in the tree and the table, the source
        pointing at its line, and x still without a gradient."""

        async def run_before(pilot: Pilot) -> None:
            await self.answer(pilot, "15", "7")
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(self.quiz_app(), terminal_size=(100, 30), run_before=run_before)

    def test_summary(self, snap_compare):
        async def run_before(pilot: Pilot) -> None:
            await self.answer(pilot, "15", "7", "1", "21")
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(self.quiz_app(), terminal_size=(100, 30), run_before=run_before)


class TestExperiments:
    def test_replay_with_equals(self, snap_compare):
        """Example 3 replayed with = : x keeps 21 (via z) instead of 36, in red, with why."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("w")
            await pilot.pause()

        assert snap_compare(app_on("two-paths"), terminal_size=(80, 24), run_before=run_before)

    def test_nudge(self, snap_compare):
        """x nudged by h = 0.001: predicted 36 × 0.001 = 0.036 beside the actual 0.036003."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("h", "plus")
            await pilot.pause()

        assert snap_compare(app_on("two-paths"), terminal_size=(80, 24), run_before=run_before)

    def test_gradient_step(self, snap_compare):
        """The sigmoid neuron's inputs each moved by -0.01 × grad; f falls from 0.731059."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("d")
            await pilot.pause()

        assert snap_compare(app_on("sigmoid-neuron"), terminal_size=(80, 24), run_before=run_before)
