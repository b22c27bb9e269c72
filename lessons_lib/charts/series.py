"""One statistical series: lines over the years, or grouped bars comparing categories.

:func:`plot_series` plans what to draw (:class:`SeriesPlan`, no drawing), draws it, then
describes it in words for the alt text.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from lessons_lib.charts._artists import _add_bars, _color, _finish, _no_data, _target
from lessons_lib.charts._describe import _caption, _gap_note, _gap_spans, _year_span
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import _axes_pt, _chars_in, _fit_axes, _legend_pt, _text_pt
from lessons_lib.data import check_choice, load
from lessons_lib.query import series_frame

_SERIES_COLORS = ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "black")
_SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_TICK_FONTSIZE = 13
_UNIT_FONTSIZE = 14


@dataclass(frozen=True)
class SeriesPlan:
    """What a series chart shows, decided before drawing (from the data alone, no axes)."""

    obs: pd.DataFrame  #: the observations drawn
    title: str  #: the series' title (the chart's title)
    unit: str  #: the unit of its values (the y axis label)
    bars: bool  #: grouped bars by category (a comparison), else lines over the years
    caption: str  #: the source line
    top: float  #: the largest value or high end of a range
    gaps: str = ""  #: why years are missing (the series' ``gaps``), written over each break in a line

    @property
    def kind(self) -> str:
        """``Bar chart`` or ``Line chart``."""
        return "Bar chart" if self.bars else "Line chart"


def _series_meta(series_id: str, series: pd.DataFrame | None) -> dict[str, Any]:
    table = load("series") if series is None else series
    ids = list(table["id"].astype(str))
    row = table.iloc[ids.index(check_choice(series_id, ids, "series"))]
    gaps = row.get("gaps")
    return {
        "title": str(row["title"]),
        "unit": str(row["unit"]),
        "sources": list(row["sources"]),
        "gaps": "" if gaps is None or pd.isna(gaps) else str(gaps),
    }


def _group_label(rows: pd.DataFrame) -> str:
    """Name one (category, variant) of a series in the legend, from the data's labels."""
    first = rows.iloc[0]
    variant = str(first["variant_label"])
    return variant if first["category"] == "all" else f"{first['category_label']}, {variant}"


def _with_gaps(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Break a yearly line where years are missing (a NaN point in each break that :func:`_gap_spans` finds)."""
    gaps = [k + 1 for k, _ in _gap_spans(years)]  # none for a series that is not yearly: its points are joined
    if not gaps:
        return years, values
    return (np.insert(years.astype(float), gaps, np.nan), np.insert(values.astype(float), gaps, np.nan))


def _note_gaps(ax: Axes, years: np.ndarray, values: np.ndarray, reason: str = "") -> None:
    """Write "no figures for 1948-49" and why (`reason`) over each break in a yearly line (a gap is not a zero)."""
    for k, span in _gap_spans(years):
        ax.annotate(
            _gap_note(span, reason),
            xy=((years[k] + years[k + 1]) / 2, max(values[k], values[k + 1])),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=10,
            color="#444444",
            style="italic",
            gid="gap-note",
        )


def _style_at(k: int) -> tuple[str, str]:
    return _color(_SERIES_COLORS[k % len(_SERIES_COLORS)]), _SERIES_MARKERS[k % len(_SERIES_MARKERS)]


def _is_categorical(obs: pd.DataFrame) -> bool:
    """Bars when no (category, variant) has more than two years: a comparison, not a trend."""
    return bool(obs.groupby(["category", "variant"], sort=False).size().max() <= 2)


def _plot_series_lines(ax: Axes, obs: pd.DataFrame, ranges: bool, gaps: str = "") -> list[str]:
    drawn = []
    for k, (_, rows) in enumerate(obs.groupby(["category", "variant"], sort=False)):
        color, marker = _style_at(k)
        label = _group_label(rows)
        points = rows[rows["value"].notna()]
        if len(points):
            x, y = _with_gaps(points["year"].to_numpy(dtype=float), points["value"].to_numpy(dtype=float))
            ax.plot(x, y, marker=marker, color=color, label=label, gid="series-line")
            drawn.append(label)
            _note_gaps(ax, points["year"].to_numpy(dtype=int), points["value"].to_numpy(dtype=float), gaps)
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


def _plot_series_bars(ax: Axes, obs: pd.DataFrame, ranges: bool) -> list[str]:
    cats = list(dict.fromkeys(obs["category"]))
    obs = obs.assign(_group=list(zip(obs["year"], obs["variant"], strict=True)))
    groups = list(dict.fromkeys(obs["_group"]))
    variant_label = dict(zip(obs["variant"], obs["variant_label"].astype(str), strict=True))
    category_label = dict(zip(obs["category"], obs["category_label"].astype(str), strict=True))
    many_years, many_variants = obs["year"].nunique() > 1, obs["variant"].nunique() > 1
    width = 0.8 / len(groups)
    drawn = []
    for k, (year, variant) in enumerate(groups):
        color, _ = _style_at(k)
        shown = variant_label[variant]
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
    ax.set_xticks(range(len(cats)), [category_label[c] for c in cats])
    return drawn


def plot_series(
    series_id: str,
    *,
    observations: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    eras: bool | pd.DataFrame = True,
    ranges: bool = True,
    title: str | None = None,
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
    title : str, optional
        The chart's title; the series' title by default.
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
    if title:
        meta["title"] = title
    if obs.empty:
        return _no_data(ax, meta["title"])
    plan = _plan_series(obs, meta)
    drawn, era_names, below, caption = _draw_series(ax, plan, eras, ranges)
    return _finish(ax, plan.title, caption, _describe_series(plan, drawn, era_names), offset=below)


def _plan_series(obs: pd.DataFrame, meta: dict[str, Any]) -> SeriesPlan:
    """Decide the kind of chart, title, unit and source line of a series' observations `obs` (not empty)."""
    return SeriesPlan(
        obs=obs,
        title=meta["title"],
        unit=meta["unit"],
        bars=_is_categorical(obs),
        caption=_caption([meta["sources"], *obs["source_id"].astype(str)]),
        top=float(np.nanmax(obs[["value", "high"]].to_numpy(dtype=float))),
        gaps=meta.get("gaps", ""),
    )


def _draw_series(
    ax: Axes, plan: SeriesPlan, eras: bool | pd.DataFrame, ranges: bool
) -> tuple[list[str], list[str], float, str]:
    """Draw the plan; return the legend entries drawn, the eras shaded, the room under the axes (points), the caption.

    A legend of one entry would only repeat the title: the entry goes into the caption instead
    (``The line shows: Interior Ministry (MVD) tally of 1953.``).
    """
    if plan.bars:
        drawn = _plot_series_bars(ax, plan.obs, ranges)
    else:
        drawn = _plot_series_lines(ax, plan.obs, ranges, plan.gaps)
    _, labels = ax.get_legend_handles_labels()
    caption = plan.caption
    if len(labels) == 1:
        note = f"The {'bars show' if plan.bars else 'line shows'}: {labels[0]}."
        caption = f"{caption.rstrip('.')}. {note}" if caption else caption
        labels = []
    _, height_pt = _axes_pt(ax)
    unit = textwrap.fill(plan.unit, max(12, _chars_in(0.95 * height_pt, _UNIT_FONTSIZE)))
    if plan.top >= 10_000:
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ticks_pt = _text_pt(f"{plan.top:,.0f}" if plan.top >= 10_000 else f"{plan.top:.1f}", _TICK_FONTSIZE)
    left = ticks_pt + 14 + (unit.count("\n") + 1) * 17 * bool(unit)
    right = _legend_pt(labels) + 8 if labels else 8
    tick_lines = _wrap_categories(ax, left, right) if plan.bars else 1
    below = 12 + 16 * tick_lines
    _fit_axes(ax, left=left, right=right, below=below, caption=caption)
    era_names = [] if plan.bars else _shade(ax, eras, ax.get_xlim())
    ax.set_ylabel(unit)
    if labels:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return drawn, era_names, below, caption


def _wrap_categories(ax: Axes, left: float, right: float) -> int:
    """Fit the axes, then wrap (and if need be shrink) the category names under the bars; return their lines."""
    _fit_axes(ax, left=left, right=right)
    cats = [t.get_text() for t in ax.get_xticklabels()]
    per_cat = _chars_in(0.95 * _axes_pt(ax)[0] / max(len(cats), 1), _TICK_FONTSIZE)
    wrapped = [textwrap.fill(c, max(per_cat, 6), break_long_words=False) for c in cats]
    longest = max(len(line) for w in wrapped for line in w.splitlines())
    ax.set_xticks(range(len(cats)), wrapped)
    if longest > per_cat:
        ax.tick_params(axis="x", labelsize=max(9.0, _TICK_FONTSIZE * per_cat / longest))
    return max(w.count("\n") + 1 for w in wrapped)


def _describe_series(plan: SeriesPlan, drawn: list[str], era_names: list[str]) -> str:
    """Describe a series chart for its alt text: kind, title, unit, years, what is drawn and eras."""
    return f"{plan.kind} of {plan.title} ({plan.unit}), {_year_span(plan.obs['year'])}: {', '.join(drawn)}" + (
        f"; shaded eras: {', '.join(era_names)}." if era_names else "."
    )
