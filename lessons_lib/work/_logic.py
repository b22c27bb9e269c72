"""The logic of a learner's work, without widgets.

Documents and prompts, citations, saving while typing, and the plain classes behind a sourcing
card (:class:`CardWork`) and an answer (:class:`AnswerWork`).
"""

from __future__ import annotations

import asyncio
import atexit
import difflib
import html
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lessons_lib.data import check_choice, load
from lessons_lib.store import Store, StoreError

#: The sourcing card's fields: (name, label, question the learner answers).
CARD_FIELDS = (
    ("author", "Author", "Who wrote it, and what was their position?"),
    ("date", "Date", "When was it written?"),
    ("audience", "Audience", "For whom was it written?"),
    ("purpose", "Purpose", "Why was it written? What did the author want to achieve?"),
    ("could_know", "What the author could know", "What could the author know at first hand, and what not?"),
    ("trust", "A reason to trust it", "Give one reason to trust this document."),
    ("doubt", "A reason to doubt it", "Give one reason to doubt this document."),
)
SAVE_EVERY = 0.5  # seconds between saves while typing
LONG_ANSWER = 20_000  # characters; longer text is kept, with a note
_EMPTY = "<em>(empty)</em>"
_KIND_LABEL = {"primary": "primary document", "historian": "historian&#x27;s extract"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_CITE = re.compile(r"\[([^\[\]\n]{1,200})\]")


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _inline(text: str) -> str:
    """Escape `text`, then render the data's *italic* and **bold** marks."""
    out = _esc(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", out)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_esc(p)}</p>" for p in str(text).splitlines() if p.strip())


def _as_dict(value: Any) -> dict[str, Any]:
    """Return `value` if it is a dict (saved data may be anything), else an empty dict."""
    return value if isinstance(value, dict) else {}


def _blank(value: Any) -> bool:
    """Return True for a missing cell (None, NaN, NA, NaT) or blank text."""
    if isinstance(value, str):
        return value.strip() == ""
    return value is None or bool(pd.isna(value))


# --- documents and prompts ------------------------------------------------------------------


def _records(table: str) -> dict[str, dict[str, Any]]:
    """Return a table's rows as plain dicts keyed by id."""
    rows: list[dict[str, Any]] = [{str(k): v for k, v in row.items()} for row in load(table).to_dict("records")]
    return {str(row["id"]): row for row in rows}


def _documents() -> dict[str, dict[str, Any]]:
    return _records("documents")


def _document(doc_id: str) -> dict[str, Any]:
    docs = _documents()
    check_choice(doc_id, docs, "document id")
    return docs[doc_id]


def _prompt(prompt_id: str) -> dict[str, Any]:
    prompts = _records("prompts")
    check_choice(prompt_id, prompts, "prompt id")
    return prompts[prompt_id]


def _date_text(doc: dict[str, Any]) -> str:
    parts = [str(doc["year"])]
    if not _blank(doc.get("month")):
        month = _MONTHS[int(doc["month"]) - 1]
        parts.insert(0, f"{int(doc['day'])} {month}" if not _blank(doc.get("day")) else month)
    return " ".join(parts)


def _lessons(doc: dict[str, Any]) -> list[int]:
    return [int(x) for x in doc["lessons"]]


# --- citations ------------------------------------------------------------------------------


def cited_ids(text: str) -> list[str]:
    """Return the ids cited in `text` as ``[doc_id]`` (or ``[a; b]``), in order, each once.

    Parameters
    ----------
    text : str
        The learner's answer.

    Returns
    -------
    list of str
        Every bracketed id, known or not.

    Examples
    --------
    >>> cited_ids("Lenin ordered it [lenin_penza_telegram_1918], as did [a; b] and [a].")
    ['lenin_penza_telegram_1918', 'a', 'b']
    """
    found: list[str] = []
    for match in _CITE.finditer(text or ""):
        for part in re.split(r"[;,\s]+", match.group(1)):
            part = part.strip().strip("'\"").lower()
            if part and part not in found:
                found.append(part)
    return found


@dataclass(frozen=True)
class AnswerCheck:
    """What the answer checker found in a written answer.

    Attributes
    ----------
    words : int
        Number of words.
    characters : int
        Number of characters.
    cited : list of str
        Known document ids the answer cites, in order.
    unknown : dict of str to str or None
        Cited ids that are not documents, each with the closest document id (or None).
    messages : list of (str, str)
        ``(kind, text)`` pairs to show the learner; kind is ``"info"``, ``"ok"`` or ``"error"``.
    """

    words: int
    characters: int
    cited: list[str]
    unknown: dict[str, str | None]
    messages: list[tuple[str, str]] = field(default_factory=list)


def check_answer(
    text: str, lesson: int | None = None, documents: dict[str, dict[str, Any]] | None = None
) -> AnswerCheck:
    """Count the words and the cited documents of an answer, and say what to improve.

    Parameters
    ----------
    text : str
        The learner's answer; any text (empty, very long, with markup) is fine.
    lesson : int, optional
        The lesson, to suggest its documents when none is cited.
    documents : dict, optional
        The documents by id (rows of the ``documents`` table); loaded when not given.

    Returns
    -------
    AnswerCheck

    Examples
    --------
    >>> check_answer("Stalin controlled appointments.").messages[0][0]
    'info'
    """
    text = text or ""
    docs = documents if documents is not None else _documents()
    known = sorted(docs)
    cited, unknown = [], {}
    for doc_id in cited_ids(text):
        if doc_id in docs:
            cited.append(doc_id)
        else:
            matches = difflib.get_close_matches(doc_id, known, n=1, cutoff=0.6)
            unknown[doc_id] = matches[0] if matches else None
    words = len(text.split())
    messages: list[tuple[str, str]] = []
    if not text.strip():
        messages.append(("info", "Write your answer in the box. It is saved as you type."))
    elif not cited:
        ideas = [d for d, row in docs.items() if lesson in _lessons(row)][:3] if lesson else []
        hint = f", for example [{ideas[0]}]" if ideas else ""
        messages.append(
            ("info", f"Cite at least one document as [document_id]{hint}, so a reader can check your evidence.")
        )
    else:
        plural = "s" if len(cited) != 1 else ""
        messages.append(("ok", f"{words} words; you cite {len(cited)} document{plural}: {', '.join(cited)}."))
    for doc_id, close in unknown.items():
        hint = f"; did you mean [{close}]?" if close else "; document ids are listed under each document."
        messages.append(("error", f"[{doc_id}] is not a document id{hint}"))
    if len(text) > LONG_ANSWER:
        messages.append(
            ("info", f"Your answer is {len(text):,} characters long. It is all kept, but a strong answer is"
                     " usually 150-400 words: choose your best evidence.")
        )  # fmt: skip
    return AnswerCheck(words, len(text), cited, unknown, messages)


# --- saving while typing --------------------------------------------------------------------

_PENDING: weakref.WeakSet[_Throttle] = weakref.WeakSet()


class _Throttle:
    """Call `save` at most every `delay` seconds while changes come in, and once more at the end.

    Inside a running event loop (a Jupyter kernel) the save is scheduled on the loop; without
    one (plain Python, tests) it happens at once. :meth:`flush` saves a pending change now.
    """

    def __init__(self, save: Callable[[], object], delay: float = SAVE_EVERY):
        self.save = save
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None
        _PENDING.add(self)

    @property
    def pending(self) -> bool:
        """Whether a change waits to be saved."""
        return self._handle is not None

    def touch(self) -> None:
        """Note a change; it is saved within `delay` seconds."""
        if self._handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.save()
            return
        self._handle = loop.call_later(self.delay, self.flush)

    def cancel(self) -> None:
        """Forget a pending change (it is being saved another way)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        """Save a pending change now."""
        if self._handle is not None:
            self.cancel()
            self.save()


@atexit.register
def _flush_all() -> None:  # a kernel shut down mid-typing keeps the last words too
    for throttle in list(_PENDING):
        try:
            throttle.flush()
        except Exception:  # noqa: BLE001 - nothing can be shown at exit
            pass


# --- the logic: a sourcing card and an answer -----------------------------------------------


class _Work:
    """What the card and the answer share: one store item, saved on change and on request."""

    kind = "answer"

    def __init__(self, lesson: int, item: str, store: Store | None):
        self.lesson = lesson
        self.item = item
        self.store = store if store is not None else Store()
        self.saved_at: str | None = None
        self.problem: str | None = None  # why the last save or load failed, for the learner
        self.notice: str | None = None  # a damaged saved file that was moved aside, for the learner
        self._throttle = _Throttle(self.save)

    def _value(self) -> dict[str, Any]:  # pragma: no cover - subclasses override
        raise NotImplementedError

    def _restore(self, value: dict[str, Any]) -> None:  # pragma: no cover - subclasses override
        raise NotImplementedError

    def _merge(self, saved: Any) -> dict[str, Any]:
        """Return the value to save, given what is saved now (another kernel may have changed it)."""
        return self._value()

    def _load(self) -> None:
        try:
            record = self.store.load(self.kind, self.lesson, self.item)
        except StoreError as exc:
            self.problem = str(exc)
            return
        if self.store.messages:
            self.notice = self.store.messages[-1]
        if record is not None and isinstance(record.value, dict):
            self._restore(record.value)
            self.saved_at = record.saved_at

    def changed(self) -> None:
        """Note a change; it is saved within :data:`SAVE_EVERY` seconds (at once outside a kernel)."""
        self._throttle.touch()

    def save(self) -> bool:
        """Save now; return False (and set :attr:`problem`) when the store cannot be written."""
        self._throttle.cancel()
        try:
            record = self.store.update(self.kind, self.lesson, self.item, self._merge)
        except StoreError as exc:
            self.problem = str(exc)
            return False
        self.saved_at = record.saved_at
        self.problem = None
        if self.store.messages:
            self.notice = self.store.messages[-1]
        return True

    def flush(self) -> None:
        """Save a change that waits for the next save."""
        self._throttle.flush()


class CardWork(_Work):
    """A learner's sourcing card for one document: the fields, saving, and the editors' card.

    Parameters
    ----------
    doc_id : str
        A document id from the ``documents`` table.
    lesson : int, optional
        The lesson the card is filled in (one of the document's lessons); the first by default.
    store : Store, optional
        Where the card is saved; the learner's default store by default.

    Raises
    ------
    UnknownNameError
        For an unknown document id (with a suggestion).
    ValueError
        For a lesson that does not use the document, or a document that no lesson shows.
    """

    kind = "card"

    def __init__(self, doc_id: str, lesson: int | None = None, store: Store | None = None):
        self.document = _document(doc_id)
        lessons = _lessons(self.document)
        if not lessons:
            raise ValueError(
                f"document {doc_id!r} is shown in no lesson yet; show it in a lesson with documents([...])"
                " and add that lesson to its 'lessons' column in data/documents.csv"
            )
        if lesson is not None and lesson not in lessons:
            raise ValueError(f"document {doc_id!r} is used in lessons {lessons}, not in lesson {lesson!r}")
        super().__init__(lesson if lesson is not None else lessons[0], doc_id, store)
        self.doc_id = doc_id
        self.fields: dict[str, str] = {name: "" for name, _, _ in CARD_FIELDS}
        self.submitted = False
        self._typed: set[str] = set()  # fields changed here; the others may be changed in another kernel
        self._load()

    def _value(self) -> dict[str, Any]:
        return {"fields": dict(self.fields), "submitted": self.submitted}

    def _restore(self, value: dict[str, Any]) -> None:
        saved = _as_dict(value.get("fields"))
        for name in self.fields:
            self.fields[name] = str(saved.get(name, "") or "")
        self.submitted = bool(value.get("submitted"))

    def _merge(self, saved: Any) -> dict[str, Any]:
        """Keep the fields typed here and take the others from the store (another kernel's card)."""
        if isinstance(saved, dict):
            theirs = _as_dict(saved.get("fields"))
            for name in self.fields:
                if name not in self._typed and name in theirs:
                    self.fields[name] = str(theirs[name] or "")
            self.submitted = self.submitted or bool(saved.get("submitted"))
        return self._value()

    def set(self, name: str, text: str) -> None:
        """Set one field (any text) and note the change."""
        check_choice(name, self.fields, "card field")
        self.fields[name] = "" if text is None else str(text)
        self._typed.add(name)
        self.changed()

    @property
    def empty_fields(self) -> list[str]:
        """Names of the fields not yet filled in."""
        return [name for name, text in self.fields.items() if not text.strip()]

    def submit(self) -> str:
        """Mark the card submitted and save it; return a message for the learner."""
        missing = [label for name, label, _ in CARD_FIELDS if name in self.empty_fields]
        self.submitted = True
        self.save()
        if missing:
            return f"Submitted. Compare your card with the editors'. You left empty: {', '.join(missing)}."
        return "Submitted. Compare your card with the editors': where do you differ, and why?"

    def editors_card(self) -> dict[str, str]:
        """Return the editors' card (empty strings for a historian's extract without one)."""
        doc = self.document
        return {name: "" if _blank(doc.get(f"card_{name}")) else str(doc[f"card_{name}"]) for name, _, _ in CARD_FIELDS}


class AnswerWork(_Work):
    """A learner's written answer to one prompt: the text, its check, and the strong answer.

    Parameters
    ----------
    prompt_id : str
        A prompt id from the ``prompts`` table, e.g. ``"l04_central"``.
    store : Store, optional
        Where the answer is saved; the learner's default store by default.

    Raises
    ------
    UnknownNameError
        For an unknown prompt id (with a suggestion).
    """

    kind = "answer"

    def __init__(self, prompt_id: str, store: Store | None = None):
        self.prompt = _prompt(prompt_id)
        super().__init__(int(self.prompt["lesson"]), prompt_id, store)
        self.prompt_id = prompt_id
        self.text = ""
        self.revealed = False
        self._docs: dict[str, dict[str, Any]] | None = None
        self._load()

    def _value(self) -> dict[str, Any]:
        return {"text": self.text, "revealed": self.revealed}

    def _restore(self, value: dict[str, Any]) -> None:
        self.text = str(value.get("text", "") or "")
        self.revealed = bool(value.get("revealed"))

    def set_text(self, text: str) -> None:
        """Set the answer (any text) and note the change."""
        self.text = "" if text is None else str(text)
        self.changed()

    def check(self) -> AnswerCheck:
        """Return the word count, the documents cited and what to improve."""
        if self._docs is None:
            self._docs = _documents()  # read once per answer box, not on every keystroke
        return check_answer(self.text, self.lesson, self._docs)

    def reveal(self) -> str | None:
        """Reveal what a strong answer includes, once something is written; return it (or None)."""
        if not self.text.strip():
            return None
        self.revealed = True
        self.save()
        return str(self.prompt["strong_answer"])
