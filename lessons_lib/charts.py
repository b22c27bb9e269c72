"""Matplotlib charts of the course data, all shaped ``plot_x(data=None, *, options, ax=None)``.

Each function draws on the given Axes (or the current one) and only there, returns it, gives it
a title and a ``Source: ...`` line built from the rows' source ids, and records a plain-language
description for :func:`lessons_lib.style.alt_text`. An empty selection gives the Axes a title and
the note "No data for this selection" instead of an error. Wrap calls in
:func:`lessons_lib.style.use_style` for projector-sized fonts.
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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

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
_SERIES_COLORS = ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "black")
_SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_FACTION_COLORS = ("orange", "sky_blue", "reddish_purple", "bluish_green", "vermillion", "yellow")
_FACTION_HATCHES = ("//", "\\\\", "xx", "..", "++", "oo", "--")


# --- shared helpers -------------------------------------------------------------------------


def _target(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.gca()


def _no_data(ax: Axes, title: str) -> Axes:
    ax.set_title(title, loc="left")
    ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center",
            fontsize=14, color="#555555", gid="no-data")
    set_alt_text(ax, f"{title}: {NO_DATA.lower()}.")
    return ax


def _finish(ax: Axes, title: str, sources: Iterable[Any], alt: str, *, offset: float = 36) -> Axes:
    ax.set_title(title, loc="left")
    caption = source_line_text(list(sources))
    if caption:
        add_source_line(ax, caption, offset=offset)
    set_alt_text(ax, alt)
    return ax


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


def _draw_cell(ax: Axes, x: float, y: float, w: float, h: float, text: str, fontsize: float,
               *, fill: str, gid: str, weight: str = "normal", edge: str = "white") -> None:
    ax.add_patch(Rectangle((x, y - h), w, h, facecolor=fill, edgecolor=edge, lw=1.5, gid=gid))
    pad = 0.006
    ax.text(x + pad, y - pad * 1.5, text, ha="left", va="top", fontsize=fontsize, weight=weight,
            linespacing=1.2, gid=f"{gid}-text", clip_on=True)


def plot_comparison(
    positions: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the comparison grid: one row per dimension, one column per ideology.

    Summaries are wrapped to fit (the font shrinks down to 8 pt for a short figure: give the
    figure about one inch of height per dimension). Contested cells are shaded, edged in
    vermillion and marked with ``*``; a legend explains the mark.

    Parameters
    ----------
    positions : pandas.DataFrame, optional
        Rows of the positions table; ``load("positions")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to compare; all by default.
    dimensions : str or list of str, optional
        Dimension ids to compare on; all by default.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(12, 14))
    >>> ax = plot_comparison(ax=ax)
    """
    ax = _target(ax)
    table, texts, contested, _, dim_names, ide_names = _comparison_data(positions, ideologies, dimensions)
    if table.empty:
        return _no_data(ax, "Comparison of the ideologies")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    box = ax.get_window_extent()
    width_pt, height_pt = box.width * 72 / ax.figure.dpi, box.height * 72 / ax.figure.dpi
    n_cols = len(texts.columns)
    col_w = [0.22] + [0.78 / n_cols] * n_cols
    rows = [["", *ide_names.values()]]
    rows += [[dim_names[d], *((s or "\u2014") + (" *" if contested.loc[d, i] else "") for i, s in texts.loc[d].items())]
             for d in texts.index]
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
    n_contested = int(contested.to_numpy().sum())
    if n_contested:
        handle = Patch(facecolor=_CONTESTED_FILL, edgecolor=_CONTESTED_EDGE,
                       label="* Contested: historians disagree (see the notes in the positions table)")
        ax.legend(handles=[handle], loc="upper left", bbox_to_anchor=(0, 0), frameon=False)
    title = _comparison_title(ide_names.values(), len(texts.index))
    alt = (f"Table comparing {', '.join(ide_names.values())} on {len(texts.index)} dimensions "
           f"({', '.join(dim_names.values())}); {n_contested} of {len(table)} cells are contested.")
    return _finish(ax, title, table["sources"], alt, offset=30 if n_contested else 8)


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
    body = []
    for d in texts.index:
        cells = []
        for i in texts.columns:
            cells.append(_html_cell(texts.loc[d, i], bool(contested.loc[d, i]), str(notes.loc[d, i] or ""),
                                    sources.get((d, i), []), show_sources))
        body.append(f'<tr><th scope="row" style="text-align:left;padding:6px;background:{_HEADER_FILL}">'
                    f"{esc(dim_names[d])}</th>{''.join(cells)}</tr>")
    caption = esc(_comparison_title(ide_names.values(), len(texts.index)))
    note = ""
    if contested.to_numpy().any():
        note = (f'<p style="font-size:0.9em"><span style="background:{_CONTESTED_FILL}">*</span> '
                "Contested: historians disagree on this cell (hover over it for the competing readings).</p>")
    return (
        '<div class="lessons-comparison"><table style="border-collapse:collapse;font-size:0.95em">'
        f'<caption style="caption-side:top;text-align:left;font-weight:bold">{caption}</caption>'
        f'<thead><tr><th scope="col"></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}</div>'
    )


def _html_cell(summary: str, contested: bool, note: str, source_ids: list[str], show_sources: bool) -> str:
    esc = html.escape
    style = "padding:6px;vertical-align:top;border:1px solid #ddd"
    text = esc(summary)
    extra = ""
    if show_sources and source_ids:
        extra += f'<br><small>{esc(source_line_text(source_ids, max_cited=10))}</small>'
    if not contested:
        return f'<td style="{style}">{text}{extra}</td>'
    if show_sources and note:
        extra += f"<br><small><strong>Contested:</strong> {esc(note)}</small>"
    return (f'<td class="contested" title="{esc("Contested: " + note)}" '
            f'style="{style};background:{_CONTESTED_FILL}">{text} <strong aria-label="contested">*</strong>'
            f"{extra}</td>")


# --- timeline -------------------------------------------------------------------------------


def _event_lanes(
    frame: pd.DataFrame, lanes: str, chosen: list[str] | None
) -> tuple[list[str], list[str], dict[str, str]]:
    """Return (lane ids in display order, lane id of each event, lane names)."""
    column = "ideologies" if lanes == "ideology" else "figures"
    if lanes == "ideology":
        order = chosen or choices("ideologies", "id")
    else:
        counts = pd.Series([f for items in frame[column] for f in items]).value_counts(sort=False)
        order = chosen or sorted(counts.index, key=lambda f: -counts[f])
    lane_of = [next((o for o in order if o in (items or [])), "_other") for items in frame[column]]
    used = [o for o in order if o in lane_of]
    if "_other" in lane_of:
        used.append("_other")
    names = _names("ideologies" if lanes == "ideology" else "figures", [u for u in used if u != "_other"])
    names["_other"] = "No ideology given" if lanes == "ideology" else "Other people"
    return used, lane_of, names


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


def _place_labels(
    ax: Axes, frame: pd.DataFrame, ys: list[int], xlim: tuple[float, float], max_labels: int
) -> int:
    """Label events without overlaps: staggered levels per lane, skipping what does not fit."""
    box = ax.get_window_extent()
    dpi = ax.figure.dpi
    lane_px = box.height / abs(ax.get_ylim()[0] - ax.get_ylim()[1])
    levels = _label_levels(lane_px, _LABEL_FONTSIZE, dpi)
    if not levels or max_labels <= 0:
        return 0
    per_px = (xlim[1] - xlim[0]) / box.width
    gap = 6 * per_px
    taken: dict[tuple[int, float], list[tuple[float, float]]] = {}
    n = len(frame)
    first = list(dict.fromkeys(np.linspace(0, n - 1, min(n, max_labels)).round().astype(int)))
    order = first + [i for i in range(n) if i not in set(first)]
    placed = 0
    for i in order:
        if placed >= max_labels:
            break
        x, text = float(frame["when"].iloc[i]), _short(str(frame["title"].iloc[i]))
        width = _text_width_px(text, _LABEL_FONTSIZE, dpi) * per_px
        right = x + width > xlim[1]
        span = (x - width, x) if right else (x, x + width)
        for level in levels:
            busy = taken.setdefault((ys[i], level), [])
            if all(span[1] + gap < a or span[0] - gap > b for a, b in busy):
                busy.append(span)
                ax.annotate(
                    text, xy=(x, ys[i]), xytext=(x, ys[i] + level), textcoords="data",
                    ha="right" if right else "left", va="center", fontsize=_LABEL_FONTSIZE, gid="event-label",
                    arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.8, "shrinkA": 0, "shrinkB": 5},
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                )
                placed += 1
                break
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
    max_labels: int = 24,
    ax: Axes | None = None,
) -> Axes:
    """Draw events on a timeline, one lane per ideology (or per figure), marked by category.

    Each event is drawn once, in the lane of its first selected ideology (or figure); events
    with none go to a last lane. Labels are staggered so they never overlap; those that do not
    fit (or beyond `max_labels`) are skipped and a note says how many are shown.

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
    max_labels : int, default 24
        Label at most this many events.
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
        chosen = choices("ideologies", "id")
        chosen = [i for i in chosen if i in ([ideologies] if isinstance(ideologies, str) else list(ideologies))]
    elif lanes == "figure" and figures is not None:
        chosen = [figures] if isinstance(figures, str) else list(figures)
    lane_ids, lane_of, lane_names = _event_lanes(frame, lanes, chosen)
    ys = [lane_ids.index(lane) for lane in lane_of]
    frame = frame.assign(_y=ys)
    when = frame["when"]
    pad = max(1.0, 0.03 * (when.max() - when.min()))
    lo, hi = when.min() - pad, when.max() + pad
    if years is not None:
        lo = max(lo, years[0] - 0.5) if years[0] is not None else lo
        hi = min(hi, years[1] + 1) if years[1] is not None else hi
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(lane_ids) - 0.5, -0.5)
    for category in CATEGORY_STYLES:
        rows = frame[frame["category"].astype(str) == category]
        if rows.empty:
            continue
        style = CATEGORY_STYLES[category]
        ax.scatter(rows["when"], rows["_y"], marker=style["marker"], color=style["color"], s=110,
                   edgecolors="white", linewidths=0.8, zorder=3, label=f"{style['label']} ({len(rows)})",
                   gid="events")
    for y in range(len(lane_ids) - 1):
        ax.axhline(y + 0.5, color="#BBBBBB", lw=0.8, zorder=1)
    ax.set_yticks(range(len(lane_ids)), [lane_names[lane] for lane in lane_ids])
    ax.tick_params(axis="y", length=0)
    era_names = _shade(ax, eras, (lo, hi))
    placed = _place_labels(ax, frame, ys, (lo, hi), max_labels) if labels else 0
    if labels and placed < len(frame):
        ax.text(1.0, 1.01, f"Labels on {placed} of {len(frame)} events (others skipped to avoid overlap)",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=11, color="#555555", gid="label-note")
    ax.legend(title="Category", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    span = _year_span(when)
    title = f"Timeline of {len(frame)} event{'s' if len(frame) != 1 else ''}, {span}"
    alt = (f"Timeline of {len(frame)} events, {span}, in {len(lane_ids)} lanes "
           f"({', '.join(lane_names[lane] for lane in lane_ids)}); categories: {_counts(frame['category'].astype(str))}"
           + (f"; shaded eras: {', '.join(era_names)}" if era_names else "")
           + (f"; {placed} events labelled." if labels else "."))
    return _finish(ax, title, frame["sources"], alt)


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

    Months are used when known (a bar runs from the start of its first month to the end of
    its last); a marker at the start of each bar repeats the category for readers who do not
    see colour.

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
    handles = []
    for category, style in CATEGORY_STYLES.items():
        rows = frame["category"].astype(str) == category
        if not rows.any():
            continue
        part = frame[rows]
        ax.barh(ys[rows.to_numpy()], part["end"] - part["start"], left=part["start"], height=0.6,
                color=style["color"], alpha=0.9, gid="policy", zorder=2)
        ax.scatter(part["start"], ys[rows.to_numpy()], marker=style["marker"], color="white",
                   edgecolors=style["color"], s=60, zorder=3, linewidths=1.5, gid="policy-marker")
        handles.append(Line2D([], [], color=style["color"], lw=8, marker=style["marker"], markersize=9,
                              markerfacecolor="white", label=f"{style['label']} ({int(rows.sum())})"))
    for y, row in zip(ys, frame.itertuples(), strict=True):
        span = str(row.start_year) if row.start_year == row.end_year else f"{row.start_year}\u2013{row.end_year}"
        ax.text(row.end + 0.3, y, span, va="center", ha="left", fontsize=11, color="#333333", gid="policy-years")
    lo, hi = frame["start"].min() - 1, frame["end"].max() + 3
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(frame) - 0.5, -0.6)
    ax.set_yticks(ys, frame["name"].astype(str))
    ax.tick_params(axis="y", length=0)
    era_names = _shade(ax, shade, (lo, hi))
    ax.legend(handles=handles, title="Category", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    span = _year_span(list(frame["start_year"]) + list(frame["end_year"]))
    title = f"{len(frame)} polic{'ies' if len(frame) != 1 else 'y'}, {span}"
    alt = (f"Gantt chart of {len(frame)} policies, {span}, one bar per policy from start to end "
           f"({', '.join(frame['name'].astype(str))}); categories: {_counts(frame['category'].astype(str))}"
           + (f"; shaded eras: {', '.join(era_names)}." if era_names else "."))
    return _finish(ax, title, frame["sources"], alt)


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

    Factional alignments are grouped by the name of the faction (the role without its
    parenthesis and without what follows "with", "against" or ";"), one colour and hatch each.

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
    ys = np.arange(len(people))
    ax.barh(ys, people["_died"] - people["_born"], left=people["_born"], height=0.14, color="#9A9A9A",
            gid="life", zorder=2, label="Life (birth to death)")
    lo, hi = people["_born"].min() - 2, people["_died"].max() + 2
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(people) - 0.5, -0.7)
    handles = _draw_roles(ax, posts, row_of)
    labels = [f"{r.name} ({r.born.year}\u2013{r.died.year})" for r in people.itertuples()]
    ax.set_yticks(ys, labels)
    ax.tick_params(axis="y", length=0)
    era_names = _shade(ax, eras, (lo, hi))
    life = Line2D([], [], color="#9A9A9A", lw=4, label="Life (birth to death)")
    ax.legend(handles=[life, *handles], loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    offices = posts[posts["kind"].astype(str) == "office"]
    factions = posts[posts["kind"].astype(str) == "faction"]
    title = f"Lives, offices and factional alignments of {len(people)} figure{'s' if len(people) != 1 else ''}"
    alt = (f"Lifelines of {len(people)} people ({', '.join(labels)}), with {len(offices)} offices"
           + (f" ({'; '.join(offices['role'].astype(str))})" if len(offices) else "")
           + f" and {len(factions)} factional alignments"
           + (f" ({'; '.join(factions['role'].astype(str).unique())})" if len(factions) else "")
           + (f"; shaded eras: {', '.join(era_names)}." if era_names else "."))
    return _finish(ax, title, list(people["sources"]) + list(posts["sources"]), alt)


def _draw_roles(ax: Axes, posts: pd.DataFrame, row_of: dict[str, int]) -> list[Any]:
    """Draw offices (thick blue segments) and factions (hatched, one colour each); return legend handles."""
    handles: list[Any] = []
    offices = posts[posts["kind"].astype(str) == "office"]
    if len(offices):
        y = offices["figure_id"].astype(str).map(row_of).to_numpy()
        width = np.maximum(offices["end_year"] - offices["start_year"], 0.5)
        ax.barh(y, width, left=offices["start_year"], height=0.34, color=_color("blue"), gid="office", zorder=3)
        handles.append(Patch(color=_color("blue"), label="Office held"))
        _label_offices(ax, offices, y)
    factions = posts[posts["kind"].astype(str) == "faction"].sort_values("start_year", kind="stable")
    for k, (name, rows) in enumerate(factions.groupby(factions["role"].astype(str).map(_faction_name), sort=False)):
        color = _color(_FACTION_COLORS[k % len(_FACTION_COLORS)])
        hatch = _FACTION_HATCHES[k % len(_FACTION_HATCHES)]
        y = rows["figure_id"].astype(str).map(row_of).to_numpy() - 0.33
        width = np.maximum(rows["end_year"] - rows["start_year"], 0.5)
        ax.barh(y, width, left=rows["start_year"], height=0.24, facecolor=color, edgecolor="#333333",
                hatch=hatch, lw=0.6, gid="faction", zorder=3)
        handles.append(Patch(facecolor=color, edgecolor="#333333", hatch=hatch, label=name))
    return handles


def _faction_name(role: str) -> str:
    """Return the faction of a role: 'United Opposition (with Trotsky)' -> 'United Opposition'."""
    name = re.sub(r"\s*\([^)]*\)", "", role)
    name = re.split(r";| with | against | allied ", name)[0]
    return name.strip(" ,") or role


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
            ax.text(row.start_year, y + 0.2, text, ha="left", va="top", fontsize=11, color=_color("blue"),
                    gid="office-label", zorder=4)


# --- series ---------------------------------------------------------------------------------


def _series_meta(series_id: str, series: pd.DataFrame | None) -> dict[str, Any]:
    table = series if series is not None else _try_load("series")
    if table is not None and series_id in set(table["id"].astype(str)):
        row = table[table["id"].astype(str) == series_id].iloc[0]
        return {"title": str(row["title"]), "unit": str(row["unit"]), "sources": list(row["sources"])}
    return {"title": series_id.replace("_", " ").capitalize(), "unit": "", "sources": []}


def _group_label(category: str, variant: str) -> str:
    variant = variant.replace("_", " ")
    return variant if category == "all" else f"{category.replace('_', ' ')}, {variant}"


def _style_at(k: int) -> tuple[str, str]:
    return _color(_SERIES_COLORS[k % len(_SERIES_COLORS)]), _SERIES_MARKERS[k % len(_SERIES_MARKERS)]


def _is_categorical(obs: pd.DataFrame) -> bool:
    """Bars when no (category, variant) has more than two years: a comparison, not a trend."""
    return bool(obs.groupby(["category", "variant"], sort=False).size().max() <= 2)


def _plot_series_lines(ax: Axes, obs: pd.DataFrame, ranges: bool) -> list[str]:
    drawn = []
    for k, ((category, variant), rows) in enumerate(obs.groupby(["category", "variant"], sort=False)):
        color, marker = _style_at(k)
        label = _group_label(category, variant)
        points = rows[rows["value"].notna()]
        if len(points):
            ax.plot(points["year"], points["value"], marker=marker, color=color, label=label, gid="series-line")
            drawn.append(label)
        spans = rows[rows["low"].notna()] if ranges else rows.iloc[0:0]
        if len(spans) > 1:
            ax.fill_between(spans["year"], spans["low"], spans["high"], color=color, alpha=0.25,
                            label=f"{label} (range)", gid="series-range")
        elif len(spans) == 1:
            low, high = float(spans["low"].iloc[0]), float(spans["high"].iloc[0])
            mid = (low + high) / 2
            ax.errorbar(spans["year"], [mid], yerr=[[mid - low], [high - mid]], fmt=marker, mfc="white",
                        color=color, capsize=7, lw=2, label=f"{label} (range)", gid="series-range")
        if len(spans):
            drawn.append(f"{label} (range)")
    ax.set_xlabel("Year")
    return drawn


def _plot_series_bars(ax: Axes, obs: pd.DataFrame, ranges: bool) -> list[str]:
    cats = list(dict.fromkeys(obs["category"]))
    obs = obs.assign(_group=list(zip(obs["year"], obs["variant"], strict=True)))
    groups = list(dict.fromkeys(obs["_group"]))
    many_years, many_variants = obs["year"].nunique() > 1, obs["variant"].nunique() > 1
    width = 0.8 / len(groups)
    drawn = []
    for k, (year, variant) in enumerate(groups):
        color, _ = _style_at(k)
        shown = variant.replace("_", " ")
        label = f"{year} {shown}" if many_years and many_variants else (str(year) if many_years else shown)
        rows = obs[obs["_group"] == (year, variant)]
        x = np.array([cats.index(c) for c in rows["category"]]) - 0.4 + width * (k + 0.5)
        points = rows["value"].notna().to_numpy()
        if points.any():
            ax.bar(x[points], rows["value"][points], width * 0.95, color=color, label=label, gid="series-bar")
            drawn.append(label)
        spans = rows["low"].notna().to_numpy() & ranges
        if spans.any():
            ax.bar(x[spans], (rows["high"] - rows["low"])[spans], width * 0.95, bottom=rows["low"][spans],
                   facecolor="white", edgecolor=color, hatch="//", lw=1.5, label=f"{label} (range)",
                   gid="series-range")
            drawn.append(f"{label} (range)")
    ax.set_xticks(range(len(cats)), [c.replace("_", " ") for c in cats])
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
    era_names = [] if bars else _shade(ax, eras, ax.get_xlim())
    ax.set_ylabel(meta["unit"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    span = _year_span(obs["year"])
    kind = "Bar chart" if bars else "Line chart"
    alt = (f"{kind} of {meta['title']} ({meta['unit']}), {span}: {', '.join(drawn)}"
           + (f"; shaded eras: {', '.join(era_names)}." if era_names else "."))
    return _finish(ax, meta["title"], [meta["sources"], *obs["source_id"].astype(str)], alt,
                   offset=36 if bars else 58)
