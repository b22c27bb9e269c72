"""The widgets a learner works in: a document pack, a sourcing card and an answer box."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ipywidgets as w

from lessons_lib.apps._base import _App, _message
from lessons_lib.data import format_sources
from lessons_lib.store import Store
from lessons_lib.work._logic import (
    _KIND_LABEL,
    CARD_FIELDS,
    AnswerWork,
    CardWork,
    _blank,
    _date_text,
    _document,
    _esc,
    _inline,
    _paragraphs,
    _Work,
)
from lessons_lib.work.exemplars import exemplar_rows, exemplars_html, rubric_html

# --- the widgets ----------------------------------------------------------------------------


def _status(work: _Work) -> str:
    notice = _message(work.notice, "info") if work.notice else ""
    if work.problem:
        return _message(work.problem, "error") + notice
    if work.saved_at:
        when = dt.datetime.fromisoformat(work.saved_at).astimezone().strftime("%H:%M:%S")
        return _message(f"Saved at {when} in your work folder ({work.store.root}).", "ok") + notice
    return _message("Not saved yet: your work is saved as you type.", "info") + notice


def _is_translation(doc: dict[str, Any]) -> bool:
    """Whether the document's wording is a translation (its ``translation`` cell names one).

    A text written in English says so in that cell ("Written in English by Reed. Text of ...").
    """
    note = doc.get("translation")
    return not _blank(note) and not str(note).lstrip().lower().startswith(_WRITTEN_IN_ENGLISH)


_WRITTEN_IN_ENGLISH = "written in english"
_BRACKETED = re.compile(r"\[(?!\.\.\.\])([^\[\]\n]{1,80})\]")


def _wording_html(text: str) -> str:
    """Return a document's wording as paragraphs, with words in square brackets marked (not cuts)."""
    out = []
    for para in str(text).splitlines():
        if para.strip():
            marked = _BRACKETED.sub(
                r"<span class='lessons-editorial' title='in square brackets in the copy checked'>[\1]</span>",
                _esc(para),
            )
            out.append(f"<p>{marked}</p>")
    return "".join(out)


def _header_html(doc: dict[str, Any]) -> str:
    return (
        f"<h4>{_esc(doc['title'])}</h4>"
        f"<p><strong>{_esc(doc['author'])}</strong>, {_esc(_date_text(doc))} &middot; "
        f"{_KIND_LABEL[doc['kind']]} &middot; cite as <code>[{_esc(doc['id'])}]</code></p>"
    )


def _document_html(doc: dict[str, Any], version: str = "original", fold_adapted: bool = True) -> str:
    """One document: header, wording, its plain-language version folded, notes folded, the task last.

    Parameters
    ----------
    doc : dict
        A row of the ``documents`` table.
    version : str
        ``"original"`` (the wording as published) or ``"adapted"`` (the plain-language version
        in its place, for a document that has one).
    fold_adapted : bool
        Show a primary document's plain-language version folded under the original (a document
        pack); False where the reader switches versions with a toggle (the sourcing card).
    """
    adapted = not _blank(doc.get("adapted"))
    show_adapted = version == "adapted" and adapted
    parts = [_header_html(doc)]
    if show_adapted:
        parts.append("<p><em>Adapted version: the editors' plain-language retelling, not a quotation.</em></p>")
    wording = _wording_html(doc["adapted"] if show_adapted else doc["text"])
    parts.append(f"<blockquote class='lessons-document-text'>{wording}</blockquote>")
    if not show_adapted and _BRACKETED.search(str(doc["text"])):
        parts.append(
            "<p><small>Words in square brackets are printed so in the copy checked (a translator's, editor's or"
            " author's addition); [...] marks a cut.</small></p>"
        )
    if fold_adapted and not show_adapted and adapted and doc["kind"] == "primary":
        parts.append(
            "<details class='lessons-adapted'><summary>Plain-language version</summary>"
            f"<p><em>The editors' retelling, not a quotation.</em></p>{_paragraphs(doc['adapted'])}</details>"
        )
    if doc["kind"] == "historian" and not _blank(doc.get("school")):
        parts.append(f"<p><small>School of interpretation: {_esc(doc['school'])}</small></p>")
    if _is_translation(doc):
        parts.append(f"<p><small>Translation: {_esc(doc['translation'])}</small></p>")
    elif not _blank(doc.get("translation")):
        parts.append(f"<p><small>{_esc(doc['translation'])}</small></p>")  # written in English: the edition used
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

    Each document shows its title, author, date and the wording as published (words in square
    brackets, as printed in the copy checked, marked); a primary document's plain-language version
    is folded right below it, and a historian's extract names its school of interpretation. The
    translator (for a translated text), the context and where the wording was checked follow,
    context and checking folded, and the document's task closes it. Every text is escaped.

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

    parts = [
        f"<div class='lessons-document' id='doc-{_esc(doc['id'])}'>{_document_html(doc)}</div>"
        for doc in (_document(doc_id) for doc_id in ids)
    ]
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
        f"<tr><th style='text-align:left;vertical-align:top'>{_esc(label)}</th>"
        f"<td style='text-align:left;vertical-align:top'>{_esc(question)}</td>"
        "<td style='min-width:28em;border-bottom:1px solid #999'>&nbsp;</td></tr>"
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
        doc = self.work.document
        return f"Sourcing card for {doc['title']} ({doc['author']}). Run the notebook to fill it in here."

    def _typed(self, name: str, change: dict[str, Any]) -> None:
        self.work.set(name, change["new"])
        self.status.value = _status(self.work)

    def _render(self) -> str:
        return _document_html(self.work.document, self.version.value, fold_adapted=False)

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
        """Return which document the card is for and a blank card, for pages read without a kernel.

        The document itself is not repeated: the lesson prints it in its document pack.
        """
        doc = self.work.document
        return (
            f"<div class='lessons-sourcing-card'>{_header_html(doc)}<p>Read the document in the lesson's "
            f"document pack (<a href='#doc-{_esc(doc['id'])}'>{_esc(doc['title'])}</a>), then fill in the card."
            f"</p>{_blank_card_html()}</div>"
        )


class Answer(_App):
    """Write an answer to a prompt, cite documents as ``[doc_id]``, then see what a strong answer includes.

    For a prompt with exemplars (lesson 9's essays), the reveal also shows the rubric and three
    annotated exemplars (weak, middle, strong) to compare with what the learner wrote.

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
        self.has_exemplars = bool(exemplar_rows(prompt_id))
        reveal = "Show what a strong answer includes" + (
            ", the rubric and three exemplars" if self.has_exemplars else ""
        )
        self.reveal_button = w.Button(description=reveal, layout=w.Layout(width="auto"))
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
        return f"Answer box for: {self.work.prompt['prompt']} Run the notebook to write your answer here."

    def _typed(self, change: dict[str, Any]) -> None:
        self.work.set_text(change["new"])
        self._update()

    def _render(self) -> str:
        return "".join(_message(text, kind) for kind, text in self.work.check().messages)

    def _show(self, view: str) -> None:
        self.feedback.value = view
        self.status.value = _status(self.work)
        self.strong.value = self._revealed_html() if self.work.revealed else ""

    def _revealed_html(self) -> str:
        """Return what a strong answer includes; for an essay with exemplars, the rubric and exemplars too."""
        shown = _strong_html(self.work.prompt)
        if self.has_exemplars:
            shown += rubric_html() + exemplars_html(self.work.prompt_id)
        return shown

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

    def kernel_free_html(self) -> str:
        """Return the answer box as a kernel-free form (a text area; the website keeps its text)."""
        from lessons_lib.static import answer_html

        prompt = self.work.prompt
        return answer_html(self.work.prompt_id, _prompt_html(prompt), _strong_html(prompt), self.box.placeholder)

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
