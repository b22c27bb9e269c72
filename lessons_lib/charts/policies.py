"""The policies Gantt chart: one bar per policy from start to end, coloured by category.

:func:`plot_policies` plans what to draw (:class:`PoliciesPlan`, no drawing), draws it, then
describes it in words for the alt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

from lessons_lib.charts._artists import _category_key, _finish, _no_data, _row_names, _target
from lessons_lib.charts._describe import _and_list, _caption, _counts, _linked_to, _subject, _year_span
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import _fit_axes, _legend_pt, _short, _start_pt, _ylabels_pt
from lessons_lib.data import _column_map
from lessons_lib.query import filter_policies
from lessons_lib.style import category_styles

_MAX_YEAR_NOTES = 12  # beyond that the x axis is easier to read (and faster to draw)
_KEY_LOOK = {"color": "", "lw": 8, "marker": "", "markersize": 9, "markerfacecolor": "white"}  # a category's key entry


@dataclass(frozen=True)
class PoliciesPlan:
    """What a policies chart shows, decided before drawing (from the data alone, no axes)."""

    frame: pd.DataFrame  #: the policies, one bar each from the top
    names: list[str]  #: the name written left of each bar (shortened)
    categories: list[tuple[str, dict[str, str], int]]  #: (category, style, number of policies) in key order
    caption: str  #: the source line
    year_notes: bool  #: whether each bar is followed by its years
    xlim: tuple[float, float]  #: the years shown
    title: str  #: the chart's title: what it shows (see :func:`_policies_title`)

    @property
    def span(self) -> str:
        """The years of the policies, ``1918-1953``."""
        return _year_span(list(self.frame["start_year"]) + list(self.frame["end_year"]))


def _policies_title(
    policies: pd.DataFrame, *, eras: str | Iterable[str] | None = None, ideologies: str | Iterable[str] | None = None
) -> str:
    """Say what a chart of `policies` shows: ``"Economic policies begun during Stalin's rule, 1928-1941"``.

    It names the category when all share one, the eras or ideologies they were chosen by, and their years.
    """
    subject = _subject("policies", policies["category"].astype(str))
    if eras is not None:
        names = [_column_map("eras", "name")[e] for e in ([eras] if isinstance(eras, str) else eras)]
        subject += " begun during " + _and_list(n[0].lower() + n[1:] if n.startswith("The ") else n for n in names)
    subject += _linked_to([ideologies] if isinstance(ideologies, str) else ideologies)
    if policies.empty:
        return subject
    return f"{subject}, {_year_span(list(policies['start_year']) + list(policies['end_year']))}"


def plot_policies(
    policies: pd.DataFrame | None = None,
    *,
    eras: str | Iterable[str] | None = None,
    ideologies: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    shade: bool | pd.DataFrame = True,
    title: str | None = None,
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
    title : str, optional
        The chart's title. By default it says what is shown: the category when all policies share
        one, the eras or ideologies chosen and the years (``"Economic policies, 1918-1941"``).
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
        return _no_data(ax, title or "Policies")
    plan = _plan_policies(frame, title or _policies_title(frame, eras=eras, ideologies=ideologies))
    era_names = _draw_policies(ax, plan, shade)
    return _finish(ax, plan.title, plan.caption, _describe_policies(plan, era_names))


def _plan_policies(frame: pd.DataFrame, title: str = "") -> PoliciesPlan:
    """Decide the bar names, key, years shown and year notes of a chart of the policies in `frame` (not empty)."""
    names = [_short(re.sub(r"\s*\([^)]*\)", "", n) if len(n) > 26 else n, 30) for n in frame["name"].astype(str)]
    counts = frame["category"].astype(str).value_counts()
    year_notes = len(frame) <= _MAX_YEAR_NOTES
    return PoliciesPlan(
        frame=frame,
        names=names,
        categories=[(c, style, int(counts[c])) for c, style in category_styles().items() if c in counts],
        caption=_caption(frame["sources"]),
        year_notes=year_notes,
        xlim=(frame["start"].min() - 1, frame["end"].max() + (5 if year_notes else 1)),
        title=title or _policies_title(frame),
    )


def _draw_policies(ax: Axes, plan: PoliciesPlan, shade: bool | pd.DataFrame) -> list[str]:
    """Draw the plan; return the names of the eras shaded."""
    frame = plan.frame
    ys = np.arange(len(frame))
    key = [f"{style['label']} ({n})" for _, style, n in plan.categories]
    keyed = len(key) > 1  # one category only: the title names it, and a one-entry key would say nothing more
    _, height_pt = _start_pt(ax)
    label_size = float(np.clip(0.75 * height_pt / (len(frame) + 1.1), 8, 13))
    right = _legend_pt(key, "Category") + 8 if keyed else 8
    _fit_axes(ax, left=_ylabels_pt(plan.names, label_size), right=right, below=30, caption=plan.caption)
    handles = []
    category = frame["category"].astype(str)
    for (name, style, _), label in zip(plan.categories, key, strict=True):
        rows = (category == name).to_numpy()
        _draw_bars(ax, frame[rows], ys[rows], style)
        handles.append((label, {**_KEY_LOOK, "color": style["color"], "marker": style["marker"]}))
    if plan.year_notes:
        _write_years(ax, frame, ys, min(11, label_size))
    ax.set_xlim(*plan.xlim)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    ax.set_ylim(len(frame) - 0.5, -0.6)
    _row_names(ax, ys, plan.names, label_size, "policy-name")
    era_names = _shade(ax, shade, plan.xlim)
    if keyed:
        _category_key(ax, handles)
    return era_names


def _draw_bars(ax: Axes, part: pd.DataFrame, ys: np.ndarray, style: dict[str, str]) -> None:
    """Draw the bars of one category's policies, each with a marker at its start."""
    # One collection of bars per category: much cheaper to build and draw than a patch per bar
    # (barh), and the limits are set by the caller anyway.
    bars = [
        [(start, y - 0.3), (end, y - 0.3), (end, y + 0.3), (start, y + 0.3)]
        for start, end, y in zip(part["start"], part["end"], ys, strict=True)
    ]
    ax.add_collection(
        PolyCollection(bars, facecolors=style["color"], edgecolors="none", alpha=0.9, zorder=2, gid="policy"),
        autolim=False,
    )
    ax.plot(
        part["start"],
        ys,
        linestyle="none",
        marker=style["marker"],
        markerfacecolor="white",
        markeredgecolor=style["color"],
        markersize=7.7,
        markeredgewidth=1.5,
        zorder=3,
        gid="policy-marker",
    )


def _write_years(ax: Axes, frame: pd.DataFrame, ys: np.ndarray, fontsize: float) -> None:
    """Follow each bar with its years (``1921``, or ``1921-1928`` with an en dash)."""
    for y, row in zip(ys, frame.itertuples(), strict=True):
        span = str(row.start_year) if row.start_year == row.end_year else f"{row.start_year}\u2013{row.end_year}"
        ax.text(
            row.end + 0.3,
            cast(float, y),
            span,
            va="center",
            ha="left",
            fontsize=fontsize,
            color="#333333",
            gid="policy-years",
        )


def _describe_policies(plan: PoliciesPlan, era_names: list[str]) -> str:
    """Describe a policies chart for its alt text: policies, years, categories and eras."""
    frame = plan.frame
    return (
        f"Gantt chart of {len(frame)} policies, {plan.span}, one bar per policy from start to end "
        f"({', '.join(frame['name'].astype(str))}); categories: {_counts(frame['category'].astype(str))}"
        + (f"; shaded eras: {', '.join(era_names)}." if era_names else ".")
    )
