"""Kernel-free HTML: toggles over pre-rendered states, self-check quizzes and answer boxes.

What this module writes works in a page with no kernel and no JavaScript: the course website
(Sphinx), nbconvert HTML (nbviewer) and a trusted notebook. The controls are plain form elements
switched by CSS alone (radio buttons or selects with ``:has()``; Chromium 105+, Firefox 121+,
Safari 15.4+). Where a viewer strips ``<style>`` (an untrusted notebook in JupyterLab, GitHub),
the controls stay hidden by their inline ``display:none`` and the content falls back to a
readable stacked list: one heading per state, options listed, answers folded in ``<details>``.

Each widget of the HTML is its own ``<form>``, so radio groups of two toggles never mix, and
every name is a hash of what the widget shows (never random), so stored outputs are stable
under ``nbval``.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["toggle_html", "quiz_html", "answer_html"]

#: Inline PNG data, left out of the names' hashes (nbval compares images by its own rules).
_PNG = re.compile(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+")
_BLUE, _GREEN, _RED = "#0072B2", "#009E73", "#D55E00"

_TOGGLE_CSS = f"""
.lessons-toggle{{margin:0.5em 0}}
.lessons-toggle>.lt-tabs{{display:flex!important;flex-wrap:wrap;gap:4px;align-items:center;margin:0 0 6px}}
.lessons-toggle>.lt-tabs>.lt-legend{{font-weight:bold;margin-right:4px}}
.lessons-toggle>.lt-tabs>label{{border:1px solid {_BLUE};border-radius:4px;padding:4px 12px;cursor:pointer;
 background:#fff;color:{_BLUE};font:inherit;line-height:1.4}}
.lessons-toggle>.lt-tabs>label>input{{position:absolute;opacity:0;width:1px;height:1px;margin:0}}
.lessons-toggle>.lt-tabs>label:has(input:checked){{background:{_BLUE};color:#fff}}
.lessons-toggle>.lt-tabs>label:has(input:focus-visible){{outline:3px solid #E69F00;outline-offset:1px}}
.lessons-toggle>.lt-panes>.lt-pane{{display:none}}
.lessons-toggle>.lt-panes>.lt-pane>.lt-h{{display:none}}
@media print{{.lessons-toggle>.lt-tabs{{display:none!important}}
 .lessons-toggle>.lt-panes>.lt-pane,.lessons-toggle>.lt-panes>.lt-pane>.lt-h{{display:block!important}}}}
"""

_QUIZ_CSS = f"""
.lessons-self-check .lq-list{{display:none}}
.lessons-self-check .lq-slots{{display:block!important}}
.lessons-self-check .lq-opts>label{{display:block;padding:2px 6px;border-radius:4px;cursor:pointer}}
.lessons-self-check .lq-opts>label:has(input.ok:checked){{background:#e5f5ef;outline:2px solid {_GREEN}}}
.lessons-self-check .lq-opts>label:has(input.no:checked){{background:#fbece4;outline:2px solid {_RED}}}
.lessons-self-check select{{font:inherit;max-width:100%;margin:2px 0}}
.lq-form:has(.ok:checked):not(:has(.no:checked)):not(:has(.none:checked)) .lq-right,
.lq-form:has(.no:checked) .lq-wrong,
.lq-form:has(.ok:checked):not(:has(.no:checked)):not(:has(.none:checked)) .lq-after,
.lq-form:has(.no:checked) .lq-after{{display:block!important}}
.lq-form:has(.ok:checked):not(:has(.no:checked)):not(:has(.none:checked))>details,
.lq-form:has(.no:checked)>details{{display:none}}
.lessons-self-check .lq-right{{color:{_GREEN}}}
.lessons-self-check .lq-wrong{{color:{_RED}}}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _name(kind: str, *parts: Iterable[str] | str) -> str:
    """Return a deterministic name made from what a widget shows (inline images left out)."""
    digest = hashlib.sha256(kind.encode())
    for part in parts:
        for text in [part] if isinstance(part, str) else part:
            digest.update(b"\0" + _PNG.sub("", text).encode())
    return f"{kind}-{digest.hexdigest()[:12]}"


def toggle_html(states: Sequence[tuple[str, str]], legend: str = "", selected: int = 0) -> str:
    """Return a kernel-free toggle: one button per state, switching pre-rendered views with CSS only.

    Parameters
    ----------
    states : sequence of (str, str)
        ``(label, body)`` pairs: the button's label (plain text; it is escaped) and the state's
        view (HTML, for example an ``<img>`` or an app's cards; inserted as given).
    legend : str
        A short name of the control, shown before the buttons (plain text).
    selected : int
        Index of the state shown first.

    Returns
    -------
    str
        HTML: a ``<form class="lessons-toggle">`` with a scoped ``<style>``, the buttons (hidden
        inline, shown by the style) and one pane per state headed by its label (the headings are
        hidden by the style). Without the style every state shows, stacked under its heading.

    Raises
    ------
    ValueError
        If there are no states, or `selected` is not one of them.

    Examples
    --------
    >>> page = toggle_html([("All", "<p>a</p>"), ("Leninism", "<p>b</p>")], legend="Ideology")
    >>> page.count("class='lt-pane'")
    2
    """
    if not states:
        raise ValueError("a toggle needs at least one state")
    if not 0 <= selected < len(states):
        raise ValueError(f"selected={selected} is not a state; there are {len(states)} (0 to {len(states) - 1})")
    labels = [str(label) for label, _ in states]
    name = _name("lt", labels, [body for _, body in states], legend)
    show = "".join(
        f".lessons-toggle:has(>.lt-tabs>label:nth-of-type({i})>input:checked)>.lt-panes>.lt-pane:nth-child({i})"
        "{display:block}"
        for i in range(1, len(states) + 1)
    )
    buttons = "".join(
        f"<label><input type='radio' name='{name}' value='{i}'{' checked' if i == selected else ''}>"
        f"{_esc(label)}</label>"
        for i, label in enumerate(labels)
    )
    caption = f"<span class='lt-legend'>{_esc(legend)}</span>" if legend else ""
    aria = f" aria-label='{_esc(legend)}'" if legend else ""
    panes = "".join(
        f"<div class='lt-pane' data-state='{i}'><h4 class='lt-h'>{_esc(label)}</h4>{body}</div>"
        for i, (label, body) in enumerate(states)
    )
    return (
        f"<form class='lessons-toggle' data-toggle='{name}'><style>{_TOGGLE_CSS}{show}</style>"
        f"<div class='lt-tabs' role='radiogroup'{aria} style='display:none'>{caption}{buttons}</div>"
        f"<div class='lt-panes'>{panes}</div></form>"
    )


def _slot_select(name: str, index: int, aria: str, options: list[tuple[str, bool]]) -> str:
    items = "".join(
        f"<option value='{i}' class='{'ok' if right else 'no'}'>{_esc(label)}</option>"
        for i, (label, right) in enumerate(options)
    )
    return (
        f"<select name='{name}-{index}' aria-label='{_esc(aria)}'>"
        f"<option value='' class='none' selected>(choose)</option>{items}</select>"
    )


def _question_html(q: Any, labels: dict[str, str], sources: list[str]) -> str:
    """One question as a form: choose, then CSS shows the verdict, explanation and source."""
    name = _name("lq", str(q.id))
    parts = q.answer.split("|")
    if q.kind == "multiple_choice":
        answer = _esc(labels[q.answer])
        radios = "".join(
            f"<label><input type='radio' name='{name}' value='{_esc(o)}' class='{'ok' if o == q.answer else 'no'}'> "
            f"{_esc(labels[o])}</label>"
            for o in q.options
        )
        choose = f"<div class='lq-opts' role='radiogroup' aria-label='Answers'>{radios}</div>"
    elif q.kind == "ordering":
        answer = " &rarr; ".join(_esc(labels[p]) for p in parts)
        listed = "".join(f"<li>{_esc(labels[o])}</li>" for o in q.options)
        slots = "".join(
            f"<li>{_slot_select(name, n, f'Position {n + 1}', [(labels[o], o == right) for o in q.options])}</li>"
            for n, right in enumerate(parts)
        )
        choose = f"<ul class='lq-list'>{listed}</ul><ol class='lq-slots' style='display:none'>{slots}</ol>"
    else:  # matching: each option gets one of the values
        pairs = dict(p.split("=", 1) for p in parts)
        answer = "; ".join(f"{_esc(labels[k])}: {_esc(labels[v])}" for k, v in pairs.items())
        values = sorted(set(pairs.values()), key=labels.__getitem__)
        listed = "".join(f"<li>{_esc(labels[o])}</li>" for o in q.options)
        slots = "".join(
            f"<li>{_esc(labels[o])}: "
            f"{_slot_select(name, n, labels[o], [(labels[v], v == pairs[o]) for v in values])}</li>"
            for n, o in enumerate(q.options)
        )
        choose = (
            f"<ul class='lq-list'>{listed}</ul><p class='lq-list'>Choices: "
            f"{' / '.join(_esc(labels[v]) for v in values)}</p>"
            f"<ul class='lq-slots' style='display:none'>{slots}</ul>"
        )
    cited = "".join(f"<li>{_esc(s)}</li>" for s in sources)
    explained = f"<p>{_esc(q.explanation)}</p><p><b>Source</b></p><ul class='lessons-sources'>{cited}</ul>"
    return (
        f"<form class='lq-form' data-question='{_esc(q.id)}'><p>{_esc(q.prompt)}</p>{choose}"
        f"<p class='lq-right' style='display:none'><b>Correct!</b></p>"
        f"<p class='lq-wrong' style='display:none'><b>Not quite.</b> The answer: {answer}</p>"
        f"<div class='lq-after' style='display:none'>{explained}</div>"
        f"<details><summary>Show the answer</summary><p><b>{answer}</b></p>{explained}</details>"
        "</form>"
    )


def quiz_html(questions: Any, note: str = "") -> str:
    """Return a kernel-free self-check: choose an answer, then see the verdict, explanation and source.

    Multiple-choice questions are radio buttons; ordering and matching questions have one
    select per position or item. CSS alone shows "Correct!" (every part right) or
    "Not quite." with the answer (any part wrong), then the explanation and sources. Without
    styles the options are listed and the answer is folded under "Show the answer".

    Parameters
    ----------
    questions : pandas.DataFrame
        Rows of the ``questions`` table, in the order to ask them.
    note : str
        HTML shown above the questions (for example how many of the bank are shown).

    Returns
    -------
    str
        HTML: an ``<ol class="lessons-self-check">`` of one ``<form>`` per question.
    """
    from lessons_lib.data import format_sources
    from lessons_lib.labels import question_labels

    items = "".join(
        f"<li>{_question_html(q, question_labels(q), format_sources(q.sources))}</li>" for q in questions.itertuples()
    )
    return f"<style>{_QUIZ_CSS}</style>{note}<ol class='lessons-self-check'>{items}</ol>"


def answer_html(key: str, prompt_html: str, strong_html: str = "", placeholder: str = "") -> str:
    """Return a kernel-free answer box: the prompt, a text area and what a strong answer includes, folded.

    The text area works on any page; the course website's own script (not part of this HTML)
    keeps what is typed in the browser's local storage under `key` and offers a download.

    Parameters
    ----------
    key : str
        The prompt's id (the storage key on the website).
    prompt_html : str
        The prompt, as HTML.
    strong_html : str
        What a strong answer includes, as HTML (folded; empty for none).
    placeholder : str
        Text shown in the empty box (plain text).

    Returns
    -------
    str
        HTML: a ``<form class="lessons-answer-static">``.
    """
    folded = f"<details><summary>What a strong answer includes</summary>{strong_html}</details>" if strong_html else ""
    return (
        f"<form class='lessons-answer-static' data-answer='{_esc(key)}'>{prompt_html}"
        f"<textarea name='{_esc(key)}' rows='8' style='width:100%;box-sizing:border-box;font:inherit' "
        f"aria-label='Your answer' placeholder='{_esc(placeholder)}'></textarea>"
        "<p class='la-note'><small>Without a running notebook this box is not saved: copy what you write "
        "somewhere safe.</small></p>"
        f"{folded}</form>"
    )
