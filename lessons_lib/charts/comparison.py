"""The comparison grid: one row per dimension, one column per ideology."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from lessons_lib.charts._artists import NO_DATA, _draw_cell, _finish, _no_data, _target
from lessons_lib.charts._describe import _caption, _names
from lessons_lib.charts._layout import _fit_axes
from lessons_lib.query import (
    comparison_pivot,
    comparison_table,
)
from lessons_lib.style import (
    OKABE_ITO,
    _try_load,
    ideology_style,
    source_line_text,
)

_CONTESTED_FILL = "#FBE3D0"
_CONTESTED_EDGE = OKABE_ITO["vermillion"]
_CELL_FILL = "#F4F4F4"
_HEADER_FILL = "#E4E4E4"


def _comparison_data(
    positions: pd.DataFrame | None,
    ideologies: str | Iterable[str] | None,
    dimensions: str | Iterable[str] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str], dict[str, str]]:
    table = comparison_table(positions, ideologies=ideologies, dimensions=dimensions)
    texts = comparison_pivot(table, "summary")
    contested = comparison_pivot(table, "contested")
    notes = comparison_pivot(table, "contested_note") if "contested_note" in table else texts.map(lambda _: "")
    return (table, texts, contested, notes, _names("dimensions", texts.index), _names("ideologies", texts.columns))


def _comparison_title(ideology_names: Iterable[str], n_dimensions: int) -> str:
    names = list(ideology_names)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} compared on {n_dimensions} dimension{'s' if n_dimensions != 1 else ''}"


def _ideology_color(ideology_id: str) -> str:
    table = _try_load("ideologies")
    if table is None or ideology_id not in set(table["id"].astype(str)):
        return "#888888"
    return ideology_style(ideology_id, table)["color"]


def _fit_text(
    texts: list[list[str]], widths_pt: list[float], height_pt: float
) -> tuple[float, list[list[str]], list[int]]:
    """Choose the largest font size whose wrapped rows fit; return (size, wrapped, lines per row)."""
    for fontsize in (13, 12, 11, 10, 9, 8):
        wrapped = [
            [textwrap.fill(cell, max(8, int(w / (0.6 * fontsize)))) for cell, w in zip(row, widths_pt, strict=True)]
            for row in texts
        ]
        lines = [max(cell.count("\n") + 1 for cell in row) for row in wrapped]
        needed = sum(n * fontsize * 1.25 + 0.8 * fontsize for n in lines)
        if needed <= height_pt:
            break
    return fontsize, wrapped, lines


def plot_comparison(
    positions: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
    max_dimensions: int | None = 6,
    ax: Axes | None = None,
) -> Axes:
    """Draw the comparison grid: one row per dimension, one column per ideology.

    Summaries are wrapped to fit (the font shrinks down to 8 pt for a short figure: give the
    figure about one inch of height per dimension). Contested cells are shaded, edged in
    vermillion and marked with ``*``; a legend explains the mark.

    A chart stays legible for about six dimensions, so by default it shows the first
    `max_dimensions` and says how many more there are. For the full grid of every dimension
    use :func:`comparison_html` (a table that wraps and scrolls in the page), or pass the
    dimensions to chart.

    Parameters
    ----------
    positions : pandas.DataFrame, optional
        Rows of the positions table; ``load("positions")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to compare; all by default.
    dimensions : str or list of str, optional
        Dimension ids to compare on; by default the first `max_dimensions` of them.
    max_dimensions : int or None, default 6
        When `dimensions` is not given, show at most this many (None shows all of them).
        Dimensions given explicitly are all shown.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.

    See Also
    --------
    comparison_html : the full grid as an HTML table, best for all the dimensions.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(12, 7))
    >>> ax = plot_comparison(ax=ax)
    """
    ax = _target(ax)
    table, texts, contested, _, dim_names, ide_names = _comparison_data(positions, ideologies, dimensions)
    if table.empty:
        return _no_data(ax, "Comparison of the ideologies")
    hidden = 0
    if dimensions is None and max_dimensions is not None and len(texts.index) > max_dimensions:
        kept = list(texts.index[:max_dimensions])
        hidden = len(texts.index) - len(kept)
        table = table[table["dimension_id"].astype(str).isin(kept)]
        texts, contested = texts.loc[kept], contested.loc[kept]
        dim_names = {d: dim_names[d] for d in kept}
    n_contested = int(contested.to_numpy().sum())
    caption = _caption(table["sources"])
    _fit_axes(ax, below=(30 if n_contested or hidden else 8) + (16 if n_contested and hidden else 0), caption=caption)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    box = ax.get_window_extent()
    width_pt, height_pt = box.width * 72 / ax.figure.dpi, box.height * 72 / ax.figure.dpi
    n_cols = len(texts.columns)
    col_w = [0.22] + [0.78 / n_cols] * n_cols
    rows = [["", *ide_names.values()]]
    rows += [
        [dim_names[d], *((s or "\u2014") + (" *" if contested.loc[d, i] else "") for i, s in texts.loc[d].items())]
        for d in texts.index
    ]
    fontsize, wrapped, lines = _fit_text(rows, [w * width_pt - 8 for w in col_w], height_pt)
    units = [n * 1.25 + 0.8 for n in lines]
    scale = 1 / sum(units)
    y = 1.0
    for r, row in enumerate(wrapped):
        h = units[r] * scale
        x = 0.0
        for c, text in enumerate(row):
            if r == 0:
                fill, gid, weight = (_HEADER_FILL, "header", "bold")
            elif c == 0:
                fill, gid, weight = (_HEADER_FILL, "row-header", "bold")
            elif contested.iloc[r - 1, c - 1]:
                fill, gid, weight = (_CONTESTED_FILL, "contested-cell", "normal")
            else:
                fill, gid, weight = (_CELL_FILL, "cell", "normal")
            edge = _CONTESTED_EDGE if gid == "contested-cell" else "white"
            _draw_cell(ax, x, y, col_w[c], h, text, fontsize, fill=fill, gid=gid, weight=weight, edge=edge)
            if r == 0 and c > 0:
                color = _ideology_color(texts.columns[c - 1])
                ax.add_patch(Rectangle((x, y - h), col_w[c], h * 0.12, facecolor=color, lw=0, gid="header-band"))
            x += col_w[c]
        y -= h
    more = (
        (f"{hidden} more dimension{'s' if hidden != 1 else ''} not shown: see comparison_html() for the full grid")
        if hidden
        else ""
    )
    if n_contested:
        handle = Patch(
            facecolor=_CONTESTED_FILL,
            edgecolor=_CONTESTED_EDGE,
            label="* Contested: historians disagree (see the notes in the positions table)"
            + (f"\n{more}" if more else ""),
        )
        ax.legend(handles=[handle], loc="upper left", bbox_to_anchor=(0, 0), frameon=False)
    elif more:
        ax.text(0, 0, more, transform=ax.transAxes, ha="left", va="top", fontsize=12, gid="more-dimensions")
    title = _comparison_title(ide_names.values(), len(texts.index))
    alt = (
        f"Table comparing {', '.join(ide_names.values())} on {len(texts.index)} dimensions "
        f"({', '.join(dim_names.values())}); {n_contested} of {len(table)} cells are contested"
        + (f"; {more}." if more else ".")
    )
    return _finish(
        ax, title, caption, alt, offset=(30 if n_contested or hidden else 8) + (16 if n_contested and hidden else 0)
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
        Add each cell's sources and, for contested cells, the competing readings.

    Returns
    -------
    str
        An HTML fragment: a ``<table>`` with a caption, and a note on contested cells (marked
        ``*``, class ``contested``, the note in their ``title``).

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.

    Examples
    --------
    >>> from IPython.display import HTML  # doctest: +SKIP
    >>> HTML(comparison_html(ideologies=["leninism", "stalinism"]))  # doctest: +SKIP
    """
    table, texts, contested, notes, dim_names, ide_names = _comparison_data(positions, ideologies, dimensions)
    esc = html.escape
    if table.empty:
        return f"<p><em>{esc(NO_DATA)}.</em></p>"
    sources = {(str(r.dimension_id), str(r.ideology_id)): r.sources for r in table.itertuples()}
    head = "".join(
        f'<th scope="col" style="border-bottom:4px solid {esc(_ideology_color(i))};padding:6px;'
        f'text-align:left">{esc(ide_names[i])}</th>'
        for i in texts.columns
    )
    text_of, contested_of, note_of = texts.to_dict(), contested.to_dict(), notes.to_dict()  # {ideology: {dim: ...}}
    body = []
    for d in texts.index:
        cells = []
        for i in texts.columns:
            cells.append(
                _html_cell(
                    text_of[i][d],
                    bool(contested_of[i][d]),
                    str(note_of[i][d] or ""),
                    sources.get((d, i), []),
                    show_sources,
                )
            )
        body.append(
            f'<tr><th scope="row" style="text-align:left;padding:6px;background:{_HEADER_FILL}">'
            f"{esc(dim_names[d])}</th>{''.join(cells)}</tr>"
        )
    caption = esc(_comparison_title(ide_names.values(), len(texts.index)))
    note = ""
    if contested.to_numpy().any():
        note = (
            f'<p style="font-size:0.9em"><span style="background:{_CONTESTED_FILL}">*</span> '
            "Contested: historians disagree on this cell (hover over it for the competing readings).</p>"
        )
    return (
        '<div class="lessons-comparison"><table style="border-collapse:collapse;font-size:0.95em">'
        f'<caption style="caption-side:top;text-align:left;font-weight:bold">{caption}</caption>'
        f'<thead><tr><th scope="col"></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}</div>'
    )


def _html_cell(summary: str, contested: bool, note: str, source_ids: list[str], show_sources: bool) -> str:
    esc = html.escape
    style = "padding:6px;vertical-align:top;text-align:left;border:1px solid #ddd"
    text = esc(summary)
    extra = ""
    if show_sources and source_ids:
        extra += f"<br><small>{esc(source_line_text(source_ids, max_cited=10))}</small>"
    if not contested:
        return f'<td style="{style}">{text}{extra}</td>'
    if show_sources and note:
        extra += f"<br><small><strong>Contested:</strong> {esc(note)}</small>"
    return (
        f'<td class="contested" title="{esc("Contested: " + note)}" '
        f'style="{style};background:{_CONTESTED_FILL}">{text} <strong aria-label="contested">*</strong>'
        f"{extra}</td>"
    )
