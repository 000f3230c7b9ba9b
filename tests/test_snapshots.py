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
    """Each seed example at the start (first forward step), midway through the backward pass
    (the current node highlighted, its inputs marked, the step card showing local x upstream)
    and at the end (every gradient final, ticked)."""

    @pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
    @pytest.mark.parametrize("where", ["start", "mid-backward", "end"])
    @pytest.mark.parametrize("example", SEED_EXAMPLES)
    def test_example(self, snap_compare, example, where, size):
        assert snap_compare(app_on(example), terminal_size=size, run_before=at(where))


class TestScreens:
    def test_help(self, snap_compare):
        """The help screen lists every key with what it does."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("question_mark")

        assert snap_compare(app_on("chain"), terminal_size=(100, 30), run_before=run_before)

    def test_example_picker(self, snap_compare):
        """The picker lists every example with its title and what it teaches."""

        async def run_before(pilot: Pilot) -> None:
            await steady(pilot)
            await pilot.press("o")

        assert snap_compare(app_on("chain"), terminal_size=(100, 30), run_before=run_before)

    def test_editor_showing_an_error(self, snap_compare):
        """The editor keeps the broken program and says where it is broken and why."""

        async def run_before(pilot: Pilot) -> None:
            await pilot.press("e")
            await steady(pilot)
            pilot.app.screen.query_one("#editor").text = "x = 3\ny = x * w\nL = y + 1\n"
            await pilot.press("ctrl+s")
            await pilot.pause()

        assert snap_compare(app_on("chain"), terminal_size=(100, 30), run_before=run_before)

    def test_small_terminal(self, snap_compare):
        """At 60x20 the panels shrink but the step card and the tree still read."""
        assert snap_compare(app_on("two-paths"), terminal_size=(60, 20), run_before=at("end"))


class TestDagView:
    """The graph in layers, inputs left and output right, each node once; at the end of the
    backward pass every gradient is shown (Example 3: x once, with two outgoing edges,
    the constants 2 and 3, and the gradients 15, 7, 36)."""

    @pytest.mark.parametrize("example", SEED_EXAMPLES)
    def test_dag(self, snap_compare, example):
        async def run_before(pilot: Pilot) -> None:
            await pilot.press("g")
            await at("end")(pilot)

        assert snap_compare(app_on(example), terminal_size=(130, 30), run_before=run_before)
