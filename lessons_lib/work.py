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
(from the teacher guide). Documents come from the ``documents`` table.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import difflib
import html
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from lessons_lib.apps._base import _App, _message
from lessons_lib.data import check_choice, format_sources, load
from lessons_lib.store import Record, Store, StoreError

__all__ = [
    "documents",
    "SourcingCard",
    "Answer",
    "portfolio",
    "progress",
    "CardWork",
    "AnswerWork",
    "check_answer",
    "cited_ids",
    "CARD_FIELDS",
]

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


def _documents() -> dict[str, dict[str, Any]]:
    frame = load("documents")
    return {row["id"]: row for row in frame.to_dict("records")}


def _document(doc_id: str) -> dict[str, Any]:
    docs = _documents()
    check_choice(doc_id, docs, "document id")
    return docs[doc_id]


def _prompt(prompt_id: str) -> dict[str, Any]:
    prompts = {row["id"]: row for row in load("prompts").to_dict("records")}
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
        For a lesson that does not use the document.
    """

    kind = "card"

    def __init__(self, doc_id: str, lesson: int | None = None, store: Store | None = None):
        self.document = _document(doc_id)
        lessons = _lessons(self.document)
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


# --- the widgets ----------------------------------------------------------------------------


def _status(work: _Work) -> str:
    notice = _message(work.notice, "info") if work.notice else ""
    if work.problem:
        return _message(work.problem, "error") + notice
    if work.saved_at:
        when = dt.datetime.fromisoformat(work.saved_at).astimezone().strftime("%H:%M:%S")
        return _message(f"Saved at {when} in your work folder ({work.store.root}).", "ok") + notice
    return _message("Not saved yet: your work is saved as you type.", "info") + notice


def _document_html(doc: dict[str, Any], version: str = "original") -> str:
    text = doc["adapted"] if version == "adapted" and not _blank(doc.get("adapted")) else doc["text"]
    note = (
        "<p><em>Adapted version: the editors' plain-language retelling, not a quotation.</em></p>"
        if version == "adapted" and not _blank(doc.get("adapted"))
        else ""
    )
    parts = [
        f"<h4>{_esc(doc['title'])}</h4>",
        f"<p><strong>{_esc(doc['author'])}</strong>, {_esc(_date_text(doc))} &middot; "
        f"{_KIND_LABEL[doc['kind']]} &middot; cite as "
        f"<code>[{_esc(doc['id'])}]</code></p>",
        note,
        f"<blockquote class='lessons-document-text'>{_paragraphs(text)}</blockquote>",
    ]
    if not _blank(doc.get("translation")):
        parts.append(f"<p><small>Translation: {_esc(doc['translation'])}</small></p>")
    if not _blank(doc.get("context")):
        parts.append(f"<details><summary>Context</summary>{_paragraphs(doc['context'])}</details>")
    sources = "".join(f"<li>{_esc(s)}</li>" for s in format_sources(doc["sources"]))
    parts.append(
        f"<details><summary>Where the wording was checked</summary><p>{_esc(doc['verified_at'])}</p>"
        f"<ul class='lessons-sources'>{sources}</ul><p><small>{_esc(doc['rights'])}</small></p></details>"
    )
    if not _blank(doc.get("task")):
        parts.append(f"<p class='lessons-task'><strong>Task.</strong> {_esc(doc['task'])}</p>")
    return "".join(parts)


def documents(ids: list[str] | tuple[str, ...]) -> Any:
    """Show several documents as a document pack a learner reads, without a kernel.

    Each document shows its title, author, date and the wording as published; a primary
    document's plain-language version is folded below it, and a historian's extract names its
    school of interpretation. Context, translation and where the wording was checked are folded
    too, and the document's task closes it. Every text is escaped.

    Parameters
    ----------
    ids : list of str
        Document ids from the ``documents`` table, in the order to show them.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    lessons_lib.data.UnknownNameError
        If an id is not a document (with a suggestion).

    Examples
    --------
    >>> documents(["tenth_congress_on_party_unity_1921"])  # doctest: +SKIP
    """
    from IPython.display import HTML

    docs = [_document(doc_id) for doc_id in ids]
    parts = []
    for doc in docs:
        extra = ""
        if doc["kind"] == "historian" and not _blank(doc.get("school")):
            extra = f"<p><small>School of interpretation: {_esc(doc['school'])}</small></p>"
        if doc["kind"] == "primary" and not _blank(doc.get("adapted")):
            extra = (
                "<details class='lessons-adapted'><summary>Plain-language version</summary>"
                "<p><em>The editors' retelling, not a quotation.</em></p>"
                f"{_paragraphs(doc['adapted'])}</details>"
            )
        parts.append(f"<div class='lessons-document' id='doc-{_esc(doc['id'])}'>{_document_html(doc)}{extra}</div>")
    return HTML(f"<div class='lessons-documents'>{''.join(parts)}</div>")


def _comparison_html(mine: dict[str, str], editors: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{_esc(label)}</th>"
        f"<td>{_esc(mine[name]) or '<em>(empty)</em>'}</td><td>{_esc(editors[name]) or '<em>(none)</em>'}</td></tr>"
        for name, label, _ in CARD_FIELDS
    )
    return (
        "<table class='lessons-card-compare'><thead><tr><th></th><th>Your card</th><th>The editors' card</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _blank_card_html() -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{_esc(label)}</th><td>{_esc(question)}</td>"
        "<td style='min-width:16em;border-bottom:1px solid #999'>&nbsp;</td></tr>"
        for _, label, question in CARD_FIELDS
    )
    return f"<table class='lessons-card-blank'><caption>Sourcing card</caption><tbody>{rows}</tbody></table>"


class SourcingCard(_App):
    """Read a document (original or adapted) and fill in a sourcing card; then see the editors'.

    Parameters
    ----------
    doc_id : str
        A document id from the ``documents`` table.
    lesson : int, optional
        The lesson the card is filled in (one of the document's lessons).
    store : Store, optional
        Where the card is saved; the learner's store by default.
    """

    css_class = "lessons-sourcing-card"

    def __init__(self, doc_id: str, lesson: int | None = None, store: Store | None = None):
        self.work = CardWork(doc_id, lesson, store)
        doc = self.work.document
        options = [("Original", "original")]
        if not _blank(doc.get("adapted")):
            options.append(("Adapted (plain language)", "adapted"))
        self.version = w.ToggleButtons(options=options, value="original", description="Read:")
        self.document_html = w.HTML()
        self.inputs = {
            name: w.Textarea(
                value=self.work.fields[name],
                placeholder=question,
                description=label,
                layout=w.Layout(width="98%", height="4em"),
                style={"description_width": "14em"},
            )
            for name, label, question in CARD_FIELDS
        }
        self.save_button = w.Button(description="Save", icon="save")
        self.submit_button = w.Button(description="Submit and compare", button_style="primary")
        self.status = w.HTML()
        self.comparison = w.HTML()
        children = [
            self.version, self.document_html, w.HTML("<h4>Your sourcing card</h4>"), *self.inputs.values(),
            w.HBox([self.save_button, self.submit_button]), self.status, self.comparison,
        ]  # fmt: skip
        super().__init__(children, message=self.status)
        self.version.observe(lambda _: self._safely(self._update), names="value")
        for name, box in self.inputs.items():
            box.observe(lambda change, name=name: self._safely(lambda: self._typed(name, change)), names="value")
        self._on_click(self.save_button, self.save)
        self._on_click(self.submit_button, self.submit)
        self._update()

    def __repr__(self) -> str:
        return f"<SourcingCard for {self.work.doc_id!r}. Run the notebook to fill it in.>"

    def _typed(self, name: str, change: dict[str, Any]) -> None:
        self.work.set(name, change["new"])
        self.status.value = _status(self.work)

    def _render(self) -> str:
        return _document_html(self.work.document, self.version.value)

    def _show(self, view: str) -> None:
        self.document_html.value = view
        self.status.value = _status(self.work)
        self.comparison.value = (
            _comparison_html(self.work.fields, self.work.editors_card()) if self.work.submitted else ""
        )

    def save(self) -> None:
        """Save the card now."""
        self.work.save()
        self.status.value = _status(self.work)

    def submit(self) -> None:
        """Submit the card and show the editors' card beside it."""
        text = self.work.submit()
        self._show(self.document_html.value)
        if not self.work.problem:
            self.status.value = _message(text, "ok")

    def snapshot_html(self) -> str:
        """Return the document (original wording) and a blank card, for pages read without a kernel."""
        return f"<div class='lessons-sourcing-card'>{_document_html(self.work.document)}{_blank_card_html()}</div>"


class Answer(_App):
    """Write an answer to a prompt, cite documents as ``[doc_id]``, then see what a strong answer includes.

    Parameters
    ----------
    prompt_id : str
        A prompt id from the ``prompts`` table, e.g. ``"l04_central"``.
    store : Store, optional
        Where the answer is saved; the learner's store by default.
    """

    css_class = "lessons-answer"

    def __init__(self, prompt_id: str, store: Store | None = None):
        self.work = AnswerWork(prompt_id, store)
        self.prompt_html = w.HTML(_prompt_html(self.work.prompt))
        self.box = w.Textarea(
            value=self.work.text,
            placeholder="Write your answer here. Cite documents as [document_id].",
            layout=w.Layout(width="98%", height="12em"),
        )
        self.feedback = w.HTML()
        self.save_button = w.Button(description="Save", icon="save")
        self.reveal_button = w.Button(description="Show what a strong answer includes")
        self.strong = w.HTML()
        self.status = w.HTML()
        children = [
            self.prompt_html, self.box, self.feedback, w.HBox([self.save_button, self.reveal_button]),
            self.status, self.strong,
        ]  # fmt: skip
        super().__init__(children, message=self.status)
        self.box.observe(lambda change: self._safely(lambda: self._typed(change)), names="value")
        self._on_click(self.save_button, self.save)
        self._on_click(self.reveal_button, self.reveal)
        self._update()

    def __repr__(self) -> str:
        return f"<Answer to {self.work.prompt_id!r}. Run the notebook to write in it.>"

    def _typed(self, change: dict[str, Any]) -> None:
        self.work.set_text(change["new"])
        self._update()

    def _render(self) -> str:
        return "".join(_message(text, kind) for kind, text in self.work.check().messages)

    def _show(self, view: str) -> None:
        self.feedback.value = view
        self.status.value = _status(self.work)
        self.strong.value = _strong_html(self.work.prompt) if self.work.revealed else ""

    def save(self) -> None:
        """Save the answer now."""
        self.work.save()
        self.status.value = _status(self.work)

    def reveal(self) -> None:
        """Show what a strong answer includes (once something is written)."""
        if self.work.reveal() is None:
            self.status.value = _message(
                "Write your answer first; then compare it with what a strong answer includes.", "info"
            )
            return
        self._show(self.feedback.value)

    def snapshot_html(self) -> str:
        """Return the prompt and an empty answer space, for pages read without a kernel."""
        return (
            f"<div class='lessons-answer'>{_prompt_html(self.work.prompt)}"
            "<div style='border:1px solid #999;min-height:8em;padding:0.5em'><em>Your answer (cite documents"
            " as [document_id])</em></div></div>"
        )


def _prompt_html(prompt: dict[str, Any]) -> str:
    label = {
        "central": "Central question",
        "discussion": "Discussion",
        "essay": "Essay",
        "interpretation": "Interpretation",
    }[prompt["kind"]]
    return (
        f"<p class='lessons-prompt'><strong>Lesson {int(prompt['lesson'])}, {label}.</strong> "
        f"{_inline(prompt['prompt'])}</p>"
    )


def _strong_html(prompt: dict[str, Any]) -> str:
    sources = "".join(f"<li>{_esc(s)}</li>" for s in format_sources(prompt["sources"]))
    listed = f"<ul class='lessons-sources'>{sources}</ul>" if sources else ""
    return (
        "<div class='lessons-strong-answer'><h4>What a strong answer includes</h4>"
        f"<p>{_inline(prompt['strong_answer'])}</p>{listed}</div>"
    )


# --- portfolio and progress -----------------------------------------------------------------


def _record_html(record: Record, docs: dict[str, dict[str, Any]], prompts: dict[str, dict[str, Any]]) -> str:
    value = record.value if isinstance(record.value, dict) else {}
    if record.kind == "answer":
        prompt = prompts.get(record.item)
        question = _inline(prompt["prompt"]) if prompt else _esc(record.item)
        return f"<h3>{question}</h3>{_paragraphs(value.get('text', '')) or '<p><em>(empty)</em></p>'}"
    doc = docs.get(record.item)
    title = f"{_esc(doc['title'])} ({_esc(doc['author'])}, {_esc(_date_text(doc))})" if doc else _esc(record.item)
    fields = _as_dict(value.get("fields"))
    rows = "".join(
        f"<tr><th style='text-align:left'>{_esc(label)}</th><td>{_esc(fields.get(name, '')) or _EMPTY}</td></tr>"
        for name, label, _ in CARD_FIELDS
    )
    state = "submitted" if value.get("submitted") else "draft"
    return f"<h3>Sourcing card: {title} <small>[{_esc(record.item)}], {state}</small></h3><table>{rows}</table>"


def portfolio_html(store: Store | None = None) -> str:
    """Return everything the learner wrote, with the documents it cites, as one HTML page.

    Parameters
    ----------
    store : Store, optional
        The learner's store by default.

    Returns
    -------
    str
        A complete HTML document; every learner text is escaped (markup shows as text).
    """
    store = store if store is not None else Store()
    docs = _documents()
    prompts = {row["id"]: row for row in load("prompts").to_dict("records")}
    records = [r for r in store.records() if r.kind in ("answer", "card")]
    body, cited = [], []
    for lesson in sorted({r.lesson for r in records}):
        body.append(f"<h2>Lesson {lesson}</h2>")
        for record in (r for r in records if r.lesson == lesson):
            body.append(_record_html(record, docs, prompts))
            if record.kind == "answer" and isinstance(record.value, dict):
                about = "hist_" + record.item.split("_interp_", 1)[1] if "_interp_" in record.item else ""
                cited += [about] if about in docs else []  # the extract an interpretation answer judges
                cited += [d for d in cited_ids(str(record.value.get("text", ""))) if d in docs]
            elif record.kind == "card":
                cited.append(record.item)
    if not records:
        body.append("<p>Nothing written yet: sourcing cards and answers appear here once you write in them.</p>")
    used = [d for d in dict.fromkeys(cited) if d in docs]
    if used:
        items = "".join(
            f"<li><strong>[{_esc(d)}]</strong> {_esc(docs[d]['author'])}, <em>{_esc(docs[d]['title'])}</em>, "
            f"{_esc(_date_text(docs[d]))}. Wording checked: {_esc(docs[d]['verified_at'])}. "
            f"Sources: {_esc('; '.join(format_sources(docs[d]['sources'])))}</li>"
            for d in used
        )
        body.append(f"<h2>Documents cited</h2><ol>{items}</ol>")
    made = dt.datetime.now().astimezone().strftime("%d %B %Y, %H:%M")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>My portfolio</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        "td,th{vertical-align:top;padding:0.2em 0.6em;border-bottom:1px solid #ddd}</style></head><body>"
        f"<h1>My portfolio: Leninism, Trotskyism and Stalinism</h1><p>Exported {_esc(made)}.</p>"
        + "".join(body)
        + "</body></html>\n"
    )


def portfolio(path: str | Path = "my_portfolio.html", store: Store | None = None) -> Path:
    """Write everything the learner wrote, with the documents cited, to one HTML file to hand in.

    Parameters
    ----------
    path : str or Path
        The file to write (``my_portfolio.html`` in the current folder by default).
    store : Store, optional
        The learner's store by default.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> portfolio("my_portfolio.html")  # doctest: +SKIP
    PosixPath('my_portfolio.html')
    """
    for throttle in list(_PENDING):
        throttle.flush()
    target = Path(path)
    target.write_text(portfolio_html(store), encoding="utf-8")
    return target


def progress_rows(store: Store | None = None) -> list[dict[str, Any]]:
    """Return one row per lesson 1-9: cards started and submitted, answers written, quiz score.

    Parameters
    ----------
    store : Store, optional
        The learner's store by default.

    Returns
    -------
    list of dict
        Keys ``lesson``, ``cards``, ``submitted``, ``answers``, ``quiz_answered``, ``quiz_correct``.
    """
    store = store if store is not None else Store()
    rows = {n: {"lesson": n, "cards": 0, "submitted": 0, "answers": 0, "quiz_answered": 0, "quiz_correct": 0}
            for n in range(1, 10)}  # fmt: skip
    for record in store.records():
        row = rows.get(record.lesson)
        if row is None:
            continue
        value = record.value if isinstance(record.value, dict) else {}
        if record.kind == "card":
            row["cards"] += 1
            row["submitted"] += bool(value.get("submitted"))
        elif record.kind == "answer" and str(value.get("text", "")).strip():
            row["answers"] += 1
        elif record.kind == "quiz":
            row["quiz_answered"] += 1
            row["quiz_correct"] += value.get("correct") is True
    return list(rows.values())


def progress(store: Store | None = None) -> Any:
    """Show which lessons have work in them and the quiz scores.

    Parameters
    ----------
    store : Store, optional
        The learner's store by default.

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    cells = []
    for row in progress_rows(store):
        quiz = f"{row['quiz_correct']} of {row['quiz_answered']}" if row["quiz_answered"] else "&ndash;"
        started = row["cards"] or row["answers"] or row["quiz_answered"]
        cells.append(
            f"<tr><td>Lesson {row['lesson']}</td><td>{row['submitted']} of {row['cards']}</td>"
            f"<td>{row['answers']}</td><td>{quiz}</td><td>{'work saved' if started else 'not started'}</td></tr>"
        )
    return HTML(
        "<table class='lessons-progress'><thead><tr><th>Lesson</th><th>Sourcing cards submitted</th>"
        f"<th>Answers written</th><th>Quiz (correct)</th><th></th></tr></thead><tbody>{''.join(cells)}</tbody></table>"
    )
