"""What a task widget saves: one item of kind ``"task"`` in the learner's store.

A prediction, an order of events, a weighting of factors or a claim's verdict and reason is a
small dict saved the way answers and sourcing cards are (:mod:`lessons_lib.work`): as it is typed,
at most every ``SAVE_EVERY`` seconds, at once on a button, and when the kernel exits; and loaded
back when the lesson is run again. A store that cannot be read or written gives a message for the
learner (:attr:`TaskWork.problem`), never an exception in a callback.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lessons_lib.store import Store
from lessons_lib.work._logic import _as_dict, _Work

#: Text longer than this is kept in full, with a note to the learner.
LONG_TEXT = 20_000


class TaskWork(_Work):
    """One task's saved state: a dict of JSON values, with defaults for what was never saved.

    Parameters
    ----------
    lesson : int
        The lesson the task belongs to.
    item : str
        The task's id in the store (lower-case letters, digits, ``_``, ``.``, ``-``).
    defaults : dict
        The state of a task never done; saved values of other keys are ignored.
    store : Store, optional
        Where the work is saved; the learner's store by default.
    """

    kind = "task"

    def __init__(self, lesson: int, item: str, defaults: dict[str, Any], store: Store | None = None):
        super().__init__(lesson, item, store)
        self.defaults = dict(defaults)
        self.value: dict[str, Any] = dict(defaults)
        self._load()

    def _value(self) -> dict[str, Any]:
        return dict(self.value)

    def _restore(self, value: dict[str, Any]) -> None:
        saved = _as_dict(value)
        for key, default in self.defaults.items():
            if key in saved and (default is None or isinstance(saved[key], type(default))):
                self.value[key] = saved[key]  # a value of the wrong type (a damaged file) keeps the default

    def set(self, **values: Any) -> None:
        """Change some values and note the change (saved within a moment)."""
        self.value.update(values)
        self.changed()

    def status_text(self) -> tuple[str, str]:
        """Return ``(kind, text)`` saying whether and where the work is saved (kind as in messages)."""
        if self.problem:
            return "error", self.problem
        if self.saved_at:
            when = dt.datetime.fromisoformat(self.saved_at).astimezone().strftime("%H:%M:%S")
            return "ok", f"Saved at {when} in your work folder ({self.store.root})."
        return "info", "Not saved yet: your work is saved as you go."


def long_text_note(text: str) -> str | None:
    """Return a note for text longer than :data:`LONG_TEXT` characters (it is kept), else None."""
    if len(text) > LONG_TEXT:
        return f"Your text is {len(text):,} characters long. It is all kept, but one or two sentences are enough here."
    return None
