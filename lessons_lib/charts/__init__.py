"""Matplotlib charts of the course data, all shaped ``plot_x(data=None, *, options, ax=None)``.

Each function draws on the given Axes (or the current one) and only there, returns it, gives it
a title and a ``Source: ...`` line built from the rows' source ids, and records a plain-language
description for :func:`alt_text`. An empty selection gives the Axes a title and
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

Each chart lives in its own module (``timeline``, ``policies``, ``comparison``, ``lifelines``,
``series``, ``gdp``), where ``plot_x`` plans what to draw (a small dataclass, from the data alone), draws
it and describes it for the alt text. The private modules hold what the charts share:
``_layout`` (the text-width model, the room around the axes, free slots for labels),
``_artists`` (shared artists, the apps' chart rectangle), ``_describe`` (alt text, display
names, counts) and ``_eras`` (era shading). The comparison as an HTML table is in
:mod:`lessons_lib.html`.
"""

from __future__ import annotations

from lessons_lib.charts._artists import CHART_FIGSIZE as CHART_FIGSIZE
from lessons_lib.charts._artists import CHART_RECT as CHART_RECT
from lessons_lib.charts._artists import NO_DATA, add_source_line
from lessons_lib.charts._describe import alt_text, set_alt_text
from lessons_lib.charts._eras import era_spans, shade_eras
from lessons_lib.charts.comparison import plot_comparison
from lessons_lib.charts.gdp import plot_gdp_comparison
from lessons_lib.charts.lifelines import plot_lifelines
from lessons_lib.charts.policies import plot_policies
from lessons_lib.charts.series import plot_series
from lessons_lib.charts.timeline import plot_timeline

__all__ = [
    "plot_comparison",
    "plot_timeline",
    "plot_policies",
    "plot_lifelines",
    "plot_series",
    "plot_gdp_comparison",
    "NO_DATA",
    "shade_eras",
    "era_spans",
    "add_source_line",
    "set_alt_text",
    "alt_text",
]
# CHART_RECT and CHART_FIGSIZE (the apps' and lesson.chart's figure layout) are imported from here
# by the library itself; learners do not need them, so they are not exported from lessons_lib.
