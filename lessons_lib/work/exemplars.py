"""The essay rubric and annotated exemplar answers (weak, middle, strong), shown after writing.

The rubric comes from the ``rubric`` table (the teacher guide's marking criteria) and the
exemplars from the ``exemplars`` table: short answers the editors wrote at three levels, each
annotated against the rubric's criteria. :class:`~lessons_lib.work.Answer` shows them, with what
a strong answer includes, once the learner has written something; :func:`exemplars` and
:func:`rubric` show them in a lesson read without a kernel.
"""

from __future__ import annotations

from typing import Any

from lessons_lib.data import check_choice, format_sources, load
from lessons_lib.work._logic import _esc, _prompt, _records

LEVELS = ("weak", "middle", "strong")
_LEVEL_LABEL = {"weak": "A weak answer", "middle": "A middle answer", "strong": "A strong answer"}
_RUBRIC_LEVEL = {"strong": "Strong (excellent)", "middle": "Middle (adequate)", "weak": "Weak"}


def _rubric_rows() -> list[dict[str, Any]]:
    return list(_records("rubric").values())


def exemplar_rows(prompt_id: str) -> list[dict[str, Any]]:
    """Return a prompt's exemplar answers, weak first, as rows of the ``exemplars`` table.

    Parameters
    ----------
    prompt_id : str
        A prompt id from the ``prompts`` table.

    Returns
    -------
    list of dict
        Empty when the prompt has no exemplars.

    Raises
    ------
    lessons_lib.data.UnknownNameError
        For an unknown prompt id (with a suggestion).
    """
    _prompt(prompt_id)
    rows = [row for row in _records("exemplars").values() if row["prompt_id"] == prompt_id]
    return sorted(rows, key=lambda row: LEVELS.index(row["level"]))


def _annotations_html(text: str, criteria: dict[str, str]) -> str:
    items = []
    for line in str(text).splitlines():
        key, _, note = line.partition(":")
        if note:
            items.append(
                f"<li><strong>{_esc(criteria.get(key.strip(), key.strip()))}.</strong> {_esc(note.strip())}</li>"
            )
    return f"<ul class='lessons-annotations'>{''.join(items)}</ul>"


def _exemplar_html(row: dict[str, Any], criteria: dict[str, str]) -> str:
    paragraphs = "".join(f"<p>{_esc(p)}</p>" for p in str(row["text"]).splitlines() if p.strip())
    words = len(str(row["text"]).split())
    sources = "; ".join(format_sources(row["sources"]))
    return (
        f"<details class='lessons-exemplar lessons-exemplar-{_esc(row['level'])}'>"
        f"<summary>{_LEVEL_LABEL[row['level']]} ({words} words)</summary>"
        f"<blockquote>{paragraphs}</blockquote><p><strong>The editors' notes</strong></p>"
        f"{_annotations_html(row['annotations'], criteria)}<p><small>Written by the course editors for practice, "
        f"not a quotation. Facts from: {_esc(sources)}</small></p></details>"
    )


def rubric_html() -> str:
    """Return the essay rubric as an HTML table: each criterion, its weight and three levels."""
    head = "".join(f"<th>{_RUBRIC_LEVEL[level]}</th>" for level in reversed(LEVELS))
    rows = "".join(
        f"<tr><th style='text-align:left;vertical-align:top'>{_esc(row['criterion'])} ({int(row['weight'])}%)</th>"
        + "".join(
            f"<td style='text-align:left;vertical-align:top'>{_esc(row[level])}</td>" for level in reversed(LEVELS)
        )
        + "</tr>"
        for row in _rubric_rows()
    )
    return (
        "<table class='lessons-rubric'><caption>How essays are marked</caption>"
        f"<thead><tr><th>Criterion</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def exemplars_html(prompt_id: str) -> str:
    """Return a prompt's three annotated exemplars, each folded, or "" when it has none."""
    rows = exemplar_rows(prompt_id)
    if not rows:
        return ""
    criteria = {row["id"]: str(row["criterion"]) for row in _rubric_rows()}
    return (
        "<div class='lessons-exemplars'><h4>Three answers to compare with yours</h4>"
        "<p>Read them weakest first. For each, ask which rubric level it reaches on each criterion, then read "
        "the editors' notes.</p>" + "".join(_exemplar_html(row, criteria) for row in rows) + "</div>"
    )


def exemplars(prompt_id: str) -> Any:
    """Show a prompt's annotated exemplars (weak, middle, strong), folded, for a lesson read without a kernel.

    Parameters
    ----------
    prompt_id : str
        A prompt id with exemplars, e.g. ``"l09_essay_1"``.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    lessons_lib.data.UnknownNameError
        For an unknown prompt id (with a suggestion).
    ValueError
        For a prompt without exemplars (the message lists the prompts that have them).

    Examples
    --------
    >>> exemplars("l09_essay_1")  # doctest: +SKIP
    """
    from IPython.display import HTML

    shown = exemplars_html(prompt_id)
    if not shown:
        having = sorted(set(load("exemplars")["prompt_id"]))
        check_choice(prompt_id, having, "prompt with exemplars")
    return HTML(shown)


def rubric() -> Any:
    """Show the essay rubric: each criterion, its weight, and what a strong, middle and weak essay does.

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    return HTML(rubric_html())
