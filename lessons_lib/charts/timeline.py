"""The timeline: events in lanes (one per ideology or figure), marked by category.

:func:`plot_timeline` plans what to draw (:class:`TimelinePlan`, no drawing), draws it, then
describes it in words for the alt text.
"""

from __future__ import annotations

import functools
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from lessons_lib.charts._artists import _NOTE_FONTSIZE, _category_key, _finish, _no_data, _row_names, _target
from lessons_lib.charts._describe import _caption, _counts, _linked_to, _lives, _names, _subject, _year_span, plural
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import FreeSlots, _fit_axes, _legend_pt, _text_pt, _text_px, _unclipped, _ylabels_pt
from lessons_lib.data import check_choice, choices, load
from lessons_lib.query import filter_events
from lessons_lib.style import category_styles

#: What each lane of the timeline stands for.
Lanes = Literal["ideology", "figure"]

_LABEL_FONTSIZE = 12
_LINE = 1.3  # a label line's height, in font sizes
_LEADER_PX = 6.0  # the part of a leader line left showing between a marker's edge and its label
_RING_PT = 15.0  # the ring drawn round each labelled marker, so a reader sees which marker a label names
_LABEL_LINES = 3  # a label's lines stay within this many line heights of its marker
_FIGURE_LANES = 6  # lanes for the figures named most often, when no figures are chosen
_WRAPS = (60, 32, 22)  # characters per label line: a label takes the first of these shapes that fits
_MARKER_PT = 10.5
_MARKER: dict[str, Any] = {
    "markersize": _MARKER_PT,
    "markeredgecolor": "white",
    "markeredgewidth": 0.8,
    "linestyle": "none",
}


@dataclass(frozen=True)
class TimelinePlan:
    """What a timeline shows, decided before drawing (from the data alone, no axes)."""

    frame: pd.DataFrame  #: the events, in the order of the events table
    lane_ids: list[str]  #: lanes from top to bottom (``"_other"`` for events in no chosen lane)
    lane_names: list[str]  #: the name written left of each lane
    rows: list[list[int]]  #: the lanes (row numbers) each event is drawn in
    xlim: tuple[float, float]  #: the years shown, with a margin for markers at the ends
    categories: list[tuple[str, dict[str, str], int]]  #: (category, style, number of events) in key order
    caption: str  #: the source line
    labels: bool  #: whether events are labelled
    max_labels: int  #: label at most this many events
    label_order: list[int]  #: the events (row numbers of `frame`) in the order they are offered a label
    title: str  #: the chart's title: what it shows (see :func:`_timeline_title`)

    @property
    def n_markers(self) -> int:
        """Markers drawn: one per event and lane it is in."""
        return sum(len(r) for r in self.rows)

    @property
    def span(self) -> str:
        """The years of the events, ``1917-1940``."""
        return _year_span(self.frame["when"])


def _timeline_title(
    events: pd.DataFrame,
    *,
    ideologies: str | Iterable[str] | None = None,
    figures: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    lanes: Lanes = "ideology",
) -> str:
    """Say what a timeline of `events` shows: ``"Events in Trotsky's life, 1927-1940"``.

    The title names the category when all events share one (``"Repression events ..."``), the
    figures and ideologies they were chosen by, and their years; with neither, what the lanes
    stand for (``"Events by ideology, 1870-1917"``).

    Parameters
    ----------
    events : pandas.DataFrame
        The events shown, with their ``when`` (see :func:`lessons_lib.query.filter_events`).
    ideologies : str or list of str, optional
        The ideology ids the events were chosen by.
    figures : str or list of str, optional
        The figure ids the events were chosen by.
    categories : str or list of str, optional
        The categories the events were chosen by (named even when no event is left).
    lanes : {"ideology", "figure"}, default "ideology"
        What each lane stands for.

    Returns
    -------
    str

    Examples
    --------
    >>> from lessons_lib.query import filter_events
    >>> _timeline_title(filter_events(figures="trotsky", years=(1927, 1940)), figures="trotsky")
    "Events in Trotsky's life, 1927-1940"
    """
    chosen = [figures] if isinstance(figures, str) else list(figures or [])
    chosen_categories = [categories] if isinstance(categories, str) else list(categories or [])
    subject = _subject("events", chosen_categories or events["category"].astype(str))
    linked = _linked_to([ideologies] if isinstance(ideologies, str) else ideologies)
    if chosen:
        subject += f" in {_lives(chosen)}{linked}"
    elif linked:
        subject += linked
    else:
        subject += " by ideology" if lanes == "ideology" else " by person"
    return f"{subject}, {_year_span(events['when'])}" if len(events) else subject


def plot_timeline(
    events: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    figures: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    years: tuple[int | None, int | None] | None = (1870, 1991),
    lanes: Lanes = "ideology",
    eras: bool | pd.DataFrame = True,
    labels: bool = True,
    max_labels: int = 12,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw events on a timeline, one lane per ideology (or per figure), marked by category.

    An event is drawn in the lane of every ideology it is filed under (so one event may appear
    in several lanes); events with none go to a last lane. With ``lanes="figure"`` and
    `figures` given there is one lane per selected figure, even an empty one, and an event is
    drawn in the lane of every selected figure it names (without `figures`: one lane for each of
    the six figures named most often, and one for the rest), so a person's lane shows all of that
    person's events. Labels are whole event titles (wrapped, never cut short), next to their
    markers and inside the axes, and never overlap; events are chosen for a label spread over the
    years, the more important first (more figures and ideologies, politics before biography);
    those that do not fit (or beyond `max_labels`) are skipped and a note says how many are
    labelled.

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
    title : str, optional
        The chart's title. By default it says what is shown: the category when all events share
        one, the figures or ideologies chosen (else what the lanes stand for) and the years, as in
        ``"Events in Trotsky's life, 1927-1940"`` or ``"Repression events by ideology, 1917-1941"``.
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
        return _no_data(ax, title or "Timeline of events")
    title = title or _timeline_title(frame, ideologies=ideologies, figures=figures, categories=categories, lanes=lanes)
    plan = _plan_timeline(frame, lanes, _chosen_lanes(lanes, ideologies, figures), years, labels, max_labels, title)
    era_names, placed = _draw_timeline(ax, plan, eras)
    return _finish(ax, plan.title, plan.caption, _describe_timeline(plan, era_names, placed))


def _chosen_lanes(
    lanes: Lanes, ideologies: str | Iterable[str] | None, figures: str | Iterable[str] | None
) -> list[str] | None:
    """Return the lanes asked for (ideologies in table order, figures as given), or None for the defaults."""
    if lanes == "ideology" and ideologies is not None:
        wanted = [ideologies] if isinstance(ideologies, str) else list(ideologies)
        return [i for i in choices("ideologies", "id") if i in wanted]
    if lanes == "figure" and figures is not None:
        return list(dict.fromkeys([figures] if isinstance(figures, str) else list(figures)))
    return None


def _plan_timeline(
    frame: pd.DataFrame,
    lanes: Lanes,
    chosen: list[str] | None,
    years: tuple[int | None, int | None] | None,
    labels: bool = True,
    max_labels: int = 12,
    title: str = "",
) -> TimelinePlan:
    """Decide the lanes, rows, years shown and key of a timeline of the events in `frame` (not empty)."""
    lane_ids, lanes_of, lane_names = _event_lanes(frame, lanes, chosen)
    row_of = {lane: k for k, lane in enumerate(lane_ids)}
    when = frame["when"]
    pad = max(1.0, 0.03 * (when.max() - when.min()))
    lo, hi = when.min() - pad, when.max() + pad
    if years is not None:
        lo = max(lo, years[0]) if years[0] is not None else lo
        hi = min(hi, years[1] + 1) if years[1] is not None else hi
    edge = 0.015 * (hi - lo)  # room for markers at the very start or end of the years
    counts = Counter(frame["category"].astype(str))
    table = load("categories")
    weights = dict(zip(table["id"].astype(str), table["weight"].astype(int), strict=True))
    return TimelinePlan(
        frame=frame,
        lane_ids=lane_ids,
        lane_names=[lane_names[lane] for lane in lane_ids],
        rows=[[row_of[lane] for lane in event] for event in lanes_of],
        xlim=(lo - edge, hi + edge),
        categories=[(c, style, int(counts[c])) for c, style in category_styles().items() if c in counts],
        caption=_caption(frame["sources"]),
        labels=labels,
        max_labels=max_labels,
        label_order=_label_order(frame, max_labels, weights),
        title=title or _timeline_title(frame, lanes=lanes),
    )


def _event_lanes(
    frame: pd.DataFrame, lanes: Lanes, chosen: list[str] | None
) -> tuple[list[str], list[list[str]], dict[str, str]]:
    """Return (lane ids in display order, the lanes of each event, lane names).

    An event is drawn in the lane of every ideology or figure it names, so each person's lane shows
    all of that person's events. Without `chosen` figures the lanes are the
    :data:`_FIGURE_LANES` figures named most often (events naming none of them go to a last lane).
    Every chosen lane is kept, even empty.
    """
    column = "ideologies" if lanes == "ideology" else "figures"
    if lanes == "ideology":
        order = chosen or choices("ideologies", "id")
    else:
        counts = pd.Series([f for items in frame[column] for f in (items or [])]).value_counts(sort=False)
        order = chosen or sorted(counts.index, key=lambda f: -counts[f])[:_FIGURE_LANES]
    lanes_of = []
    for items in frame[column]:
        named = set(items or [])
        lanes_of.append([o for o in order if o in named] or ["_other"])
    hit = {lane for event in lanes_of for lane in event}
    used = list(chosen) if chosen else [o for o in order if o in hit]
    if "_other" in hit:
        used.append("_other")
    names = _names("ideologies" if lanes == "ideology" else "figures", [u for u in used if u != "_other"])
    names["_other"] = "Other events" if lanes == "ideology" else "Other people"
    return used, lanes_of, names


def _label_room(lane_px: float, fontsize: float, dpi: float) -> tuple[int, float]:
    """How many lines of labels fit above (and as many below) a lane's markers, and how far from them.

    Returns (lines, gap): the nearest line's edge sits `gap` pixels from the markers' centres, past
    the ring round a labelled marker with :data:`_LEADER_PX` of leader line showing; in a lane too
    narrow for that, one line sits as far out as the lane allows, touching the ring (so still next to
    its marker), or none if it would cover the marker. Lines stay inside the lane's half and at most
    :data:`_LABEL_LINES` away, so a label never floats off from its marker.
    """
    line_px = _LINE * fontsize * dpi / 72
    gap = (_RING_PT / 2) * dpi / 72 + _LEADER_PX
    room = int((0.5 * lane_px - gap) // line_px)
    if room >= 1:
        return min(_LABEL_LINES, room), gap
    tight = 0.5 * lane_px - line_px
    return (1, tight) if tight >= _MARKER_PT / 2 * dpi / 72 + 1 else (0, gap)


def _label_order(frame: pd.DataFrame, n_bins: int, weights: dict[str, int]) -> list[int]:
    """Return the events in the order they are offered a label.

    An event's importance is the number of its figures and ideologies plus the weight of its
    category (`weights`, from the categories table). The most important event of each of
    `n_bins` stretches of years comes first (so labels spread over the chart), then the rest by
    importance.
    """
    columns = zip(frame["figures"], frame["ideologies"], frame["category"].astype(str), strict=True)
    score = np.array([len(f or []) + len(i or []) + weights.get(c, np.nan) for f, i, c in columns], dtype=float)
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


def _draw_timeline(ax: Axes, plan: TimelinePlan, eras: bool | pd.DataFrame) -> tuple[list[str], int]:
    """Draw the plan; return the names of the eras shaded and the number of events labelled."""
    frame, (lo, hi) = plan.frame, plan.xlim
    key = [f"{style['label']} ({n})" for _, style, n in plan.categories]
    keyed = len(key) > 1  # one category only: the title names it, and a one-entry key would say nothing more
    n = len(frame)
    note_pt = _text_pt(f"{n} of {n} events labelled", _NOTE_FONTSIZE) + 10 if plan.labels else 0
    right = max(_legend_pt(key, "Category") if keyed else 0, note_pt) + 8
    _fit_axes(ax, left=_ylabels_pt(plan.lane_names), right=right, below=30, caption=plan.caption)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    ax.set_ylim(len(plan.lane_ids) - 0.5, -0.5)
    point_event = np.repeat(np.arange(n), [len(r) for r in plan.rows])
    point_y = np.array([y for event in plan.rows for y in event], dtype=float)
    point_x = frame["when"].to_numpy(dtype=float)[point_event]
    point_cat = frame["category"].astype(str).to_numpy()[point_event]
    handles: list[tuple[str, dict[str, Any]]] = []
    # lines and collections made directly: ax.plot and ax.hlines parse and check their arguments at length
    for (category, style, _), label in zip(plan.categories, key, strict=True):
        mask = point_cat == category
        look: dict[str, Any] = {"marker": style["marker"], "color": style["color"], **_MARKER}
        ax.add_line(Line2D(point_x[mask], point_y[mask], zorder=3, gid="events", **_unclipped(ax), **look))
        handles.append((label, look))
    if len(plan.lane_ids) > 1:
        rules = [[(0, y + 0.5), (1, y + 0.5)] for y in range(len(plan.lane_ids) - 1)]  # across the axes
        ax.add_collection(
            LineCollection(
                rules, colors="#BBBBBB", linewidths=0.8, zorder=1, gid="lane-rule", transform=ax.get_yaxis_transform()
            ),
            autolim=False,
        )
    _row_names(ax, range(len(plan.lane_ids)), plan.lane_names, 13, "lane-name")
    era_names = _shade(ax, eras, (lo, hi))
    placed = _place_labels(ax, plan) if plan.labels else 0
    note = f"{placed} of {n} events labelled" if plan.labels and placed < n else ""
    _category_key(ax, handles if keyed else [], note=note)
    return era_names, placed


@functools.lru_cache(maxsize=4096)
def _label_shapes(title: str, max_lines: int) -> tuple[tuple[str, ...], ...]:
    """Return the ways to write a title in at most `max_lines` lines, one line first (never cut short).

    Kept per title: an app's redraw offers a label to most of its events, and wrapping each title
    three ways took a sixth of drawing the chart.
    """
    shapes: list[tuple[str, ...]] = []
    for width in _WRAPS:
        lines = tuple(textwrap.wrap(title, width, break_long_words=False) or [title])
        if len(lines) <= max_lines and lines not in shapes:
            shapes.append(lines)
    return tuple(shapes)


def _place_labels(ax: Axes, plan: TimelinePlan) -> int:
    """Label events without overlaps, next to their markers, in full; skip what does not fit.

    A label is the event's whole title, on one line or wrapped into a few; it starts (or, near the right edge,
    ends) at its marker's year and takes the first free block of lines above or below the marker,
    nearest first, within :data:`_LABEL_LINES` lines of it and inside the axes. A ring marks each
    labelled marker and a thin leader line runs from the ring to the label's near corner; the leader
    keeps clear of other labels (its column is taken on the lines it crosses) and always shows
    (:data:`_LEADER_PX`), so the reader sees which marker each label names. Leaders are one collection
    (much cheaper to draw than annotations).
    """
    frame, lanes, xlim, max_labels = plan.frame, plan.rows, plan.xlim, plan.max_labels
    box = ax.get_window_extent()
    dpi = ax.figure.dpi
    lane_px = box.height / abs(ax.get_ylim()[0] - ax.get_ylim()[1])
    n_lines, gap_px = _label_room(lane_px, _LABEL_FONTSIZE, dpi)
    if n_lines == 0 or max_labels <= 0:
        return 0
    per_px = (xlim[1] - xlim[0]) / box.width
    line = _LINE * _LABEL_FONTSIZE * dpi / 72 / lane_px  # one line, in lane units
    gap = gap_px / lane_px
    ring = min(_RING_PT / 2 * dpi / 72, gap_px) / lane_px
    slots: FreeSlots[tuple[int, int, int]] = FreeSlots(gap=6 * per_px)
    when = frame["when"].to_numpy(dtype=float)
    titles = frame["title"].astype(str).to_numpy()
    leaders: list[list[tuple[float, float]]] = []
    rings: list[tuple[float, float]] = []
    for i in plan.label_order:
        if len(leaders) >= max_labels:
            break
        x = float(when[i])
        column = (x - 1.5 * per_px, x + 1.5 * per_px)  # the leader line's own span
        placed = None
        for lines in _label_shapes(str(titles[i]), n_lines):
            width = max(_text_px(text, _LABEL_FONTSIZE, dpi) for text in lines) * per_px
            right = x + width > xlim[1]
            span = (x - width, x) if right else (x, x + width)
            if span[0] < xlim[0]:
                continue
            for y in lanes[i]:
                for k in range(n_lines - len(lines) + 1):
                    for side in (-1, 1):
                        block = [(y, side, k + j) for j in range(len(lines))]
                        crossed = [(y, side, j) for j in range(k)]
                        if all(slots.fits(r, span) for r in block) and all(slots.fits(r, column) for r in crossed):
                            placed = (lines, right, y, side, k, block, crossed, span)
                            break
                    if placed:
                        break
                if placed:
                    break
            if placed:
                break
        if placed is None:
            continue
        lines, right, y, side, k, block, crossed, span = placed
        for r in block:
            slots.take(r, span)
        for r in crossed:
            slots.take(r, column)
        near = y + side * (gap + k * line)  # the label's edge nearest the marker
        ax.text(
            x,
            near + side * line * len(lines) / 2,
            "\n".join(lines),
            ha="right" if right else "left",
            va="center",
            fontsize=_LABEL_FONTSIZE,
            linespacing=_LINE / 1.2,
            gid="event-label",
            zorder=4,
            **_unclipped(ax),
        )
        leaders.append([(x, y + side * ring), (x, near)])
        rings.append((x, y))
    if leaders:
        ax.add_collection(
            LineCollection(leaders, colors="#555555", linewidths=0.9, zorder=2, gid="event-leader"), autolim=False
        )
        circles = Line2D(
            [p[0] for p in rings],
            [p[1] for p in rings],
            marker="o",
            markersize=_RING_PT,
            markerfacecolor="none",
            markeredgecolor="#555555",
            markeredgewidth=0.9,
            linestyle="none",
            zorder=2.5,
            gid="labelled-marker",
            **_unclipped(ax),
        )
        ax.add_line(circles)
    return len(leaders)


def _describe_timeline(plan: TimelinePlan, era_names: list[str], placed: int) -> str:
    """Describe a timeline for its alt text: events, years, lanes, categories, eras and labels."""
    n = len(plan.frame)
    extra = plan.n_markers - n
    repeats = f" ({plural(extra, 'more marker')} for events in several lanes)" if extra > 0 else ""
    lanes = f"{plural(len(plan.lane_ids), 'lane')} ({', '.join(plan.lane_names)}){repeats}"
    return (
        f"Timeline of {plural(n, 'event')}, {plan.span}, in {lanes}; "
        f"categories: {_counts(plan.frame['category'].astype(str))}"
        + (f"; shaded eras: {', '.join(era_names)}" if era_names else "")
        + (f"; {placed} events labelled." if plan.labels else ".")
    )
