"""Labels in the lessons' charts, drawn from the course's data: whole, inside the axes, next to what they name."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT, plot_lifelines, plot_timeline
from lessons_lib.data import load
from lessons_lib.query import filter_events

ELLIPSIS = ("\u2026", "...")
TIMELINES = {
    "app, all events": ({}, "app"),
    "app, 1922-1929": ({"years": (1922, 1929)}, "app"),
    "app, Trotsky to 1917": ({"figures": "trotsky", "lanes": "figure", "years": (1870, 1917)}, "app"),
    "lesson 4, four people": (
        {"years": (1922, 1929), "lanes": "figure", "figures": ["trotsky", "zinoviev", "bukharin", "stalin"]},
        "lesson",
    ),
    "lesson, all events": ({}, "lesson"),
    # the lessons' own calls, drawn as lesson.chart draws them (80 dpi)
    "lesson 7, exile": ({"figures": ["trotsky"], "years": (1927, 1940)}, "app"),
    "lesson 8, Trotsky's lane": ({"figures": ["trotsky"], "years": (1927, 1937), "lanes": "figure"}, "app"),
    "lesson 9, course": ({"years": (1917, 1940)}, "app"),
}


def _axes(kind: str):
    """The axes an app draws on (11 x 5.5 in at 80 dpi, fixed rectangle) or lesson.chart's (150 dpi)."""
    fig = Figure(figsize=CHART_FIGSIZE, dpi=80 if kind == "app" else 150)
    fig.canvas  # noqa: B018 (attaches an Agg canvas)
    return fig.add_axes(CHART_RECT)


def _labels(ax, gid: str):
    ax.figure.canvas.draw()
    return [t for t in ax.texts if t.get_gid() == gid]


def _distance(point, box) -> float:
    """Pixels from a point to the nearest point of a box (0 inside it)."""
    dx = max(box.x0 - point[0], 0, point[0] - box.x1)
    dy = max(box.y0 - point[1], 0, point[1] - box.y1)
    return math.hypot(dx, dy)


@pytest.mark.parametrize("kwargs, kind", TIMELINES.values(), ids=TIMELINES)
def test_timeline_labels_are_whole_titles_inside_the_axes_next_to_their_markers(kwargs, kind):
    ax = _axes(kind)
    plot_timeline(ax=ax, **kwargs)
    labels = _labels(ax, "event-label")
    assert len(labels) >= 3
    events = filter_events()
    when = dict(zip(events["title"], events["when"], strict=False))
    markers = [
        (x, ax.transData.transform((x, y)))
        for line in ax.lines
        if line.get_gid() == "events"
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ]
    inside = ax.get_window_extent()
    line_px = ax.figure.dpi / 72 * 12
    for label in labels:
        title = " ".join(label.get_text().split("\n"))
        assert not title.endswith(ELLIPSIS), title
        assert title in when, f"label {title!r} is not an event's whole title"
        box = label.get_window_extent()
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1, f"{title!r} sticks out of the axes sideways"
        assert inside.y0 - 1 <= box.y0 and box.y1 <= inside.y1 + 1, f"{title!r} sticks out of the axes"
        nearest = min(_distance(p, box) for x, p in markers if abs(x - when[title]) < 1e-6)
        assert nearest <= 4.5 * line_px, f"{title!r} is {nearest:.0f} px from its marker"


@pytest.mark.parametrize("kwargs, kind", TIMELINES.values(), ids=TIMELINES)
def test_timeline_labels_never_overlap_each_other(kwargs, kind):
    ax = _axes(kind)
    plot_timeline(ax=ax, **kwargs)
    boxes = [t.get_window_extent() for t in _labels(ax, "event-label")]
    for one, two in itertools.combinations(boxes, 2):
        assert not one.overlaps(two)


def _segment_box(start, end):
    return Bbox.from_extents(
        min(start[0], end[0]) - 0.5, min(start[1], end[1]), max(start[0], end[0]) + 0.5, max(start[1], end[1])
    )


@pytest.mark.parametrize("kwargs, kind", TIMELINES.values(), ids=TIMELINES)
def test_every_timeline_label_is_next_to_its_ringed_marker_or_joined_by_a_leader_crossing_no_label(kwargs, kind):
    ax = _axes(kind)
    plot_timeline(ax=ax, **kwargs)
    labels = _labels(ax, "event-label")
    events = filter_events()
    when = dict(zip(events["title"], events["when"], strict=False))
    (leaders,) = [c for c in ax.collections if c.get_gid() == "event-leader"]
    segments = [ax.transData.transform(seg) for seg in leaders.get_segments()]
    rings = [line for line in ax.lines if line.get_gid() == "labelled-marker"]
    assert rings, "labelled markers are not ringed"
    ringed = {round(float(x), 6) for x in rings[0].get_xdata()}
    ring_px = rings[0].get_markersize() / 2 * ax.figure.dpi / 72
    dots = [line for line in ax.lines if line.get_gid() == "events"]
    marker_px = max(line.get_markersize() for line in dots) / 2 * ax.figure.dpi / 72
    centres = [ax.transData.transform(xy) for line in dots for xy in line.get_xydata()]
    boxes = [label.get_window_extent() for label in labels]
    assert len(segments) == len(labels) == len(ringed)
    for label, box in zip(labels, boxes, strict=True):
        title = " ".join(label.get_text().split("\n"))
        x_px = ax.transData.transform((when[title], 0))[0]
        assert round(when[title], 6) in ringed, f"{title!r}: its marker is not ringed"
        corners = [(box.x0, box.y0), (box.x0, box.y1), (box.x1, box.y0), (box.x1, box.y1)]
        joined = [s for s in segments if abs(s[0][0] - x_px) < 1 and min(math.dist(s[1], c) for c in corners) < 3]
        assert joined, f"{title!r}: no leader runs from its marker's year to a corner of the label"
        start, end = joined[0]
        centre = min((p for p in centres if abs(p[0] - x_px) < 1), key=lambda p: math.dist(p, start))
        # next to the marker (touching its ring), or a leader line showing beyond the marker
        reach = math.dist(end, centre)
        assert reach <= ring_px + 2 or reach - marker_px >= 5, f"{title!r}: away from its marker, leader hidden"
        for other in boxes:
            if other is not box:
                assert not other.overlaps(_segment_box(start, end)), f"{title!r}: its leader crosses another label"


def _lane_xs(ax) -> dict[str, set[float]]:
    names = {round(t.get_position()[1]): t.get_text() for t in ax.texts if t.get_gid() == "lane-name"}
    lanes: dict[str, set[float]] = {name: set() for name in names.values()}
    for line in ax.lines:
        if line.get_gid() == "events":
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                lanes[names[round(y)]].add(round(float(x), 4))
    return lanes


@pytest.mark.parametrize("figures", [None, ["trotsky", "zinoviev", "bukharin", "stalin"]])
def test_each_persons_lane_shows_every_event_of_that_person(figures):
    fig, ax = plt.subplots(figsize=CHART_FIGSIZE)
    plot_timeline(years=(1922, 1929), lanes="figure", figures=figures, ax=ax)
    events = filter_events(years=(1922, 1929))
    names = dict(zip(load("figures")["name"], load("figures")["id"], strict=True))
    lanes = _lane_xs(ax)
    people = [lane for lane in lanes if lane in names]
    assert len(people) >= 4
    for lane in people:
        theirs = events[events["figures"].map(lambda f, fid=names[lane]: fid in (f or []))]
        if figures is not None:
            theirs = theirs[theirs["figures"].map(lambda f: bool(set(f or []) & set(figures)))]
        assert lanes[lane] == {round(float(w), 4) for w in theirs["when"]}, lane


LIFELINES = {
    "lesson 2, three figures": {"figure_ids": ["lenin", "stalin", "trotsky"], "faction_years": None},
    "all figures": {},
}


@pytest.mark.parametrize("kwargs", LIFELINES.values(), ids=LIFELINES)
def test_lifelines_offices_held_at_once_are_separate_bars_ending_when_the_office_ended(kwargs):
    ax = _axes("lesson")
    plot_lifelines(ax=ax, **kwargs)
    bars = [p for p in ax.patches if p.get_gid() == "office"]
    for one, two in itertools.combinations(bars, 2):
        a, b = one.get_bbox(), two.get_bbox()
        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_x <= 1e-9 or overlap_y <= 1e-9, "two office bars drawn over each other"
    if "figure_ids" in kwargs:
        nationalities = [b.get_bbox() for b in bars if b.get_bbox().x0 == 1917 and b.get_bbox().x1 == 1923]
        assert len(nationalities) == 1  # Stalin's Commissariat of Nationalities, 1917-1923


def test_lifelines_office_names_are_whole_and_inside_the_axes():
    ax = _axes("lesson")
    plot_lifelines(ax=ax, **LIFELINES["lesson 2, three figures"])
    labels = _labels(ax, "office-label")
    assert len(labels) >= 3
    names = {role.split(" (")[0] for role in load("roles")["role"]}
    inside = ax.get_window_extent()
    for label in labels:
        assert label.get_text() in names and not label.get_text().endswith(ELLIPSIS)
        box = label.get_window_extent()
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1, label.get_text()


def test_lifelines_name_the_longest_held_offices_first_when_a_row_is_crowded():
    fig = Figure(figsize=(11, 7), dpi=150)  # lesson 2's size
    fig.canvas  # noqa: B018 (attaches an Agg canvas)
    ax = fig.add_axes(CHART_RECT)
    plot_lifelines(ax=ax, **LIFELINES["lesson 2, three figures"])
    named = {label.get_text() for label in _labels(ax, "office-label")}
    # Stalin's row holds five offices; his thirty years as General Secretary must be named, not a short commissariat
    assert "General Secretary of the Central Committee" in named
    assert "Member of the Politburo" in named
