"""The stepper app: compose the panels, bind the keys, and route one reactive step index to them."""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer

from engine import ProgramError, Stepper, Walkthrough, walkthrough
from engine.gradcheck import BUDGET, Check, check_cost, check_gradients
from engine.library import DEFAULT, Example, find
from engine.numbers import fmt
from engine.sections import MARKER, Sections, levels, sections
from engine.stepper import nodes_of
from tui.messages import NodeInspected, QuizMoved
from tui.programs import Source
from tui.widgets.dag_view import DagView
from tui.widgets.graph_tree import Fold, GraphTree
from tui.widgets.node_inspector import NodeInspector
from tui.widgets.node_label import node_styles
from tui.widgets.node_table import NodeTable
from tui.widgets.quiz_panel import QuizPanel
from tui.widgets.source_view import SourceView
from tui.widgets.step_card import StepCard
from tui.widgets.top_bar import TopBar

WidgetType = TypeVar("WidgetType", bound=Widget)

AUTOPLAY_SECONDS = 0.8
TREE_TITLE = "graph: output at the top"
DAG_TITLE = "graph: inputs left, output right"
BACKGROUND_LINES = 5_000
"""Programs longer than this are analysed in a worker thread, with a message meanwhile."""


class ChainstepApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "chainstep"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n,space", "step(1)", "Next", priority=True),
        Binding("left,p", "step(-1)", "Back", priority=True),
        Binding("home", "jump('start')", "Start", priority=True, show=False),
        Binding("end", "jump('end')", "End", priority=True, show=False),
        Binding("b", "jump('backward')", "Backward", show=False),
        Binding("a", "autoplay", "Play"),
        Binding("o", "examples", "Examples"),
        Binding("e", "edit", "Edit"),
        Binding("c", "toggle_check", "Check", show=False),
        Binding("g", "toggle_dag", "DAG"),
        Binding("x", "export", "Export", show=False),
        Binding("shift+left", "pan(-8, 0)", "Pan the DAG view", show=False),
        Binding("shift+right", "pan(8, 0)", "Pan the DAG view", show=False),
        Binding("shift+up", "pan(0, -4)", "Pan the DAG view", show=False),
        Binding("shift+down", "pan(0, 4)", "Pan the DAG view", show=False),
        Binding("t", "quiz", "Quiz"),
        Binding("w", "replay", "Replay with = instead of +=", show=False),
        Binding("h", "nudge", "Nudge an input", show=False),
        Binding("slash", "find", "Find a node by name", show=False),
        Binding("z", "fold", "Fold the tree to a neuron, then its layer, then all", show=False),
        Binding("Z", "unfold", "Unfold the tree: the whole graph", show=False),
        Binding("d", "descend", "A gradient step", show=False),
        Binding("escape", "leave_quiz", "Leave the quiz"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    # `var`, not `reactive`: the watchers update the panels that change, where a reactive
    # on the App would also repaint the whole screen on every step.
    position: var[int] = var(0, always_update=True, init=False)
    """The index of the current step: every panel follows it."""
    playing: var[bool] = var(False, init=False)
    show_check: var[bool] = var(False, init=False)
    inspected: var[int | None] = var(None, init=False)
    dag: var[bool] = var(False, init=False)
    """Whether the left panel draws the graph in layers (DAG) instead of the tree."""
    fold: var[str | None] = var(None, init=False)
    """The group the tree is folded to (``model.layers[0].neurons[3]``), or ``None``."""

    TALL = 28
    """From this many lines the source panel shows (the card has the formula below it)."""

    QUIZ_ACTIONS = frozenset({"quit", "help", "toggle_dag", "pan", "quiz", "leave_quiz"})
    """What the keys still do while the quiz asks: the quiz moves the steps itself, and
    the other keys' letters are typed into the answer."""

    def __init__(
        self,
        source: Source | None = None,
        *,
        quiz: bool = False,
        local_first: bool = False,
        served: bool = False,
    ) -> None:
        super().__init__()
        self.served = served
        """In a browser through ``chainstep serve``: exports are downloads."""
        self.quiz_on_open = quiz
        self.local_first = local_first
        self.theme = "textual-dark"
        self.source = source or _default_source()
        self.walk: Walkthrough | None = None
        self.stepper: Stepper | None = None
        self._timer: Timer | None = None
        self._checks: list[Check] | None = None
        """The numeric check of the loaded program, made the first time it is shown."""
        self._checkable = False
        """Whether that check is cheap enough to run here (``engine.gradcheck.BUDGET``)."""
        self.draft: str | None = None
        """Editor text the learner left without running (it had an error, or they pressed
        escape): the next ``e`` opens it again, so nothing typed is lost."""
        self._instead_of: str | None = None
        """The program that could not be shown, when its text opened in the editor."""
        self._descents = 0
        """Gradient steps taken since the program was loaded (its inputs have moved)."""
        self._drawn: Stepper | None = None
        """The stepper the panels last showed a step of."""
        self._sections: Sections | None = None
        """The loaded program's ``# %%`` sections, read on the first fold."""

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield _titled(GraphTree(id="tree"), TREE_TITLE)
                yield _titled(DagView(id="dag"), DAG_TITLE)
                yield _titled(SourceView(id="source"), "source")
            with Vertical(id="right"):
                with _titled(VerticalScroll(id="card-scroll"), "this step"):
                    yield StepCard(id="card")
                yield _titled(QuizPanel(id="quiz"), "quiz: your turn")
                yield _titled(NodeInspector(id="inspector"), "under the cursor")
                yield _titled(NodeTable(id="table"), "inputs, then operations")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self, event: events.Resize) -> None:
        """Tall terminals show the source panel (the stylesheet keys it on this class)."""
        self.set_class(event.size.height >= self.TALL, "-tall")

    def on_mount(self) -> None:
        lines = self.source.text.count("\n")
        if lines <= BACKGROUND_LINES:
            self._opened(self.source, *_analyse(self.source))
            return
        self.query_one(TopBar).status = f"reading {lines:,} lines…"
        self._analyse_in_background(self.source)

    @work(thread=True, exclusive=True)
    def _analyse_in_background(self, source: Source) -> None:
        """A long program takes seconds to analyse: the screen stays alive meanwhile."""
        self.call_from_thread(self._opened, source, *_analyse(source))

    def _opened(self, source: Source, walk: Walkthrough | None, error: ProgramError | None) -> None:
        if walk is not None:
            self.load(source, walk)
            if MARKER in source.text:  # a script's graph: say how to see one neuron
                self.notify(
                    "z folds the tree to the neuron that made the node under the cursor"
                    " (/ finds one by name), then to its layer",
                    title="A graph made by objects",
                )
            self._quiz_if_asked()
            return
        default = _default_source()
        self.load(default, walkthrough(default.text))
        self.draft, self._instead_of = source.text, source.where
        self._show_program()
        self._open_editor(source.text, error, source.where)

    # -- loading a program -----------------------------------------------------------

    def load(self, source: Source, walk: Walkthrough) -> None:
        """Show a new program from its first step."""
        self.playing = False
        self.source, self.walk, self.stepper = source, walk, Stepper(walk)
        self._checks = None
        self._checkable = check_cost(walk) <= BUDGET
        gc.freeze()  # the graph lives as long as it is shown: keep the cycle collector off it
        self._sections = None
        self.set_reactive(ChainstepApp.fold, None)  # the graph is loaded whole just below
        self._load_graph(None)
        self.query_one(NodeTable).load(self.stepper)
        self.query_one(StepCard).reset()
        self._descents = 0
        self._show_program()
        self.inspected = None
        self.position = 0
        if self.show_check:
            self.watch_show_check(True)

    # -- the step index drives every panel -------------------------------------------

    def watch_position(self, old: int, new: int) -> None:
        self._show_step(old, new)

    def _show_step(self, old: int, new: int) -> None:
        """Every panel at step ``new``, coming from ``old``: a one-step move redraws the
        lines of the two steps' nodes, anything else (``old == new`` too) all of them."""
        stepper = self.stepper
        if stepper is None:
            return
        stepper.goto(new)
        # a program just loaded is drawn whole, whatever position the last one was at
        changed = _changed_nodes(stepper, old, new) if self._drawn is stepper else None
        self._drawn = stepper
        self.query_one(GraphTree).show(changed)
        self.query_one(NodeTable).show(changed)
        self.query_one(StepCard).show(stepper)
        self.query_one(SourceView).show(stepper)
        if self.dag:
            self.query_one(DagView).show()
        self._show_inspected()
        self._show_status()
        if self.show_check and (stepper.at_end or old == stepper.last):
            self.watch_show_check(True)  # the column fills at the end and blanks off it

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if playing:
            self._timer = self.set_interval(AUTOPLAY_SECONDS, self._tick)
        self._show_status()

    def watch_show_check(self, show: bool) -> None:
        table = self.query_one(NodeTable)
        stepper = self.stepper
        if not show or stepper is None:
            table.show_checks(None)
        elif not stepper.at_end:
            table.show_checks([])
        elif self._checkable:
            if self._checks is None:  # once per program: it re-runs the graph twice per input
                self._checks = check_gradients(stepper.walk)
            table.show_checks(self._checks)
        self._show_status()

    def watch_dag(self, dag: bool) -> None:
        self.set_class(dag, "-dag")
        if dag:
            self.query_one(DagView).show()

    def watch_fold(self, fold: str | None) -> None:
        """Build the tree (and the DAG) again for the fold, and say how to widen it."""
        if self.stepper is None:
            return
        count = self._load_graph(fold)
        if fold is not None:
            wider = levels(fold)[1:]
            hint = f"z widens it to {wider[0]}, Z shows all" if wider else "z or Z shows all"
            self.notify(f"{count:,} nodes: {hint}", title=f"The tree shows {fold}")
        tree = self.query_one(GraphTree)
        tree.show(None)
        if self.dag:
            self.query_one(DagView).show()
        # the cursor stays on the node it was on, not on whatever line has its number now
        appearances = tree.appearances(self.inspected) if self.inspected is not None else []
        if appearances:
            tree.call_after_refresh(tree.move_cursor, appearances[0])
        else:
            self.inspected = None
            tree.move_cursor(None)

    def _load_graph(self, fold: str | None) -> int:
        """The tree and the DAG of the whole graph, or of the fold's group (titled by
        it); how many nodes that is."""
        assert self.stepper is not None
        tree, dag = self.query_one(GraphTree), self.query_one(DagView)
        if fold is None:
            tree.load(self.stepper)
            dag.load(self.stepper)
            tree.border_title, dag.border_title = TREE_TITLE, DAG_TITLE
            return len(self.stepper.walk.nodes)
        found = self._section_map()
        members = found.members(fold)
        tree.load(self.stepper, Fold(fold, found.exits(members), frozenset(members)))
        dag.load(self.stepper, found.with_inputs(members))
        tree.border_title = dag.border_title = fold
        return len(members)

    def _section_map(self) -> Sections:
        if self._sections is None and self.walk is not None:
            self._sections = sections(self.walk.graph.program.text, self.walk.nodes)
        assert self._sections is not None
        return self._sections

    def watch_inspected(self, inspected: int | None) -> None:
        self.set_class(inspected is not None, "-inspecting")
        self._show_inspected()

    def _show_inspected(self) -> None:
        if self.stepper is not None:
            self.query_one(NodeInspector).show(self.stepper, self.inspected)

    def _show_program(self) -> None:
        """Which program is shown, and any text of the learner's waiting in the editor:
        written when either changes, not on every step."""
        program = Text()
        if self._instead_of is not None:  # first, so a narrow bar cuts the title, not this
            program.append(f"{self._instead_of} has an error: e edits it", "bold red")
            program.append("  ·  showing ", "dim")
        elif self.draft is not None:
            program.append("an unfinished edit: e  ·  ", "dim")
        if self._descents:
            plural = "s" * (self._descents > 1)
            program.append(f"after {self._descents} gradient step{plural}  ·  ", "bold")
        program.append(self.source.title)
        self.query_one(TopBar).program = program

    def _show_status(self) -> None:
        stepper = self.stepper
        if stepper is None:
            return
        phase, done, total = stepper.progress()
        parts = [f"{phase} {done}/{total}", f"step {stepper.position + 1} of {stepper.last + 1}"]
        if stepper.at_end:
            parts[0] = "backward pass complete ✓"
        if self.has_class("-quiz"):
            parts[0] = self.query_one(QuizPanel).status()
        if self.playing:
            parts.append("▶ playing (a pauses)")
        if self.show_check:
            if not stepper.at_end:
                parts.append("check: appears when the backward pass ends")
            elif not self._checkable:
                parts.append("check: too large to run here")
            else:
                parts.append("check: shown")
        self.query_one(TopBar).status = "  ·  ".join(parts)

    # -- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a modal screen is open, its keys are its own.

        The stepping keys are priority bindings (so the tree and table cannot swallow
        them), which would otherwise reach through to the main screen.
        """
        if action == "quit":
            return True
        if len(self.screen_stack) > 1:
            return False
        if self.has_class("-quiz"):
            return action in self.QUIZ_ACTIONS
        return action != "leave_quiz"

    def action_quiz(self) -> None:
        """Start the quiz (again) from the first backward step."""
        if self.walk is None:
            return
        self.playing = False
        self.set_class(True, "-quiz")
        self.query_one(QuizPanel).start(self.walk, local_first=self.local_first)
        self.refresh_bindings()
        self._show_status()

    def _quiz_if_asked(self) -> None:
        """`chainstep quiz PROGRAM`: the quiz starts once the program is shown."""
        if self.quiz_on_open:
            self.quiz_on_open = False
            self.action_quiz()

    def action_leave_quiz(self) -> None:
        self.set_class(False, "-quiz")
        if self.stepper is not None and self.stepper.asking:
            self._point_at_next(False)
        self.query_one(GraphTree).focus()
        self.refresh_bindings()
        self._show_status()

    @on(QuizMoved)
    def _quiz_moved(self, message: QuizMoved) -> None:
        if message.position is None or self.stepper is None:
            self._show_status()
            return
        moved = message.position != self.position
        if moved:
            self.position = message.position  # every panel, the status bar among them
        if self.stepper.asking != message.asking:
            self._point_at_next(message.asking)
        elif not moved:
            self._show_status()  # the score changed

    def _point_at_next(self, asking: bool) -> None:
        """Point every panel at the step the quiz asks about (or back at the current
        one), the numbers staying where they are: a redraw of everything, as a jump."""
        assert self.stepper is not None
        self.stepper.asking = asking
        self._show_step(self.position, self.position)

    def action_step(self, delta: int) -> None:
        if self.stepper is None:
            return
        self.inspected = None  # stepping brings the eye back to the step
        target = max(0, min(self.stepper.last, self.position + delta))
        if target != self.position:
            self.position = target
        elif self.playing:
            self.playing = False

    def action_jump(self, where: str) -> None:
        if self.stepper is None:
            return
        targets = {"start": 0, "end": self.stepper.last, "backward": self.stepper.walk.seed_index}
        if targets[where] != self.position:
            self.position = targets[where]

    def _tick(self) -> None:
        self.action_step(1)

    def action_autoplay(self) -> None:
        if self.stepper is not None and self.stepper.at_end and not self.playing:
            self.position = 0
        self.playing = not self.playing

    def action_toggle_check(self) -> None:
        self.show_check = not self.show_check

    def action_toggle_dag(self) -> None:
        self.dag = not self.dag

    def action_pan(self, dx: int, dy: int) -> None:
        """Look around a DAG wider or taller than its panel (the next step re-centres)."""
        if self.dag:
            self.query_one(DagView).scroll_relative(dx, dy, animate=False)

    def action_export(self) -> None:
        """Write every export of the state shown now, and say where."""
        if self.stepper is None:
            return
        from tui.exports import SUFFIXES, render_export  # networkx, only when exporting

        stem = re.sub(r"[^\w.-]+", "-", Path(self.source.where).stem).strip("-") or "program"
        stem = f"chainstep-{stem}-step{self.stepper.position + 1}"
        if self.served:  # in a browser: downloads, never a file on the server
            for form, suffix in SUFFIXES.items():
                text = render_export(self.stepper, form, self.source.title)
                self.deliver_text(io.StringIO(text), save_filename=f"{stem}{suffix}")
            self.notify(f"{len(SUFFIXES)} files sent to your browser", title="Exported")
            return
        written = []
        try:
            for form, suffix in SUFFIXES.items():
                path = Path.cwd() / f"{stem}{suffix}"
                path.write_text(render_export(self.stepper, form, self.source.title))
                written.append(path.name)
        except OSError as error:
            self.notify(f"could not write {stem}: {error.strerror}", severity="error")
            return
        self.notify(f"wrote {', '.join(written)} in {Path.cwd()}", title="Exported")

    def _open_on_walk(self, screen: Callable[[Walkthrough], Screen[Any]], then=None) -> None:  # type: ignore[no-untyped-def]
        """A modal screen about the program shown (autoplay pauses meanwhile)."""
        if self.walk is not None:
            self.playing = False
            self.push_screen(screen(self.walk), then)

    def action_replay(self) -> None:
        from tui.screens.replay_screen import ReplayScreen

        self._open_on_walk(ReplayScreen)

    def action_fold(self) -> None:
        """Fold the tree to the neuron (any object of the script) that made the node under
        the cursor, else the current step's; again, to the layer holding it; then all."""
        if self.stepper is None:
            return
        if self.fold is not None:
            wider = levels(self.fold)[1:]
            self.fold = wider[0] if wider else None
            return
        found = self._section_map()
        if not found:
            self.notify(
                "z folds the tree to one neuron or one layer of a script's model"
                " (`chainstep run SCRIPT.py`); this program has no such parts.",
                title="Nothing to fold",
            )
            return
        node = self.inspected if self.inspected is not None else self.stepper.focus.node
        choices = found.levels_of(node)
        if not choices:
            self.notify(
                f"{self.stepper.walk.nodes[node].label} was made at the script's top level,"
                " in no neuron or layer: put the tree's cursor on a node of one (/ finds"
                " one by name), then press z.",
                title="Nothing to fold",
            )
            return
        self.fold = choices[0]

    def action_unfold(self) -> None:
        self.fold = None

    def action_find(self) -> None:
        from tui.screens.find_screen import FindScreen

        self._open_on_walk(FindScreen, self._found)

    def action_nudge(self) -> None:
        from tui.screens.nudge_screen import NudgeScreen

        self._open_on_walk(NudgeScreen)

    def action_descend(self) -> None:
        from tui.screens.descent_screen import DescentScreen

        self._open_on_walk(DescentScreen, self._descended)

    def _found(self, node: int | None) -> None:
        """Jump to the node's backward step; an input's, the step that finishes its
        gradient. The tree's cursor goes to it too, so the inspector shows it."""
        if node is None or self.walk is None:
            return
        target = self.walk.step_of.get(node, self.walk.final_at[node])
        if target != self.position:
            self.position = target
        tree = self.query_one(GraphTree)
        if self.fold is not None and not tree.appearances(node):
            self.fold = None  # the node is outside the fold: show it where it is
        self.inspected = node  # shown even where the tree has no room for it; z folds to it
        appearances = tree.appearances(node)
        if appearances:
            tree.focus()
            tree.call_after_refresh(tree.move_cursor, appearances[0])

    def _descended(self, result: tuple[str, float] | None) -> None:
        """Go on from the new values: the program with them, from its first step."""
        if result is None or self.walk is None:
            return
        text, lr = result
        before = self.walk.graph.values[self.walk.graph.output]
        output = self.walk.output.label
        walk = walkthrough(text)
        descents = self._descents + 1
        self.load(Source(self.source.where, self.source.title, text), walk)
        self._descents = descents
        self._show_program()
        after = walk.graph.values[walk.graph.output]
        self.notify(
            f"{output}: {fmt(before)} -> {fmt(after)} (lr {fmt(lr)})", title="Gradient step"
        )

    def action_help(self) -> None:
        from tui.screens.help_screen import HelpScreen

        bindings = [b for b in self.BINDINGS if isinstance(b, Binding)]
        self.push_screen(HelpScreen(bindings, node_styles(self.query_one(GraphTree))))

    def action_examples(self) -> None:
        from tui.screens.examples_screen import ExamplesScreen

        self.playing = False
        current = self.source.where if find(self.source.where) else None
        self.push_screen(ExamplesScreen(current), self._example_chosen)

    def action_edit(self) -> None:
        self.playing = False
        if self.draft is None:
            self._open_editor(self.source.text)
        else:
            where = self._instead_of or "your unfinished edit"
            _, error = _analyse(Source(where, where, self.draft))  # say again what is wrong
            self._open_editor(self.draft, error, where)

    def _open_editor(
        self, text: str, error: ProgramError | None = None, where: str | None = None
    ) -> None:
        # The modal screens are imported when first opened: the first paint needs none of
        # them, and together they are a tenth of the app's import time.
        from tui.screens.editor_screen import EditorScreen

        self.push_screen(EditorScreen(text, error, where), self._edited)

    def _example_chosen(self, example: Example | None) -> None:
        if example is not None:
            self._instead_of = None  # an unfinished edit stays as the draft for `e`
            self.load(Source.of(example), walkthrough(example.text))

    def _edited(self, result: tuple[str, Walkthrough | None] | None) -> None:
        """The editor hands back its text: run (with its walk-through) or left (without)."""
        if result is None:
            return
        text, walk = result
        if walk is None:
            unchanged = self.draft is None and text == self.source.text
            self.draft = None if unchanged else text
        else:
            where = self._instead_of or "<editor>"
            self.draft = self._instead_of = None
            self.load(Source(where, "your program" if where == "<editor>" else where, text), walk)
            self._quiz_if_asked()
        self._show_program()

    @on(NodeInspected)
    def _inspect(self, message: NodeInspected) -> None:
        self.inspected = message.node


def _changed_nodes(stepper: Stepper, old: int, new: int) -> set[int] | None:
    """The nodes whose line can read differently after moving from step ``old`` to
    ``new``: for one step, the nodes of the two steps (the highlight moves, and only the
    new step's nodes gain a value, a gradient or a final mark); for anything longer, or
    across the seed (where every node off the path shows 0), ``None``: all of them."""
    seed = stepper.walk.seed_index
    if abs(new - old) != 1 or (old < seed) != (new < seed):
        return None
    return {*nodes_of(stepper.steps[old]), *nodes_of(stepper.steps[new])}


def _titled(widget: WidgetType, title: str) -> WidgetType:
    widget.border_title = title
    return widget


def _analyse(source: Source) -> tuple[Walkthrough | None, ProgramError | None]:
    try:
        return walkthrough(source.text), None
    except ProgramError as error:
        return None, error


def _default_source() -> Source:
    example = find(DEFAULT)
    assert example is not None
    return Source.of(example)
