"""Era shading behind the charts whose x axis is in years, with the eras' names at the top."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.transforms import ScaledTranslation

from lessons_lib.charts._layout import FreeSlots, _char_pt, _headroom, _unclipped
from lessons_lib.data import load
from lessons_lib.style import ERA_SHADES

_ERA_FONTSIZE = 11
_LEVELS = (0, 1)  # an era's name goes in its band, or one level lower


def era_spans(eras: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the eras with a light shading colour each, in era order.

    Parameters
    ----------
    eras : pandas.DataFrame, optional
        Rows of the eras table; ``load("eras")`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``start_year``, ``end_year`` and ``color``.
    """
    return pd.DataFrame(_era_rows(eras), columns=["id", "name", "start_year", "end_year", "color"])


def _era_rows(eras: pd.DataFrame | None) -> list[tuple[str, str, int, int, str]]:
    table = load("eras") if eras is None else eras
    columns = zip(table["id"], table["name"], table["start_year"], table["end_year"], strict=True)
    return [
        (str(i), str(name), int(start), int(end), ERA_SHADES[k % len(ERA_SHADES)])
        for k, (i, name, start, end) in enumerate(columns)
    ]


def shade_eras(
    ax: Axes,
    eras: pd.DataFrame | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    labels: bool = True,
) -> list[str]:
    """Shade the eras behind a chart whose x axis is in years, and name them at the top.

    A name is written inside its band when it fits there (wrapped on two lines if need be);
    otherwise it goes one level lower if that avoids every other name, and is left out when it
    would still overlap a name or run past the edge of the axes. When names are written the y
    axis is extended upwards so they sit above the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    eras : pandas.DataFrame, optional
        Rows of the eras table; ``load("eras")`` by default.
    xlim : tuple of float, optional
        Only eras overlapping this range are drawn, clipped to it; the axes' limits by default.
    labels : bool, default True
        Write each era's name at the top of its band.

    Returns
    -------
    list of str
        The names of the eras drawn.
    """
    lo, hi = xlim if xlim is not None else ax.get_xlim()
    per_px = (hi - lo) / max(ax.get_window_extent().width, 1.0)
    char_px = _char_pt(_ERA_FONTSIZE) * ax.figure.dpi / 72
    slots: FreeSlots[int] = FreeSlots()
    drawn = []
    lines_used = [0, 0]
    for era_id, name, first, last, color in _era_rows(eras):
        start, end = max(float(first), lo), min(float(last), hi)
        if end <= start:
            continue
        # A band spanning the axes' height. Added as an artist, not with axvspan: the band lies
        # within the x limits already, so the data limits need no update (which is slow).
        transform = ax.get_xaxis_transform()
        ax.add_artist(
            Rectangle((start, 0), end - start, 1, transform=transform, color=color, zorder=0, lw=0, gid=f"era-{era_id}")
        )
        drawn.append(name)
        if labels:
            placed = _label_era(ax, name, (start, end), (lo, hi), per_px, char_px, slots)
            if placed is not None:
                level, n_lines = placed
                lines_used[level] = max(lines_used[level], n_lines)
    if any(lines_used):
        _headroom(ax, 6 + _era_level_pt(lines_used[0]) * (2 if lines_used[1] else 1))
    return drawn


def _era_level_pt(n_lines: int) -> float:
    return 4 + max(n_lines, 2) * _ERA_FONTSIZE * 1.15


def _wrap_era_name(name: str, chars: int) -> str:
    """Wrap an era name on at most two lines of about `chars` characters."""
    width = max(chars, max(len(w) for w in name.split()))
    text = textwrap.fill(name, width)
    while text.count("\n") > 1:
        width += 1
        text = textwrap.fill(name, width)
    return text


def _label_era(
    ax: Axes,
    name: str,
    band: tuple[float, float],
    limits: tuple[float, float],
    per_px: float,
    char_px: float,
    slots: FreeSlots[int],
) -> tuple[int, int] | None:
    """Name an era at the top of its band; return (level, lines) or None when it does not fit."""
    start, end = band
    middle = (start + end) / 2
    text = _wrap_era_name(name, int((end - start) / per_px / char_px))
    half = (max(len(line) for line in text.splitlines()) * char_px + 4) * per_px / 2
    span = (middle - half, middle + half)
    if span[0] < limits[0] or span[1] > limits[1]:
        return None  # it would be cut at the edge of the axes
    level = slots.place(span, _LEVELS)
    if level is None:
        return None
    offset = (3 + _era_level_pt(2) * level) / 72 * ax.figure.dpi
    transform = ax.get_xaxis_transform() + ScaledTranslation(0, -offset / ax.figure.dpi, ax.figure.dpi_scale_trans)
    ax.text(
        middle,
        1,
        text,
        transform=transform,
        ha="center",
        va="top",
        fontsize=_ERA_FONTSIZE,
        color="#444444",
        zorder=1,
        gid="era-label",
        linespacing=1.0,
        **_unclipped(ax),
    )
    return level, text.count("\n") + 1


def _shade(ax: Axes, eras: bool | pd.DataFrame, xlim: tuple[float, float]) -> list[str]:
    """Shade the eras of `eras` (a table, or True for the eras table) behind a chart; return their names."""
    if isinstance(eras, pd.DataFrame):
        return shade_eras(ax, eras, xlim=xlim)
    return shade_eras(ax, load("eras"), xlim=xlim) if eras else []
