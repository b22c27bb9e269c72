"""Layout: text widths, the room around the axes, and free slots for labels.

Charts fit the figure without ``bbox_inches="tight"``. The apps and ``lesson.chart`` draw on an
axes placed at a fixed rectangle of the figure and save without a tight bounding box (one draw
instead of two). Each chart therefore estimates the room its tick labels, legend and caption
need (in points, from the number of characters) and moves the axes' edges inward, never
outward, from the position the axes had when a chart first drew on it.

Every width estimate goes through one model: :data:`_CHAR_EM` ems per character, wider for
bold type and narrower for wrapped prose (:func:`_char_pt`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from matplotlib.axes import Axes
from matplotlib.transforms import TransformedPatchPath

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_BASE_ATTR = "_lessons_base_position"
_OUTLINE_ATTR = "_lessons_outline"
_CHAR_EM = 0.6  # DejaVu Sans averages a little under 0.6 em per character: a safe width estimate
_BOLD = 16 / 15  # bold glyphs are about 7% wider (0.64 em)
_PROSE = 13 / 15  # wrapped prose fills lines at about 0.52 em a character (captions)
_CAPTION_PT = 11 * 1.2  # one line of the source caption
_CAPTION_FONTSIZE = 11
_TOP_PT = 30.0  # the title


def _char_pt(fontsize: float, *, bold: bool = False, prose: bool = False) -> float:
    """Width of an average character at `fontsize`, in points."""
    em = _CHAR_EM * (_BOLD if bold else 1) * (_PROSE if prose else 1)
    return em * fontsize


def _text_pt(text: str, fontsize: float) -> float:
    """Rough rendered width of one line of `text`, in points."""
    return len(text) * _CHAR_EM * fontsize


def _text_px(text: str, fontsize: float, dpi: float) -> float:
    """Rough rendered width of one line of `text`, in pixels at `dpi`."""
    return _text_pt(text, fontsize) * dpi / 72


def _chars_in(room_pt: float, fontsize: float, **kind: bool) -> int:
    """How many characters fit in `room_pt` points (`kind`: ``bold`` or ``prose``, see :func:`_char_pt`)."""
    return int(room_pt / _char_pt(fontsize, **kind))


_Row = TypeVar("_Row", bound=Hashable)


class FreeSlots(Generic[_Row]):
    """Spans taken on rows of a chart: a new span goes on the first row where it overlaps nothing.

    Used to place labels without overlaps (timeline events, offices, era names). Two spans
    overlap when they come closer than `gap` (in the spans' units).

    Examples
    --------
    >>> slots = FreeSlots()
    >>> slots.place((0, 10), rows=[0, 1]), slots.place((5, 15), rows=[0, 1]), slots.place((11, 12), rows=[0])
    (0, 1, 0)
    """

    def __init__(self, gap: float = 0.0) -> None:
        self.gap = gap
        self._taken: dict[_Row, list[tuple[float, float]]] = {}

    def fits(self, row: _Row, span: tuple[float, float]) -> bool:
        """Whether `span` keeps `gap` clear of every span taken on `row`."""
        return all(span[1] + self.gap < a or span[0] - self.gap > b for a, b in self._taken.get(row, []))

    def take(self, row: _Row, span: tuple[float, float]) -> None:
        """Take `span` on `row` (whether or not it fits)."""
        self._taken.setdefault(row, []).append(span)

    def place(self, span: tuple[float, float], rows: Iterable[_Row]) -> _Row | None:
        """Take `span` on the first of `rows` where it fits and return that row (None if none)."""
        block = self.place_block(span, ([row] for row in rows))
        return None if block is None else block[0]

    def place_block(self, span: tuple[float, float], blocks: Iterable[Sequence[_Row]]) -> Sequence[_Row] | None:
        """Take `span` on every row of the first of `blocks` where it fits on all of them; return that block.

        A label of several lines needs the same span free on several neighbouring rows.

        Examples
        --------
        >>> slots = FreeSlots()
        >>> slots.place((0, 10), rows=[1])
        1
        >>> slots.place_block((5, 15), blocks=[[0, 1], [2, 3]])
        [2, 3]
        """
        for block in blocks:
            if block and all(self.fits(row, span) for row in block):
                for row in block:
                    self._taken.setdefault(row, []).append(span)
                return block
        return None


def _fit_axes(
    ax: Axes, *, left: float = 0, right: float = 0, below: float = 0, caption: str = "", top: float = _TOP_PT
) -> None:
    """Keep room around the axes: margins in points from the figure's edges.

    `below` is the room under the axes for its tick labels (the caption's offset) and `caption`
    the source line written under that. The axes only shrinks inside the position it had when a
    chart first drew on it (so a redraw on the same axes starts again from there), and never
    below a third of its size.
    """
    base = getattr(ax, _BASE_ATTR, None)
    if base is None:
        base = ax.get_position(original=True).frozen()
        setattr(ax, _BASE_ATTR, base)
    width_pt, height_pt = cast("Figure", ax.figure).get_size_inches() * 72
    x0, x1 = max(base.x0, left / width_pt), min(base.x1, 1 - right / width_pt)
    if x1 - x0 < base.width / 3:
        x0, x1 = base.x0, base.x0 + max(x1 - x0, base.width / 3)
    bottom = below + 4
    if caption:
        bottom += len(textwrap.wrap(caption, _caption_width(ax, x0))) * _CAPTION_PT + 4
    y0, y1 = max(base.y0, bottom / height_pt), min(base.y1, 1 - top / height_pt)
    if y1 - y0 < base.height / 3:
        y0, y1 = base.y1 - max(y1 - y0, base.height / 3), base.y1
    ax.set_position((x0, y0, x1 - x0, y1 - y0))


def _axes_pt(ax: Axes) -> tuple[float, float]:
    """Width and height of the axes, in points."""
    box = ax.get_position()
    width_pt, height_pt = cast("Figure", ax.figure).get_size_inches() * 72
    return box.width * width_pt, box.height * height_pt


def _start_pt(ax: Axes) -> tuple[float, float]:
    """Width and height, in points, of the axes as it was before any chart shrank it (see `_fit_axes`).

    Sizes chosen before `_fit_axes` must use this, so a redraw on the same axes sizes its text as a
    first draw does, whatever the chart before it left.
    """
    box = getattr(ax, _BASE_ATTR, None) or ax.get_position()
    width_pt, height_pt = cast("Figure", ax.figure).get_size_inches() * 72
    return box.width * width_pt, box.height * height_pt


def _caption_width(ax: Axes, x0: float | None = None) -> int:
    """How many characters of the caption fit on a line under the axes."""
    x0 = ax.get_position().x0 if x0 is None else x0
    room = (1 - x0) * cast("Figure", ax.figure).get_size_inches()[0] * 72 - 12
    return max(40, min(130, _chars_in(room, _CAPTION_FONTSIZE, prose=True)))


def _legend_pt(labels: Iterable[str], title: str = "", fontsize: float = 12) -> float:
    """Width of a one-column legend with these labels, in points."""
    widest = max([_text_pt(str(label), fontsize) for label in labels] + [_text_pt(title, fontsize + 1)])
    return widest + 3.6 * fontsize + 10


def _legend_columns(labels: list[str], room_pt: float, fontsize: float) -> int:
    """Return the most columns (up to 4) in which a legend of these labels fits `room_pt` points."""
    for ncol in range(min(4, len(labels)), 1, -1):
        rows = -(-len(labels) // ncol)
        columns = [labels[k * rows : (k + 1) * rows] for k in range(ncol)]
        # handle, padding and the 1.2 em column spacing of each column, plus a 10% margin on the text
        width = sum(1.1 * max(_text_pt(label, fontsize) for label in col) + 4.6 * fontsize for col in columns if col)
        if width <= room_pt:
            return ncol
    return 1


def _ylabels_pt(labels: Iterable[str], fontsize: float = 13) -> float:
    return max([_text_pt(str(label), fontsize) for label in labels] or [0]) + 14


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _headroom(ax: Axes, points: float) -> None:
    """Extend the y axis upwards (whichever way it runs) to leave `points` free at the top."""
    height_pt = ax.get_window_extent().height * 72 / ax.figure.dpi
    frac = min(points / max(height_pt, 1.0), 0.5)
    y0, y1 = ax.get_ylim()
    ax.set_ylim(y0, y0 + (y1 - y0) / (1 - frac))


def _unclipped(ax: Axes) -> dict[str, Any]:
    """Keyword arguments for a text or line drawn unclipped on `ax`: ``clip_on=False`` and a shared clip path.

    Matplotlib gives every text and line added to an axes a clip box of its own, built from the
    axes' patch (several transforms each), even when the artist is drawn unclipped; a chart's
    labels, keys and markers then spent more time on clip boxes never used than on being drawn.
    Given one outline of the axes, shared by all of them, it builds none (the outline is never
    used to clip: ``clip_on`` is False).
    """
    kept = getattr(ax, _OUTLINE_ATTR, None)
    if kept is None or kept[0] is not ax.patch:  # Axes.clear() makes a new patch
        kept = (ax.patch, TransformedPatchPath(ax.patch))
        setattr(ax, _OUTLINE_ATTR, kept)
    return {"clip_on": False, "clip_path": kept[1]}
