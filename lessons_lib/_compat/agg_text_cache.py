"""The text cache: an Agg canvas that rasterises each distinct string once and reuses the bitmap.

It reaches into matplotlib's Agg renderer and FT2Font; the package docstring lists each hook,
why it is used and when this can go. Every hook is looked up before first use (see :data:`HOOKS`)
and every call to one is inside one ``try``: if any is missing or fails, the cache turns itself
off for the process with one warning, and text is drawn by ``RendererAgg`` as usual.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font

from lessons_lib._compat.gate import CAUGHT, fall_back, find_hooks

TEXT_CACHE = "the text cache"
FONT_HEIGHTS = "the font-height cache"
_MAX_TEXTS = 2048  # distinct strings kept per canvas (a few MB at most)

#: The private matplotlib calls the text cache makes, each by its matplotlib name and how to find it.
HOOKS: dict[str, Callable[[], Any]] = {
    "RendererAgg._prepare_font": lambda: RendererAgg._prepare_font,
    "RendererAgg._renderer.draw_text_image": lambda: type(RendererAgg(1, 1, 72)._renderer).draw_text_image,
    "FT2Font.set_text": lambda: FT2Font.set_text,
    "FT2Font.draw_glyphs_to_bitmap": lambda: FT2Font.draw_glyphs_to_bitmap,
    "FT2Font.get_bitmap_offset": lambda: FT2Font.get_bitmap_offset,
    "FT2Font.get_image": lambda: FT2Font.get_image,
    "FT2Font.get_descent": lambda: FT2Font.get_descent,
    "backend_agg.get_hinting_flag": lambda: backend_agg.get_hinting_flag,
}
#: The private call the font-height cache makes.
FONT_HEIGHT_HOOKS: dict[str, Callable[[], Any]] = {
    "FontManager._find_fonts_by_props": lambda: type(fontManager)._find_fonts_by_props,
}

_Heights = tuple[float, float, float] | tuple[None, None, None]
_UNKNOWN: _Heights = (None, None, None)  # tells matplotlib to read the font tables itself


def text_cache_active() -> bool:
    """Return whether new canvases cache text (False on the plain path, see the package docstring)."""
    return find_hooks(TEXT_CACHE, HOOKS) is not None


class _TextCachingRenderer(RendererAgg):
    def __init__(self, width: float, height: float, dpi: float):
        super().__init__(width, height, dpi)
        self._text_images: dict[tuple[Any, ...], tuple[np.ndarray, float, float, float]] = {}
        self._font_heights: dict[int, _Heights] = {}

    def _get_font_height_metrics(self, prop: Any) -> _Heights:
        # The hook Text._get_layout asks of a renderer, else it reads the font tables for every text.
        key = hash(prop)
        if key not in self._font_heights:
            hooks = find_hooks(FONT_HEIGHTS, FONT_HEIGHT_HOOKS)
            if hooks is None:
                return _UNKNOWN
            try:
                self._font_heights[key] = _font_heights(hooks, prop, self.dpi)
            except CAUGHT as exc:
                fall_back(FONT_HEIGHTS, f"a matplotlib call it makes failed ({exc!r})")
                return _UNKNOWN
        return self._font_heights[key]

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: bool | str = False, mtext: Any = None) -> None:  # fmt: skip
        hooks = None if ismath else find_hooks(TEXT_CACHE, HOOKS)
        if hooks is not None:
            try:
                return self._stamp(hooks, gc, x, y, s, prop, angle)
            except CAUGHT as exc:
                fall_back(TEXT_CACHE, f"a matplotlib call it makes failed ({exc!r})")
        return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)

    def _stamp(self, hooks: dict[str, Any], gc: Any, x: float, y: float, s: str, prop: Any, angle: float) -> None:
        """Draw `s` from its cached bitmap, rasterising it first if it is new."""
        key = (s, hash(prop), prop.get_size_in_points(), gc.get_antialiased())
        entry = self._text_images.get(key)
        if entry is None:
            font = hooks["RendererAgg._prepare_font"](self, prop)
            hooks["FT2Font.set_text"](font, s, 0, flags=hooks["backend_agg.get_hinting_flag"]())
            hooks["FT2Font.draw_glyphs_to_bitmap"](font, antialiased=gc.get_antialiased())
            xo, yo = hooks["FT2Font.get_bitmap_offset"](font)
            image = np.array(hooks["FT2Font.get_image"](font))
            entry = (image, hooks["FT2Font.get_descent"](font) / 64, xo / 64, yo / 64)
            if len(self._text_images) >= _MAX_TEXTS:
                self._text_images.clear()
            self._text_images[key] = entry
        image, descent, xo, yo = entry
        xd = descent * math.sin(math.radians(angle))
        yd = descent * math.cos(math.radians(angle))
        hooks["RendererAgg._renderer.draw_text_image"](
            self._renderer, image, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc
        )


def _font_heights(hooks: dict[str, Any], prop: Any, dpi: float) -> _Heights:
    """Ascent, descent and line gap of `prop`'s font in pixels, as ``Text._get_layout`` computes them."""
    font = get_font(hooks["FontManager._find_fonts_by_props"](fontManager, prop))
    table: Any = font.get_sfnt_table("OS/2") or font.get_sfnt_table("hhea")
    if table is None:
        return _UNKNOWN
    names = (
        ("sTypoLineGap", "sTypoAscender", "sTypoDescender")
        if "sTypoLineGap" in table
        else ("lineGap", "ascent", "descent")
    )
    head: Any = font.get_sfnt_table("head")
    scale = prop.get_size_in_points() * dpi / 72 / head["unitsPerEm"]
    gap, ascent, descent = (table[n] for n in names)
    return ascent * scale, -descent * scale, gap * scale


class TextCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer rasterises each distinct string once and reuses the bitmap.

    Attach it like any canvas: ``TextCachingCanvas(figure)``. Mathtext is drawn as usual, and so
    is all text on the plain path (the package docstring says when that is).
    """

    _lessons_key: tuple[int, int, float] | None = None

    def get_renderer(self) -> RendererAgg:
        """Return the renderer, kept while the figure's size and resolution stay the same."""
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if self._lessons_key != key:
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lessons_key = key
        return self.renderer
