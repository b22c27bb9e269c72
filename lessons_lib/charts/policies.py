"""The policies Gantt chart: one bar per policy from start to end, coloured by category."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

from lessons_lib.charts._artists import _category_key, _finish, _no_data, _row_names, _target
from lessons_lib.charts._describe import _caption, _counts, _year_span
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import _axes_pt, _fit_axes, _legend_pt, _short, _ylabels_pt
from lessons_lib.query import (
    filter_policies,
)
from lessons_lib.style import (
    CATEGORY_STYLES,
)

_MAX_YEAR_NOTES = 12


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
