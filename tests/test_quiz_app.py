"""The quiz as a learner meets it: typed answers, the named slip, the score, the summary."""

from __future__ import annotations

import re

from onscreen import panel_text, screen_text

from engine.library import find
from tui.app import ChainstepApp
from tui.programs import Source


def app_on(name: str) -> ChainstepApp:
    example = find(name)
    assert example is not None
    return ChainstepApp(Source.of(example))


def quiz_on(name: str, **options) -> ChainstepApp:
    example = find(name)
    assert example is not None
    return ChainstepApp(Source.of(example), quiz=True, **options)


async def answer(pilot, text: str) -> None:
    await pilot.press(*text, "enter")
    await pilot.pause()


def quiz_panel(app: ChainstepApp) -> str:
    return " ".join(panel_text(app, "#quiz").split())


async def test_asks_in_trace_order_and_hides_the_step_until_answered():
    app = quiz_on("two-paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "y.grad = ?" in quiz_panel(app)
        # the other panels show the state before the step: y has no gradient yet
        assert "grad 15" not in screen_text(app)
        await pilot.press("enter")  # an empty answer does nothing
        assert app.query_one("QuizPanel").index == 0 and "Right" not in quiz_panel(app)
        await answer(pilot, "15")
        assert "Right: y.grad = 15" in quiz_panel(app)
        assert "y.grad += 15: 0 -> 15" in quiz_panel(app)  # the step, revealed
        await pilot.press("enter")  # after a verdict, enter moves on
        assert "z.grad = ?" in quiz_panel(app)


async def test_the_slips_are_named_and_the_score_kept():
    """Two-paths asks y, z (via L), x (via y), x (via z): two right, two slips."""
    app = quiz_on("two-paths")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await answer(pilot, "15")  # y: right
        await pilot.press("enter")
        await answer(pilot, "7")  # z: right
        await pilot.press("enter")
        await answer(pilot, "1")  # x via y: d(x+2)/dx = 1, the local derivative alone
        assert "You forgot to multiply by the upstream gradient" in quiz_panel(app)
        assert "x.grad = 15" in quiz_panel(app)
        assert "quiz 2/3 right" in screen_text(app).splitlines()[0]
        await pilot.press("enter")
        await answer(pilot, "21")  # x via z: this path alone
        text = quiz_panel(app)
        assert "You forgot to accumulate" in text and "x.grad += 21: 15 -> 36" in text
        assert "quiz 2/4 right" in screen_text(app).splitlines()[0]
        await pilot.press("enter")
        summary = quiz_panel(app)
        assert "2/4 right" in summary
        assert "x.grad: you answered 1, it is 15 (forgot to multiply by the upstream" in summary
        assert "x.grad: you answered 21, it is 36 (forgot to accumulate)" in summary


async def test_a_long_verdict_scrolls_into_view():
    """A verdict longer than the panel scrolls it to its end: the sentence and the right
    number stay visible (a step with two edges answered before it, on a short terminal)."""
    program = "a = 3\nb = -2\nc = a * b\nd = c + a\nL = d * 2\n"
    app = ChainstepApp(Source("p.chain", "p.chain", program), quiz=True)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        await answer(pilot, "2")  # d
        await pilot.press("enter")
        await answer(pilot, "2")  # c
        await pilot.press("enter")
        await answer(pilot, "1")  # a via d: the local derivative alone
        await pilot.pause()
        assert "so a.grad = 2." in quiz_panel(app), screen_text(app)


async def test_the_sign_of_a_subtraction():
    """The sigmoid neuron's n = s * -1: both factors negative, so s's gradient is positive."""
    app = quiz_on("sigmoid-neuron")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        walk = app.walk
        # answer right up to the step through n = s * (-1), then give s the wrong sign
        panel = app.query_one("QuizPanel")
        while "s.grad = ?" not in quiz_panel(app):
            flow = panel.questions[panel.index].edge(walk)
            await answer(pilot, repr(flow.after))
            await pilot.press("enter")
        await answer(pilot, "-0.196612")
        text = quiz_panel(app)
        assert "You forgot the sign" in text
        assert "d(s*(-1))/ds = -1 and df/dn = -0.196612 are both negative" in text
        assert "so the product is positive (0.196612)" in text


async def test_the_local_derivative_first_option():
    app = quiz_on("two-paths", local_first=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "d(y*z)/dy = ?" in quiz_panel(app)
        await answer(pilot, "15")
        assert "Right: d(y*z)/dy = z = 15" in quiz_panel(app)
        assert "y.grad = ?" in quiz_panel(app)


async def test_the_quiz_key_and_escape():
    app = app_on("chain")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        assert app.has_class("-quiz") and "e.grad = ?" in quiz_panel(app)
        assert app.position == app.walk.seed_index  # the state before the first backward step
        await pilot.press("n")  # a letter is typed into the answer, not a step
        assert app.query_one("#quiz-answer").value == "n"
        await pilot.press("escape")
        assert not app.has_class("-quiz")
        await pilot.press("n")
        assert app.position == app.walk.seed_index + 1  # stepping works again


async def test_the_replay_with_equals_shows_x_21_against_36():
    app = app_on("two-paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = screen_text(app)
        assert re.search(r"x\s+36\s+21\s+2 paths add up to 36; with = only the last", screen), (
            screen
        )
        assert re.search(r"y\s+15\s+15\s+the same: one path", screen)
        await pilot.press("escape")
        assert "with +=" not in screen_text(app)


async def test_nudging_x_by_a_thousandth_predicts_0_036_and_shows_the_actual_change():
    app = app_on("two-paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "plus")
        await pilot.pause()
        screen = " ".join(screen_text(app).split())
        assert "x: 5 -> 5.001 (by 0.001)" in screen, screen
        assert "dL/dx × 0.001 = 36 × 0.001 = 0.036" in screen
        assert "L 105 -> 105.036, a change of 0.036003" in screen
        await pilot.press("left_square_bracket")  # h = 0.0001: one more nudge adds it
        await pilot.press("plus")
        await pilot.pause()
        assert "x: 5 -> 5.0011 (by 0.0011)" in " ".join(screen_text(app).split())


async def test_a_gradient_step_lowers_the_output_and_stepping_goes_on_from_there():
    app = app_on("two-paths")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        screen = " ".join(screen_text(app).split())
        assert "x 5 36 -0.36 4.64" in screen and "L: 105 -> 92.4288 (lower)" in screen, screen
        await pilot.press("enter")
        await pilot.pause()
        assert app.walk.graph.values[app.walk.graph.output] < 105
        assert "after 1 gradient step" in screen_text(app).splitlines()[0]
        await pilot.press("end")
        await pilot.pause()
        table = panel_text(app, "#table")
        assert re.search(r"(?m)^ x\s+4\.64\s+33\.84", table), table  # L = 3x^2 + 6x: dL/dx = 6x + 6
        assert re.search(r"(?m)^ L\s+92\.4288\s+1", table), table


async def test_find_a_node_by_name_and_jump_to_its_step():
    """`/`, part of a name, enter: the step that finishes its gradient, and the inspector
    on it (the lecture's neuron: w1 gets 1 via x1*w1)."""
    app = app_on("lecture-neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "w", "1")
        await pilot.pause()
        await pilot.pause()
        assert "3 nodes" in screen_text(app)  # w1, x1*w1, x1*w1 + x2*w2
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        w1 = next(node.id for node in app.walk.nodes if node.label == "w1")
        assert app.position == app.walk.final_at[w1]
        assert "w1.grad += 1: 0 -> 1" in " ".join(panel_text(app, "#card-scroll").split())
        assert "looking at w1" in panel_text(app, "#inspector")


async def test_the_panels_point_at_the_step_asked_about_not_the_one_before():
    """While a question waits, the state is the one before its step (no gradient given
    away), but the source pointer (and the highlight) are on the step asked about: here
    `y = x + 2`, not `L = y * z`, whose step came before. Escape points back."""
    app = quiz_on("two-paths")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for given in ("15", "7"):  # y.grad and z.grad, from L's step
            await answer(pilot, given)
            await answer(pilot, "")  # enter: the next question
        assert "backward through y = x + 2" in quiz_panel(app)
        assert "x.grad = ?" in quiz_panel(app)
        source = panel_text(app, "#source")
        assert "❱ 4 y = x + 2" in source and "❱ 6" not in source
        x_row = next(r for r in panel_text(app, "#table").splitlines() if r.split()[:1] == ["x"])
        assert x_row.split() == ["x", "5"]  # its value; its gradient not given away yet
        await pilot.press("escape")
        await pilot.pause()
        assert "❱ 6 L = y * z" in panel_text(app, "#source")  # the step shown: L's
