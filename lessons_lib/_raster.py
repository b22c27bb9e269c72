"""Fast redraws for the apps: an Agg canvas that caches text images, a light axes reset, a plain PNG encoder.

Why this exists (see ``benchmarks/``): a learner who clicks a control waits for one redraw of
one figure. With matplotlib 3.11, three costs dominated that wait, and each has a fix here.

* Agg lays out and rasterises every glyph of every string on every draw (about 0.1 ms per
  character). :class:`TextCachingCanvas` renders each distinct string once, as a single
  bitmap, the way matplotlib up to 3.10 drew text, and then only stamps that bitmap.
* ``Axes.clear()`` throws away the tick objects, and rebuilding a tick costs 1 to 2 ms.
  :func:`reset_axes` removes what a chart drew but keeps the ticks.
* Pillow tries four PNG filters on every row. The charts are flat colour on white, so
  :func:`png_bytes` writes rows unfiltered, straight from the canvas, and deflates them at
  level 1: a third of the time, for a file of about the same size.

Tests check that each shortcut gives the same picture as the plain route.
"""

from __future__ import annotations

import math
import struct
import zlib
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import AutoLocator, NullFormatter, NullLocator, ScalarFormatter
from matplotlib.transforms import Bbox

#: Whether this matplotlib has the calls the text cache needs; without them text is drawn as usual.
CAN_CACHE_TEXT = hasattr(FT2Font, "draw_glyphs_to_bitmap") and hasattr(FT2Font, "get_bitmap_offset")
_MAX_TEXTS = 2048  # distinct strings kept per canvas (a few MB at most)
_BASE_TICKS = "_lessons_base_tick_params"
_UNSET = object()
_TICK_RC = {"length": "{}tick.major.size", "labelsize": "{}tick.labelsize", "width": "{}tick.major.width",
            "pad": "{}tick.major.pad"}  # fmt: skip


class _TextCachingRenderer(RendererAgg):
    def __init__(self, width: float, height: float, dpi: float):
        super().__init__(width, height, dpi)
        self._text_images: dict[tuple[Any, ...], tuple[np.ndarray, float, float, float]] = {}
        self._font_heights: dict[int, tuple[float, float, float] | tuple[None, None, None]] = {}

    def _get_font_height_metrics(self, prop: Any) -> tuple[float, float, float] | tuple[None, None, None]:
        # The hook Text._get_layout asks of a renderer, else it reads the font tables for every text.
        key = hash(prop)
        if key not in self._font_heights:
            font = get_font(fontManager._find_fonts_by_props(prop))
            table = font.get_sfnt_table("OS/2") or font.get_sfnt_table("hhea")
            if table is None:
                self._font_heights[key] = (None, None, None)
            else:
                names = (
                    ("sTypoLineGap", "sTypoAscender", "sTypoDescender")
                    if "sTypoLineGap" in table
                    else ("lineGap", "ascent", "descent")
                )
                scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                gap, ascent, descent = (table[n] for n in names)
                self._font_heights[key] = (ascent * scale, -descent * scale, gap * scale)
        return self._font_heights[key]

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: bool | str = False, mtext: Any = None) -> None:  # fmt: skip
        if ismath or not CAN_CACHE_TEXT:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = (s, hash(prop), prop.get_size_in_points(), gc.get_antialiased())
        entry = self._text_images.get(key)
        if entry is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            entry = (np.array(font.get_image()), font.get_descent() / 64, xo / 64, yo / 64)
            if len(self._text_images) >= _MAX_TEXTS:
                self._text_images.clear()
            self._text_images[key] = entry
        image, descent, xo, yo = entry
        xd = descent * math.sin(math.radians(angle))
        yd = descent * math.cos(math.radians(angle))
        self._renderer.draw_text_image(image, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc)


class TextCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer rasterises each distinct string once and reuses the bitmap.

    Attach it like any canvas: ``TextCachingCanvas(figure)``. Mathtext is drawn as usual.
    """

    def get_renderer(self) -> RendererAgg:
        """Return the renderer, kept while the figure's size and resolution stay the same."""
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if self._lastKey != key:
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """Encode what `canvas` last drew as an RGBA PNG: rows unfiltered, deflated at level 1.

    The rows are fed to zlib straight from the canvas's buffer, without a copy.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width, _ = rgba.shape
    rows = rgba.reshape(height, -1)
    deflate = zlib.compressobj(1)
    data = b"".join(deflate.compress(b"\x00") + deflate.compress(row.data) for row in rows)  # filter type 0
    data += deflate.flush()

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def reset_axes(ax: Axes) -> None:
    """Empty `ax` for the next chart like ``ax.clear()``, but keep its tick objects.

    The first call on an Axes clears it and records its tick parameters. Later calls remove every
    artist, the legend, titles and axis labels, and restore default locators, formatters, limits,
    autoscaling and the recorded tick parameters (which ``ax.clear()`` would leave as the last
    chart set them).
    """
    base = getattr(ax, _BASE_TICKS, None)
    if base is None:
        ax.clear()
        setattr(ax, _BASE_TICKS, {"x": ax.xaxis.get_tick_params(), "y": ax.yaxis.get_tick_params()})
        return
    for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    ax.legend_ = None
    ax.containers = []
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_locator(NullLocator())
        axis.set_minor_formatter(NullFormatter())
        changed = {k for k, v in axis.get_tick_params().items() if base[name].get(k, _UNSET) != v}
        if changed <= set(_TICK_RC):  # put the usual ones back on the existing ticks (cheap)
            axis.set_tick_params(**{k: base[name].get(k, mpl.rcParams[_TICK_RC[k].format(name)]) for k in changed})
        else:
            axis.set_tick_params(reset=True, **base[name])
    ax.dataLim.set_points(Bbox.null().get_points())
    ax.ignore_existing_data_limits = True
    ax.set_axis_on()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_autoscale_on(True)
