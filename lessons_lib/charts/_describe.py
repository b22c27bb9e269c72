"""Words about a chart: its alt text, source line, display names, year spans and counts.

Chart functions record a plain-language description of what they drew on the Axes
(:func:`set_alt_text`); :func:`alt_text` returns it, so a notebook can attach it to an image.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from lessons_lib.data import _column_map
from lessons_lib.html import source_line_text
from lessons_lib.labels import row_labels

_ALT_ATTR = "_lessons_alt_text"
_SOURCE_GID = "source-line"


def set_alt_text(ax: Axes, text: str) -> None:
    """Record a plain-language description of what a chart shows, for :func:`alt_text`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    text : str
        One or two sentences: what kind of chart, how many items, which years and groups.
    """
    setattr(ax, _ALT_ATTR, text)


def alt_text(ax: Axes) -> str:
    """Describe a chart in words, for the ``alt`` attribute of its image.

    Chart functions of :mod:`lessons_lib.charts` record a description of what they drew; for
    other axes the description is built from the title, axis labels and artists.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to describe.

    Returns
    -------
    str
        The description, ending with the source line when there is one.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1917, 1924], [1, 2]); _ = ax.set_title("Example")
    >>> alt_text(ax)
    "Chart 'Example'; 1 line."
    >>> plt.close(fig)
    """
    text = getattr(ax, _ALT_ATTR, None) or _describe_artists(ax)
    source = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == _SOURCE_GID]
    if source:
        text = f"{text} {source[0]}"
    return text


def _describe_artists(ax: Axes) -> str:
    parts = [f"Chart {ax.get_title() or ax.get_title(loc='left')!r}"]
    if ax.get_xlabel():
        parts.append(f"x axis: {ax.get_xlabel()}")
    if ax.get_ylabel():
        parts.append(f"y axis: {ax.get_ylabel()}")
    counts = [
        (len(ax.lines), "line", "lines"),
        (len(ax.patches), "bar or band", "bars or bands"),
        (len(ax.collections), "set of points", "sets of points"),
    ]
    parts += [plural(n, one, many) for n, one, many in counts if n]
    return "; ".join(parts) + "."


def plural(n: int, one: str, many: str | None = None) -> str:
    """Write a count with its noun: ``plural(1, "event")`` is ``'1 event'``, ``plural(2, "event")`` ``'2 events'``.

    Examples
    --------
    >>> plural(3, "policy", "policies"), plural(1, "more marker")
    ('3 policies', '1 more marker')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _and_list(names: Iterable[str]) -> str:
    """Join names the way a sentence does: ``'A'``, ``'A and B'``, ``'A, B and C'``."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _people(figure_ids: Iterable[str], most: int = 4) -> str:
    """Name figures by surname, ``"Lenin, Stalin and Trotsky"``; past `most`, count the rest (``"and 5 others"``)."""
    known = _column_map("figures", "name")
    names = [known[f].rsplit(" ", 1)[-1] for f in figure_ids]
    return _and_list(names if len(names) <= most else [*names[: most - 1], plural(len(names) - most + 1, "other")])


def _lives(figure_ids: Iterable[str]) -> str:
    """Name the figures whose lives a chart follows: ``"Trotsky's life"``, ``"the lives of Lenin and Stalin"``."""
    ids = list(figure_ids)
    return f"{_people(ids)}'s life" if len(ids) == 1 else f"the lives of {_people(ids)}"


def _subject(noun: str, categories: Iterable[str]) -> str:
    """Name what a chart shows: ``"Events"``, or ``"Economic policies"`` when all are of one category."""
    found = set(categories)
    if len(found) != 1:
        return noun.capitalize()
    return f"{_column_map('categories', 'adjective')[found.pop()]} {noun}"


def _linked_to(ideology_ids: Iterable[str] | None) -> str:
    """``" linked to Leninism and Stalinism"`` for some of the ideologies, ``""`` for none or all."""
    if ideology_ids is None:
        return ""
    wanted = list(dict.fromkeys(ideology_ids))
    names = _column_map("ideologies", "name")
    if not wanted or set(wanted) >= set(names):
        return ""
    return f" linked to {_and_list(names[i] for i in wanted)}"


def _caption(sources: Iterable[Any]) -> str:
    """Return the source line of a chart: the first two works, then how many more.

    Every work is listed in the sources table; the apps also show them next to the chart.
    """
    return source_line_text(list(sources), max_cited=2)


def _names(table: str, ids: Iterable[str]) -> dict[str, str]:
    """Display names of ids from a lookup table (see :func:`lessons_lib.labels.row_labels`)."""
    known = row_labels(table)
    return {i: known[i] for i in ids}


def _year_span(values: Iterable[float]) -> str:
    values = list(values)
    first, last = int(np.floor(min(values))), int(np.floor(max(values)))
    return str(first) if first == last else f"{first}-{last}"


def _gap_spans(years: Iterable[float]) -> list[tuple[int, str]]:
    """Find the breaks in a yearly series: for each, the position of the last year before it and its years.

    The years are written as a reader would: ``"1942"``, ``"1948-49"``, ``"1998-2001"``. A series
    of fewer than three years, or one that is not yearly (most steps longer than a year), has none.

    Examples
    --------
    >>> _gap_spans([1938, 1939, 1940, 1946, 1947, 1948, 1950, 1951])
    [(2, '1941-45'), (5, '1949')]
    """
    values = np.asarray(list(years), dtype=float)
    if len(values) < 3 or np.median(np.diff(values)) > 1:
        return []
    spans = []
    for k in np.flatnonzero(np.diff(values) > 1):
        first, last = str(int(values[k]) + 1), str(int(values[k + 1]) - 1)
        short = last[2:] if last[:2] == first[:2] else last
        spans.append((int(k), first if first == last else f"{first}-{short}"))
    return spans


def _gap_note(span: str, reason: str, width: int = 24) -> str:
    """Write the note over a break in a line: ``"no figures for 1948-49"`` and, wrapped below it, why (if known)."""
    return f"no figures for {span}" + (f"\n({textwrap.fill(reason, width)})" if reason else "")


def _counts(values: Iterable[str]) -> str:
    counts = pd.Series(list(values)).value_counts(sort=False)
    return ", ".join(f"{k} {v}" for k, v in counts.items())
