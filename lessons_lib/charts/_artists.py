"""Artists shared by the charts: the target axes, the no-data note, titles, keys, row names, bars."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Affine2DBase, ScaledTranslation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from lessons_lib.charts._describe import _SOURCE_GID, set_alt_text
from lessons_lib.charts._layout import _caption_width, _char_pt, _fit_axes, _unclipped
from lessons_lib.html import NO_DATA
from lessons_lib.style import OKABE_ITO

#: Where a chart's axes sit in the figure of the apps and ``lesson.chart`` (left, bottom, width, height):
#: each chart then moves the edges inward to make room for its labels (see ``_layout._fit_axes``).
CHART_RECT: tuple[float, float, float, float] = (0.07, 0.16, 0.9, 0.74)
#: The size, in inches, of the figure the apps and ``lesson.chart`` draw a chart in.
CHART_FIGSIZE: tuple[float, float] = (11.0, 5.5)
_NOTE_FONTSIZE = 11


def add_source_line(ax: Axes, text: str, *, offset: float = 42, width: int = 130) -> Any:
    """Write a ``Source: ...`` caption under the axes (replacing an earlier one).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to caption.
    text : str
        The caption; ``"Source: "`` is added unless it already starts with ``Source``.
    offset : float, default 42
        Distance below the bottom of the axes, in points (room for the tick labels).
    width : int, default 130
        Wrap the caption at this many characters.

    Returns
    -------
    matplotlib.text.Annotation
        The caption artist (its gid is ``"source-line"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> add_source_line(ax, "Service (2000), Lenin").get_text()
    'Source: Service (2000), Lenin'
    >>> plt.close(fig)
    """
    for old in [t for t in ax.texts if t.get_gid() == _SOURCE_GID]:
        old.remove()
    if not text.startswith("Source"):
        text = f"Source: {text}"
    return ax.annotate(
        textwrap.fill(text, width),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -offset),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=11,
        color="#333333",
        gid=_SOURCE_GID,
        annotation_clip=False,
    )


def _target(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.gca()


def _no_data(ax: Axes, title: str) -> Axes:
    _fit_axes(ax)
    ax.set_title(title, loc="left")
    ax.text(
        0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center", fontsize=14, color="#555555", gid="no-data"
    )
    set_alt_text(ax, f"{title}: {NO_DATA.lower()}.")
    return ax


def _finish(ax: Axes, title: str, caption: str, alt: str, *, offset: float = 30) -> Axes:
    """Title the axes, write the caption (from :func:`_caption`) under it and record the alt text.

    A title too long for the figure is written smaller so that it fits on one line.
    """
    room = (1 - ax.get_position().x0) * cast("Figure", ax.figure).get_size_inches()[0] * 72 - 8
    size = plt.rcParams["axes.titlesize"]
    size = size if isinstance(size, (int, float)) else 16
    fits = room / (_char_pt(1, bold=True) * max(len(title), 1))  # the font size at which it fills the room
    ax.set_title(title, loc="left", fontsize=float(np.clip(fits, 10, size)))
    if caption:
        add_source_line(ax, caption, offset=offset, width=_caption_width(ax))
    set_alt_text(ax, alt)
    return ax


def _category_key(ax: Axes, entries: list[tuple[str, dict[str, Any]]], title: str = "Category", note: str = "") -> None:
    """Draw a legend right of the axes from plain lines and texts, laid out like ``ax.legend``.

    `entries` pairs each label with the style of its line (``Line2D`` properties); `note` is
    written in small grey type under the last entry (gid ``key-note``), or alone at the top when
    there are no entries (and then no title). The apps redraw at every
    click, and a matplotlib ``Legend`` costs several times more to build and to draw than these
    few artists. Labels carry the gid ``key-label``, the title ``key-title``.
    """
    fig = ax.figure
    size = FontProperties(size=plt.rcParams["legend.fontsize"]).get_size_in_points()
    title_size = FontProperties(size=plt.rcParams["legend.title_fontsize"]).get_size_in_points()
    # Coordinates in points from the top right corner of the axes.
    corner = Affine2D().scale(1 / 72) + fig.dpi_scale_trans + ScaledTranslation(1, 1, cast(Affine2DBase, ax.transAxes))
    left, handle = 8 + 0.4 * size, 2.0 * size
    unclipped = _unclipped(ax)

    def write(x: float, y: float, text: str, **style: Any) -> None:
        ax.text(x, y, text, transform=corner, ha="left", **unclipped, **style)

    top = -0.4 * size - 1.6 * title_size if entries else 0.5 * 1.7 * size - 0.4 * size
    if entries:
        write(left, -0.4 * size, title, va="top", fontsize=title_size, gid="key-title")
    for k, (label, look) in enumerate(entries):
        y = top - (k + 0.5) * 1.7 * size
        xs = [left, left + handle / 2, left + handle]
        ax.add_artist(Line2D(xs, [y] * 3, transform=corner, markevery=[1], gid="key-handle", **unclipped, **look))
        write(left + handle + 0.8 * size, y, label, va="center", fontsize=size, gid="key-label")
    if note:
        y = top - (len(entries) + 0.5) * 1.7 * size
        write(left, y, note, va="top", fontsize=_NOTE_FONTSIZE, color="#555555", gid="key-note")


def _row_names(ax: Axes, ys: Iterable[float], names: Iterable[str], fontsize: float, gid: str) -> None:
    """Name the rows of a chart left of the axes, in place of y tick labels.

    Plain texts, because ticks are slow to build and to measure at each redraw of an app.
    """
    ax.set_yticks([])
    shift = ScaledTranslation(-6 / 72, 0, ax.figure.dpi_scale_trans)
    transform = ax.get_yaxis_transform() + shift
    unclipped = _unclipped(ax)
    for y, name in zip(ys, names, strict=True):
        ax.text(0, y, name, transform=transform, ha="right", va="center", fontsize=fontsize, gid=gid, **unclipped)


def _color(name: str) -> str:
    return OKABE_ITO[name]


def _draw_cell(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    fontsize: float,
    *,
    fill: str,
    gid: str,
    weight: str = "normal",
    edge: str = "white",
) -> None:
    ax.add_patch(Rectangle((x, y - h), w, h, facecolor=fill, edgecolor=edge, lw=1.5, gid=gid))
    pad = 0.006
    ax.text(
        x + pad,
        y - pad * 1.5,
        text,
        ha="left",
        va="top",
        fontsize=fontsize,
        weight=weight,
        linespacing=1.2,
        gid=f"{gid}-text",
        clip_on=True,
    )


def _add_bars(
    ax: Axes, x: Any, height: Any, width: float, *, bottom: Any = 0.0, label: str = "", gid: str = "", **style: Any
) -> None:
    """Draw vertical bars like ``ax.bar``, as plain rectangles with one data-limit update for all.

    ``ax.bar`` updates the data limits bar by bar, which is most of its cost. The first bar
    carries `label` (one legend entry); like ``ax.bar``, a bar's base sticks to the axis.
    """
    x = np.asarray(x, dtype=float)
    height = np.asarray(height, dtype=float)
    bottom = np.broadcast_to(np.asarray(bottom, dtype=float), x.shape)
    for k, (middle, tall, base) in enumerate(zip(x, height, bottom, strict=True)):
        bar = Rectangle(
            (middle - width / 2, base), width, tall, label=label if k == 0 else "_nolegend_", gid=gid, **style
        )
        bar.sticky_edges.y.append(base)
        ax.add_artist(bar)
    ax.update_datalim(np.column_stack([np.r_[x - width / 2, x + width / 2], np.r_[bottom, bottom + height]]))
    ax.autoscale_view()
