"""The quiz in the app: it asks ``NAME.grad = ?`` before the step is revealed, names the
slip in a wrong answer, keeps the score, and sums up at the end.

It shows, in place of the step card, the step being asked about and the edges answered so
far; it tells the app which step the other panels should show (the state before the step
while asking, so no gradient gives the answer away) with ``QuizMoved``.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.console import Group
from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from engine import BackwardStep, Walkthrough
from engine.numbers import fmt
from engine.quiz import Mistake, Question, diagnose, diagnose_local, questions
from tui.messages import QuizMoved
from tui.quiz_text import grad_question, local_question, local_verdict, reveal, verdict
from tui.step_text import MUTED, NAME, headline


class Answer(NamedTuple):
    question: Question
    given: float
    mistake: Mistake


class QuizPanel(VerticalScroll):
    def start(self, walk: Walkthrough, *, local_first: bool = False) -> None:
        if not self.children:  # made on the first quiz: the first paint need not pay for them
            self.mount_all(
                [
                    Static(id="quiz-step"),
                    Static(id="quiz-question"),
                    Input(id="quiz-answer", placeholder="type a number, then enter", compact=True),
                    Static(id="quiz-verdict"),
                ]
            )
        self.walk = walk
        self.local_first = local_first
        self.questions = questions(walk)
        self.index = 0
        self.answers: list[Answer] = []
        self.revealed: list[Text] = []
        self.asking_local = local_first
        self.awaiting_next = False
        self._ask()

    # -- reading the state -------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def right(self) -> int:
        return sum(1 for answer in self.answers if answer.mistake is Mistake.RIGHT)

    def status(self) -> str:
        """``quiz 2/4 right · question 5 of 9``, for the app's status bar."""
        score = f"quiz {self.right}/{len(self.answers)} right"
        if self.done:
            return f"{score} · finished"
        return f"{score} · question {self.index + 1} of {len(self.questions)}"

    # -- asking and answering ----------------------------------------------------------

    def _current(self) -> tuple[Question, BackwardStep]:
        question = self.questions[self.index]
        step = self.walk.steps[question.step]
        assert isinstance(step, BackwardStep)
        return question, step

    def _ask(self) -> None:
        answer = self.query_one(Input)
        answer.value = ""
        if self.done:
            self._finish()
            return
        question, step = self._current()
        if question.flow == 0:
            self.revealed = []
            # the state before the step (no spoilers), pointing at the step asked about
            self.post_message(QuizMoved(question.step - 1, asking=True))
        flow = step.flows[question.flow]
        self.query_one("#quiz-step", Static).update(
            Group(headline(self.walk, step), *self.revealed)
        )
        if self.asking_local:
            text = local_question(self.walk, step.node, flow)
        else:
            text = grad_question(self.walk, flow)
        self.query_one("#quiz-question", Static).update(Text(text, NAME))
        answer.placeholder = "type a number, then enter"
        answer.disabled = False
        answer.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.awaiting_next:
            self.awaiting_next = False
            self.query_one("#quiz-verdict", Static).update("")
            self._next()
            return
        if self.done or not event.value.strip():
            return  # enter on an empty answer does nothing
        try:
            given = float(event.value.strip().replace("−", "-"))
        except ValueError:
            self._say(Text("type a number, like 36 or -0.5", MUTED))
            return
        question, step = self._current()
        flow = step.flows[question.flow]
        if self.asking_local:
            mistake = diagnose_local(flow, given)
            self._say(local_verdict(self.walk, step.node, flow, mistake))
            self.asking_local = False
            self._ask()
            return
        mistake = diagnose(flow, given)
        self.answers.append(Answer(question, given, mistake))
        self._say(verdict(self.walk, step.node, flow, given, mistake))
        self.revealed.extend(reveal(self.walk, step, flow))
        self.query_one("#quiz-step", Static).update(
            Group(headline(self.walk, step), *self.revealed)
        )
        last_of_step = question.flow == len(step.flows) - 1
        if last_of_step:
            self.post_message(QuizMoved(question.step))  # reveal the step everywhere
        answer = self.query_one(Input)
        answer.value = ""
        answer.placeholder = "enter: next question"
        self.awaiting_next = True
        self.post_message(QuizMoved(None))  # the score changed

    def _say(self, text: Text) -> None:
        """The verdict goes last, and the panel scrolls to it: on a short terminal the
        step's headline may scroll away, never the sentence about the answer."""
        self.query_one("#quiz-verdict", Static).update(text)
        self.call_after_refresh(self.scroll_end, animate=False)

    def _next(self) -> None:
        self.index += 1
        self.asking_local = self.local_first
        self._ask()

    def _finish(self) -> None:
        lines: list[Text] = [Text(f"{self.right}/{len(self.answers)} right", "bold")]
        for answer in self.answers:
            if answer.mistake is Mistake.RIGHT:
                continue
            flow = answer.question.edge(self.walk)
            name = self.walk.nodes[flow.source].label
            lines.append(
                Text.assemble(
                    f"{name}.grad: you answered {fmt(answer.given)}, it is {fmt(flow.after)}",
                    (f" ({answer.mistake.value})", MUTED),
                )
            )
        if len(lines) == 1:
            lines.append(Text("no mistakes: every gradient right", MUTED))
        self.query_one("#quiz-step", Static).update(Group(*lines))
        self.query_one("#quiz-question", Static).update(Text("quiz finished", NAME))
        answer = self.query_one(Input)
        answer.placeholder = "t starts again · escape leaves the quiz"
        answer.disabled = True
        self.post_message(QuizMoved(self.walk.seed_index + self.walk.backward_count))
