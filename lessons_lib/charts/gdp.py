"""GDP per capita of the former USSR beside other countries: several series in one line chart.

:func:`plot_gdp_comparison` draws one line per country (Maddison Project series
``gdp_per_capita_<country>``, all in the same unit), names each line at its end instead of in a
legend, and describes the comparison in words: the former USSR's level as a share of each
country's level in the chosen years.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from lessons_lib.charts._artists import _color, _finish, _no_data, _target
from lessons_lib.charts._describe import _and_list, _caption, _gap_note, _gap_spans
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import _axes_pt, _chars_in, _fit_axes, _text_pt
from lessons_lib.charts.series import _with_gaps
from lessons_lib.data import check_choice, load

__all__ = ["plot_gdp_comparison", "GDP_COUNTRIES"]

#: The countries drawn by default: the richest economy, and three that stood near the former
#: USSR's level in 1913 (Japan, Italy, Turkey), which the series' caveats call fair comparisons.
GDP_COUNTRIES: tuple[str, ...] = ("usa", "japan", "italy", "turkey")
_USSR = "former_ussr"
_PREFIX = "gdp_per_capita_"
# Okabe-Ito colours dark enough for text on white, each with its own dash pattern (colour is not the only cue).
_LOOKS = (
    ("blue", "-"),
    ("vermillion", (0, (6, 2))),
    ("bluish_green", (0, (1, 1.5))),
    ("reddish_purple", (0, (6, 2, 1, 2))),
    ("black", (0, (3, 1.5))),
    ("orange", (0, (6, 2, 1, 2, 1, 2))),
    ("sky_blue", (0, (2, 2))),
)
_LABEL_FONTSIZE = 13
_TICK_FONTSIZE = 13
_UNIT_FONTSIZE = 14


def _country_ids(countries: str | Sequence[str], table: pd.DataFrame) -> list[str]:
    """Return the series ids to draw: the former USSR first, then each country (checked, with did-you-mean)."""
    known = [i[len(_PREFIX) :] for i in table["id"].astype(str) if i.startswith(_PREFIX) and i != _PREFIX + _USSR]
    chosen = [countries] if isinstance(countries, str) else list(countries)
    return [_PREFIX + _USSR] + [_PREFIX + check_choice(c, known, "country") for c in chosen if c != _USSR]


def _name(title: str) -> str:
    """Return the country in a series title such as ``GDP per capita, Japan, 1900-1991``."""
    parts = title.split(", ")
    return parts[1] if len(parts) > 2 else title


def _spread(values: list[float], gap: float) -> list[float]:
    """Move label heights apart, upwards, so that each is at least `gap` from the next (order kept)."""
    order = np.argsort(values, kind="stable")
    placed = np.array(values, dtype=float)[order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    out = np.empty_like(placed)
    out[order] = placed
    return [float(v) for v in out]


def _share_sentence(lines: dict[str, pd.Series], share_years: Sequence[int]) -> str:
    """Say the former USSR's level as a share of each other country's, in each year both have."""
    ussr, *others = lines
    parts = []
    for year in share_years:
        shares = [
            f"{name} {lines[ussr][year] / lines[name][year]:.0%}"
            for name in others
            if year in lines[ussr].index and year in lines[name].index
        ]
        if shares:
            parts.append(f"{', '.join(shares)} in {year}")
    return f" {ussr} as a share of each country's level: {'; '.join(parts)}." if parts else ""


def _level_sentence(lines: dict[str, pd.Series], share_years: Sequence[int]) -> str:
    ussr = next(iter(lines))
    levels = [f"{lines[ussr][y]:,.0f} in {y}" for y in share_years if y in lines[ussr].index]
    return f" {ussr}: {', '.join(levels)}." if levels else ""


def plot_gdp_comparison(
    countries: str | Sequence[str] = GDP_COUNTRIES,
    *,
    years: tuple[int, int] = (1913, 1991),
    share_years: Sequence[int] = (1928, 1989),
    observations: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    eras: bool | pd.DataFrame = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw GDP per capita of the former USSR beside other countries, one line each, named at its end.

    All lines are Maddison Project estimates in the same unit (2011 US dollars at purchasing-power
    parity, per person) on a linear scale; years without an estimate (the USSR in 1941-45) break
    the line. The alt text gives the former USSR's level in `share_years` and its level as a share
    of each other country's.

    Parameters
    ----------
    countries : str or sequence of str, default ``GDP_COUNTRIES``
        Countries to set beside the former USSR, by the end of their series id
        (``"japan"`` for ``gdp_per_capita_japan``).
    years : tuple of int, default (1913, 1991)
        First and last year drawn.
    share_years : sequence of int, default (1928, 1989)
        Years in which the alt text compares the levels.
    observations : pandas.DataFrame, optional
        Rows of the observations table; ``load("observations")`` by default.
    series : pandas.DataFrame, optional
        Rows of the series table (titles, units and sources); ``load("series")`` by default.
    eras : bool or pandas.DataFrame, default True
        Shade the eras behind the lines.
    title : str, optional
        The chart's title; by default ``"GDP per capita: Former USSR beside Japan and Italy, 1913-1991"``.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown country (``did you mean ...?``).
    ValueError
        If the series are not all in the same unit.

    Examples
    --------
    >>> ax = plot_gdp_comparison(["usa", "japan"])
    """
    ax = _target(ax)
    table = (load("series") if series is None else series).set_index("id")
    ids = _country_ids(countries, table.reset_index())
    units = set(table.loc[ids, "unit"].astype(str))
    if len(units) > 1:
        raise ValueError(
            f"series {', '.join(ids)} are in different units ({'; '.join(sorted(units))}); draw them apart"
        )
    unit = units.pop()
    names = [_name(str(table.loc[i, "title"])) for i in ids]
    title = title or f"GDP per capita: {names[0]} beside {_and_list(names[1:])}, {years[0]}-{years[1]}"
    obs = load("observations") if observations is None else observations
    obs = obs[obs["series_id"].isin(ids) & obs["year"].between(*years) & obs["value"].notna()]
    if obs.empty:
        return _no_data(ax, title)
    lines = {
        name: obs[obs["series_id"] == i].set_index("year")["value"].sort_index().astype(float)
        for i, name in zip(ids, names, strict=True)
    }
    lines = {name: values for name, values in lines.items() if len(values)}
    caption = _caption([*(s for i in ids for s in table.loc[i, "sources"]), *obs["source_id"].astype(str)])
    gaps = table.loc[ids[0]].get("gaps")
    era_names = _draw(ax, lines, unit, caption, eras, "" if gaps is None or pd.isna(gaps) else str(gaps))
    drawn = list(lines)
    alt = (
        f"Line chart of GDP per capita ({unit}), {int(obs['year'].min())}-{int(obs['year'].max())}, "
        f"one line each, named at its end: {', '.join(drawn)}; linear scale."
        + _level_sentence(lines, share_years)
        + _share_sentence(lines, share_years)
        + (f" Shaded eras: {', '.join(era_names)}." if era_names else "")
    )
    return _finish(ax, title, caption, alt, offset=28)


def _draw(
    ax: Axes, lines: dict[str, pd.Series], unit: str, caption: str, eras: bool | pd.DataFrame, gaps: str = ""
) -> list[str]:
    """Draw the lines, fit the axes around their end labels, shade the eras, note the breaks (why: `gaps`).

    Returns the eras' names.
    """
    top = max(float(v.max()) for v in lines.values())
    _, height_pt = _axes_pt(ax)
    wrapped = textwrap.fill(unit, max(12, _chars_in(0.95 * height_pt, _UNIT_FONTSIZE)))
    left = _text_pt(f"{top:,.0f}", _TICK_FONTSIZE) + 14 + (wrapped.count("\n") + 1) * 17
    right = max(_text_pt(name, _LABEL_FONTSIZE) for name in lines) + 14
    _fit_axes(ax, left=left, right=right, below=28, caption=caption)
    for k, (name, values) in enumerate(lines.items()):
        color, dashes = _LOOKS[k % len(_LOOKS)]
        x, y = _with_gaps(values.index.to_numpy(dtype=float), values.to_numpy(dtype=float))
        ax.plot(
            x,
            y,
            color=_color(color),
            linestyle=dashes,
            lw=3 if k == 0 else 2,
            marker="o" if len(values) == 1 else None,
            label=name,
            gid="series-line",
        )
    ax.set_ylim(0, top * 1.06)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=9, integer=True))
    ax.set_ylabel(wrapped)
    era_names = _shade(ax, eras, ax.get_xlim())
    _label_ends(ax, lines)
    _note_gaps(ax, lines, gaps)
    return era_names


def _note_gaps(ax: Axes, lines: dict[str, pd.Series], reason: str = "") -> None:
    """Write "no figures for 1941-45" and why (`reason`) over each break of the main (first) line, clear of every line.

    The note sits above the highest line in the missing years, joined to the break by a dotted
    line, so a gap is not read as a fall to nothing.
    """
    values = next(iter(lines.values()))
    years = values.index.to_numpy(dtype=int)
    for k, span in _gap_spans(years):
        level = (float(values.iloc[k]) + float(values.iloc[k + 1])) / 2
        x = (years[k] + years[k + 1]) / 2
        others = [float(v[(v.index >= years[k]) & (v.index <= years[k + 1])].max()) for v in lines.values()]
        low, high = ax.get_ylim()
        top = max([level] + [o for o in others if not np.isnan(o)]) + 0.04 * (high - low)
        ax.plot([x, x], [level, top], color="#666666", lw=0.8, linestyle=":", gid="gap-leader", zorder=1)
        ax.text(
            x,
            top,
            _gap_note(span, reason),
            ha="center",
            va="bottom",
            fontsize=_LABEL_FONTSIZE - 2,
            color="#444444",
            style="italic",
            gid="gap-note",
            zorder=4,
        )


def _label_ends(ax: Axes, lines: dict[str, pd.Series]) -> None:
    """Name each line just right of its last point, moving names apart so that none overlap."""
    _, height_pt = _axes_pt(ax)
    low, high = ax.get_ylim()
    gap = 1.25 * _LABEL_FONTSIZE * (high - low) / height_pt
    ends = [float(v.iloc[-1]) for v in lines.values()]
    for k, ((name, values), y) in enumerate(zip(lines.items(), _spread(ends, gap), strict=True)):
        ax.annotate(
            name,
            xy=(float(values.index[-1]), y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=_LABEL_FONTSIZE,
            color=_color(_LOOKS[k % len(_LOOKS)][0]),
            gid="end-label",
            annotation_clip=False,
        )
