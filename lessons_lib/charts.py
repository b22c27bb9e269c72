"""Matplotlib charts of the course data, all shaped ``plot_x(data=None, *, options, ax=None)``.

Each function draws on the given Axes (or the current one) and only there, returns it, gives it
a title and a ``Source: ...`` line built from the rows' source ids, and records a plain-language
description for :func:`lessons_lib.style.alt_text`. An empty selection gives the Axes a title and
the note "No data for this selection" instead of an error. Wrap calls in
:func:`lessons_lib.style.use_style` for projector-sized fonts.

Charts fit the figure they are drawn in without ``bbox_inches="tight"``: each one moves the
edges of its Axes inward to make room for its tick labels, legend and source line (see
``_fit_axes``), so saving draws the figure once. They are built to redraw quickly in the apps:
plain text labels, one collection of leader lines, marker-only lines instead of scatter
collections, rectangles added without updating data limits, and few text artists (text is most
of the drawing time). For the same reason the timeline and policy charts write their row names
as texts (gid ``lane-name``, ``policy-name``) instead of y tick labels, and draw their category
legend from plain artists (gid ``key-label``) instead of a matplotlib ``Legend``: ticks and
legends cost several times more to build and to lay out at every click.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from matplotlib.transforms import Affine2D, ScaledTranslation

from lessons_lib.data import check_choice, load
from lessons_lib.query import (
    choices,
    comparison_pivot,
    comparison_table,
    filter_events,
    filter_policies,
    series_frame,
)
from lessons_lib.style import (
    CATEGORY_STYLES,
    OKABE_ITO,
    _try_load,
    add_source_line,
    ideology_style,
    set_alt_text,
    shade_eras,
    source_line_text,
)

__all__ = [
    "plot_comparison",
    "comparison_html",
    "plot_timeline",
    "plot_policies",
    "plot_lifelines",
    "plot_series",
    "NO_DATA",
]

#: The note written on an Axes when a selection has no rows.
NO_DATA = "No data for this selection"

_CONTESTED_FILL = "#FBE3D0"
_CONTESTED_EDGE = OKABE_ITO["vermillion"]
_CELL_FILL = "#F4F4F4"
_HEADER_FILL = "#E4E4E4"
_LABEL_FONTSIZE = 12
_NOTE_FONTSIZE = 11
_MAX_YEAR_NOTES = 12
_SERIES_COLORS = ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "black")
_SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_FACTION_COLORS = ("#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#D55E00", "#F0E442", "#AAAAAA")
_FACTION_HATCHES = ("//", "\\\\", "xx", "..", "++", "oo", "--")


# --- shared helpers -------------------------------------------------------------------------


def _target(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.gca()


def _no_data(ax: Axes, title: str) -> Axes:
    _fit_axes(ax)
    ax.set_title(title, loc="left")
    ax.text(
        0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center", fontsize=14, color="#555555", gid="no-data"
    )
    set_alt_text(ax, f"{title}: {NO_DATA.lower()}.")
    return ax


def _finish(ax: Axes, title: str, caption: str, alt: str, *, offset: float = 30) -> Axes:
    """Title the axes, write the caption (from :func:`_caption`) under it and record the alt text.

    A title too long for the figure is written smaller so that it fits on one line.
    """
    room = (1 - ax.get_position().x0) * ax.figure.get_size_inches()[0] * 72 - 8
    size = plt.rcParams["axes.titlesize"]
    size = size if isinstance(size, (int, float)) else 16
    ax.set_title(title, loc="left", fontsize=float(np.clip(room / (0.64 * max(len(title), 1)), 10, size)))
    if caption:
        add_source_line(ax, caption, offset=offset, width=_caption_width(ax))
    set_alt_text(ax, alt)
    return ax


# --- layout: charts fit the figure without ``bbox_inches="tight"`` ----------------------------
#
# The apps and ``lesson.chart`` draw on an axes placed at a fixed rectangle of the figure and
# save without a tight bounding box (one draw instead of two). Each chart therefore estimates
# the room its tick labels, legend and caption need (in points, from the number of characters)
# and moves the axes' edges inward, never outward, from the position the axes had when a chart
# first drew on it.

_BASE_ATTR = "_lessons_base_position"
_CHAR_EM = 0.6  # DejaVu Sans averages a little under 0.6 em per character: a safe width estimate
_CAPTION_PT = 11 * 1.2  # one line of the source caption
_TOP_PT = 30.0  # the title


def _text_pt(text: str, fontsize: float) -> float:
    """Rough rendered width of one line of `text`, in points."""
    return len(text) * _CHAR_EM * fontsize


def _fit_axes(
    ax: Axes, *, left: float = 0, right: float = 0, below: float = 0, caption: str = "", top: float = _TOP_PT
) -> None:
    """Keep room around the axes: margins in points from the figure's edges.

    `below` is the room under the axes for its tick labels (the caption's offset) and `caption`
    the source line written under that. The axes only shrinks inside the position it had when a
    chart first drew on it (so a redraw on the same axes starts again from there), and never
    below a third of its size.
    """
    base = getattr(ax, _BASE_ATTR, None)
    if base is None:
        base = ax.get_position(original=True).frozen()
        setattr(ax, _BASE_ATTR, base)
    width_pt, height_pt = ax.figure.get_size_inches() * 72
    x0, x1 = max(base.x0, left / width_pt), min(base.x1, 1 - right / width_pt)
    if x1 - x0 < base.width / 3:
        x0, x1 = base.x0, base.x0 + max(x1 - x0, base.width / 3)
    bottom = below + 4
    if caption:
        bottom += len(textwrap.wrap(caption, _caption_width(ax, x0))) * _CAPTION_PT + 4
    y0, y1 = max(base.y0, bottom / height_pt), min(base.y1, 1 - top / height_pt)
    if y1 - y0 < base.height / 3:
        y0, y1 = base.y1 - max(y1 - y0, base.height / 3), base.y1
    ax.set_position((x0, y0, x1 - x0, y1 - y0))


def _axes_pt(ax: Axes) -> tuple[float, float]:
    """Width and height of the axes, in points."""
    box = ax.get_position()
    width_pt, height_pt = ax.figure.get_size_inches() * 72
    return box.width * width_pt, box.height * height_pt


def _caption_width(ax: Axes, x0: float | None = None) -> int:
    """How many characters of the caption fit on a line under the axes."""
    x0 = ax.get_position().x0 if x0 is None else x0
    room = (1 - x0) * ax.figure.get_size_inches()[0] * 72 - 12
    return max(40, min(130, int(room / (0.52 * 11))))


def _caption(sources: Iterable[Any]) -> str:
    """Return the source line of a chart: the first two works, then how many more.

    Every work is listed in the sources table; the apps also show them next to the chart.
    """
    return source_line_text(list(sources), max_cited=2)


def _legend_pt(labels: Iterable[str], title: str = "", fontsize: float = 12) -> float:
    """Width of a one-column legend with these labels, in points."""
    widest = max([_text_pt(str(label), fontsize) for label in labels] + [_text_pt(title, fontsize + 1)])
    return widest + 3.6 * fontsize + 10


def _category_key(ax: Axes, entries: list[tuple[str, dict[str, Any]]], title: str = "Category",
                  note: str = "") -> None:  # fmt: skip
    """Draw a legend right of the axes from plain lines and texts, laid out like ``ax.legend``.

    `entries` pairs each label with the style of its line (``Line2D`` properties); `note` is
    written in small grey type under the last entry (gid ``key-note``). The apps redraw at every
    click, and a matplotlib ``Legend`` costs several times more to build and to draw than these
    few artists. Labels carry the gid ``key-label``, the title ``key-title``.
    """
    fig = ax.figure
    size = FontProperties(size=plt.rcParams["legend.fontsize"]).get_size_in_points()
    title_size = FontProperties(size=plt.rcParams["legend.title_fontsize"]).get_size_in_points()
    # Coordinates in points from the top right corner of the axes.
    corner = Affine2D().scale(1 / 72) + fig.dpi_scale_trans + ScaledTranslation(1, 1, ax.transAxes)
    left, handle = 8 + 0.4 * size, 2.0 * size

    def write(x: float, y: float, text: str, **style: Any) -> None:
        ax.text(x, y, text, transform=corner, ha="left", clip_on=False, **style)

    write(left, -0.4 * size, title, va="top", fontsize=title_size, gid="key-title")
    top = -0.4 * size - 1.6 * title_size
    for k, (label, look) in enumerate(entries):
        y = top - (k + 0.5) * 1.7 * size
        xs = [left, left + handle / 2, left + handle]
        ax.add_artist(Line2D(xs, [y] * 3, transform=corner, clip_on=False, markevery=[1], gid="key-handle", **look))
        write(left + handle + 0.8 * size, y, label, va="center", fontsize=size, gid="key-label")
    if note:
        y = top - (len(entries) + 0.5) * 1.7 * size
        write(left, y, note, va="top", fontsize=_NOTE_FONTSIZE, color="#555555", gid="key-note")


def _legend_columns(labels: list[str], room_pt: float, fontsize: float) -> int:
    """Return the most columns (up to 4) in which a legend of these labels fits `room_pt` points."""
    for ncol in range(min(4, len(labels)), 1, -1):
        rows = -(-len(labels) // ncol)
        columns = [labels[k * rows : (k + 1) * rows] for k in range(ncol)]
        # handle, padding and the 1.2 em column spacing of each column, plus a 10% margin on the text
        width = sum(1.1 * max(_text_pt(label, fontsize) for label in col) + 4.6 * fontsize for col in columns if col)
        if width <= room_pt:
            return ncol
    return 1


def _ylabels_pt(labels: Iterable[str], fontsize: float = 13) -> float:
    return max([_text_pt(str(label), fontsize) for label in labels] or [0]) + 14


def _names(table: str, ids: Iterable[str], frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Display names of ids from a lookup table (ids prettified while the data is incomplete)."""
    lookup = frame if frame is not None else _try_load(table)
    known = {} if lookup is None else dict(zip(lookup["id"].astype(str), lookup["name"].astype(str), strict=True))
    return {i: known.get(i, i.replace("_", " ").capitalize()) for i in ids}


def _eras_table(eras: bool | pd.DataFrame) -> pd.DataFrame | None:
    if isinstance(eras, pd.DataFrame):
        return eras
    return _try_load("eras") if eras else None


def _shade(ax: Axes, eras: bool | pd.DataFrame, xlim: tuple[float, float]) -> list[str]:
    table = _eras_table(eras)
    return [] if table is None else shade_eras(ax, table, xlim=xlim)


def _row_names(ax: Axes, ys: Iterable[float], names: Iterable[str], fontsize: float, gid: str) -> None:
    """Name the rows of a chart left of the axes, in place of y tick labels.

    Plain texts, because ticks are slow to build and to measure at each redraw of an app.
    """
    ax.set_yticks([])
    shift = ScaledTranslation(-6 / 72, 0, ax.figure.dpi_scale_trans)
    transform = ax.get_yaxis_transform() + shift
    for y, name in zip(ys, names, strict=True):
        ax.text(0, y, name, transform=transform, ha="right", va="center", fontsize=fontsize, gid=gid, clip_on=False)


def _year_span(values: Iterable[float]) -> str:
    values = list(values)
    first, last = int(np.floor(min(values))), int(np.floor(max(values)))
    return str(first) if first == last else f"{first}-{last}"


def _counts(values: Iterable[str]) -> str:
    counts = pd.Series(list(values)).value_counts(sort=False)
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _color(name: str) -> str:
    return OKABE_ITO[name]


def _text_width_px(text: str, fontsize: float, dpi: float) -> float:
    """Rough rendered width of `text` (DejaVu Sans averages about 0.6 em per character)."""
    return len(text) * 0.6 * fontsize * dpi / 72


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# --- comparison -----------------------------------------------------------------------------


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


def _draw_cell(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    fontsize: float,
    *,
    fill: str,
    gid: str,
    weight: str = "normal",
    edge: str = "white",
) -> None:
    ax.add_patch(Rectangle((x, y - h), w, h, facecolor=fill, edgecolor=edge, lw=1.5, gid=gid))
    pad = 0.006
    ax.text(
        x + pad,
        y - pad * 1.5,
        text,
        ha="left",
        va="top",
        fontsize=fontsize,
        weight=weight,
        linespacing=1.2,
        gid=f"{gid}-text",
        clip_on=True,
    )


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


# --- timeline -------------------------------------------------------------------------------


def _event_lanes(
    frame: pd.DataFrame, lanes: str, chosen: list[str] | None
) -> tuple[list[str], list[list[str]], dict[str, str]]:
    """Return (lane ids in display order, the lanes of each event, lane names).

    Ideology lanes, and figure lanes for `chosen` figures, hold an event in each lane it names;
    otherwise (figures by frequency) an event goes to the lane of its most frequent figure.
    Every chosen lane is kept, even empty.
    """
    column = "ideologies" if lanes == "ideology" else "figures"
    if lanes == "ideology":
        order, every = chosen or choices("ideologies", "id"), True
    else:
        counts = pd.Series([f for items in frame[column] for f in (items or [])]).value_counts(sort=False)
        order, every = chosen or sorted(counts.index, key=lambda f: -counts[f]), chosen is not None
    lanes_of = []
    for items in frame[column]:
        named = set(items or [])
        hits = [o for o in order if o in named]
        lanes_of.append((hits if every else hits[:1]) or ["_other"])
    hit = {lane for event in lanes_of for lane in event}
    used = list(chosen) if chosen else [o for o in order if o in hit]
    if "_other" in hit:
        used.append("_other")
    names = _names("ideologies" if lanes == "ideology" else "figures", [u for u in used if u != "_other"])
    names["_other"] = "No ideology given" if lanes == "ideology" else "Other people"
    return used, lanes_of, names


def _label_levels(lane_px: float, fontsize: float, dpi: float) -> list[float]:
    """Vertical offsets (in lane units, alternating above/below) where a label fits in a lane."""
    text_h = 1.35 * fontsize * dpi / 72 / lane_px
    levels = []
    k = 0
    while 0.08 + text_h * (k + 1) <= 0.5:
        offset = 0.08 + text_h * (k + 0.5)
        levels += [-offset, offset]
        k += 1
    return levels


#: How much an event's category counts when choosing which events to label.
_CATEGORY_WEIGHT = {"politics": 2, "international": 2, "repression": 2, "economy": 2, "writing": 1, "biography": 0}


def _label_order(frame: pd.DataFrame, n_bins: int) -> list[int]:
    """Return the events in the order they are offered a label.

    The most important event of each of `n_bins` stretches of years comes first (so labels
    spread over the chart), then the rest by importance.
    """
    score = (
        frame["figures"].map(lambda f: len(f or []))
        + frame["ideologies"].map(lambda i: len(i or []))
        + frame["category"].astype(str).map(_CATEGORY_WEIGHT).fillna(1)
    ).to_numpy(dtype=float)
    when = frame["when"].to_numpy(dtype=float)
    ranked = sorted(range(len(frame)), key=lambda i: (-score[i], when[i]))
    if n_bins <= 0 or len(frame) == 0:
        return ranked
    lo, hi = when.min(), when.max()
    bins = np.minimum(((when - lo) / max(hi - lo, 1e-9) * n_bins).astype(int), n_bins - 1)
    first: dict[int, int] = {}
    for i in ranked:
        first.setdefault(int(bins[i]), i)
    leaders = sorted(first.values(), key=lambda i: (-score[i], when[i]))
    chosen = set(leaders)
    return leaders + [i for i in ranked if i not in chosen]


def _place_labels(
    ax: Axes, frame: pd.DataFrame, lanes: list[list[int]], xlim: tuple[float, float], max_labels: int
) -> int:
    """Label events without overlaps: staggered levels per lane, skipping what does not fit.

    Labels are plain text joined to their marker by a thin leader line (one collection for
    all of them), which is much cheaper to draw than annotations with arrows and boxes.
    """
    box = ax.get_window_extent()
    dpi = ax.figure.dpi
    lane_px = box.height / abs(ax.get_ylim()[0] - ax.get_ylim()[1])
    levels = _label_levels(lane_px, _LABEL_FONTSIZE, dpi)
    if not levels or max_labels <= 0:
        return 0
    per_px = (xlim[1] - xlim[0]) / box.width
    gap = 6 * per_px
    taken: dict[tuple[int, float], list[tuple[float, float]]] = {}
    text_half = 0.5 * 1.2 * _LABEL_FONTSIZE * dpi / 72 / lane_px
    when = frame["when"].to_numpy(dtype=float)
    titles = frame["title"].astype(str).to_numpy()
    leaders = []
    placed = 0
    for i in _label_order(frame, max_labels):
        if placed >= max_labels:
            break
        x, text = float(when[i]), _short(str(titles[i]))
        width = _text_width_px(text, _LABEL_FONTSIZE, dpi) * per_px
        right = x + width > xlim[1]
        span = (x - width, x) if right else (x, x + width)
        spot = next(
            (
                (y, level)
                for y in lanes[i]
                for level in levels
                if all(span[1] + gap < a or span[0] - gap > b for a, b in taken.get((y, level), []))
            ),
            None,
        )
        if spot is None:
            continue
        y, level = spot
        taken.setdefault(spot, []).append(span)
        ax.text(
            x,
            y + level,
            text,
            ha="right" if right else "left",
            va="center",
            fontsize=_LABEL_FONTSIZE,
            gid="event-label",
            zorder=4,
        )
        end = y + level + (text_half if level < 0 else -text_half)
        leaders.append([(x, y), (x, end)])
        placed += 1
    if leaders:
        ax.add_collection(
            LineCollection(leaders, colors="#888888", linewidths=0.8, zorder=2, gid="event-leader"), autolim=False
        )
    return placed


def plot_timeline(
    events: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    figures: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    years: tuple[int | None, int | None] | None = (1870, 1991),
    lanes: str = "ideology",
    eras: bool | pd.DataFrame = True,
    labels: bool = True,
    max_labels: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """Draw events on a timeline, one lane per ideology (or per figure), marked by category.

    An event is drawn in the lane of every ideology it is filed under (so one event may appear
    in several lanes); events with none go to a last lane. With ``lanes="figure"`` and
    `figures` given there is one lane per selected figure, even an empty one, and an event is
    drawn in the lane of every selected figure it names; without `figures`, each event is drawn
    once, in the lane of its most frequent figure. Labels are staggered so they never overlap;
    events are chosen for a label spread over the years, the more important first (more
    figures and ideologies, politics before biography); those that do not fit (or beyond
    `max_labels`) are skipped and a note says how many are labelled.

    Parameters
    ----------
    events : pandas.DataFrame, optional
        Rows of the events table; ``load("events")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to show; all by default.
    figures : str or list of str, optional
        Keep only events involving these figures.
    categories : str or list of str, optional
        Keep only these event categories.
    years : tuple of int, default (1870, 1991)
        Inclusive (start, end) years.
    lanes : {"ideology", "figure"}, default "ideology"
        What each horizontal lane stands for.
    eras : bool or pandas.DataFrame, default True
        Shade the eras of the eras table behind the events (or of the table given).
    labels : bool, default True
        Write event titles next to their markers.
    max_labels : int, default 12
        Label at most this many events (each label costs redraw time in the apps).
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown ideology, figure, category or lanes option.
    ValueError
        For an empty selection or a start year after the end year.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_timeline(ideologies=["leninism", "stalinism"], years=(1917, 1929))
    """
    check_choice(lanes, ["ideology", "figure"], "lanes option")
    ax = _target(ax)
    frame = filter_events(events, ideologies=ideologies, figures=figures, categories=categories, years=years)
    if frame.empty:
        return _no_data(ax, "Timeline of events")
    chosen = None
    if lanes == "ideology" and ideologies is not None:
        wanted = [ideologies] if isinstance(ideologies, str) else list(ideologies)
        chosen = [i for i in choices("ideologies", "id") if i in wanted]
    elif lanes == "figure" and figures is not None:
        chosen = list(dict.fromkeys([figures] if isinstance(figures, str) else list(figures)))
    lane_ids, lanes_of, lane_names = _event_lanes(frame, lanes, chosen)
    row_of = {lane: k for k, lane in enumerate(lane_ids)}
    ys = [[row_of[lane] for lane in event] for event in lanes_of]
    when = frame["when"]
    pad = max(1.0, 0.03 * (when.max() - when.min()))
    lo, hi = when.min() - pad, when.max() + pad
    if years is not None:
        lo = max(lo, years[0]) if years[0] is not None else lo
        hi = min(hi, years[1] + 1) if years[1] is not None else hi
    edge = 0.015 * (hi - lo)  # room for markers at the very start or end of the years
    lo, hi = lo - edge, hi + edge
    counts = frame["category"].astype(str).value_counts()
    legend_labels = [f"{style['label']} ({counts[c]})" for c, style in CATEGORY_STYLES.items() if c in counts]
    caption = _caption(frame["sources"])
    note_pt = _text_pt(f"{len(frame)} of {len(frame)} events labelled", _NOTE_FONTSIZE) + 10 if labels else 0
    _fit_axes(
        ax,
        left=_ylabels_pt(lane_names[lane] for lane in lane_ids),
        right=max(_legend_pt(legend_labels, "Category"), note_pt) + 8,
        below=30,
        caption=caption,
    )
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    ax.set_ylim(len(lane_ids) - 0.5, -0.5)
    point_event = np.repeat(np.arange(len(frame)), [len(y) for y in ys])
    point_y = np.array([y for event in ys for y in event], dtype=float)
    point_x = when.to_numpy(dtype=float)[point_event]
    point_cat = frame["category"].astype(str).to_numpy()[point_event]
    handles = []
    for category, style in CATEGORY_STYLES.items():
        mask = point_cat == category
        if not mask.any():
            continue
        look = {
            "marker": style["marker"],
            "color": style["color"],
            "markersize": 10.5,
            "markeredgecolor": "white",
            "markeredgewidth": 0.8,
            "linestyle": "none",
        }
        ax.plot(point_x[mask], point_y[mask], zorder=3, gid="events", clip_on=False, **look)
        handles.append((f"{style['label']} ({counts[category]})", look))
    if len(lane_ids) > 1:
        ax.hlines(
            np.arange(len(lane_ids) - 1) + 0.5,
            0,
            1,
            transform=ax.get_yaxis_transform(),
            color="#BBBBBB",
            lw=0.8,
            zorder=1,
            gid="lane-rule",
        )
    _row_names(ax, range(len(lane_ids)), [lane_names[lane] for lane in lane_ids], 13, "lane-name")
    era_names = _shade(ax, eras, (lo, hi))
    placed = _place_labels(ax, frame, ys, (lo, hi), max_labels) if labels else 0
    note = f"{placed} of {len(frame)} events labelled" if labels and placed < len(frame) else ""
    _category_key(ax, handles, note=note)
    span = _year_span(when)
    n_points = len(point_x)
    title = f"Timeline of {len(frame)} event{'s' if len(frame) != 1 else ''}, {span}"
    repeats = (
        (
            f" ({n_points - len(frame)} more marker{'s' if n_points - len(frame) != 1 else ''} "
            "for events in several lanes)"
        )
        if n_points > len(frame)
        else ""
    )
    alt = (
        f"Timeline of {len(frame)} event{'s' if len(frame) != 1 else ''}, {span}, in {len(lane_ids)} "
        f"lane{'s' if len(lane_ids) != 1 else ''} ({', '.join(lane_names[lane] for lane in lane_ids)}){repeats}; "
        f"categories: {_counts(frame['category'].astype(str))}"
        + (f"; shaded eras: {', '.join(era_names)}" if era_names else "")
        + (f"; {placed} events labelled." if labels else ".")
    )
    return _finish(ax, title, caption, alt)


# --- policies -------------------------------------------------------------------------------


def plot_policies(
    policies: pd.DataFrame | None = None,
    *,
    eras: str | Iterable[str] | None = None,
    ideologies: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    shade: bool | pd.DataFrame = True,
    ax: Axes | None = None,
) -> Axes:
    """Draw policies as a Gantt chart: one bar per policy from start to end, coloured by category.

    Each bar is followed by its years when there are at most 12 policies.
    Months are used when known (a bar runs from the start of its first month to the end of
    its last); a year given without a month counts as the middle of that year, for starts and
    ends alike (see :func:`lessons_lib.query.filter_policies`). A marker at the start of each
    bar repeats the category for readers who do not see colour.

    Parameters
    ----------
    policies : pandas.DataFrame, optional
        Rows of the policies table; ``load("policies")`` by default.
    eras : str or list of str, optional
        Keep policies that began in these eras.
    ideologies : str or list of str, optional
        Keep policies associated with these ideologies.
    categories : str or list of str, optional
        Keep these policy categories.
    shade : bool or pandas.DataFrame, default True
        Shade the eras of the eras table behind the bars (or of the table given).
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown era, ideology or category.

    Examples
    --------
    >>> ax = plot_policies(categories="economy")
    """
    ax = _target(ax)
    frame = filter_policies(policies, eras=eras, ideologies=ideologies, categories=categories)
    if frame.empty:
        return _no_data(ax, "Policies")
    ys = np.arange(len(frame))
    names = [_short(re.sub(r"\s*\([^)]*\)", "", n) if len(n) > 26 else n, 30) for n in frame["name"].astype(str)]
    counts = frame["category"].astype(str).value_counts()
    legend_labels = [f"{style['label']} ({counts[c]})" for c, style in CATEGORY_STYLES.items() if c in counts]
    caption = _caption(frame["sources"])
    _, height_pt = _axes_pt(ax)
    label_size = float(np.clip(0.75 * height_pt / (len(frame) + 1.1), 8, 13))
    _fit_axes(
        ax,
        left=_ylabels_pt(names, label_size),
        right=_legend_pt(legend_labels, "Category") + 8,
        below=30,
        caption=caption,
    )
    handles = []
    for category, style in CATEGORY_STYLES.items():
        rows = (frame["category"].astype(str) == category).to_numpy()
        if not rows.any():
            continue
        part = frame[rows]
        # One collection of bars per category: much cheaper to build and draw than a patch per bar
        # (barh), and the limits are set below anyway.
        bars = [[(start, y - 0.3), (end, y - 0.3), (end, y + 0.3), (start, y + 0.3)]
                for start, end, y in zip(part["start"], part["end"], ys[rows], strict=True)]  # fmt: skip
        ax.add_collection(PolyCollection(bars, facecolors=style["color"], edgecolors="none", alpha=0.9, zorder=2,
                                         gid="policy"), autolim=False)  # fmt: skip
        ax.plot(
            part["start"],
            ys[rows],
            linestyle="none",
            marker=style["marker"],
            markerfacecolor="white",
            markeredgecolor=style["color"],
            markersize=7.7,
            markeredgewidth=1.5,
            zorder=3,
            gid="policy-marker",
        )
        handles.append(
            (
                f"{style['label']} ({int(rows.sum())})",
                {
                    "color": style["color"],
                    "lw": 8,
                    "marker": style["marker"],
                    "markersize": 9,
                    "markerfacecolor": "white",
                },
            )
        )
    if len(frame) <= _MAX_YEAR_NOTES:  # beyond that the x axis is easier to read (and faster to draw)
        for y, row in zip(ys, frame.itertuples(), strict=True):
            span = str(row.start_year) if row.start_year == row.end_year else f"{row.start_year}\u2013{row.end_year}"
            ax.text(
                row.end + 0.3,
                y,
                span,
                va="center",
                ha="left",
                fontsize=min(11, label_size),
                color="#333333",
                gid="policy-years",
            )
    lo, hi = frame["start"].min() - 1, frame["end"].max() + (5 if len(frame) <= _MAX_YEAR_NOTES else 1)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    ax.set_ylim(len(frame) - 0.5, -0.6)
    _row_names(ax, ys, names, label_size, "policy-name")
    era_names = _shade(ax, shade, (lo, hi))
    _category_key(ax, handles)
    span = _year_span(list(frame["start_year"]) + list(frame["end_year"]))
    title = f"{len(frame)} polic{'ies' if len(frame) != 1 else 'y'}, {span}"
    alt = (
        f"Gantt chart of {len(frame)} policies, {span}, one bar per policy from start to end "
        f"({', '.join(frame['name'].astype(str))}); categories: {_counts(frame['category'].astype(str))}"
        + (f"; shaded eras: {', '.join(era_names)}." if era_names else ".")
    )
    return _finish(ax, title, caption, alt)


# --- lifelines ------------------------------------------------------------------------------


def _fractional(dates: pd.Series) -> pd.Series:
    dates = pd.to_datetime(dates)
    return dates.dt.year + (dates.dt.day_of_year - 1) / 365.25


def plot_lifelines(
    figures: pd.DataFrame | None = None,
    roles: pd.DataFrame | None = None,
    *,
    figure_ids: str | Iterable[str] | None = None,
    faction_years: tuple[int, int] | None = (1923, 1929),
    eras: bool | pd.DataFrame = True,
    ax: Axes | None = None,
) -> Axes:
    """Draw one line per life (birth to death), offices as thick segments, factions hatched.

    Factional alignments are grouped by a short name of the faction (the role without its
    parenthesis, without what follows "with", "against" or ";", and every bloc called a
    majority named "Stalin's majority"); each faction has its own colour and hatch. The legend
    sits below the chart in a few columns: give the figure about 7 inches of height for all the
    figures.

    Parameters
    ----------
    figures : pandas.DataFrame, optional
        Rows of the figures table; ``load("figures")`` by default.
    roles : pandas.DataFrame, optional
        Rows of the roles table (offices and factional alignments); ``load("roles")`` by default.
    figure_ids : str or list of str, optional
        Figure ids to show; all by default. Rows are ordered by date of birth.
    faction_years : tuple of int or None, default (1923, 1929)
        Only factional alignments overlapping these years (the succession struggle) are drawn;
        None draws them all.
    eras : bool or pandas.DataFrame, default True
        Shade the eras of the eras table (or of the table given).
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown figure id.

    Examples
    --------
    >>> ax = plot_lifelines(figure_ids=["lenin", "trotsky", "stalin"])
    """
    ax = _target(ax)
    people = load("figures") if figures is None else figures.copy()
    posts = load("roles") if roles is None else roles.copy()
    ids = list(people["id"].astype(str))
    if figure_ids is not None:
        chosen = [figure_ids] if isinstance(figure_ids, str) else list(figure_ids)
        for fid in chosen:
            check_choice(fid, ids, "figure")
        people = people[people["id"].astype(str).isin(chosen)]
    if people.empty:
        return _no_data(ax, "Lives, offices and factions")
    people = people.assign(_born=_fractional(people["born"]), _died=_fractional(people["died"]))
    people = people.sort_values("_born").reset_index(drop=True)
    row_of = {fid: y for y, fid in enumerate(people["id"].astype(str))}
    posts = posts[posts["figure_id"].astype(str).isin(row_of)].copy()
    if faction_years is not None:
        outside = (posts["end_year"] < faction_years[0]) | (posts["start_year"] > faction_years[1])
        posts = posts[(posts["kind"].astype(str) != "faction") | ~outside]
    offices = posts[posts["kind"].astype(str) == "office"]
    factions = posts[posts["kind"].astype(str) == "faction"].sort_values("start_year", kind="stable")
    factions = factions.assign(_faction=factions["faction"].astype(str))
    faction_names = list(dict.fromkeys(factions["_faction"]))
    labels = [f"{r.name} ({r.born.year}\u2013{r.died.year})" for r in people.itertuples()]
    label_size = float(np.clip(0.62 * _axes_pt(ax)[1] / (len(people) + 1.2), 8, 12))
    legend_labels = ["Life (birth to death)", *(["Office held"] if len(offices) else []), *faction_names]
    caption = _caption(list(people["sources"]) + list(posts["sources"]))
    left = _ylabels_pt(labels, label_size)
    ncol = _legend_columns(legend_labels, ax.figure.get_size_inches()[0] * 72 - left - 10, 11)
    legend_pt = -(-len(legend_labels) // ncol) * 11 * 1.75 + 8
    _fit_axes(ax, left=left, below=28 + legend_pt, caption=caption)
    ys = np.arange(len(people))
    ax.barh(
        ys,
        people["_died"] - people["_born"],
        left=people["_born"],
        height=0.14,
        color="#9A9A9A",
        gid="life",
        zorder=2,
        label="Life (birth to death)",
    )
    lo, hi = people["_born"].min() - 2, people["_died"].max() + 2
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(people) - 0.5, -0.7)
    handles = _draw_roles(ax, offices, factions, faction_names, row_of)
    ax.set_yticks(ys, labels)
    ax.tick_params(axis="y", length=0, labelsize=label_size)
    era_names = _shade(ax, eras, (lo, hi))
    life = Line2D([], [], color="#9A9A9A", lw=4, label="Life (birth to death)")
    _, height_pt = _axes_pt(ax)
    ax.legend(
        handles=[life, *handles],
        loc="upper left",
        bbox_to_anchor=(0, -26 / height_pt),
        ncol=ncol,
        frameon=False,
        fontsize=11,
        columnspacing=1.2,
        handlelength=1.8,
        borderaxespad=0,
    )
    title = f"Lives, offices and factional alignments of {len(people)} figure{'s' if len(people) != 1 else ''}"
    holders = posts["figure_id"].astype(str).value_counts()
    busiest = [people.loc[row_of[f], "name"] for f in holders.index[:3]]
    alt = (
        f"Lifelines of {len(people)} {'people' if len(people) != 1 else 'person'}, born "
        f"{_year_span(people['_born'])}, died {_year_span(people['_died'])}"
        + (f" (with the most roles: {', '.join(busiest)})" if busiest else "")
        + f"; {len(offices)} office{'s' if len(offices) != 1 else ''} held"
        + f" and {len(factions)} factional alignment{'s' if len(factions) != 1 else ''}"
        + (
            f" in {len(faction_names)} faction{'s' if len(faction_names) != 1 else ''} ({', '.join(faction_names)})"
            if faction_names
            else ""
        )
        + (f"; shaded eras: {', '.join(era_names)}." if era_names else ".")
    )
    return _finish(ax, title, caption, alt, offset=28 + legend_pt)


def _draw_roles(
    ax: Axes, offices: pd.DataFrame, factions: pd.DataFrame, names: list[str], row_of: dict[str, int]
) -> list[Any]:
    """Draw offices (thick blue segments) and factions (hatched, a colour and hatch each); return legend handles."""
    handles: list[Any] = []
    if len(offices):
        y = offices["figure_id"].astype(str).map(row_of).to_numpy()
        width = np.maximum(offices["end_year"] - offices["start_year"], 0.5)
        ax.barh(y, width, left=offices["start_year"], height=0.34, color=_color("blue"), gid="office", zorder=3)
        handles.append(Patch(color=_color("blue"), label="Office held"))
        _label_offices(ax, offices, y)
    for k, name in enumerate(names):
        rows = factions[factions["_faction"] == name]
        color, hatch = _faction_look(k)
        y = rows["figure_id"].astype(str).map(row_of).to_numpy() - 0.33
        width = np.maximum(rows["end_year"] - rows["start_year"], 0.5)
        ax.barh(
            y,
            width,
            left=rows["start_year"],
            height=0.24,
            facecolor=color,
            edgecolor="#333333",
            hatch=hatch,
            lw=0.6,
            gid="faction",
            zorder=3,
        )
        handles.append(Patch(facecolor=color, edgecolor="#333333", hatch=hatch, label=name))
    return handles


def _faction_look(k: int) -> tuple[str, str]:
    """Colour and hatch of the k-th faction: no two of the first 49 factions look the same."""
    n = len(_FACTION_COLORS)
    return _FACTION_COLORS[k % n], _FACTION_HATCHES[(k + k // n) % len(_FACTION_HATCHES)]


def _label_offices(ax: Axes, offices: pd.DataFrame, ys: np.ndarray) -> None:
    """Name each office just below its segment, skipping names that would overlap another."""
    lane_pt = ax.get_window_extent().height * 72 / ax.figure.dpi / abs(np.subtract(*ax.get_ylim()))
    if lane_pt < 3.2 * 11:  # too crowded: the legend and the alt text still list the offices
        return
    lo, hi = ax.get_xlim()
    per_px = (hi - lo) / max(ax.get_window_extent().width, 1.0)
    taken: dict[float, list[tuple[float, float]]] = {}
    for y, row in zip(ys, offices.itertuples(), strict=True):
        text = _short(str(row.role), 30)
        span = (float(row.start_year), row.start_year + _text_width_px(text, 11, ax.figure.dpi) * per_px)
        busy = taken.setdefault(float(y), [])
        if all(span[1] < a or span[0] > b for a, b in busy):
            busy.append(span)
            ax.text(
                row.start_year,
                y + 0.2,
                text,
                ha="left",
                va="top",
                fontsize=11,
                color=_color("blue"),
                gid="office-label",
                zorder=4,
            )


# --- series ---------------------------------------------------------------------------------


def _series_meta(series_id: str, series: pd.DataFrame | None) -> dict[str, Any]:
    table = series if series is not None else _try_load("series")
    if table is not None and series_id in set(table["id"].astype(str)):
        row = table[table["id"].astype(str) == series_id].iloc[0]
        return {"title": str(row["title"]), "unit": str(row["unit"]), "sources": list(row["sources"])}
    return {"title": series_id.replace("_", " ").capitalize(), "unit": "", "sources": []}


#: Lower-case words of ids shown in capitals, or with a capital, in series labels.
_ACRONYMS = {"ussr", "rsfsr", "mvd", "nkvd", "ogpu", "gpu", "gdp", "nep", "cpsu", "bse", "un", "us", "uk"}
_PROPER = {"soviet", "ukraine", "kazakhstan", "russia", "belarus", "siberia", "moscow", "leningrad", "gulag"}


def _pretty(name: str, source_id: str = "") -> str:
    """Readable label for a category or variant id of a series.

    'ussr' -> 'USSR'; 'cattle_kazakhstan' -> 'Cattle Kazakhstan'; a variant named after the
    authors of its source ('davies_wheatcroft', source 'davies_wheatcroft_2004') ->
    'Davies & Wheatcroft'.
    """
    words = [w for w in str(name).split("_") if w]
    if not words:
        return str(name)
    named = source_id == name or source_id.startswith(f"{name}_")
    if source_id and named and len(words) > 1 and all(w.isalpha() for w in words):
        authors = [w.capitalize() for w in words]
        return ", ".join(authors[:-1]) + " & " + authors[-1]
    shown = [
        w.upper() if w in _ACRONYMS else w.capitalize() if (k == 0 or w in _PROPER) else w for k, w in enumerate(words)
    ]
    return " ".join(shown)


def _group_label(category: str, variant: str, source_id: str = "") -> str:
    shown = _pretty(variant, source_id)
    return shown if category == "all" else f"{_pretty(category)}, {shown}"


def _with_gaps(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Break a yearly line where years are missing (a NaN point between years more than 1 apart)."""
    if len(years) < 3:
        return years, values
    steps = np.diff(years)
    if np.median(steps) > 1:
        return years, values  # not a yearly series: join the points
    gaps = np.flatnonzero(steps > 1) + 1
    return (np.insert(years.astype(float), gaps, np.nan), np.insert(values.astype(float), gaps, np.nan))


def _style_at(k: int) -> tuple[str, str]:
    return _color(_SERIES_COLORS[k % len(_SERIES_COLORS)]), _SERIES_MARKERS[k % len(_SERIES_MARKERS)]


def _is_categorical(obs: pd.DataFrame) -> bool:
    """Bars when no (category, variant) has more than two years: a comparison, not a trend."""
    return bool(obs.groupby(["category", "variant"], sort=False).size().max() <= 2)


def _plot_series_lines(ax: Axes, obs: pd.DataFrame, ranges: bool) -> list[str]:
    drawn = []
    for k, ((category, variant), rows) in enumerate(obs.groupby(["category", "variant"], sort=False)):
        color, marker = _style_at(k)
        label = _group_label(category, variant, str(rows["source_id"].iloc[0]))
        points = rows[rows["value"].notna()]
        if len(points):
            x, y = _with_gaps(points["year"].to_numpy(dtype=float), points["value"].to_numpy(dtype=float))
            ax.plot(x, y, marker=marker, color=color, label=label, gid="series-line")
            drawn.append(label)
        spans = rows[rows["low"].notna()] if ranges else rows.iloc[0:0]
        if len(spans) > 1:
            ax.fill_between(
                spans["year"],
                spans["low"],
                spans["high"],
                color=color,
                alpha=0.25,
                label=f"{label} (range)",
                gid="series-range",
            )
        elif len(spans) == 1:
            low, high = float(spans["low"].iloc[0]), float(spans["high"].iloc[0])
            mid = (low + high) / 2
            ax.errorbar(
                spans["year"],
                [mid],
                yerr=[[mid - low], [high - mid]],
                fmt=marker,
                mfc="white",
                color=color,
                capsize=7,
                lw=2,
                label=f"{label} (range)",
                gid="series-range",
            )
        if len(spans):
            drawn.append(f"{label} (range)")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    return drawn


def _add_bars(ax: Axes, x: Any, height: Any, width: float, *, bottom: Any = 0.0, label: str = "", gid: str = "",
              **style: Any) -> None:  # fmt: skip
    """Draw vertical bars like ``ax.bar``, as plain rectangles with one data-limit update for all.

    ``ax.bar`` updates the data limits bar by bar, which is most of its cost. The first bar
    carries `label` (one legend entry); like ``ax.bar``, a bar's base sticks to the axis.
    """
    x = np.asarray(x, dtype=float)
    height = np.asarray(height, dtype=float)
    bottom = np.broadcast_to(np.asarray(bottom, dtype=float), x.shape)
    for k, (middle, tall, base) in enumerate(zip(x, height, bottom, strict=True)):
        bar = Rectangle((middle - width / 2, base), width, tall, label=label if k == 0 else "_nolegend_", gid=gid,
                        **style)  # fmt: skip
        bar.sticky_edges.y.append(base)
        ax.add_artist(bar)
    ax.update_datalim(np.column_stack([np.r_[x - width / 2, x + width / 2], np.r_[bottom, bottom + height]]))
    ax.autoscale_view()


def _plot_series_bars(ax: Axes, obs: pd.DataFrame, ranges: bool) -> list[str]:
    cats = list(dict.fromkeys(obs["category"]))
    obs = obs.assign(_group=list(zip(obs["year"], obs["variant"], strict=True)))
    groups = list(dict.fromkeys(obs["_group"]))
    source_of = dict(zip(obs["variant"], obs["source_id"].astype(str), strict=True))
    many_years, many_variants = obs["year"].nunique() > 1, obs["variant"].nunique() > 1
    width = 0.8 / len(groups)
    drawn = []
    for k, (year, variant) in enumerate(groups):
        color, _ = _style_at(k)
        shown = _pretty(variant, source_of[variant])
        label = f"{year} {shown}" if many_years and many_variants else (str(year) if many_years else shown)
        rows = obs[obs["_group"] == (year, variant)]
        x = np.array([cats.index(c) for c in rows["category"]]) - 0.4 + width * (k + 0.5)
        points = rows["value"].notna().to_numpy()
        if points.any():
            _add_bars(
                ax, x[points], rows["value"][points], width * 0.95, facecolor=color, label=label, gid="series-bar"
            )
            drawn.append(label)
        spans = rows["low"].notna().to_numpy() & ranges
        if spans.any():
            _add_bars(
                ax,
                x[spans],
                (rows["high"] - rows["low"])[spans],
                width * 0.95,
                bottom=rows["low"][spans],
                facecolor="white",
                edgecolor=color,
                hatch="//",
                lw=1.5,
                label=f"{label} (range)",
                gid="series-range",
            )
            drawn.append(f"{label} (range)")
    ax.set_xticks(range(len(cats)), [_pretty(c) for c in cats])
    return drawn


def plot_series(
    series_id: str,
    *,
    observations: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    eras: bool | pd.DataFrame = True,
    ranges: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Draw one statistical series: lines over the years, or bars comparing categories.

    There is one line per (category, variant) with point values; when no (category, variant)
    has more than two years (five-year-plan targets against results, livestock in 1929 and
    1934) the categories go on the x axis as grouped bars instead. Ranges (low to high) are
    drawn as bands, error bars or hatched floating bars.

    Parameters
    ----------
    series_id : str
        A series id, e.g. one from ``load("series")["id"]``.
    observations : pandas.DataFrame, optional
        Rows of the observations table; ``load("observations")`` by default.
    series : pandas.DataFrame, optional
        Rows of the series table (title, unit and sources); ``load("series")`` by default.
    eras : bool or pandas.DataFrame, default True
        Shade the eras behind a chart over the years.
    ranges : bool, default True
        Draw the ranges; when False only point values are drawn.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown series id (``did you mean ...?``).

    Examples
    --------
    >>> ax = plot_series(load("series")["id"].iloc[0])
    """
    ax = _target(ax)
    obs = series_frame(series_id, observations)
    meta = _series_meta(series_id, series)
    if not ranges:
        obs = obs[obs["value"].notna()]
    if obs.empty:
        return _no_data(ax, meta["title"])
    bars = _is_categorical(obs)
    drawn = (_plot_series_bars if bars else _plot_series_lines)(ax, obs, ranges)
    _, labels = ax.get_legend_handles_labels()
    caption = _caption([meta["sources"], *obs["source_id"].astype(str)])
    _, height_pt = _axes_pt(ax)
    unit = textwrap.fill(meta["unit"], max(12, int(0.95 * height_pt / (_CHAR_EM * 14))))
    top = float(np.nanmax(obs[["value", "high"]].to_numpy(dtype=float)))
    if top >= 10_000:
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ticks_pt = _text_pt(f"{top:,.0f}" if top >= 10_000 else f"{top:.1f}", 13)
    left = ticks_pt + 14 + (unit.count("\n") + 1) * 17 * bool(unit)
    tick_lines = 1
    right = _legend_pt(labels) + 8
    if bars:
        _fit_axes(ax, left=left, right=right)
        cats = [t.get_text() for t in ax.get_xticklabels()]
        per_cat = int(0.95 * _axes_pt(ax)[0] / max(len(cats), 1) / (_CHAR_EM * 13))
        wrapped = [textwrap.fill(c, max(per_cat, 6), break_long_words=False) for c in cats]
        tick_lines = max(w.count("\n") + 1 for w in wrapped)
        longest = max(len(line) for w in wrapped for line in w.splitlines())
        ax.set_xticks(range(len(cats)), wrapped)
        if longest > per_cat:
            ax.tick_params(axis="x", labelsize=max(9.0, 13 * per_cat / longest))
    below = 12 + 16 * tick_lines
    _fit_axes(ax, left=left, right=right, below=below, caption=caption)
    era_names = [] if bars else _shade(ax, eras, ax.get_xlim())
    ax.set_ylabel(unit)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    span = _year_span(obs["year"])
    kind = "Bar chart" if bars else "Line chart"
    alt = f"{kind} of {meta['title']} ({meta['unit']}), {span}: {', '.join(drawn)}" + (
        f"; shaded eras: {', '.join(era_names)}." if era_names else "."
    )
    return _finish(ax, meta["title"], caption, alt, offset=below)
