"""The apps' fast redraw: each shortcut must give the picture the plain matplotlib route gives.

The shortcuts live in ``lessons_lib._compat``; each private matplotlib hook they use is removed
(or made to fail) in turn here, and the picture must then be the plain one.
"""

from __future__ import annotations

import functools
import inspect
import io
import os
import subprocess
import sys
import warnings

import matplotlib as mpl
import matplotlib.text as mtext
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from support import ROOT

from lessons_lib import _compat, _png, charts, style
from lessons_lib._compat import agg_text_cache
from lessons_lib.apps import PolicyExplorer, SeriesExplorer, TimelineExplorer
from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT
from lessons_lib.data import load


@pytest.fixture(autouse=True)
def _hooks_looked_up_afresh(monkeypatch):
    """Each test finds matplotlib's hooks again, and leaves them found again for the next."""
    monkeypatch.delenv(_compat.PLAIN_SWITCH, raising=False)
    _compat.forget()
    yield
    _compat.forget()


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _series(ax):
    return charts.plot_series("death_sentences", ax=ax)  # its y label is turned 90 degrees


def _chart_pixels(canvas_class, chart=charts.plot_timeline) -> np.ndarray:
    with style.use_style():
        fig = Figure(figsize=CHART_FIGSIZE, dpi=80)
        canvas_class(fig)
        ax = fig.add_axes(CHART_RECT)
        chart(ax=ax)
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba(), dtype=int)


@functools.cache
def _plain_pixels(chart=charts.plot_timeline) -> np.ndarray:
    """What matplotlib alone draws (drawn once: the hook tests compare with it many times)."""
    return _chart_pixels(FigureCanvasAgg, chart)


def _timeline_figure(canvas_class):
    with style.use_style():
        fig = Figure(figsize=CHART_FIGSIZE, dpi=80)
        canvas_class(fig)
        charts.plot_timeline(ax=fig.add_axes(CHART_RECT))
        fig.canvas.draw()
    return fig


def _looks_alike(plain: np.ndarray, cached: np.ndarray) -> bool:
    """Glyphs may sit a pixel apart (whole strings vs glyph by glyph); nothing else differs."""
    diff = np.abs(plain - cached)
    return plain.shape == cached.shape and diff.mean() < 8 and (diff.max(axis=2) > 128).mean() < 0.03


@pytest.mark.parametrize("chart", [charts.plot_timeline, _series], ids=["timeline", "series"])
def test_cached_text_looks_like_matplotlibs_own_text(chart):
    assert _compat.text_cache_active()
    assert _looks_alike(_plain_pixels(chart), _chart_pixels(_compat.TextCachingCanvas, chart))


def test_a_cached_text_image_is_drawn_again_unchanged():
    fig = _timeline_figure(_compat.TextCachingCanvas)
    first = np.array(fig.canvas.buffer_rgba())
    assert fig.canvas.get_renderer()._text_images  # the strings were cached on the first draw
    with style.use_style():
        fig.canvas.draw()
    assert np.array_equal(first, np.asarray(fig.canvas.buffer_rgba()))


def test_the_text_image_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(agg_text_cache, "_MAX_TEXTS", 5)
    fig = _timeline_figure(_compat.TextCachingCanvas)  # draws dozens of distinct strings
    assert 0 < len(fig.canvas.get_renderer()._text_images) <= 5


def test_png_bytes_decode_to_the_canvas_pixels():
    fig = _timeline_figure(_compat.TextCachingCanvas)
    png = _png.png_bytes(fig.canvas)
    decoded = np.asarray(Image.open(io.BytesIO(png)))
    assert decoded.shape == (440, 880, 4)
    assert np.array_equal(decoded, np.asarray(fig.canvas.buffer_rgba()))


# --- each private hook removed, or failing, in turn -------------------------------------------


def _missing(name):
    def find():
        raise AttributeError(f"matplotlib has no {name}")

    return find


def _failing(name):
    def fail(*args, **kwargs):
        raise TypeError(f"{name} takes other arguments now")

    return lambda: fail


def _draw_twice_recording_warnings(chart=charts.plot_timeline):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = _chart_pixels(_compat.TextCachingCanvas, chart)
        second = _chart_pixels(_compat.TextCachingCanvas, chart)
    assert np.array_equal(first, second)
    return first, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


HOOK_CASES = [(how, name) for name in agg_text_cache.HOOKS for how in (_missing, _failing)]


@pytest.mark.parametrize(("how", "hook"), HOOK_CASES, ids=[f"{hook}-{how.__name__[1:]}" for how, hook in HOOK_CASES])
def test_without_a_text_cache_hook_text_is_drawn_as_plain_matplotlib_draws_it(monkeypatch, how, hook):
    monkeypatch.setitem(agg_text_cache.HOOKS, hook, how(hook))
    drawn, warned = _draw_twice_recording_warnings()
    assert np.array_equal(drawn, _plain_pixels())
    assert len(warned) == 1 and hook in warned[0] and "the text cache is off" in warned[0]
    assert not _compat.text_cache_active()


FONT_HOOK_CASES = [(how, name) for name in agg_text_cache.FONT_HEIGHT_HOOKS for how in (_missing, _failing)]


@pytest.mark.parametrize(
    ("how", "hook"), FONT_HOOK_CASES, ids=[f"{hook}-{how.__name__[1:]}" for how, hook in FONT_HOOK_CASES]
)
def test_without_a_font_height_hook_matplotlib_measures_the_fonts_itself(monkeypatch, how, hook):
    cached = _chart_pixels(_compat.TextCachingCanvas, _series)
    _compat.forget()
    monkeypatch.setitem(agg_text_cache.FONT_HEIGHT_HOOKS, hook, how(hook))
    drawn, warned = _draw_twice_recording_warnings(_series)
    assert np.array_equal(drawn, cached)  # the same heights, read by matplotlib instead of the cache
    if "_get_font_height_metrics" in inspect.getsource(mtext):  # matplotlib 3.8 never asks a renderer
        assert len(warned) == 1 and hook in warned[0] and "the font-height cache is off" in warned[0]
    assert _compat.text_cache_active()


def test_if_matplotlib_stops_asking_for_font_heights_the_picture_is_the_same(monkeypatch):
    cached = _chart_pixels(_compat.TextCachingCanvas, _series)
    monkeypatch.delattr(agg_text_cache._TextCachingRenderer, "_get_font_height_metrics")
    assert np.array_equal(_chart_pixels(_compat.TextCachingCanvas, _series), cached)


@pytest.mark.parametrize("version", ["3.12.0", "4.0.0rc1", "3.7.3"])
def test_on_a_matplotlib_not_checked_every_shortcut_is_off(monkeypatch, version):
    monkeypatch.setattr(mpl, "__version__", version)
    drawn, warned = _draw_twice_recording_warnings()
    assert np.array_equal(drawn, _plain_pixels())
    assert warned and all(f"matplotlib {version} is not one they were checked against" in w for w in warned)
    assert len(warned) == len(set(warned))  # once for each shortcut


@pytest.mark.parametrize("version", ["3.8.0", "3.11.2", "3.11.10.dev3"])
def test_the_checked_matplotlib_versions_keep_the_shortcuts(monkeypatch, version):
    monkeypatch.setattr(mpl, "__version__", version)
    assert _compat.text_cache_active()


def test_the_plain_switch_draws_text_the_plain_way_without_a_warning(monkeypatch):
    monkeypatch.setenv(_compat.PLAIN_SWITCH, "1")
    drawn, warned = _draw_twice_recording_warnings()
    assert np.array_equal(drawn, _plain_pixels())
    assert not warned and not _compat.text_cache_active()


# --- the light axes reset ----------------------------------------------------------------------


def _tick_look(axis):
    tick = axis.get_major_ticks()[0]
    return tick.label1.get_fontsize(), tick.tick1line.get_markersize(), tick.label1.get_rotation()


@pytest.mark.parametrize("plain", [False, True], ids=["light", "plain"])
def test_reset_axes_restores_tick_parameters_a_chart_changed(monkeypatch, plain):
    if plain:
        monkeypatch.setenv(_compat.PLAIN_SWITCH, "1")
    with style.use_style():
        fig = Figure()
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        _compat.reset_axes(ax)
        before = (_tick_look(ax.xaxis), _tick_look(ax.yaxis), ax.yaxis.get_tick_params())
        ax.tick_params(axis="x", labelsize=7, length=0)
        ax.tick_params(axis="y", labelrotation=30)  # not one of the usual ones: the y axis is rebuilt
        ax.set_xticks([1, 2], ["a", "b"])
        ax.plot([1, 2], [3, 4])
        ax.bar([1, 2], [3, 4], label="bars")
        ax.legend()
        ax.set_title("old")
        _compat.reset_axes(ax)
        after = (_tick_look(ax.xaxis), _tick_look(ax.yaxis), ax.yaxis.get_tick_params())
    assert after == before
    assert not ax.lines and not ax.patches and not ax.containers and ax.get_legend() is None
    assert not ax.get_title()
    assert ax.get_xlim() == (0, 1) and ax.get_autoscalex_on()


@pytest.mark.parametrize("plain", [False, True], ids=["light", "plain"])
def test_reset_axes_keeps_the_tick_objects_unless_on_the_plain_path(monkeypatch, plain):
    if plain:
        monkeypatch.setenv(_compat.PLAIN_SWITCH, "1")
    with style.use_style():
        ax = Figure().add_axes((0.1, 0.1, 0.8, 0.8))
        _compat.reset_axes(ax)
        ax.plot([1, 2], [3, 4])
        ticks = ax.xaxis.get_major_ticks()[0]
        _compat.reset_axes(ax)
    assert (ax.xaxis.get_major_ticks()[0] is ticks) != plain


# States are given as constructor arguments: a new app draws its first state on a cleared axes.
SEQUENCES = {
    TimelineExplorer: [{"ideology": "stalinism"}, {"figure": "trotsky"}, {"category": "repression"},
                       {"years": (1920, 1940)}, {"ideology": "trotskyism", "years": (1925, 1935)}, {}],
    PolicyExplorer: [{"category": "economy"}, {"group": "ideology"}, {"category": "repression"}, {}],
    SeriesExplorer: [{"series_id": s} for s in load("series")["id"]]
                    + [{"series_id": "gdp_per_capita", "eras": False}, {"series_id": "gdp_per_capita", "ranges": False}],
}  # fmt: skip
CONTROLS = {"ideology": "ideology_control", "figure": "figure_control", "category": "category_control",
            "years": "years_control", "group": "group_control", "series_id": "series_control", "eras": "eras_control",
            "ranges": "ranges_control"}  # fmt: skip


@pytest.mark.parametrize("plain", [False, True], ids=["shortcuts", "plain"])
@pytest.mark.parametrize("factory", list(SEQUENCES))
def test_an_app_redraws_each_state_as_a_new_app_would_draw_it(monkeypatch, factory, plain):
    if plain:
        monkeypatch.setenv(_compat.PLAIN_SWITCH, "1")
    app = factory()
    defaults = {name: getattr(app, control).value for name, control in CONTROLS.items() if hasattr(app, control)}
    for state in SEQUENCES[factory]:
        wanted = {**defaults, **state}
        with app.hold_trait_notifications():
            for name, value in wanted.items():
                getattr(app, CONTROLS[name]).value = value
        app._cache.clear()
        app._update()
        fresh = factory(**state)
        assert np.array_equal(_pixels(app.image.png), _pixels(fresh.image.png)), state
        assert app.image.alt == fresh.image.alt


def test_an_app_on_the_plain_path_shows_what_matplotlib_alone_draws(monkeypatch):
    fast = TimelineExplorer()
    monkeypatch.setenv(_compat.PLAIN_SWITCH, "1")
    plain = TimelineExplorer()
    with style.use_style():
        fig = Figure(figsize=plain.figsize, dpi=plain.dpi)
        FigureCanvasAgg(fig)
        charts.plot_timeline(ax=fig.add_axes(CHART_RECT))
        fig.canvas.draw()
    assert np.array_equal(_pixels(plain.image.png)[..., :3], np.asarray(fig.canvas.buffer_rgba())[..., :3])
    assert _looks_alike(_pixels(plain.image.png), _pixels(fast.image.png))


def test_the_app_tests_pass_on_the_plain_path():
    env = {**os.environ, _compat.PLAIN_SWITCH: "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_apps.py", "-q", "-x", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_a_timelines_unclipped_texts_and_markers_share_one_clip_path_and_are_not_clipped():
    """Matplotlib builds a clip box per artist from the axes' patch unless given one; the chart hands all
    its unclipped artists the same outline (a redraw then builds none), and none of them is clipped."""
    with style.use_style():
        fig = Figure(figsize=CHART_FIGSIZE, dpi=80)
        FigureCanvasAgg(fig)
        ax = charts.plot_timeline(ax=fig.add_axes(CHART_RECT))
    gids = {
        "event-label",
        "lane-name",
        "key-label",
        "key-title",
        "key-handle",
        "events",
        "labelled-marker",
        "era-label",
    }
    unclipped = [a for a in [*ax.texts, *ax.lines, *ax.artists] if a.get_gid() in gids]
    assert {a.get_gid() for a in unclipped} >= gids - {"key-note"}
    assert not any(a.get_clip_on() for a in unclipped)
    assert len({id(a.get_clip_path()) for a in unclipped}) == 1
    assert all(a.get_clip_box() is None for a in unclipped)
