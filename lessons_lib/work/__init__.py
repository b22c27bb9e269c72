"""Work a learner does: sourcing cards, written answers, a portfolio to hand in and a progress view.

The logic is in plain classes, tested without widgets: :class:`CardWork` (a sourcing card for one
document) and :class:`AnswerWork` (a written answer to one prompt), plus :func:`check_answer`,
which counts the documents an answer cites as ``[doc_id]``. The widgets :class:`SourcingCard` and
:class:`Answer` wrap them on the apps' base class.

Everything the learner writes is saved to the learner's own store (:mod:`lessons_lib.store`,
outside the repository) as it is typed, at most every :data:`SAVE_EVERY` seconds and at once on
*Save*, *Submit* and when the kernel exits, so it survives a kernel restart, re-running the
lesson and a new course version. The widgets load it back when the lesson is run again.

Prompts (``Answer("l04_central")``) come from the ``prompts`` table: each lesson's central
question and discussion prompts as the lesson words them, with what a strong answer includes
(from the teacher guide). Documents come from the ``documents`` table; the essay rubric and the
annotated exemplars of lesson 9's essays from the ``rubric`` and ``exemplars`` tables
(:func:`rubric`, :func:`exemplars`).
"""

from __future__ import annotations

from lessons_lib.work._logic import (  # noqa: F401 (the private names are re-exported for tests)
    CARD_FIELDS,
    LONG_ANSWER,
    SAVE_EVERY,
    AnswerCheck,
    AnswerWork,
    CardWork,
    _flush_all,
    _Throttle,
    check_answer,
    cited_ids,
)
from lessons_lib.work.exemplars import exemplars, rubric
from lessons_lib.work.portfolio import portfolio, portfolio_html, progress, progress_rows  # noqa: F401
from lessons_lib.work.widgets import Answer, SourcingCard, documents

__all__ = [
    "documents",
    "SourcingCard",
    "Answer",
    "portfolio",
    "progress",
    "exemplars",
    "rubric",
    "CardWork",
    "AnswerWork",
    "check_answer",
    "cited_ids",
    "CARD_FIELDS",
]
