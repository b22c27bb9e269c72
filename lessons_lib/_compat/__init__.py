"""Every shortcut that depends on matplotlib's internals or version, in one place.

The apps redraw a chart on each click, and three shortcuts make that fast (``benchmarks/``).
Like seaborn's ``_compat.py``, this package names what each one reaches into and why, what
happens without it, and when it can go. Nothing else in ``lessons_lib`` touches a private
matplotlib name.

Checked against matplotlib 3.8.0, 3.8.4 and 3.11.2: the lowest and highest versions the course
supports (``pyproject.toml`` caps matplotlib below 3.12; ``tests/test_lowest_versions.py`` runs the
unit tests on 3.8.4). On any other minor version every shortcut is off, with one warning, and
charts are drawn the plain matplotlib way: the same picture, slower redraws. To raise the cap:
run the tests on the new version, then widen :data:`CHECKED` and the cap together.

Shortcuts and the private hooks they use
----------------------------------------
Text cache (:class:`.agg_text_cache.TextCachingCanvas`)
    matplotlib 3.11 lays out and rasterises every glyph of every string on every draw; the cache
    rasterises each distinct string once, the way Agg did up to 3.10, and then only stamps the
    bitmap (``canvas.draw()`` 6 to 13 times faster). Hooks, each looked up before first use:

    - ``RendererAgg._prepare_font``: the font for a ``FontProperties``, at the renderer's dpi.
    - ``RendererAgg._renderer.draw_text_image``: the C++ renderer's call that stamps a bitmap.
    - ``FT2Font.set_text``, ``.draw_glyphs_to_bitmap``, ``.get_bitmap_offset``, ``.get_image``,
      ``.get_descent``: lay out and rasterise a whole string. Agg itself stopped calling the
      first two in 3.11; matplotlib has deprecated FT2Font methods it no longer used before.
    - ``backend_agg.get_hinting_flag``: the hinting Agg uses, so cached text matches its own.

    A missing hook, or one that raises ``AttributeError``, ``TypeError`` or ``ValueError``,
    turns the cache off for the process (one warning); text is then drawn by ``RendererAgg``.
Font-height cache (``_TextCachingRenderer._get_font_height_metrics``)
    ``Text._get_layout`` asks a renderer for this method (in 3.11 matplotlib marks the call *"a
    temporary internal method call"*) and otherwise reads the font tables for every text. The
    cache answers from the same tables once per font. Hook: ``FontManager._find_fonts_by_props``.
    Without it the method answers "unknown" and matplotlib reads the tables itself; if matplotlib
    stops asking, the method is unused. On 3.8 matplotlib never asks.
Light axes reset (:func:`.axes_reset.reset_axes`)
    ``Axes.clear()`` throws away the tick objects, which cost 1 to 2 ms each to rebuild. The
    light reset removes what a chart drew and keeps the ticks. Public API only
    (``Axis.get_tick_params`` needs matplotlib 3.7); it depends on matplotlib only in that it must
    undo everything a chart changes, which ``tests/test_raster.py`` checks against a new app.

The PNG encoder (``lessons_lib._png``) uses no matplotlib internals and is not here.

Switch: ``LESSONS_PLAIN_CANVAS=1`` in the environment turns every shortcut off (no warning), to
see whether a drawing problem comes from a shortcut.

Upstream: matplotlib#32120 "PERF: Text rendering speedups" (merged July 2026) caches text and
combines glyph runs, which should make the text cache unnecessary.

Remove when (``benchmarks/README.md``): the text and font-height caches, once plain Agg's redraw of
a new state in ``python3 run.py bench --only widgets`` is within 1.3x of the cached one on every
matplotlib the course supports (first check after the lowest supported version includes #32120);
the light reset, once ``Axes.clear()`` followed by the chart is within 1.3x of it there.
"""

from lessons_lib._compat.agg_text_cache import TextCachingCanvas, text_cache_active
from lessons_lib._compat.axes_reset import reset_axes
from lessons_lib._compat.gate import CHECKED, PLAIN_SWITCH, forget, plain_switch_on

__all__ = [
    "CHECKED",
    "PLAIN_SWITCH",
    "TextCachingCanvas",
    "forget",
    "plain_switch_on",
    "reset_axes",
    "text_cache_active",
]
