"""The comparison grid: one row per dimension, one column per ideology.

:func:`plot_comparison` plans what to draw (:class:`ComparisonPlan`, no drawing), draws it,
then describes it in words for the alt text. The same grid as an HTML table is
:func:`lessons_lib.html.comparison_html`.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from lessons_lib.charts._artists import _draw_cell, _finish, _no_data, _target
from lessons_lib.charts._describe import _caption, plural
from lessons_lib.charts._layout import _chars_in, _fit_axes
from lessons_lib.html import ComparisonGrid, comparison_grid
from lessons_lib.style import CONTESTED_FILL, HEADER_FILL, OKABE_ITO, ideology_style

_CONTESTED_EDGE = OKABE_ITO["vermillion"]
_CELL_FILL = "#F4F4F4"
_CONTESTED_NOTE = "* Contested: historians disagree (see the notes in the positions table)"


@dataclass(frozen=True)
class ComparisonPlan:
    """What a comparison chart shows, decided before drawing (from the data alone, no axes)."""

    grid: ComparisonGrid  #: the dimensions (rows) and ideologies (columns) shown
    hidden: int  #: dimensions left out (see `max_dimensions`)
    caption: str  #: the source line

    @property
    def n_contested(self) -> int:
        """How many cells shown are contested."""
        return int(self.grid.contested.to_numpy().sum())

    @property
    def more(self) -> str:
        """The note on the dimensions left out ("" when none is)."""
        if not self.hidden:
            return ""
        return f"{plural(self.hidden, 'more dimension')} not shown: see comparison_html() for the full grid"

    @property
    def below(self) -> float:
        """Room under the grid for the notes, in points."""
        return (30 if self.n_contested or self.hidden else 8) + (16 if self.n_contested and self.hidden else 0)

    @property
    def rows(self) -> list[list[str]]:
        """The texts of the grid's cells, a header row first: ``*`` marks a contested cell."""
        grid = self.grid
        contested = grid.contested
        rows = [["", *grid.ideology_names.values()]]
        rows += [
            [
                grid.dimension_names[d],
                *((s or "\u2014") + (" *" if contested.loc[d, i] else "") for i, s in grid.texts.loc[d].items()),
            ]
            for d in grid.texts.index
        ]
        return rows


def plot_comparison(
    positions: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
    max_dimensions: int | None = 6,
    ax: Axes | None = None,
) -> Axes:
    """Draw the comparison grid: one row per dimension, one column per ideology.

    Summaries are wrapped to fit (the font shrinks down to 8 pt for a short figure: give the
    figure about one inch of height per dimension). Contested cells are shaded, edged in
    vermillion and marked with ``*``; a legend explains the mark.

    A chart stays legible for about six dimensions, so by default it shows the first
    `max_dimensions` and says how many more there are. For the full grid of every dimension
    use :func:`comparison_html` (a table that wraps and scrolls in the page), or pass the
    dimensions to chart.

    Parameters
    ----------
    positions : pandas.DataFrame, optional
        Rows of the positions table; ``load("positions")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to compare; all by default.
    dimensions : str or list of str, optional
        Dimension ids to compare on; by default the first `max_dimensions` of them.
    max_dimensions : int or None, default 6
        When `dimensions` is not given, show at most this many (None shows all of them).
        Dimensions given explicitly are all shown.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.

    See Also
    --------
    comparison_html : the full grid as an HTML table, best for all the dimensions.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(12, 7))
    >>> ax = plot_comparison(ax=ax)
    """
    ax = _target(ax)
    plan = _plan_comparison(positions, ideologies, dimensions, max_dimensions)
    if plan.grid.table.empty:
        return _no_data(ax, "Comparison of the ideologies")
    _draw_comparison(ax, plan)
    return _finish(ax, plan.grid.title, plan.caption, _describe_comparison(plan), offset=plan.below)


def _plan_comparison(
    positions: pd.DataFrame | None,
    ideologies: str | Iterable[str] | None,
    dimensions: str | Iterable[str] | None,
    max_dimensions: int | None,
) -> ComparisonPlan:
    """Select the grid, keeping the first `max_dimensions` dimensions unless `dimensions` are given."""
    grid = comparison_grid(positions, ideologies, dimensions)
    hidden = 0
    if dimensions is None and max_dimensions is not None and len(grid.texts.index) > max_dimensions:
        kept = list(grid.texts.index[:max_dimensions])
        hidden = len(grid.texts.index) - len(kept)
        grid = dataclasses.replace(
            grid,
            table=grid.table[grid.table["dimension_id"].astype(str).isin(kept)],
            texts=grid.texts.loc[kept],
            contested=grid.contested.loc[kept],
            notes=grid.notes.loc[kept],
            dimension_names={d: grid.dimension_names[d] for d in kept},
        )
    caption = _caption(grid.table["sources"]) if not grid.table.empty else ""
    return ComparisonPlan(grid, hidden, caption)


def _fit_text(
    texts: list[list[str]], widths_pt: list[float], height_pt: float
) -> tuple[float, list[list[str]], list[int]]:
    """Choose the largest font size whose wrapped rows fit; return (size, wrapped, lines per row)."""
    for fontsize in (13, 12, 11, 10, 9, 8):
        wrapped = [
            [textwrap.fill(cell, max(8, _chars_in(w, fontsize))) for cell, w in zip(row, widths_pt, strict=True)]
            for row in texts
        ]
        lines = [max(cell.count("\n") + 1 for cell in row) for row in wrapped]
        needed = sum(n * fontsize * 1.25 + 0.8 * fontsize for n in lines)
        if needed <= height_pt:
            break
    return fontsize, wrapped, lines


def _draw_comparison(ax: Axes, plan: ComparisonPlan) -> None:
    """Draw the plan: the cells, a band of each ideology's colour over its column, and the notes."""
    grid = plan.grid
    _fit_axes(ax, below=plan.below, caption=plan.caption)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    box = ax.get_window_extent()
    width_pt, height_pt = box.width * 72 / ax.figure.dpi, box.height * 72 / ax.figure.dpi
    n_cols = len(grid.texts.columns)
    col_w = [0.22] + [0.78 / n_cols] * n_cols
    fontsize, wrapped, lines = _fit_text(plan.rows, [w * width_pt - 8 for w in col_w], height_pt)
    units = [n * 1.25 + 0.8 for n in lines]
    scale = 1 / sum(units)
    y = 1.0
    for r, row in enumerate(wrapped):
        h = units[r] * scale
        x = 0.0
        for c, text in enumerate(row):
            if r == 0:
                fill, gid, weight = (HEADER_FILL, "header", "bold")
            elif c == 0:
                fill, gid, weight = (HEADER_FILL, "row-header", "bold")
            elif grid.contested.iloc[r - 1, c - 1]:
                fill, gid, weight = (CONTESTED_FILL, "contested-cell", "normal")
            else:
                fill, gid, weight = (_CELL_FILL, "cell", "normal")
            edge = _CONTESTED_EDGE if gid == "contested-cell" else "white"
            _draw_cell(ax, x, y, col_w[c], h, text, fontsize, fill=fill, gid=gid, weight=weight, edge=edge)
            if r == 0 and c > 0:
                color = ideology_style(grid.texts.columns[c - 1])["color"]
                ax.add_patch(Rectangle((x, y - h), col_w[c], h * 0.12, facecolor=color, lw=0, gid="header-band"))
            x += col_w[c]
        y -= h
    if plan.n_contested:
        label = _CONTESTED_NOTE + (f"\n{plan.more}" if plan.more else "")
        handle = Patch(facecolor=CONTESTED_FILL, edgecolor=_CONTESTED_EDGE, label=label)
        ax.legend(handles=[handle], loc="upper left", bbox_to_anchor=(0, 0), frameon=False)
    elif plan.more:
        ax.text(0, 0, plan.more, transform=ax.transAxes, ha="left", va="top", fontsize=12, gid="more-dimensions")


def _describe_comparison(plan: ComparisonPlan) -> str:
    """Describe a comparison chart for its alt text: ideologies, dimensions, contested cells, what is left out."""
    grid = plan.grid
    return (
        f"Table comparing {', '.join(grid.ideology_names.values())} on {len(grid.texts.index)} dimensions "
        f"({', '.join(grid.dimension_names.values())}); {plan.n_contested} of {len(grid.table)} cells are contested"
        + (f"; {plan.more}." if plan.more else ".")
    )
