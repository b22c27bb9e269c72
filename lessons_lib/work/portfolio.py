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
    prompts = _records("prompts")
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
