"""The quiz: self-check questions from the question bank, with feedback, explanation, source and score.

Each answer checked is saved to the learner's store (:mod:`lessons_lib.store`) as a ``quiz``
record of the quiz's lesson: the answers chosen, the latest attempt's score and the best score
(see :func:`_merge_result`), so progress and the portfolio can show them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query
from lessons_lib.apps._base import _App, _esc, _message, _sources_html
from lessons_lib.data import check_choice, load
from lessons_lib.labels import question_labels
from lessons_lib.store import Store, StoreError

__all__ = ["Quiz"]

_Question = tuple[str, list[widgets.Widget], list[widgets.Widget]]  # prompt HTML, answer controls, rows shown


class Quiz(_App):
    """Self-check questions from the question bank, with feedback, explanation, source and score.

    Parameters
    ----------
    lessons : int or iterable of int, optional
        Lesson numbers whose questions to ask (all by default).
    kinds : iterable of str, optional
        Question kinds (multiple_choice, ordering, matching).
    in_class : bool, optional
        True: only the questions of the in-class quiz (the bank's ``in_class`` column: at most
        eight a lesson, on the lesson's core sections). False: only the others, the lesson's
        optional question bank, saved apart as ``bank`` (``<item>_bank`` for a review). All by default.
    limit : int, optional
        Ask at most this many questions.
    sample : int, optional
        Ask this many questions drawn evenly across the lessons chosen (a whole-course review:
        ``Quiz(lessons=range(1, 10), sample=18)`` asks two from each lesson).
    shuffle : bool
        Ask the questions in a shuffled order (the default) rather than in the bank's order.
    seed : int, optional
        Seed of the shuffle and the sample. By default it comes from the lesson numbers, so a lesson
        asks its questions in the same order every time it is run (stored outputs stay stable).
    store : Store, optional
        Where the results are saved; the learner's store by default. A quiz of one lesson is saved
        as that lesson's ``quiz``; a quiz across lessons (a review) as ``review`` (``review_<kinds>``
        when only some kinds are asked) of the highest lesson asked.

    Examples
    --------
    >>> quiz = Quiz(lessons=range(1, 10), sample=9)
    >>> sorted(quiz.questions["lesson"])
    [1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> in_class, bank = Quiz(lessons=2, in_class=True), Quiz(lessons=2, in_class=False)
    >>> len(in_class.questions) <= 8, in_class.item, bank.item
    (True, 'quiz', 'bank')
    """

    css_class = "lessons-quiz"

    def __init__(
        self,
        lessons: int | Iterable[int] | None = None,
        kinds: Iterable[str] | None = None,
        in_class: bool | None = None,
        limit: int | None = None,
        sample: int | None = None,
        shuffle: bool = True,
        seed: int | None = None,
        store: Store | None = None,
    ):
        bank = load("questions")
        wanted = None if lessons is None else sorted({lessons} if isinstance(lessons, int) else set(lessons))
        if wanted is not None:
            bank = bank[bank["lesson"].isin(wanted)]
        if kinds is not None:
            kinds = [check_choice(k, query.choices("questions", "kind"), "question kind") for k in kinds]
            bank = bank[bank["kind"].isin(kinds)]
        if in_class is not None:
            bank = bank[bank["in_class"] == bool(in_class)]
        if bank.empty:
            raise ValueError("no questions match this selection")
        self.lesson, self.item = _result_key(bank, wanted, kinds)
        if in_class is False:  # the optional bank: saved apart, so the in-class quiz's record stays whole
            self.item = "bank" if self.item == "quiz" else f"{self.item}_bank"
        rng = random.Random(_seed(wanted) if seed is None else seed)
        if sample is not None:
            bank = _across_lessons(bank, sample, rng)
        if shuffle:
            bank = bank.sample(frac=1, random_state=rng.randrange(2**32))
        self.questions = bank.head(limit).reset_index(drop=True) if limit else bank.reset_index(drop=True)
        self.store = store if store is not None else Store()
        self.started = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # identifies this attempt
        self.problem: str | None = None  # why the last save failed, for the learner
        self.index = 0
        self.score = 0
        self.answered: dict[str, bool] = {}
        self.given: dict[str, str] = {}
        self.right: dict[str, bool] = {}  # whether the answer given last is right
        self.choices: list[widgets.Widget] = []
        self.prompt = widgets.HTML()
        self.answer_box = widgets.VBox()
        self.previous_button = widgets.Button(description="Previous question")
        self.check_button = widgets.Button(description="Check answer", button_style="primary")
        self.next_button = widgets.Button(description="Next question")
        self.feedback = widgets.HTML()
        self.score_label = widgets.HTML()
        self._on_click(self.previous_button, self.previous)
        self._on_click(self.check_button, self.check)
        self._on_click(self.next_button, self.next)
        children = [
            self.score_label,
            self.prompt,
            self.answer_box,
            widgets.HBox([self.previous_button, self.check_button, self.next_button]),
            self.feedback,
        ]
        super().__init__(children, message=self.feedback)  # feedback and problems share one line
        self._update()

    def __repr__(self) -> str:
        return f"<Quiz: {len(self.questions)} questions. Run the notebook to answer them.>"

    @property
    def question(self) -> pd.Series:
        """The question now shown."""
        return self.questions.iloc[self.index]

    def snapshot_html(self) -> str:
        """Return the score line, the question and the feedback now shown."""
        return self.score_label.value + self.prompt.value + self.feedback.value

    def _labels(self) -> dict[str, str]:
        return question_labels(self.question)

    def _render(self) -> _Question:
        q = self.question
        prompt = f"<p style='font-size:1.1em'>{_esc(q.prompt)}</p>"
        labels = self._labels()
        if q.kind == "multiple_choice":
            options = [(labels[o], o) for o in q.options]
            choices = [widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))]
            return prompt, choices, choices
        if q.kind == "ordering":
            options = [("(choose)", None)] + [(labels[i][:90], i) for i in q.options]
            choices = [widgets.Dropdown(options=options, description=f"{n + 1}.") for n in range(len(q.options))]
            return prompt, choices, choices
        values = sorted({p.split("=", 1)[1] for p in q.answer.split("|")}, key=labels.__getitem__)
        choices = [
            widgets.Dropdown(options=[("(choose)", None)] + [(labels[v], v) for v in values], description="",
                             layout=widgets.Layout(width="220px"))
            for _ in q.options
        ]  # fmt: skip
        rows = [
            widgets.HBox([c, widgets.HTML(f"<i>{_esc(labels[i])}</i>")])
            for c, i in zip(choices, q.options, strict=True)
        ]
        return prompt, choices, rows

    def _show(self, view: _Question) -> None:
        prompt, self.choices, rows = view
        self._score()
        self.prompt.value = prompt
        self.feedback.value = ""
        self.answer_box.children = rows
        given = self.given.get(self.question.id)
        if given is not None:  # back at a question already checked: show the answer given and its feedback
            self.answer(self._parts(given))
            self.feedback.value = self._feedback(self._is_right(given))

    def _parts(self, response: str) -> list[str]:
        """Split an answer in the bank's format into one value per control."""
        q = self.question
        if q.kind == "matching":
            pairs = dict(p.split("=", 1) for p in response.split("|"))
            return [pairs[i] for i in q.options]
        return response.split("|") if q.kind == "ordering" else [response]

    def _is_right(self, response: str) -> bool:
        q = self.question
        if q.kind == "matching":
            return dict(p.split("=", 1) for p in response.split("|")) == dict(
                p.split("=", 1) for p in q.answer.split("|")
            )
        return response == q.answer

    def _feedback(self, right: bool) -> str:
        q = self.question
        verdict = _message("Correct!" if right else "Not quite.", "ok" if right else "error")
        shown = "" if right else self._right_answer()
        return f"{verdict}{shown}<p>{_esc(q.explanation)}</p><p><b>Source</b></p>{_sources_html(q.sources)}"

    def _score(self) -> None:
        self.score_label.value = (
            f"<b>Question {self.index + 1} of {len(self.questions)}</b> | score {self.score}/{len(self.answered)}"
        )

    def response(self) -> str | None:
        """Return the learner's current answer in the bank's answer format, or None if incomplete."""
        q = self.question
        values = [c.value for c in self.choices]
        if any(v is None for v in values):
            return None
        if q.kind == "multiple_choice":
            return values[0]
        if q.kind == "ordering":
            return "|".join(values)
        return "|".join(f"{i}={v}" for i, v in zip(q.options, values, strict=True))

    def answer(self, response: str | list[str]) -> None:
        """Fill in the controls with `response` (an option, or a list for ordering/matching)."""
        items = [response] if isinstance(response, str) else list(response)
        for control, value in zip(self.choices, items, strict=True):
            control.value = value

    def check(self) -> bool | None:
        """Check the current answer, show feedback and update the score.

        Returns
        -------
        bool or None
            Whether the answer is right, or None when it is incomplete.
        """
        q = self.question
        given = self.response()
        if given is None:
            self.feedback.value = _message("Answer every part first.", "info")
            return None
        right = self._is_right(given)
        if q.id not in self.answered:
            self.answered[q.id] = right
            self.score += int(right)
        self.given[q.id] = given
        self.right[q.id] = right
        self.feedback.value = self._feedback(right) + self._save()
        self._score()
        return right

    def result(self) -> dict[str, Any]:
        """Return this attempt as saved: questions asked and answered, the score, the answers chosen.

        The score counts answers right at the first try; ``answers`` holds the answer given last
        to each question and whether it is right.
        """
        return {
            "attempt": self.started,
            "questions": len(self.questions),
            "answered": len(self.answered),
            "score": self.score,
            "answers": {qid: {"given": self.given[qid], "correct": self.right[qid]} for qid in self.given},
        }

    def _save(self) -> str:
        """Save the result; return a message when the store cannot be written (else "")."""
        attempt = self.result()
        try:
            self.store.update("quiz", self.lesson, self.item, lambda saved: _merge_result(saved, attempt))
        except StoreError as exc:
            self.problem = str(exc)
            return _message(f"Your quiz result is not saved. {exc}", "error")
        self.problem = None
        return ""

    def _right_answer(self) -> str:
        q = self.question
        labels = self._labels()
        parts = q.answer.split("|")
        if q.kind == "ordering":
            return "<p>The right order: " + " &rarr; ".join(_esc(labels[p]) for p in parts) + "</p>"
        if q.kind == "multiple_choice":
            return f"<p>The answer: {_esc(labels[q.answer])}</p>"
        pairs = [p.split("=", 1) for p in parts]
        return f"<p>The answer: {_esc('; '.join(f'{labels[i]}: {labels[v]}' for i, v in pairs))}</p>"

    def next(self) -> None:
        """Go to the next question (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.questions)
        self._update()

    def previous(self) -> None:
        """Go back to the previous question (to the last from the first), with the answer given there."""
        self.index = (self.index - 1) % len(self.questions)
        self._update()


def _merge_result(saved: Any, attempt: dict[str, Any]) -> dict[str, Any]:
    """Return the saved quiz record updated with one attempt: latest, best, attempts and answers.

    Parameters
    ----------
    saved : Any
        The record saved so far (None, or anything a damaged store held, for none).
    attempt : dict
        :meth:`Quiz.result` of the attempt now running.

    Returns
    -------
    dict
        ``latest`` (this attempt's ``score``, ``answered``, ``questions``), ``best`` (the same for
        the attempt with the highest score, the latest on a tie), ``attempts`` (how many were started),
        ``answers`` (question id to the latest ``given`` answer and whether it was ``correct``,
        from every attempt) and ``attempt`` (the latest attempt's id).

    Examples
    --------
    >>> first = _merge_result(None, {"attempt": "a", "questions": 3, "answered": 1, "score": 1,
    ...                             "answers": {"q1": {"given": "x", "correct": True}}})
    >>> second = _merge_result(first, {"attempt": "b", "questions": 3, "answered": 2, "score": 0,
    ...                               "answers": {"q1": {"given": "y", "correct": False}}})
    >>> second["latest"]["score"], second["best"]["score"], second["attempts"]
    (0, 1, 2)
    """
    old = saved if isinstance(saved, dict) else {}
    latest = {key: attempt[key] for key in ("score", "answered", "questions")}
    best = old.get("best") if isinstance(old.get("best"), dict) else None
    if best is None or latest["score"] >= int(best.get("score", 0) or 0):
        best = latest  # an attempt's score only grows, so its own earlier state is never better
    answers = dict(old["answers"]) if isinstance(old.get("answers"), dict) else {}
    answers.update(attempt["answers"])
    same_attempt = old.get("attempt") == attempt["attempt"]
    attempts = int(old.get("attempts", 0) or 0) + (0 if same_attempt else 1)
    return {"latest": latest, "best": best, "attempts": attempts, "answers": answers, "attempt": attempt["attempt"]}


def _result_key(bank: pd.DataFrame, wanted: list[int] | None, kinds: list[str] | None) -> tuple[int, str]:
    """Return the (lesson, item) a quiz's results are saved under."""
    lessons = sorted({int(n) for n in bank["lesson"]})
    if len(lessons) == 1 and wanted is not None:
        return lessons[0], "quiz"
    return lessons[-1], "review" + ("_" + "-".join(sorted(kinds)) if kinds else "")


def _seed(lessons: list[int] | None) -> int:
    """Return a seed made from the lesson numbers (the same in every run, unlike ``hash``)."""
    return int("".join(str(n) for n in lessons)) if lessons else 0


def _across_lessons(bank: pd.DataFrame, n: int, rng: random.Random) -> pd.DataFrame:
    """Draw `n` questions in turn from each lesson (each lesson's questions shuffled first)."""
    if n < 1:
        raise ValueError(f"sample must be at least 1, not {n}")
    shuffled = [list(g.sample(frac=1, random_state=rng.randrange(2**32)).index) for _, g in bank.groupby("lesson")]
    in_turn = [i for turn in itertools.zip_longest(*shuffled) for i in turn if i is not None]
    return bank.loc[in_turn[:n]]
