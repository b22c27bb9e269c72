"""Text and HTML that learners read, built from the data: source lines and the comparison table.

Every text taken from the data is escaped before it goes into HTML. The comparison chart
(:func:`lessons_lib.charts.plot_comparison`) and the comparison table here show the same grid
(:func:`comparison_grid`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from lessons_lib.data import format_sources
from lessons_lib.labels import row_labels
from lessons_lib.query import comparison_pivot, comparison_table
from lessons_lib.style import CONTESTED_FILL, HEADER_FILL, ideology_style

__all__ = ["comparison_html", "source_line_text"]

#: The note shown when a selection has no rows (on a chart, and as a paragraph here).
NO_DATA = "No data for this selection"
_MAX_CITED = 4


def source_line_text(source_ids: list[str] | pd.Series, *, max_cited: int = _MAX_CITED) -> str:
    """Turn source ids into a caption: ``Source: Author (year), Title; ...``.

    Parameters
    ----------
    source_ids : list of str, or a Series of lists of str
        Source ids in the order of first use; a list column (e.g. ``events["sources"]``) is
        flattened. Duplicates are dropped.
    max_cited : int, default 4
        At most this many works are written out; the rest are counted (``and 5 more works``).

    Returns
    -------
    str
        The caption, or ``""`` when there are no ids.

    Raises
    ------
    UnknownNameError
        For a source id that is not in the sources table (with a suggestion).
    """
    ids: list[str] = []
    for item in source_ids:
        ids.extend([item] if isinstance(item, str) else list(item))
    ids = list(dict.fromkeys(i for i in ids if i))
    if not ids:
        return ""
    shown = ids[:max_cited]
    text = "; ".join(format_sources(shown))
    rest = len(ids) - len(shown)
    if rest:
        text += f"; and {rest} more work{'s' if rest > 1 else ''} (see the sources table)"
    plural = "s" if len(ids) > 1 else ""
    return f"Source{plural}: {text}"


@dataclass(frozen=True)
class ComparisonGrid:
    """What a comparison shows: summaries by dimension (rows) and ideology (columns)."""

    table: pd.DataFrame  #: the rows of the positions table compared
    texts: pd.DataFrame  #: summaries, dimensions by ideologies
    contested: pd.DataFrame  #: whether each cell is contested
    notes: pd.DataFrame  #: the contested notes ("" where there is none)
    dimension_names: dict[str, str]  #: display name of each dimension shown
    ideology_names: dict[str, str]  #: display name of each ideology shown

    @property
    def title(self) -> str:
        """``Leninism and Stalinism compared on 3 dimensions``."""
        names = list(self.ideology_names.values())
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        n = len(self.texts.index)
        return f"{joined} compared on {n} dimension{'s' if n != 1 else ''}"


def comparison_grid(
    positions: pd.DataFrame | None = None,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
) -> ComparisonGrid:
    """Select the comparison grid of the chart and of :func:`comparison_html` (no drawing)."""
    table = comparison_table(positions, ideologies=ideologies, dimensions=dimensions)
    texts = comparison_pivot(table, "summary")
    contested = comparison_pivot(table, "contested")
    notes = comparison_pivot(table, "contested_note") if "contested_note" in table else texts.map(lambda _: "")
    dim_names, ide_names = row_labels("dimensions"), row_labels("ideologies")
    return ComparisonGrid(
        table,
        texts,
        contested,
        notes,
        {d: dim_names[d] for d in texts.index},
        {i: ide_names[i] for i in texts.columns},
    )


def comparison_html(
    positions: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
    show_sources: bool = False,
) -> str:
    """Render the comparison as a styled HTML table (every data text escaped).

    Parameters
    ----------
    positions : pandas.DataFrame, optional
        Rows of the positions table; ``load("positions")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to compare; all by default.
    dimensions : str or list of str, optional
        Dimension ids to compare on; all by default.
    show_sources : bool, default False
        Add each cell's sources.

    Returns
    -------
    str
        An HTML fragment: a ``<table>`` with a caption and, below it, the competing readings of
        its contested cells as visible text. A contested cell (class ``contested``) says
        "Contested, note N" and note N in the list below the table names its ideology and
        dimension, so the readings reach a screen reader, print and a touch screen alike.

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.

    Examples
    --------
    >>> from IPython.display import HTML  # doctest: +SKIP
    >>> HTML(comparison_html(ideologies=["leninism", "stalinism"]))  # doctest: +SKIP
    """
    grid = comparison_grid(positions, ideologies, dimensions)
    esc = html.escape
    if grid.table.empty:
        return f"<p><em>{esc(NO_DATA)}.</em></p>"
    sources = {(str(r.dimension_id), str(r.ideology_id)): r.sources for r in grid.table.itertuples()}
    head = "".join(
        f'<th scope="col" style="border-bottom:4px solid {esc(ideology_style(i)["color"])};padding:6px;'
        f'text-align:left">{esc(grid.ideology_names[i])}</th>'
        for i in grid.texts.columns
    )
    # {ideology: {dimension: ...}}
    text_of, contested_of, note_of = grid.texts.to_dict(), grid.contested.to_dict(), grid.notes.to_dict()
    body, notes = [], []
    for d in grid.texts.index:
        cells = []
        for i in grid.texts.columns:
            number = 0
            if contested_of[i][d]:
                notes.append((grid.ideology_names[i], grid.dimension_names[d], str(note_of[i][d] or "")))
                number = len(notes)
            cells.append(_html_cell(text_of[i][d], number, sources.get((d, i), []), show_sources))
        body.append(
            f'<tr><th scope="row" style="text-align:left;padding:6px;background:{HEADER_FILL}">'
            f"{esc(grid.dimension_names[d])}</th>{''.join(cells)}</tr>"
        )
    note = _contested_notes(notes)
    return (
        '<div class="lessons-comparison"><table style="border-collapse:collapse;font-size:0.95em">'
        f'<caption style="caption-side:top;text-align:left;font-weight:bold">{esc(grid.title)}</caption>'
        f'<thead><tr><th scope="col"></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}</div>'
    )


def _html_cell(summary: str, note_number: int, source_ids: list[str], show_sources: bool) -> str:
    """Return one cell; a contested one (`note_number` > 0) says so and points to its note below."""
    esc = html.escape
    style = "padding:6px;vertical-align:top;text-align:left;border:1px solid #ddd"
    extra = ""
    if show_sources and source_ids:
        extra += f"<br><small>{esc(source_line_text(source_ids, max_cited=10))}</small>"
    if not note_number:
        return f'<td style="{style}">{esc(summary)}{extra}</td>'
    return (
        f'<td class="contested" style="{style};background:{CONTESTED_FILL}">{esc(summary)} '
        f"<small><strong>Contested, note {note_number}</strong></small>{extra}</td>"
    )


def _contested_notes(notes: list[tuple[str, str, str]]) -> str:
    """Return the competing readings of the contested cells, numbered as the cells are, as visible text."""
    if not notes:
        return ""
    esc = html.escape
    items = "".join(
        f"<li><strong>{esc(ideology)}, {esc(dimension)}:</strong> {esc(note)}</li>"
        for ideology, dimension, note in notes
    )
    return (
        '<div class="contested-notes" style="font-size:0.9em"><p style="margin-bottom:0">'
        f'<span style="background:{CONTESTED_FILL}">Contested</span>: historians disagree on these cells.</p>'
        f'<ol style="margin-top:0.2em">{items}</ol></div>'
    )
