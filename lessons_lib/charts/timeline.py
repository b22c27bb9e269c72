"""The timeline: events in lanes (one per ideology or figure), marked by category."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from lessons_lib.charts._artists import _NOTE_FONTSIZE, _category_key, _finish, _no_data, _row_names, _target
from lessons_lib.charts._describe import _caption, _counts, _names, _year_span
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import _fit_axes, _legend_pt, _short, _text_pt, _text_width_px, _ylabels_pt
from lessons_lib.data import check_choice
from lessons_lib.query import (
    choices,
    filter_events,
)
from lessons_lib.style import (
    CATEGORY_STYLES,
)

_LABEL_FONTSIZE = 12


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
