"""Small helpers for lesson notebooks: glossary cards, bibliographies and a static self-check.

Each returns an ``IPython.display.HTML`` object built from the data, with every text escaped, so
a lesson cell stays one line and reads well without a kernel.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from IPython.display import HTML

from lessons_lib.data import check_choice, format_sources, load, sources_for
from lessons_lib.labels import row_labels

__all__ = ["glossary", "bibliography", "self_check", "exam_questions", "who_is_who", "chart", "table"]


def chart(plot: Callable[..., Any], *args: Any, figsize: tuple[float, float] | None = None, **kwargs: Any) -> Any:
    """Draw a chart function on a fresh figure and return it as an image with alt text.

    The figure is not registered with pyplot, so nothing is left open; the image's plain-text
    form is the chart's alt text (:func:`lessons_lib.charts.alt_text`).

    Parameters
    ----------
    plot : callable
        A chart function such as :func:`lessons_lib.charts.plot_timeline`.
    *args, **kwargs
        Passed to `plot`.
    figsize : tuple of float, optional
        Figure size in inches; by default the apps' (``lessons_lib.charts.CHART_FIGSIZE``, 11 x 5.5).

    Returns
    -------
    lessons_lib._display.ChartImage

    Examples
    --------
    >>> from lessons_lib import plot_timeline
    >>> image = chart(plot_timeline, years=(1917, 1929))
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lessons_lib._display import ChartImage
    from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT, alt_text
    from lessons_lib.style import use_style

    with use_style():
        fig = Figure(figsize=figsize or CHART_FIGSIZE, dpi=80)
        FigureCanvasAgg(fig)
        ax = fig.add_axes(CHART_RECT)
        plot(*args, ax=ax, **kwargs)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return ChartImage(buf.getvalue(), alt_text(ax))


def glossary(terms: Iterable[str]) -> HTML:
    """Show glossary definitions for the given term ids.

    Parameters
    ----------
    terms : iterable of str
        Ids from the glossary table, e.g. ``["vanguard_party", "nep"]``.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    UnknownNameError
        For an id that is not in the glossary (with a suggestion).
    """
    table = load("glossary").set_index("id")
    items = []
    for term in terms:
        check_choice(term, table.index, "glossary term")
        row = table.loc[term]
        items.append(f"<dt><b>{html.escape(row.term)}</b></dt><dd>{html.escape(row.definition)}</dd>")
    return HTML(f"<dl class='lessons-glossary'>{''.join(items)}</dl>")


def bibliography(ids: Iterable[str]) -> HTML:
    """Show full references for source ids, with links to public copies where they exist.

    Parameters
    ----------
    ids : iterable of str
        Source ids.

    Returns
    -------
    IPython.display.HTML
    """
    items = []
    for row in sources_for(ids).itertuples():
        text = f"{html.escape(row.author)} ({row.year}). <i>{html.escape(row.title)}</i>. {html.escape(row.publisher)}."
        if isinstance(row.pages, str):
            text += f" {html.escape(row.pages)}."
        if isinstance(row.url, str):
            text += f' <a href="{html.escape(row.url)}">{html.escape(row.url)}</a>'
        items.append(f"<li>{text}</li>")
    return HTML(f"<ol class='lessons-bibliography'>{''.join(items)}</ol>")


def self_check(lesson: int, limit: int | None = None) -> HTML:
    """Show a lesson's whole question bank as a kernel-free self-check, for reading without a kernel.

    Each question is a small form (:func:`lessons_lib.static.quiz_html`): choosing an answer
    shows, with CSS alone, whether it is right, the answer, its explanation and its sources;
    where styles are stripped the options are listed and the answer is folded under
    "Show the answer".

    Parameters
    ----------
    lesson : int
        Lesson number.
    limit : int, optional
        Show only the first `limit` questions; the page then says how many of how many it shows.

    Returns
    -------
    IPython.display.HTML
    """
    from lessons_lib.static import quiz_html

    bank = load("questions")
    bank = bank[bank["lesson"] == lesson]
    if bank.empty:
        raise ValueError(f"no questions for lesson {lesson}")
    total = len(bank)
    bank = bank.head(limit) if limit else bank
    note = f"<p>The first {len(bank)} of the lesson's {total} questions.</p>" if len(bank) < total else ""
    return HTML(quiz_html(bank, note))


def exam_questions(lesson: int) -> HTML:
    """Show a lesson's exam-style questions with their level-of-response mark schemes (teacher edition).

    Parameters
    ----------
    lesson : int
        Lesson number (2-9).

    Returns
    -------
    IPython.display.HTML
        One item per question: the question and its marks, the paper it imitates, and, folded
        away, the levels, the indicative content, its sources and how the format was checked.

    Raises
    ------
    ValueError
        For a lesson without exam questions (the message lists the lessons that have some).

    Examples
    --------
    >>> exam_questions(4)  # doctest: +SKIP
    """
    bank = load("exam_questions")
    rows = bank[bank["lesson"] == lesson]
    if rows.empty:
        have = ", ".join(str(n) for n in sorted(set(bank["lesson"])))
        raise ValueError(f"no exam questions for lesson {lesson}; lessons with exam questions: {have}")
    titles = load("documents").set_index("id")["title"]
    items = []
    for q in rows.itertuples():
        levels = "".join(f"<li>{html.escape(level)}</li>" for level in q.levels)
        documents = ""
        if len(q.documents):
            documents = f"<p>Set on: {'; '.join(html.escape(titles[d]) for d in q.documents)}.</p>"
        cited = "; ".join(html.escape(c) for c in format_sources(q.sources))
        items.append(
            f"<li><p><b>{html.escape(q.question)}</b> [{q.marks} marks]</p>"
            f"<p><i>In the style of {html.escape(q.board_style)}: {html.escape(q.paper)}.</i></p>{documents}"
            f"<details><summary>Mark scheme</summary><ul>{levels}</ul>"
            f"<p><b>Indicative content.</b> {html.escape(q.indicative)}</p>"
            f"<p><small>Sources: {cited}. Format checked: {html.escape(q.format_checked)}</small></p></details></li>"
        )
    return HTML(f"<ol class='lessons-exam-questions'>{''.join(items)}</ol>")


def who_is_who(ids: Iterable[str] | None = None) -> HTML:
    """Show a who's who table of figures: name, life dates, summary and 1923-29 alignment.

    Parameters
    ----------
    ids : iterable of str, optional
        Figure ids (all by default), in the order given.

    Returns
    -------
    IPython.display.HTML
    """
    figures = load("figures").set_index("id")
    ids = list(figures.index) if ids is None else [check_choice(i, figures.index, "figure") for i in ids]
    rows = []
    for fid in ids:
        f = figures.loc[fid]
        life = f"{f.born:%Y}&ndash;{f.died:%Y}"
        align = html.escape(f.alignment) if isinstance(f.alignment, str) else ""
        rows.append(
            f"<tr><td><b>{html.escape(f['name'])}</b></td><td>{life}</td><td>{html.escape(f.summary)}</td><td>{align}</td></tr>"
        )
    head = "<tr><th>Name</th><th>Life</th><th>Who they were</th><th>1923&ndash;29</th></tr>"
    return HTML(f"<table class='lessons-who'>{head}{''.join(rows)}</table>")


#: Columns whose values are ids of another table, shown by that table's label instead.
_ID_TABLES = {
    "figure_id": "figures",
    "ideology_id": "ideologies",
    "tradition_id": "traditions",
    "dimension_id": "dimensions",
    "era_id": "eras",
}
#: Columns holding lists of ids of another table (each shown by its label).
_LIST_TABLES = {"figures": "figures", "ideologies": "ideologies", "traditions": "traditions"}
_CELL = "padding:4px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_text(year: Any, month: Any = None, day: Any = None) -> str:
    """Write a date as a reader does: ``23 Feb 1917``, ``Feb 1917`` or ``1917`` (what is known of it)."""
    known = [v for v in (day, month) if v is not None and not pd.isna(v)]
    if len(known) == 2:
        return f"{int(day)} {_MONTHS[int(month) - 1]} {int(year)}"
    if month is not None and not pd.isna(month):
        return f"{_MONTHS[int(month) - 1]} {int(year)}"
    return str(int(year))


def _event_date(row: pd.Series) -> str:
    """Return an event's (New Style) date from its year, month, day and precision columns."""
    precision = str(row.get("precision", "day"))
    month = row.get("month") if precision in ("day", "month") else None
    day = row.get("day") if precision == "day" else None
    return _date_text(row["year"], month, day)


def _cell_text(value: Any, column: str) -> str:
    if isinstance(value, pd.Timestamp):
        return _date_text(value.year, value.month, value.day)
    if column == "month" and isinstance(value, numbers.Real) and not pd.isna(value) and 1 <= float(value) <= 12:
        return _MONTHS[int(float(value)) - 1]
    if isinstance(value, (list, tuple)):
        if column in ("sources", "source_ids"):
            return "; ".join(format_sources(value))
        table = _ID_TABLES.get(column) or _LIST_TABLES.get(column)
        names = row_labels(table) if table else {}
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return "\u2013"
    if column in _ID_TABLES:
        return row_labels(_ID_TABLES[column]).get(str(value), str(value))
    if column in ("source_id",):
        return format_sources([value])[0]
    return str(value)


def table(frame: pd.DataFrame, columns: dict[str, str] | Iterable[str] | None = None, caption: str = "") -> HTML:
    """Show rows of a table as a plain, left-aligned HTML table a learner can read.

    No index, no id columns unless asked for, no truncation: ids of figures, ideologies,
    traditions, dimensions and eras are shown by name, source ids as short citations, lists
    joined, and missing values as a dash. Every text is escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show, e.g. ``load("events").set_index("id").loc[[...]]``.
    columns : dict of str to str, or iterable of str, optional
        The columns to show, in order; a dict also gives each column's heading. By default all
        columns, headed by their names with underscores as spaces. Dates read ``23 Feb 1917``
        and months by name; ``"date"`` (when `frame` has no such column) is an event's date from its
        ``year``, ``month``, ``day`` and ``precision``, written as far as it is known.
    caption : str
        A caption above the table.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    lessons_lib.data.UnknownNameError
        If a column is not in `frame` (with a suggestion).

    Examples
    --------
    >>> table(load("eras"), {"name": "Era", "start_year": "From", "end_year": "To"})  # doctest: +SKIP
    """
    if columns is None:
        columns = list(frame.columns)
    heads = dict(columns) if isinstance(columns, dict) else {c: c.replace("_", " ").capitalize() for c in columns}
    if "date" in heads and "date" not in frame.columns and "year" in frame.columns:
        frame = frame.assign(date=[_event_date(row) for _, row in frame.iterrows()])
    for column in heads:
        check_choice(column, [str(c) for c in frame.columns], "column")
    head = "".join(f"<th style='{_CELL}'>{html.escape(h)}</th>" for h in heads.values())
    body = "".join(
        "<tr>" + "".join(f"<td style='{_CELL}'>{html.escape(_cell_text(row[c], c))}</td>" for c in heads) + "</tr>"
        for _, row in frame.iterrows()
    )
    cap = (
        f"<caption style='caption-side:top;text-align:left;font-weight:bold'>{html.escape(caption)}</caption>"
        if caption
        else ""
    )
    return HTML(f"<table class='lessons-table' style='border-collapse:collapse'>{cap}<tr>{head}</tr>{body}</table>")
