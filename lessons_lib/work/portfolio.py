"""Everything a learner wrote, as one file to hand in, and a view of their progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lessons_lib.data import format_sources
from lessons_lib.store import Record, Store
from lessons_lib.work._logic import (
    _EMPTY,
    _PENDING,
    CARD_FIELDS,
    _as_dict,
    _date_text,
    _documents,
    _esc,
    _inline,
    _paragraphs,
    _records,
    cited_ids,
)
from lessons_lib.work._tasks import task_checked, task_html, task_started

# --- portfolio and progress -----------------------------------------------------------------

#: The kinds of saved work the portfolio lists lesson by lesson (quizzes have a section of their own).
_WRITTEN = ("answer", "card", "task")


def _flushed(store: Store | None) -> Store:
    """Save at once what is still being typed, and return `store` (the learner's store by default)."""
    for throttle in list(_PENDING):
        throttle.flush()
    return store if store is not None else Store()


def _section(heading: str, body: str, level: int = 2) -> str:
    """Return a heading (HTML, already escaped) and the body under it."""
    return f"<h{level}>{heading}</h{level}>{body}"


def _record_html(record: Record, docs: dict[str, dict[str, Any]], prompts: dict[str, dict[str, Any]]) -> str:
    value = _as_dict(record.value)
    if record.kind == "task":
        return task_html(record)
    if record.kind == "answer":
        prompt = prompts.get(record.item)
        question = _inline(prompt["prompt"]) if prompt else _esc(record.item)
        return _section(question, _paragraphs(value.get("text", "")) or f"<p>{_EMPTY}</p>", 3)
    doc = docs.get(record.item)
    title = f"{_esc(doc['title'])} ({_esc(doc['author'])}, {_esc(_date_text(doc))})" if doc else _esc(record.item)
    fields = _as_dict(value.get("fields"))
    rows = "".join(
        f"<tr><th style='text-align:left'>{_esc(label)}</th><td>{_esc(fields.get(name, '')) or _EMPTY}</td></tr>"
        for name, label, _ in CARD_FIELDS
    )
    state = "submitted" if value.get("submitted") else "draft"
    return _section(
        f"Sourcing card: {title} <small>[{_esc(record.item)}], {state}</small>", f"<table>{rows}</table>", 3
    )


def _quizzes_html(records: list[Record]) -> str:
    """Return the quiz results: each quiz's scores and the answers chosen, right or wrong."""
    from lessons_lib.labels import question_labels

    bank = _records("questions")
    parts = []
    for record in records:
        summary = _quiz_summary(record.value)
        assert summary is not None
        name = "Lesson quiz" if record.item == "quiz" else _REVIEW_NAMES.get(record.item, record.item).capitalize()
        plural = "s" if summary["attempts"] != 1 else ""
        scores = f"<p>{_esc(_quiz_text(summary))} ({summary['attempts']} attempt{plural}).</p>"
        parts.append(_section(f"Lesson {record.lesson}: {_esc(name)}", scores, 3))
        rows = []
        for qid, answer in _as_dict(_as_dict(record.value).get("answers")).items():
            question, answer = bank.get(qid), _as_dict(answer)
            if question is None or not isinstance(answer.get("given"), str):
                continue
            labels = question_labels(_Row(question))
            given = _given_text(answer["given"], labels)
            verdict = "right" if answer.get("correct") is True else "not right"
            rows.append(f"<tr><td>{_esc(question['prompt'])}</td><td>{_esc(given)}</td><td>{verdict}</td></tr>")
        if rows:
            parts.append(
                "<table><thead><tr><th>Question</th><th>Your answer</th><th>Your answer was</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
    return _section("Quiz results", "".join(parts))


def _given_text(given: str, labels: dict[str, str]) -> str:
    """Return an answer in the bank's format (``a``, ``a|b|c`` or ``a=x|b=y``) in the words the quiz showed."""
    parts = []
    for part in given.split("|"):
        key, _, value = part.partition("=")
        parts.append(f"{labels.get(key, key)}: {labels.get(value, value)}" if value else labels.get(key, key))
    return " → ".join(parts) if "=" not in given else "; ".join(parts)


class _Row(dict):
    """A table row as a dict whose columns can also be read as attributes (what labels expect)."""

    __getattr__ = dict.__getitem__


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
    everything = _flushed(store).records()
    docs = _documents()
    prompts = _records("prompts")
    records = [r for r in everything if r.kind in _WRITTEN and (r.kind != "task" or task_started(r))]
    quizzes = [r for r in everything if r.kind == "quiz" and _quiz_summary(r.value) is not None]
    body, cited = [], []
    for lesson in sorted({r.lesson for r in records}):
        in_lesson = sorted((r for r in records if r.lesson == lesson), key=lambda r: _WRITTEN.index(r.kind))
        body.append(_section(f"Lesson {lesson}", "".join(_record_html(r, docs, prompts) for r in in_lesson)))
        for record in in_lesson:
            if record.kind == "answer" and isinstance(record.value, dict):
                about = "hist_" + record.item.split("_interp_", 1)[1] if "_interp_" in record.item else ""
                cited += [about] if about in docs else []  # the extract an interpretation answer judges
                cited += [d for d in cited_ids(str(record.value.get("text", ""))) if d in docs]
            elif record.kind == "card":
                cited.append(record.item)
    if quizzes:
        body.append(_quizzes_html(quizzes))
    if not records and not quizzes:
        body.append("<p>Nothing written yet: sourcing cards, answers and tasks appear here once you write in them.</p>")
    used = [d for d in dict.fromkeys(cited) if d in docs]
    if used:
        items = "".join(
            f"<li><strong>[{_esc(d)}]</strong> {_esc(docs[d]['author'])}, <em>{_esc(docs[d]['title'])}</em>, "
            f"{_esc(_date_text(docs[d]))}. Wording checked: {_esc(docs[d]['verified_at'])}. "
            f"Sources: {_esc('; '.join(format_sources(docs[d]['sources'])))}</li>"
            for d in used
        )
        body.append(_section("Documents cited", f"<ol>{items}</ol>"))
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
    target = Path(path)
    target.write_text(portfolio_html(store), encoding="utf-8")
    return target


def _quiz_summary(value: Any) -> dict[str, int] | None:
    """Return a saved quiz record's latest and best scores, or None if it holds none."""
    value = _as_dict(value)
    latest, best = _as_dict(value.get("latest")), _as_dict(value.get("best"))
    try:
        return {"latest": int(latest["score"]), "best": int(best["score"]), "answered": int(latest["answered"]),
                "questions": int(latest["questions"]), "attempts": int(value.get("attempts", 1) or 1)}  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None


def _quiz_text(summary: dict[str, int]) -> str:
    text = f"latest {summary['latest']} of {summary['questions']}"
    if summary["answered"] < summary["questions"]:
        text += f" ({summary['answered']} answered)"
    return text + f", best {summary['best']}"


def progress_rows(store: Store | None = None) -> list[dict[str, Any]]:
    """Return one row per lesson 1-9: cards, answers, tasks, the quiz scores, and whether it is done.

    A lesson is done when its quiz was answered to the end and its central question has an
    answer (lesson 1, which has no answer box, needs only the quiz).

    Parameters
    ----------
    store : Store, optional
        The learner's store by default.

    Returns
    -------
    list of dict
        Keys ``lesson``, ``cards`` (started), ``submitted``, ``answers`` (written), ``tasks``
        (task widgets with work saved: a prediction, an order, weights, a verdict), ``checked`` (of
        those, the ones revealed, checked or compared), ``central``
        (whether the central question is answered), ``quiz`` (the lesson quiz's ``latest``,
        ``best``, ``answered``, ``questions`` and ``attempts``, or None), ``reviews`` (other quizzes
        saved in the lesson, such as lesson 9's whole-course review: item id to the same dict) and
        ``done``.
    """
    blank = {"cards": 0, "submitted": 0, "answers": 0, "tasks": 0, "checked": 0, "central": False, "quiz": None,
             "done": False}  # fmt: skip
    rows: dict[int, dict[str, Any]] = {n: {"lesson": n, **blank, "reviews": {}} for n in range(1, 10)}
    for record in _flushed(store).records():
        row = rows.get(record.lesson)
        if row is None:
            continue
        value = _as_dict(record.value)
        if record.kind == "card":
            row["cards"] += 1
            row["submitted"] += bool(value.get("submitted"))
        elif record.kind == "answer" and str(value.get("text", "")).strip():
            row["answers"] += 1
            row["central"] = row["central"] or record.item.endswith("_central")
        elif record.kind == "task" and task_started(record):
            row["tasks"] += 1
            row["checked"] += task_checked(record)
        elif record.kind == "quiz" and (summary := _quiz_summary(value)) is not None:
            if record.item == "quiz":
                row["quiz"] = summary
            else:
                row["reviews"][record.item] = summary
    for row in rows.values():
        quiz = row["quiz"]
        finished = quiz is not None and quiz["answered"] >= quiz["questions"]
        row["done"] = finished and (row["central"] or row["lesson"] == 1)
    return list(rows.values())


def progress(store: Store | None = None) -> Any:
    """Show which lessons are done, what was written in each, and the quiz scores.

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
        quizzes = [f"lesson quiz: {_quiz_text(row['quiz'])}"] if row["quiz"] else []
        quizzes += [f"{_REVIEW_NAMES.get(k, k)}: {_quiz_text(v)}" for k, v in row["reviews"].items()]
        started = row["cards"] or row["answers"] or row["tasks"] or row["quiz"] or row["reviews"]
        state = "<strong>done</strong>" if row["done"] else "started" if started else "not started"
        cells.append(
            f"<tr><td>Lesson {row['lesson']}</td><td>{state}</td><td>{_of(row['submitted'], row['cards'])}</td>"
            f"<td>{row['answers']}</td><td>{_of(row['checked'], row['tasks'])}</td>"
            f"<td>{_esc('; '.join(quizzes)) or '&ndash;'}</td></tr>"
        )
    return HTML(
        "<table class='lessons-progress'><thead><tr><th>Lesson</th><th>Progress</th>"
        "<th>Sourcing cards (submitted of started)</th><th>Answers written</th><th>Tasks (checked of started)</th>"
        f"<th>Quiz scores (correct at the first try)</th></tr></thead><tbody>{''.join(cells)}"
        "</tbody></table><p><small>A lesson is done when its quiz is answered to the end and its central question"
        " has an answer (lesson 1: the quiz).</small></p>"
    )


def _of(part: int, whole: int) -> str:
    """'2 of 3', or a dash where nothing was started (not a puzzling '0 of 0')."""
    return f"{part} of {whole}" if whole else "&ndash;"


_REVIEW_NAMES = {"review": "whole-course review", "review_ordering": "ordering review", "bank": "question bank"}
